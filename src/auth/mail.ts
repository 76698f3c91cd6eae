// Mail of the forgotten-password flow (AUTH-5) (zh-TW, en): the code, and the notice after a reset.
// Assembled with every capability's templates in src/mail-templates.ts.
import type { MailTemplateTable } from '../platform/mail-render.ts';

export interface AuthMailTemplates {
  /** AUTH-5: the 8-digit code, with the details the requester typed (as seed 001's mail does). */
  /** `rule`: the account's own password rule (AUTH-3), known once the details matched it (issue 9 item 11). */
  'password.resetCode': { name: string; username: string; email: string; code: string; minutes: number; resetUrl: string; rule?: { minLength: number; onlyUpperLowerDigit: boolean } };
  /** AUTH-5: sent after a reset, so that an owner who did not ask for it notices. */
  'password.changed': { name: string; username: string; at: string; forgotUrl: string };
}

export const authMailTemplates: MailTemplateTable<AuthMailTemplates> = {
  'password.resetCode': {
    'zh-TW': (v) => ({
      subject: 'Tessera 忘記密碼驗證碼',
      text: `如果您剛才並沒有使用「忘記密碼」功能，請忽略本信件。

您剛才在 Tessera 身分與帳號治理平臺使用「忘記密碼」功能，所填入的資料經系統比對相符，因此寄出本信件。

下列為您所輸入的資訊，請查核：
- 「姓名」：${v.name}
- 「帳號」：${v.username}
- 「信箱」：${v.email}

驗證碼（請於 ${v.minutes} 分鐘內使用，僅能使用一次）：

${v.code}

請至下列網址輸入帳號、驗證碼並設定新密碼：
${v.resetUrl}
${v.rule ? `
您帳號適用的密碼規則：長度至少 ${v.rule.minLength} 個字元，${v.rule.onlyUpperLowerDigit ? '須包含且只能為大、小寫字母及數字' : '須包含數字、小寫字母、大寫字母、符號其中 3 種以上'}。
` : ''}`,
    }),
    en: (v) => ({
      subject: 'Tessera password reset code',
      text: `If you did not just use "Forgot your password?", please ignore this mail.

Someone used "Forgot your password?" on Tessera with details that match your account, so this mail was sent.

The details that were typed, for you to check:
- Name: ${v.name}
- Username: ${v.username}
- E-mail: ${v.email}

Your code (valid for ${v.minutes} minutes, usable once):

${v.code}

Enter your username, the code and a new password at:
${v.resetUrl}
${v.rule ? `
The password rule of your account: at least ${v.rule.minLength} characters, ${v.rule.onlyUpperLowerDigit ? 'upper- and lower-case letters and digits only, all three' : 'at least 3 of digits, lower-case, upper-case letters and symbols'}.
` : ''}`,
    }),
  },
  'password.changed': {
    'zh-TW': (v) => ({
      subject: 'Tessera 密碼已變更通知',
      text: `${v.name} 您好：

您的帳號 ${v.username} 的密碼已於 ${v.at}（臺灣時間）透過「忘記密碼」功能重新設定，所有登入中的工作階段均已登出。

若這不是您本人所為，請立即重新設定密碼並通知您的管理者：
${v.forgotUrl}
`,
    }),
    en: (v) => ({
      subject: 'Your Tessera password was changed',
      text: `Hello ${v.name},

The password of your account ${v.username} was reset through "Forgot your password?" at ${v.at} (Taiwan time), and every signed-in session was ended.

If this was not you, reset your password at once and tell your administrator:
${v.forgotUrl}
`,
    }),
  },
};
