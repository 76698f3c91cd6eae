// SSO-6: a system's SCIM tokens (SCIM 權杖): the list inside the administrator's reach, the form
// to issue one over a subtree, the new token shown once, and revoking; then the SCIM push section.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import { formatTime } from '../../platform/web/format.ts';
import { Field } from '../../admin/views/fields.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { PushSection, type PushSectionView } from './push.tsx';

export interface TokenRow { id: number; jurisdictionOid: string; label: string | null; issuerName: string; createdAt: Date; expiresAt: Date; revokedAt: Date | null; lastUsedAt: Date | null }
export interface ScimTokensView {
  system: { code: string; name: string; category: string };
  tokens: TokenRow[];
  issued?: { token: string; expiresAt: Date; scimBaseUrl: string };
  typed?: { jurisdictionOid: string; label: string; days: string };
  error?: MessageKey;
  revoked?: boolean;
  push?: PushSectionView;
}

export function ScimTokensPage({ ctx, v }: { ctx: PageContext; v: ScimTokensView }) {
  const { t } = ctx;
  const base = `/admin/systems/${encodeURIComponent(v.system.code)}/scim-tokens`;
  const time = (d: Date | null) => (d ? formatTime(d, ctx.lang) : t('scim.page.never'));
  return (
    <Layout ctx={ctx} title={t('scim.page.title', { system: v.system.name })}>
      {v.revoked && <Notice kind="info">{t('scim.page.revokedNotice')}</Notice>}
      {v.issued && (
        <Notice kind="warning">
          <p>{t('scim.page.issued')}</p>
          <p><label for="new-token">{t('scim.page.token')}</label> <input id="new-token" readonly value={v.issued.token} size={50} /></p>
          <p>{t('scim.page.baseUrl')}：<code>{v.issued.scimBaseUrl}</code>；{t('scim.page.expires')}：{time(v.issued.expiresAt)}</p>
        </Notice>
      )}
      <p>{t('scim.page.intro', { category: v.system.category })}</p>
      <table>
        <caption>{t('scim.page.list')}</caption>
        <thead><tr>
          <th scope="col">{t('scim.page.label')}</th><th scope="col">{t('scim.page.jurisdiction')}</th><th scope="col">{t('scim.page.issuer')}</th>
          <th scope="col">{t('scim.page.created')}</th><th scope="col">{t('scim.page.expires')}</th><th scope="col">{t('scim.page.lastUsed')}</th><th scope="col">{t('scim.page.status')}</th>
        </tr></thead>
        <tbody>
          {v.tokens.length === 0 && <tr><td colSpan={7}>{t('scim.page.none')}</td></tr>}
          {v.tokens.map((k) => (
            <tr data-token={String(k.id)}>
              <th scope="row">{k.label ?? t('scim.page.noLabel')}</th>
              <td><span class="oid">{k.jurisdictionOid}</span></td>
              <td>{k.issuerName}</td>
              <td>{time(k.createdAt)}</td>
              <td>{time(k.expiresAt)}</td>
              <td>{time(k.lastUsedAt)}</td>
              <td>{k.revokedAt ? t('scim.page.revokedAt', { at: time(k.revokedAt) }) : (
                <form method="post" action={`${base}/${k.id}/revoke`}>
                  <CsrfField ctx={ctx} />
                  <button type="submit" aria-label={`${t('scim.page.revoke')}：${k.label ?? k.jurisdictionOid}`}>{t('scim.page.revoke')}</button>
                </form>
              )}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('scim.page.issue')}</h2>
      <form method="post" action={base}>
        <CsrfField ctx={ctx} />
        <Field ctx={ctx} name="jurisdictionOid" label={t('scim.page.jurisdiction')} value={v.typed?.jurisdictionOid} required inputMode="decimal"
          hint={t('scim.page.jurisdictionHint')} error={v.error && t(v.error)} />
        <Field ctx={ctx} name="label" label={t('scim.page.label')} value={v.typed?.label} maxLength={100} />
        <Field ctx={ctx} name="days" label={t('scim.page.days')} value={v.typed?.days ?? '180'} inputMode="numeric" maxLength={3} />
        <button type="submit">{t('scim.page.issueButton')}</button>
      </form>
      {v.push && <PushSection ctx={ctx} v={v.push} />}
      <p><a href="/admin/systems">{t('admin.systems')}</a></p>
    </Layout>
  );
}
