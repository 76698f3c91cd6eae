// GOV-5 mail of citizen certificates (zh-TW and en): a registered certificate about to expire.
// Registered in src/mail-templates.ts.
import type { Lang } from '../../platform/web/messages.ts';

export interface CertMailTemplates {
  'reminder.certificateExpiry': { name: string; username: string; commonName: string; expiresOn: string; url: string };
}

type Render<K extends keyof CertMailTemplates> = (v: CertMailTemplates[K]) => { subject: string; text: string };

export const certMailTemplates: { [K in keyof CertMailTemplates]: Record<Lang, Render<K>> } = {
  'reminder.certificateExpiry': {
    'zh-TW': (v) => ({
      subject: `Tessera 自然人憑證將於 ${v.expiresOn} 到期`,
      text: `${v.name} 您好：

您的帳號 ${v.username} 註冊的自然人憑證（${v.commonName}）將於 ${v.expiresOn}（臺灣時間）到期，到期後無法以這張憑證登入。
請攜帶身分證至戶政事務所辦理憑證展期或換發新卡，取得新卡後登入並至「自然人憑證」頁面註冊新憑證：
${v.url}
`,
    }),
    en: (v) => ({
      subject: `Your citizen certificate for Tessera expires on ${v.expiresOn}`,
      text: `Hello ${v.name},

The citizen digital certificate (${v.commonName}) registered to your account ${v.username} expires on ${v.expiresOn} (Taiwan time); after that you cannot sign in with it.
Renew it or get a new card at a household registration office, then sign in and register the new certificate on the "Citizen certificate" page:
${v.url}
`,
    }),
  },
};
