// INC-1, INC-3, INC-4, INC-6: the incident mails (zh-TW, en), registered in src/mail-templates.ts,
// and the SMS texts, short and without personal data beyond the agency's name.
import type { Lang } from '../platform/web/messages.ts';

export interface IncidentMailTemplates {
  'incidents.confirmContacts': { name: string; agency: string; lastConfirmed: string; url: string };
  'incidents.major': { agency: string; level: number; title: string; awareAt: string; url: string };
  'incidents.forward': { agency: string; level: number; title: string; reviewedAt: string; url: string };
  'incidents.escalation': { agency: string; level: string; title: string; clock: string; dueAt: string; url: string };
  'incidents.reported': { agency: string; level: number; title: string; dueAt: string; url: string };
  'incidents.ciNotice': { agency: string; level: number; title: string; group: string; awareAt: string; url: string };
}

type Render<K extends keyof IncidentMailTemplates> = (v: IncidentMailTemplates[K]) => { subject: string; text: string };

export const incidentMailTemplates: { [K in keyof IncidentMailTemplates]: Record<Lang, Render<K>> } = {
  'incidents.confirmContacts': {
    'zh-TW': (v) => ({ subject: `請確認${v.agency}的資安聯絡人員`, text: `${v.name} 您好：\n\n請確認${v.agency}的資訊主管與資安聯絡人員資料是否正確${v.lastConfirmed ? `（上次確認：${v.lastConfirmed}）` : '（尚未確認過）'}。\n\n${v.url}\n` }),
    en: (v) => ({ subject: `Please confirm the security contacts of ${v.agency}`, text: `Hello ${v.name},\n\nPlease confirm that the IT chief and security contacts of ${v.agency} are up to date${v.lastConfirmed ? ` (last confirmed ${v.lastConfirmed})` : ' (never confirmed)'}.\n\n${v.url}\n` }),
  },
  'incidents.major': {
    'zh-TW': (v) => ({ subject: `【${v.level}級資安事件】${v.agency}：${v.title}`, text: `${v.agency}發生${v.level}級資安事件：${v.title}\n知悉時間：${v.awareAt}\n\n請立即處理：\n${v.url}\n` }),
    en: (v) => ({ subject: `[Level ${v.level} security incident] ${v.agency}: ${v.title}`, text: `${v.agency} has a level ${v.level} security incident: ${v.title}\nAware at: ${v.awareAt}\n\nAct now:\n${v.url}\n` }),
  },
  'incidents.forward': {
    'zh-TW': (v) => ({ subject: `【轉報】${v.agency} ${v.level}級資安事件審核結果`, text: `${v.agency}的${v.level}級資安事件「${v.title}」已於 ${v.reviewedAt} 完成審核，依規定轉報。\n\n${v.url}\n` }),
    en: (v) => ({ subject: `[Forwarded] Review of a level ${v.level} incident at ${v.agency}`, text: `The level ${v.level} incident "${v.title}" of ${v.agency} was reviewed at ${v.reviewedAt}; forwarded as required.\n\n${v.url}\n` }),
  },
  'incidents.escalation': {
    'zh-TW': (v) => ({ subject: `【逾時】${v.agency}資安事件：${v.clock}`, text: `${v.agency}的資安事件「${v.title}」（${v.level}）已逾「${v.clock}」期限（${v.dueAt}）。\n\n請處理：\n${v.url}\n` }),
    en: (v) => ({ subject: `[Overdue] ${v.agency} incident: ${v.clock}`, text: `The incident "${v.title}" of ${v.agency} (${v.level}) is past its "${v.clock}" deadline (${v.dueAt}).\n\nPlease act:\n${v.url}\n` }),
  },
  'incidents.reported': {
    'zh-TW': (v) => ({ subject: `資安事件通報待審核：${v.agency}（${v.level}級）`, text: `${v.agency}通報了${v.level}級資安事件「${v.title}」，請於 ${v.dueAt} 前完成審核。\n\n${v.url}\n` }),
    en: (v) => ({ subject: `Incident report to review: ${v.agency} (level ${v.level})`, text: `${v.agency} reported a level ${v.level} incident "${v.title}"; review it by ${v.dueAt}.\n\n${v.url}\n` }),
  },
  'incidents.ciNotice': {
    'zh-TW': (v) => ({ subject: `【關鍵基礎設施橫向通報】${v.group}：${v.agency} ${v.level}級資安事件`, text: `${v.agency}通報的${v.level}級資安事件「${v.title}」（知悉時間 ${v.awareAt}）可能影響${v.group}領域之關鍵基礎設施，特此橫向通報，請注意防範。\n\n${v.url}\n` }),
    en: (v) => ({ subject: `[Critical-infrastructure notice] ${v.group}: level ${v.level} incident at ${v.agency}`, text: `The level ${v.level} incident "${v.title}" reported by ${v.agency} (aware at ${v.awareAt}) may affect critical infrastructure of the ${v.group} sector; for your awareness and protection.\n\n${v.url}\n` }),
  },
};
