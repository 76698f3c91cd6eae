// The e-mail one-time code (AUTH-6) of a self-service account application (REQ-1) or of an existing
// contact's sign-in (zh-TW, en). Assembled with every capability's templates in src/mail-templates.ts.
import type { MailTemplateTable } from '../../platform/mail-render.ts';

export interface ApplyMailTemplates {
  /** AUTH-6: the e-mail one-time code of a self-service application (REQ-1) or an existing contact's sign-in. */
  'application.otp': { name: string; agency: string; code: string; minutes: number; purpose: 'apply' | 'contact' };
}

export const applyMailTemplates: MailTemplateTable<ApplyMailTemplates> = {
  'application.otp': {
    'zh-TW': (v) => ({
      subject: v.purpose === 'apply' ? 'Tessera 帳號申請電子郵件驗證碼' : 'Tessera 身分驗證碼',
      text: `${v.name} 您好：

${v.purpose === 'apply' ? `您正在 Tessera 身分與帳號治理平臺申請 ${v.agency} 的帳號。` : `您正在 Tessera 身分與帳號治理平臺以 ${v.agency} 既有聯絡人身分進行 OTP 身分驗證。`}

電子郵件驗證碼（請於 ${v.minutes} 分鐘內使用，僅能使用一次）：

${v.code}

請勿將驗證碼提供給任何人。如果這不是您本人的操作，請忽略本信件。
`,
    }),
    en: (v) => ({
      subject: v.purpose === 'apply' ? 'Tessera account application e-mail code' : 'Tessera identity verification code',
      text: `Hello ${v.name},

${v.purpose === 'apply' ? `You are applying for an account of ${v.agency} on Tessera.` : `You are verifying your identity on Tessera as an existing contact of ${v.agency}.`}

Your e-mail code (valid for ${v.minutes} minutes, usable once):

${v.code}

Do not give this code to anyone. If this was not you, please ignore this mail.
`,
    }),
  },
};
