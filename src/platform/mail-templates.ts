// Mail templates in Traditional Chinese and English (OPS-3, OPS-5). Each template is plain text;
// the HTML part is derived from it (escaped, links made clickable), so the two never disagree.
import type { Lang } from './web/messages.ts';
import { requestMailTemplates, type RequestMailTemplates } from '../requests/mail.ts';
import { ssoMailTemplates, type SsoMailTemplates } from '../sso/mail.ts';

/** AUTH-4, ACC-7: a set-password link's mail lists the account's details (seed 001's 註冊會員成功通知). */
interface SetPasswordLinkVars {
  name: string; username: string; email: string; department: string; title: string; phone: string;
  /** The school (校代碼 and name) of a school account; null for an agency, named by `organisation`. */
  school: { code: string; name: string } | null; organisation: string; link: string; hours: number; resendUrl: string;
}

export interface MailTemplates extends RequestMailTemplates, SsoMailTemplates {
  /** AUTH-5: the 8-digit code, with the details the requester typed (as seed 001's mail does). */
  /** `rule`: the account's own password rule (AUTH-3), known once the details matched it (issue 9 item 11). */
  'password.resetCode': { name: string; username: string; email: string; code: string; minutes: number; resetUrl: string; rule?: { minLength: number; onlyUpperLowerDigit: boolean } };
  /** AUTH-5: sent after a reset, so that an owner who did not ask for it notices. */
  'password.changed': { name: string; username: string; at: string; forgotUrl: string };
  /** AUTH-4, ACC-7: the link that lets a new account choose its first password. */
  'account.setPasswordLink': SetPasswordLinkVars;
  /** ADM-5, AUTH-4 (issue 9 item 12): an administrator sent an activated account a link to set a new password. */
  'account.newPasswordLink': SetPasswordLinkVars;
  /** ACC-8: to both the old and the new holder of a school's main account. */
  'tenant.mainTransferred': { name: string; school: string; code: string; from: string; to: string; at: string; gained: boolean };
  /** ADM-1, ADM-7: to the holder when an administration grant is given or revoked (kind, org and categories already localised). */
  'admin.grantChanged': { name: string; username: string; kind: string; org: string; categories: string; at: string; given: boolean; url: string };
  /** AUTH-6: the e-mail one-time code of a self-service application (REQ-1) or an existing contact's sign-in. */
  'application.otp': { name: string; agency: string; code: string; minutes: number; purpose: 'apply' | 'contact' };
}
export type TemplateName = keyof MailTemplates;

export interface RenderedMail { subject: string; text: string; html: string }

type Render<K extends TemplateName> = (v: MailTemplates[K]) => { subject: string; text: string };

