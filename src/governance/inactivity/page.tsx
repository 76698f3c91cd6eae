// 閒置帳號 (GOV-2): the inactive and never-used accounts of the administrator's jurisdiction, with
// a filter form (GET, works without JavaScript), a paged table and the CSV export of the same filter.
import { Layout, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { formatTime } from '../../platform/web/format.ts';
import { taipeiDate } from '../../requests/format.ts';
import { Field, FieldShell } from '../../admin/views/fields.tsx';
import type { InactiveItem } from './service.ts';

export interface InactivityView {
  query: { unit: string; used: string };
  unitError?: MessageKey;
  result?: { total: number; page: number; pageSize: number; items: InactiveItem[] };
}

const qs = (q: InactivityView['query'], extra: Record<string, string> = {}) =>
  new URLSearchParams(Object.entries({ ...q, ...extra }).filter(([, v]) => v !== '')).toString();

function Pager({ ctx, v }: { ctx: PageContext; v: InactivityView }) {
  const r = v.result!;
  const pages = Math.max(1, Math.ceil(r.total / r.pageSize));
  if (pages === 1) return null;
  const where = ctx.t('inactivity.page.of', { page: r.page, pages });
  return (
    <nav aria-label={where} class="pager">
      {r.page > 1 && <a href={`/admin/inactivity?${qs(v.query, { page: String(r.page - 1) })}`} rel="prev">{ctx.t('inactivity.page.prev')}</a>}
      {' '}<span>{where}</span>{' '}
      {r.page < pages && <a href={`/admin/inactivity?${qs(v.query, { page: String(r.page + 1) })}`} rel="next">{ctx.t('inactivity.page.next')}</a>}
    </nav>
  );
}

function Results({ ctx, v }: { ctx: PageContext; v: InactivityView }) {
  const { t } = ctx;
  const r = v.result!;
  if (r.items.length === 0) return <p>{t('inactivity.none')}</p>;
  return (
    <>
      <table>
        <caption>{t('inactivity.total', { n: r.total })}</caption>
        <thead><tr>
          <th scope="col">{t('inactivity.col.username')}</th><th scope="col">{t('inactivity.col.name')}</th>
          <th scope="col">{t('inactivity.col.unit')}</th><th scope="col">{t('inactivity.col.state')}</th>
          <th scope="col">{t('inactivity.col.lastSignIn')}</th><th scope="col">{t('inactivity.col.since')}</th>
          <th scope="col">{t('inactivity.col.autoDisable')}</th>
        </tr></thead>
        <tbody>
          {r.items.map((i) => (
            <tr data-account={i.username}>
              <td>{i.username}</td>
              <th scope="row"><a href={`/admin/accounts/${i.id}`}>{i.name}</a></th>
              <td>{i.unitName ?? ''} <span class="oid">{i.unitOid}</span></td>
              <td>{t(`state.${i.state}` as MessageKey)}</td>
              <td>{i.lastSignInAt ? formatTime(i.lastSignInAt, ctx.lang) : t('inactivity.neverUsed')}</td>
              <td>{taipeiDate(i.inactiveSince)}</td>
              <td>{i.autoDisable ? t('inactivity.yes') : t('inactivity.no')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager ctx={ctx} v={v} />
    </>
  );
}

export function InactivityPage({ ctx, v }: { ctx: PageContext; v: InactivityView }) {
  const { t } = ctx;
  const uses = ['', 'never', 'used'] as const;
  return (
    <Layout ctx={ctx} title={t('inactivity.title')}>
      <p>{t('inactivity.intro')}</p>
      <form method="get" action="/admin/inactivity" class="stack" novalidate>
        <Field ctx={ctx} name="unit" label={t('inactivity.unit')} value={v.query.unit} error={v.unitError && t(v.unitError)} inputMode="decimal" />
        <FieldShell ctx={ctx} name="used" label={t('inactivity.used')}>
          <select id="used" name="used">
            {uses.map((u) => <option value={u} selected={v.query.used === u}>{t(u ? `inactivity.used.${u}` : 'inactivity.used.all')}</option>)}
          </select>
        </FieldShell>
        <div><button type="submit">{t('inactivity.filter')}</button></div>
      </form>
      {v.result && (
        // The same filter, exported: a form, so the filter travels as its fields.
        <form method="get" action="/admin/inactivity/export.csv">
          {v.query.unit && <input type="hidden" name="unit" value={v.query.unit} />}
          {v.query.used && <input type="hidden" name="used" value={v.query.used} />}
          <button type="submit">{t('inactivity.export')}</button>
        </form>
      )}
      {v.result && <Results ctx={ctx} v={v} />}
    </Layout>
  );
}
