// GOV-3, GOV-5 mails of account reviews: the reminder to the reviewers before the deadline, and the
// escalation of an overdue review to the parent jurisdiction's administrators (zh-TW, en).
// Registered in src/mail-templates.ts; sent only through the outbox, by the campaigns.generate job.
import type { Lang } from '../../platform/web/messages.ts';

export interface CampaignMailTemplates {
  'campaign.reminder': { name: string; review: string; scope: string; deadline: string; decided: number; total: number; url: string };
  'campaign.escalation': { name: string; review: string; scope: string; deadline: string; decided: number; total: number; url: string };
  'campaign.attestReminder': { name: string; review: string; deadline: string; url: string };
}

type Render<K extends keyof CampaignMailTemplates> = (v: CampaignMailTemplates[K]) => { subject: string; text: string };

export const campaignMailTemplates: { [K in keyof CampaignMailTemplates]: Record<Lang, Render<K>> } = {
  'campaign.reminder': {
    'zh-TW': (v) => ({
      subject: `Tessera 帳號清查即將到期：${v.review}（${v.deadline}）`,
      text: `${v.name} 您好：\n\n帳號清查「${v.review}」（範圍：${v.scope}）將於 ${v.deadline}（臺灣時間）到期，目前已審查 ${v.decided} / ${v.total} 筆。\n請於期限前完成審查並確認簽名：\n${v.url}\n`,
    }),
    en: (v) => ({
      subject: `Tessera account review due soon: ${v.review} (${v.deadline})`,
      text: `Hello ${v.name},\n\nThe account review "${v.review}" (scope: ${v.scope}) is due on ${v.deadline} (Taiwan time); ${v.decided} of ${v.total} accounts are reviewed.\nPlease finish the review and sign it off before then:\n${v.url}\n`,
    }),
  },
  'campaign.escalation': {
    'zh-TW': (v) => ({
      subject: `Tessera 帳號清查逾期未完成：${v.review}`,
      text: `${v.name} 您好：\n\n您所轄下層機關的帳號清查「${v.review}」（範圍：${v.scope}）已於 ${v.deadline}（臺灣時間）逾期，尚未確認簽名；目前已審查 ${v.decided} / ${v.total} 筆。\n請督促辦理：\n${v.url}\n`,
    }),
    en: (v) => ({
      subject: `Tessera account review overdue: ${v.review}`,
      text: `Hello ${v.name},\n\nThe account review "${v.review}" (scope: ${v.scope}) below your jurisdiction was due on ${v.deadline} (Taiwan time) and is not signed off; ${v.decided} of ${v.total} accounts are reviewed.\nPlease follow it up:\n${v.url}\n`,
    }),
  },
  'campaign.attestReminder': {
    'zh-TW': (v) => ({
      subject: `Tessera 帳號清查：請確認您的帳號（${v.deadline} 前）`,
      text: `${v.name} 您好：\n\n機關正在進行帳號清查「${v.review}」，請於 ${v.deadline}（臺灣時間）前登入確認您的帳號、單位與角色是否正確且仍有需要：\n${v.url}\n未回覆者依清查設定處理。\n`,
    }),
    en: (v) => ({
      subject: `Tessera account review: please confirm your account (by ${v.deadline})`,
      text: `Hello ${v.name},\n\nYour organisation is reviewing its accounts ("${v.review}"). Please sign in by ${v.deadline} (Taiwan time) and confirm that your account, unit and roles are correct and still needed:\n${v.url}\nAccounts without an answer are handled as the review defines.\n`,
    }),
  },
};
