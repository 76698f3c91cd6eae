// Mail about an account itself (AUTH-4, ACC-7, ACC-8, ADM-5) (zh-TW, en): the link that sets its
// first or a new password, and the hand-over of a school's main account. Assembled with every
// capability's templates in src/mail-templates.ts.
import type { MailTemplateTable } from '../platform/mail-render.ts';

/** AUTH-4, ACC-7: a set-password link's mail lists the account's details (seed 001's 註冊會員成功通知). */
interface SetPasswordLinkVars {
  name: string; username: string; email: string; department: string; title: string; phone: string;
  /** The school (校代碼 and name) of a school account; null for an agency, named by `organisation`. */
  school: { code: string; name: string } | null; organisation: string; link: string; hours: number; resendUrl: string;
}

export interface AccountMailTemplates {
  /** AUTH-4, ACC-7: the link that lets a new account choose its first password. */
  'account.setPasswordLink': SetPasswordLinkVars;
  /** ADM-5, AUTH-4 (issue 9 item 12): an administrator sent an activated account a link to set a new password. */
  'account.newPasswordLink': SetPasswordLinkVars;
  /** ACC-8: to both the old and the new holder of a school's main account. */
  'tenant.mainTransferred': { name: string; school: string; code: string; from: string; to: string; at: string; gained: boolean };
}

export const accountMailTemplates: MailTemplateTable<AccountMailTemplates> = {
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
};
