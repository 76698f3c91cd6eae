// Inactivity notices (GOV-2): to the account holder, and one list per administrator per sweep,
// N days before the account becomes inactive (zh-TW, en). Registered in src/mail-templates.ts.
import type { Lang } from '../../platform/web/messages.ts';

export interface InactivityMailTemplates {
  'inactivity.notice': { name: string; username: string; lastUse: string; inactiveOn: string; disables: boolean; url: string };
  'inactivity.adminNotice': { name: string; count: number; list: string; url: string };
}

type Render<K extends keyof InactivityMailTemplates> = (v: InactivityMailTemplates[K]) => { subject: string; text: string };

export const inactivityMailTemplates: { [K in keyof InactivityMailTemplates]: Record<Lang, Render<K>> } = {
  'inactivity.notice': {
    'zh-TW': (v) => ({
      subject: `Tessera 帳號即將成為閒置帳號（${v.inactiveOn}）`,
      text: `${v.name} 您好：

您的帳號 ${v.username} 最近一次使用：${v.lastUse}。
若在 ${v.inactiveOn}（臺灣時間）前仍未登入，將成為閒置帳號${v.disables ? '，並依機關政策自動停用；停用後須請管理者重新啟用' : '，並列入管理者的閒置帳號清單'}。

如仍需使用此帳號，請在該日前登入：
${v.url}
`,
    }),
    en: (v) => ({
      subject: `Your Tessera account will become inactive (${v.inactiveOn})`,
      text: `Hello ${v.name},

Your account ${v.username} was last used: ${v.lastUse}.
Unless you sign in before ${v.inactiveOn} (Taiwan time), it becomes inactive${v.disables ? ' and, by your organisation\'s policy, is disabled; an administrator then has to enable it again' : ' and is listed to your administrators as inactive'}.

If you still need this account, sign in before that day:
${v.url}
`,
    }),
  },
  'inactivity.adminNotice': {
    'zh-TW': (v) => ({
      subject: `Tessera 閒置帳號預告：${v.count} 個帳號`,
      text: `${v.name} 您好：

您管理範圍內下列帳號即將成為閒置帳號（帳號、姓名、單位、閒置日期）：

${v.list}

閒置帳號清單：
${v.url}
`,
    }),
    en: (v) => ({
      subject: `Tessera inactivity notice: ${v.count} accounts`,
      text: `Hello ${v.name},

These accounts in your jurisdiction will soon become inactive (username, name, unit, date):

${v.list}

Inactive accounts:
${v.url}
`,
    }),
  },
};
