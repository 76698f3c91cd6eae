// Mail to the holder when an administration grant is given or revoked (ADM-1, ADM-7) (zh-TW, en).
// Assembled with every capability's templates in src/mail-templates.ts.
import type { MailTemplateTable } from '../platform/mail-render.ts';

export interface AdminMailTemplates {
  /** ADM-1, ADM-7: to the holder when an administration grant is given or revoked (kind, org and categories already localised). */
  'admin.grantChanged': { name: string; username: string; kind: string; org: string; categories: string; at: string; given: boolean; url: string };
}

export const adminMailTemplates: MailTemplateTable<AdminMailTemplates> = {
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
};
