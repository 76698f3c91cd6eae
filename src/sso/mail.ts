// Mail to a system's other administrators when its client's redirect URIs change or its secret is
// replaced (SSO-2, issue 9 item 1) (zh-TW, en): a change they did not make is how a take-over
// shows. Registered in src/mail-templates.ts.
import type { Lang } from '../platform/web/messages.ts';

export interface SsoMailTemplates {
  'sso.clientChanged': {
    name: string; system: string; change: 'redirectUris' | 'secret'; added: string[]; removed: string[];
    actor: string; at: string; url: string;
  };
}

type V = SsoMailTemplates['sso.clientChanged'];
const list = (uris: string[], none: string) => (uris.length ? uris.map((u) => `  ${u}`).join('\n') : `  ${none}`);

export const ssoMailTemplates: { [K in keyof SsoMailTemplates]: Record<Lang, (v: SsoMailTemplates[K]) => { subject: string; text: string }> } = {
  'sso.clientChanged': {
    'zh-TW': (v: V) => ({
      subject: `Tessera 單一簽入用戶端變更通知：${v.system}`,
      text: `${v.name} 您好：

您是「${v.system}」的管理者。此系統的單一簽入用戶端剛有以下變更：

${v.change === 'secret' ? '已產生新的用戶端密鑰，舊密鑰已立即失效；使用舊密鑰的系統將無法再完成登入。' : `登入後導回網址 (redirect URI) 已變更。
新增：
${list(v.added, '（無）')}
移除：
${list(v.removed, '（無）')}`}

- 變更者：${v.actor}
- 時間：${v.at}（臺灣時間）

如果這不是預期中的變更，請立即檢查用戶端設定，並聯絡中央主管機關：
${v.url}
`,
    }),
    en: (v: V) => ({
      subject: `Tessera single sign-on client changed: ${v.system}`,
      text: `Hello ${v.name},

You are an administrator of "${v.system}". Its single sign-on client has just changed:

${v.change === 'secret' ? 'A new client secret was generated and the old one stopped working at once; a system still using the old secret can no longer complete sign-ins.' : `Its redirect URIs changed.
Added:
${list(v.added, '(none)')}
Removed:
${list(v.removed, '(none)')}`}

- Changed by: ${v.actor}
- At: ${v.at} (Taiwan time)

If you did not expect this change, check the client's settings at once and contact the central authority:
${v.url}
`,
    }),
  },
};
