// 公務員查詢 (ADM-4, seed 003 sections 九–十一): search by unit OID, name keyword or national ID;
// the result list has seed 003's columns (項次, 姓名, 單位, 開帳日期, 最近登入時間, 啟用一日密碼,
// 刪除). The rows sit in one form: the delete check-boxes submit to the confirmation step, and each
// row's one-day-password button posts to its own action (formaction), so no forms are nested.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { formatTime } from '../../platform/web/format.ts';
import type { AccountSummary } from '../account-directory.ts';
import { Done, Field } from './fields.tsx';

export interface SearchRow extends AccountSummary { canOneDay: boolean; canDelete: boolean }
export interface SearchView {
  query: { unit: string; q: string; nationalId: string };
  errors: { unit?: MessageKey; nationalId?: MessageKey };
  result?: { total: number; totalExact: boolean; page: number; pageSize: number; rows: SearchRow[] };
  done?: MessageKey; doneVars?: Record<string, string | number>; error?: MessageKey;
}

/** 開帳日期 as seed 003 prints it: the date alone, in Taipei. */
export const dateOnly = (iso: string | null, lang: PageContext['lang']) => (iso ? formatTime(new Date(iso), lang).slice(0, 10) : '—');

function Pager({ ctx, v }: { ctx: PageContext; v: SearchView }) {
  const r = v.result!;
  const pages = Math.max(1, Math.ceil(r.total / r.pageSize));
  // Beyond the counted thousand the page count is unknown: a full page has a next one.
  const hasNext = r.totalExact ? r.page < pages : r.rows.length === r.pageSize;
  if (r.page === 1 && !hasNext) return null;
  const link = (page: number) => '/admin/accounts?' + new URLSearchParams({ ...v.query, page: String(page) }).toString();
  const where = r.totalExact ? ctx.t('admin.page.of', { page: r.page, pages }) : ctx.t('admin.page.only', { page: r.page });
  return (
    <nav aria-label={where} class="pager">
      {r.page > 1 && <a href={link(r.page - 1)} rel="prev">{ctx.t('admin.page.prev')}</a>}
      {' '}<span>{where}</span>{' '}
      {hasNext && <a href={link(r.page + 1)} rel="next">{ctx.t('admin.page.next')}</a>}
    </nav>
  );
}

function Results({ ctx, v }: { ctx: PageContext; v: SearchView }) {
  const { t } = ctx;
  const r = v.result!;
  if (r.rows.length === 0) return <p>{t('admin.search.none')}</p>;
  const anyDelete = r.rows.some((x) => x.canDelete);
  return (
    <form method="post" action="/admin/accounts/delete">
      <CsrfField ctx={ctx} />
      {/* First in the form, so that Enter (implicit submission) asks to confirm a delete rather
          than enabling the first row's one-day password. */}
      {anyDelete && <button type="submit">{t('admin.delete.button')}</button>}
      <table>
        <caption>{r.totalExact ? t('admin.search.total', { n: r.total }) : t('admin.search.totalAtLeast', { n: r.total.toLocaleString('en') })}</caption>
        <thead><tr>
          <th scope="col">{t('admin.col.no')}</th><th scope="col">{t('admin.col.name')}</th><th scope="col">{t('admin.col.unit')}</th>
          <th scope="col">{t('admin.col.state')}</th><th scope="col">{t('admin.col.activated')}</th><th scope="col">{t('admin.col.lastLogin')}</th>
          <th scope="col">{t('admin.col.oneDay')}</th><th scope="col">{t('admin.col.delete')}</th>
        </tr></thead>
        <tbody>
          {r.rows.map((row, i) => (
            <tr data-account={row.username}>
              <td>{(r.page - 1) * r.pageSize + i + 1}</td>
              <th scope="row"><a href={`/admin/accounts/${row.id}`}>{row.name}</a></th>
              <td class="oid">{row.unitOid}</td>
              <td>{t(`state.${row.state}` as MessageKey)}</td>
              <td>{dateOnly(row.activatedAt, ctx.lang)}</td>
              <td>{row.lastLoginAt ? formatTime(new Date(row.lastLoginAt), ctx.lang) : '—'}</td>
              <td>{row.canOneDay && (
                <button type="submit" formaction={`/admin/accounts/${row.id}/one-day-password`} aria-label={t('admin.oneDay.label', { name: row.name })}>
                  {t('admin.oneDay.button')}
                </button>
              )}</td>
              <td>{row.canDelete && <input type="checkbox" name="ids" value={String(row.id)} aria-label={t('admin.delete.select', { name: row.name })} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {anyDelete && <button type="submit">{t('admin.delete.button')}</button>}
    </form>
  );
}

export function SearchPage({ ctx, v }: { ctx: PageContext; v: SearchView }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.accounts.search')}>
      <Done ctx={ctx} k={v.done} vars={v.doneVars} />
      {v.error && <Notice kind="error">{t(v.error)}</Notice>}
      <form method="get" action="/admin/accounts" class="stack" novalidate>
        <Field ctx={ctx} name="unit" label={t('admin.search.unit')} value={v.query.unit} hint={t('admin.search.unitHint')}
          error={v.errors.unit && t(v.errors.unit)} inputMode="decimal" />
        <Field ctx={ctx} name="q" label={t('admin.search.q')} value={v.query.q} maxLength={50} />
        <Field ctx={ctx} name="nationalId" label={t('admin.search.nationalId')} value={v.query.nationalId} maxLength={20}
          error={v.errors.nationalId && t(v.errors.nationalId)} />
        <button type="submit">{t('admin.search.submit')}</button>
      </form>
      {Object.keys(v.errors).length > 0 && <Notice kind="error">{t('error.badRequest')}</Notice>}
      {v.result && (
        <section aria-labelledby="results-h">
          <h2 id="results-h">{t('admin.search.results')}</h2>
          <Results ctx={ctx} v={v} />
          <Pager ctx={ctx} v={v} />
        </section>
      )}
      <p><a href="/admin/accounts/new">{t('admin.accounts.new')}</a> · <a href="/admin">{t('admin.title')}</a></p>
    </Layout>
  );
}
