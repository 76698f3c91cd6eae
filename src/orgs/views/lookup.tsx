// OID look-up (ORG-2): one search field, a results table; works without JavaScript (GET form).
import { Layout, type PageContext } from '../../platform/web/layout.tsx';
import type { OrgSummary } from '../service.ts';
import { kindLabel } from './shared.tsx';

export function LookupPage({ ctx, q, items }: { ctx: PageContext; q: string; items: OrgSummary[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('orgs.lookup.title')}>
      <form method="get" action="/orgs/lookup" class="stack" role="search">
        <div>
          <label for="lookup-q">{t('orgs.lookup.query')}</label>
          <input id="lookup-q" name="q" type="search" maxLength={200} value={q} aria-describedby="lookup-hint" />
          <p id="lookup-hint" class="hint">{t('orgs.lookup.hint')}</p>
        </div>
        <button type="submit">{t('orgs.lookup.submit')}</button>
      </form>
      {q && items.length === 0 && <p role="status">{t('orgs.lookup.none')}</p>}
      {items.length > 0 && (
        <table>
          <caption>{t('orgs.lookup.results', { n: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('orgs.oid')}</th><th scope="col">{t('orgs.name')}</th>
              <th scope="col">{t('orgs.agencyCode')}</th><th scope="col">{t('orgs.tenantCode')}</th>
              <th scope="col">{t('orgs.kind')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((o) => (
              <tr>
                <td class="oid"><a href={`/orgs/${o.oid}`}>{o.oid}</a></td>
                <td>{o.name}</td>
                <td class="oid">{o.agencyCode ?? ''}</td>
                <td class="oid">{o.tenantCode ?? ''}</td>
                <td>{kindLabel(ctx, o.kind)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
