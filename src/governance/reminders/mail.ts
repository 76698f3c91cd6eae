// Reminder mail (GOV-5), zh-TW and en: a password about to expire, a request that reached the
// approver's step, and the daily digest of requests waiting. Registered in src/mail-templates.ts.
import type { Lang } from '../../platform/web/messages.ts';

export interface ReminderMailTemplates {
  'reminder.passwordExpiry': { name: string; username: string; expiresOn: string; url: string };
  'reminder.stepReached': { name: string; number: string; title: string; step: string; submittedAt: string; url: string };
  'reminder.digest': { name: string; waiting: number; oldest: string; url: string };
}

type Render<K extends keyof ReminderMailTemplates> = (v: ReminderMailTemplates[K]) => { subject: string; text: string };

export const reminderMailTemplates: { [K in keyof ReminderMailTemplates]: Record<Lang, Render<K>> } = {
  'reminder.passwordExpiry': {
    'zh-TW': (v) => ({
      subject: `Tessera 密碼將於 ${v.expiresOn} 到期`,
      text: `${v.name} 您好：

您的帳號 ${v.username} 的密碼將於 ${v.expiresOn}（臺灣時間）到期。到期後登入時須先變更密碼。
建議您現在就變更密碼：
${v.url}
`,
    }),
    en: (v) => ({
      subject: `Your Tessera password expires on ${v.expiresOn}`,
      text: `Hello ${v.name},

The password of your account ${v.username} expires on ${v.expiresOn} (Taiwan time). After that you will have to change it when you sign in.
You can change it now:
${v.url}
`,
    }),
  },
  'reminder.stepReached': {
    'zh-TW': (v) => ({
      subject: `Tessera 待審核：${v.title} ${v.number}`,
      text: `${v.name} 您好：

申請 ${v.number}（${v.title}，${v.submittedAt} 送出）已送達「${v.step}」關卡，等待您或同關卡的其他審核者審核。

審核頁面：
${v.url}
`,
    }),
    en: (v) => ({
      subject: `Tessera: ${v.title} ${v.number} awaits your decision`,
      text: `Hello ${v.name},

Request ${v.number} (${v.title}, submitted ${v.submittedAt}) has reached the step "${v.step}" and awaits a decision by you or another approver of that step.

Review it here:
${v.url}
`,
    }),
  },
  'reminder.digest': {
    'zh-TW': (v) => ({
      subject: `Tessera 待審核彙整：${v.waiting} 件`,
      text: `${v.name} 您好：

目前有 ${v.waiting} 件申請等待您審核，最早一件於 ${v.oldest} 送出。

待審核列表：
${v.url}
`,
    }),
    en: (v) => ({
      subject: `Tessera: ${v.waiting} requests await your decision`,
      text: `Hello ${v.name},

${v.waiting} requests await your decision; the oldest was submitted on ${v.oldest}.

Your review queue:
${v.url}
`,
    }),
  },
};
