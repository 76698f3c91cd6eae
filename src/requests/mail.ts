// Mail to the requester at each decision of a request and when a scheduled one is carried out
// (REQ-4, REQ-6) (zh-TW, en). Registered in src/mail-templates.ts. The labels arrive
// already in the requester's language.
import type { Lang } from '../platform/web/messages.ts';

export interface RequestMailTemplates {
  'request.decided': { name: string; number: string; title: string; step: string; decision: string; decider: string; comment: string; at: string; outcome: string; url: string };
  'request.executed': { name: string; number: string; title: string; outcome: string; url: string };
}

type Render<K extends keyof RequestMailTemplates> = (v: RequestMailTemplates[K]) => { subject: string; text: string };

export const requestMailTemplates: { [K in keyof RequestMailTemplates]: Record<Lang, Render<K>> } = {
  'request.decided': {
    'zh-TW': (v) => ({
      subject: `Tessera 申請審核結果：${v.title}（${v.number}）`,
      text: `${v.name} 您好：

您的申請「${v.title}」（編號 ${v.number}）已完成一個審核步驟：

- 審核步驟：${v.step}
- 審核結果：${v.decision}
- 審核者：${v.decider}
- 審查說明：${v.comment || '（無）'}
- 審核時間：${v.at}（臺灣時間）

目前狀態：${v.outcome}

申請詳細資訊：
${v.url}
`,
    }),
    en: (v) => ({
      subject: `Tessera request decision: ${v.title} (${v.number})`,
      text: `Hello ${v.name},

A review step of your request "${v.title}" (number ${v.number}) has been decided:

- Step: ${v.step}
- Decision: ${v.decision}
- Decided by: ${v.decider}
- Comment: ${v.comment || '(none)'}
- Decided at: ${v.at} (Taiwan time)

Status now: ${v.outcome}

Request details:
${v.url}
`,
    }),
  },
  'request.executed': {
    'zh-TW': (v) => ({
      subject: `Tessera 申請已於生效日執行：${v.title}（${v.number}）`,
      text: `${v.name} 您好：

您的申請「${v.title}」（編號 ${v.number}）已到生效日：

${v.outcome}

申請詳細資訊：
${v.url}
`,
    }),
    en: (v) => ({
      subject: `Tessera request carried out on its effective date: ${v.title} (${v.number})`,
      text: `Hello ${v.name},

Your request "${v.title}" (number ${v.number}) reached its effective date:

${v.outcome}

Request details:
${v.url}
`,
    }),
  },
};
