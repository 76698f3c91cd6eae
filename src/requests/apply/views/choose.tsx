// Step 1 (seed 000 step 2): the agency by OID look-up — name, agency code or OID — as a GET form.
import { Layout, Notice, type PageContext } from '../../../platform/web/layout.tsx';
import type { OrgSummary } from '../../../orgs/service.ts';
import { ApplySteps } from './shared.tsx';

export function ChooseAgencyPage({ ctx, q, items, info, error }: { ctx: PageContext; q: string; items: OrgSummary[]; info?: string; error?: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('apply.title')}>
      <ApplySteps ctx={ctx} current={1} />
      {error && <Notice kind="error">{error}</Notice>}
      {info && <Notice kind="info">{info}</Notice>}
      <p>{t('apply.intro')}</p>
      <form method="get" action="/apply" class="stack" role="search">
        <div>
          <label for="q">{t('apply.lookup.query')}</label>
          <input id="q" name="q" type="search" maxLength={200} value={q} aria-describedby="q-hint" />
          <p id="q-hint" class="hint">{t('apply.lookup.hint')}</p>
        </div>
        <button type="submit">{t('apply.lookup.submit')}</button>
      </form>
      {q && items.length === 0 && <p role="status">{t('apply.lookup.none')}</p>}
      {items.length > 0 && (
        <table>
          <caption>{t('apply.lookup.results', { n: items.length })}</caption>
          <thead><tr><th scope="col">{t('apply.agencyOid')}</th><th scope="col">{t('apply.agencyName')}</th></tr></thead>
          <tbody>
            {items.map((o) => (
              <tr>
                <td class="oid">{o.oid}</td>
                <td><a href={`/apply/identity?oid=${encodeURIComponent(o.oid)}`}>{t('apply.lookup.choose', { name: o.name })}</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
