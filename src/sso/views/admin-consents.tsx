// 同意授權狀況 (SSO-3, seed 001): who holding a role in the system has consented and who has not,
// inside the caller's jurisdiction, filtered by status, 50 a page.
import { Layout, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { formatTime } from '../../platform/web/format.ts';
import type { ConsentReport } from '../admin-consents.ts';
import { CONSENT_STATUSES } from '../admin-consents.ts';
import { systemName } from './admin-systems.tsx';

function Pager({ ctx, r }: { ctx: PageContext; r: ConsentReport }) {
  const pages = Math.max(1, Math.ceil(r.total / r.pageSize));
  if (pages <= 1) return null;
  const { t } = ctx;
  const link = (page: number) => `/admin/sso/${encodeURIComponent(r.system.code)}/consents?` + new URLSearchParams({ status: r.status, page: String(page) }).toString();
  return (
    <nav aria-label={t('sso.admin.page.of', { page: r.page, pages })} class="pager">
      {r.page > 1 && <a href={link(r.page - 1)} rel="prev">{t('sso.admin.page.prev')}</a>}
      {' '}<span>{t('sso.admin.page.of', { page: r.page, pages })}</span>{' '}
      {r.page < pages && <a href={link(r.page + 1)} rel="next">{t('sso.admin.page.next')}</a>}
    </nav>
  );
}

export function ConsentReportPage({ ctx, r }: { ctx: PageContext; r: ConsentReport }) {
  const { t } = ctx;
  const name = systemName(ctx, r.system);
  const code = encodeURIComponent(r.system.code);
  return (
    <Layout ctx={ctx} title={t('sso.admin.consentsOne', { name })}>
      <p>{t('sso.admin.consents.intro')}</p>
      <p data-testid="consent-summary">{t('sso.admin.consents.summary', { holders: r.holders, consented: r.consented, pending: r.holders - r.consented })}</p>
      <form method="get" action={`/admin/sso/${code}/consents`}>
        <label for="status">{t('sso.admin.consents.filter')}</label>
        <select id="status" name="status">
          {CONSENT_STATUSES.map((s) => <option value={s} selected={r.status === s}>{t(`sso.admin.consents.status.${s}` as MessageKey)}</option>)}
        </select>{' '}
        <button type="submit">{t('sso.admin.consents.apply')}</button>
      </form>
      {r.rows.length === 0 ? <p>{t('sso.admin.consents.none')}</p> : (
        <table>
          <caption>{t('sso.admin.consents.total', { n: r.total })}</caption>
          <thead><tr>
            <th scope="col">{t('sso.admin.consents.col.name')}</th><th scope="col">{t('sso.admin.consents.col.username')}</th>
            <th scope="col">{t('sso.admin.consents.col.unit')}</th><th scope="col">{t('sso.admin.consents.col.status')}</th>
            <th scope="col">{t('sso.admin.consents.col.at')}</th>
          </tr></thead>
          <tbody>
            {r.rows.map((row) => (
              <tr data-account={row.username} data-consented={row.consentedAt ? 'yes' : 'no'}>
                <th scope="row">{row.name}</th>
                <td>{row.username}</td>
                <td class="oid">{row.unitOid}</td>
                <td>{t(row.consentedAt ? 'sso.admin.consents.status.consented' : 'sso.admin.consents.status.pending')}</td>
                <td>{row.consentedAt ? formatTime(row.consentedAt, ctx.lang) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager ctx={ctx} r={r} />
      <p><a href={`/admin/sso/${code}`}>{t('sso.admin.backToClient')}</a> <a href="/admin/sso">{t('sso.admin.back')}</a></p>
    </Layout>
  );
}