const templates: { [K in TemplateName]: Record<Lang, Render<K>> } = {
  ...requestMailTemplates,
  ...ssoMailTemplates,
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
  'account.setPasswordLink': {
    'zh-TW': (v) => {
      const given = (x: string) => x || '（未填寫）';
      return {
        subject: 'Tessera 帳號驗證信：請設定密碼',
        text: `${v.school ? `如果您並不是【${v.school.code}】學校的老師，請忽略本信件。` : `如果您並不是【${v.organisation}】的人員，請忽略本信件。`}

${v.name} 您好：${v.school ? `${v.school.name}（校代碼 ${v.school.code}）` : v.organisation}已為您建立 Tessera 身分與帳號治理平臺的帳號，特將信件寄予給您。

下列資訊為您的基本資訊，請查核：
- 「帳號」：${v.username}
- 「姓名」：${v.name}
- 「處室名稱」：${given(v.department)}
- 「職稱」：${given(v.title)}
- 「電話(分機)」：${given(v.phone)}
- 「信箱」：${v.email}

請於 ${v.hours} 小時內開啟下列連結設定密碼，連結僅能使用一次：
${v.link}

連結過期時，可至下列網址補寄驗證信：
${v.resendUrl}
`,
      };
    },
    en: (v) => {
      const given = (x: string) => x || '(not given)';
      return {
        subject: 'Tessera account: please set your password',
        text: `${v.school ? `If you are not a teacher of school ${v.school.code}, please ignore this mail.` : `If you do not work at ${v.organisation}, please ignore this mail.`}

Hello ${v.name}, ${v.school ? `${v.school.name} (school code ${v.school.code})` : v.organisation} has created an account for you on Tessera.

Your details, for you to check:
- Username: ${v.username}
- Name: ${v.name}
- Department: ${given(v.department)}
- Job title: ${given(v.title)}
- Telephone (extension): ${given(v.phone)}
- E-mail: ${v.email}

Open this link within ${v.hours} hours to set your password; it works once:
${v.link}

If the link has expired, ask for a new one at:
${v.resendUrl}
`,
      };
    },
  },
  'account.newPasswordLink': {
    'zh-TW': (v) => ({
      subject: 'Tessera 設定新密碼連結',
      text: `${v.name} 您好：

您的管理者為您的帳號 ${v.username} 寄出設定新密碼的連結。

請於 ${v.hours} 小時內開啟下列連結設定新密碼，連結僅能使用一次；設定後所有登入中的工作階段均會登出。
在您設定新密碼之前，目前的密碼仍然有效。
${v.link}

如果您並未請管理者協助設定密碼，請忽略本信件並通知您的管理者。
`,
    }),
    en: (v) => ({
      subject: 'Tessera: link to set a new password',
      text: `Hello ${v.name},

Your administrator sent you a link to set a new password for your account ${v.username}.

Open this link within ${v.hours} hours to set a new password; it works once, and every signed-in session ends afterwards.
Until you set a new password, your current one keeps working.
${v.link}

If you did not ask your administrator for this, please ignore this mail and tell your administrator.
`,
    }),
  },
  'tenant.mainTransferred': {
    'zh-TW': (v) => ({
      subject: `Tessera 主帳號移轉通知（校代碼 ${v.code}）`,
      text: `${v.name} 您好：

${v.school}（校代碼 ${v.code}）的主帳號已於 ${v.at}（臺灣時間）由 ${v.from} 移轉給 ${v.to}。

${v.gained ? '您現在是本校主帳號負責人，可以建立及管理本校的子帳號。' : '您已不再是本校主帳號負責人，原有的子帳號管理權限已移除。'}

若這不是您預期的異動，請立即聯絡平臺客服。
`,
    }),
    en: (v) => ({
      subject: `Tessera main account transferred (school code ${v.code})`,
      text: `Hello ${v.name},

The main account of ${v.school} (school code ${v.code}) was transferred from ${v.from} to ${v.to} at ${v.at} (Taiwan time).

${v.gained ? 'You now hold the school\'s main account and can create and manage its sub-accounts.' : 'You no longer hold the school\'s main account; its sub-account management rights were removed from your account.'}

If you did not expect this change, contact the platform's help desk at once.
`,
    }),
  },
  'admin.grantChanged': {
    'zh-TW': (v) => ({
      subject: v.given ? `Tessera 管理授權通知：您已成為「${v.kind}」` : `Tessera 管理授權通知：「${v.kind}」授權已撤銷`,
      text: `${v.name} 您好：

${v.given ? `您的帳號 ${v.username} 已於 ${v.at}（臺灣時間）獲得下列管理授權：` : `您的帳號 ${v.username} 的下列管理授權已於 ${v.at}（臺灣時間）撤銷：`}
- 授權類型：${v.kind}
- 管轄範圍：${v.org}
- 可設定的應用系統類別：${v.categories}

${v.given ? `登入後可至「註冊服務」使用：
${v.url}` : '相關的管理功能已自您的帳號移除。'}

若這不是您預期的異動，請立即聯絡平臺客服。
`,
    }),
    en: (v) => ({
      subject: v.given ? `Tessera administration grant: you are now "${v.kind}"` : `Tessera administration grant: your "${v.kind}" grant was revoked`,
      text: `Hello ${v.name},

${v.given ? `Your account ${v.username} was given this administration grant at ${v.at} (Taiwan time):` : `This administration grant of your account ${v.username} was revoked at ${v.at} (Taiwan time):`}
- Kind: ${v.kind}
- Jurisdiction: ${v.org}
- Application-system categories: ${v.categories}

${v.given ? `Sign in and open "Registration service" to use it:
${v.url}` : 'The administration functions it gave were removed from your account.'}

If you did not expect this change, contact the platform's help desk at once.
`,
    }),
  },
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

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Pieces of `text`, each plain or a link: for the HTML part and the development outbox page. */
export function splitLinks(text: string): { text: string; href?: string }[] {
  const out: { text: string; href?: string }[] = [];
  let last = 0;
  for (const m of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ text: m[0], href: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

function textToHtml(text: string, lang: Lang): string {
  const paragraphs = text.trim().split(/\n{2,}/).map((p) =>
    '<p>' + splitLinks(p).map((s) => s.href ? `<a href="${escapeHtml(s.href)}">${escapeHtml(s.text)}</a>` : escapeHtml(s.text)).join('').replace(/\n/g, '<br>') + '</p>');
  return `<!doctype html><html lang="${lang === 'en' ? 'en' : 'zh-Hant-TW'}"><body>${paragraphs.join('\n')}</body></html>`;
}

export function renderMail<K extends TemplateName>(template: K, lang: Lang, vars: MailTemplates[K]): RenderedMail {
  const { subject, text } = templates[template][lang](vars);
  return { subject, text, html: textToHtml(text, lang) };
}
