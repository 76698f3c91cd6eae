// 管理授權 (ADM-1, ADM-2, ADM-7): the grants inside the administrator's jurisdiction, filtered by
// kind and jurisdiction, with names (holder, kind, organisation, categories) rather than codes, and
// a revoke link where the administrator could have given the grant.
import { Layout, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import type { GrantRow } from '../grant-directory.ts';
import { categoriesText } from '../grant-directory.ts';
import type { GrantKind } from '../../access/authorize.ts';
import { Done, Field, FieldShell } from './fields.tsx';
import { dateOnly } from './account-search.tsx';

export interface GrantsView {
  query: { kind: string; jurisdiction: string };
  kinds: GrantKind[];
  error?: MessageKey;
  result?: { total: number; page: number; pageSize: number; rows: GrantRow[] };
  labels: Map<string, string>;
  canGive: boolean;
  done?: MessageKey; doneVars?: Record<string, string>;
}

/** The grants as a table: shared by the list page and the account page's section. */
export function GrantTable({ ctx, rows, labels, caption, testId }: { ctx: PageContext; rows: GrantRow[]; labels: Map<string, string>; caption: string; testId: string }) {
  const { t } = ctx;
  return (
    <table data-testid={testId}>
      <caption>{caption}</caption>
      <thead><tr>
        <th scope="col">{t('grant.col.holder')}</th><th scope="col">{t('grant.col.username')}</th><th scope="col">{t('grant.col.kind')}</th>
        <th scope="col">{t('grant.col.jurisdiction')}</th><th scope="col">{t('grant.col.categories')}</th>
        <th scope="col">{t('grant.col.since')}</th><th scope="col">{t('grant.col.action')}</th>
      </tr></thead>
      <tbody>
        {rows.map((g) => {
          const kind = t(`admin.kind.${g.kind}`);
          return (
            <tr data-grant={String(g.id)}>
              <th scope="row">{g.canViewHolder ? <a href={`/admin/accounts/${g.accountId}`}>{g.name}</a> : g.name}</th>
              <td>{g.username}</td>
              <td>{kind}</td>
              <td>{g.orgName ?? ''} <span class="oid">{g.jurisdictionOid}</span></td>
              <td>{categoriesText(labels, g.categories, t('grant.noCategories'), ctx.lang)}</td>
              <td>{dateOnly(g.createdAt.toISOString(), ctx.lang)}</td>
              <td>{g.canRevoke && <a href={`/admin/grants/${g.id}/revoke`} aria-label={t('grant.revokeOf', { name: g.name, kind })}>{t('grant.revoke')}</a>}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Pager({ ctx, v }: { ctx: PageContext; v: GrantsView }) {
  const r = v.result!;
  const pages = Math.max(1, Math.ceil(r.total / r.pageSize));
  if (pages === 1) return null;
  const link = (page: number) => '/admin/grants?' + new URLSearchParams({ ...v.query, page: String(page) }).toString();
  const where = ctx.t('admin.page.of', { page: r.page, pages });
  return (
    <nav aria-label={where} class="pager">
      {r.page > 1 && <a href={link(r.page - 1)} rel="prev">{ctx.t('admin.page.prev')}</a>}
      {' '}<span>{where}</span>{' '}
      {r.page < pages && <a href={link(r.page + 1)} rel="next">{ctx.t('admin.page.next')}</a>}
    </nav>
  );
}

export function GrantsPage({ ctx, v }: { ctx: PageContext; v: GrantsView }) {
  const { t } = ctx;
  const error = v.error ? t(v.error) : undefined;
  return (
    <Layout ctx={ctx} title={t('grant.title')}>
      <Done ctx={ctx} k={v.done} vars={v.doneVars} />
      <p>{t('grant.intro')}</p>
      {v.canGive && <p><a href="/admin/grants/new">{t('grant.new')}</a></p>}
      <form method="get" action="/admin/grants" class="stack" aria-labelledby="grant-filter-h">
        <h2 id="grant-filter-h">{t('grant.filter')}</h2>
        <FieldShell ctx={ctx} name="kind" label={t('grant.filter.kind')}>
          <select id="kind" name="kind">
            <option value="">{t('grant.filter.anyKind')}</option>
            {v.kinds.map((k) => <option value={k} selected={k === v.query.kind}>{t(`admin.kind.${k}`)}</option>)}
          </select>
        </FieldShell>
        <Field ctx={ctx} name="jurisdiction" label={t('grant.filter.jurisdiction')} value={v.query.jurisdiction} error={error} />
        <button type="submit">{t('grant.filter.submit')}</button>
      </form>
      {v.result && (v.result.rows.length === 0 ? <p>{t('grant.none')}</p> : (
        <>
          <GrantTable ctx={ctx} rows={v.result.rows} labels={v.labels} caption={t('grant.total', { n: v.result.total })} testId="grants" />
          <Pager ctx={ctx} v={v} />
        </>
      ))}
      <p><a href="/admin">{t('admin.title')}</a></p>
    </Layout>
  );
}

export interface AccountGrants { rows: GrantRow[]; labels: Map<string, string>; canGive: boolean }

/** The account page's 管理授權 section: the account's grants inside the administrator's scope, and a link to give one. */
export function AccountGrantsSection({ ctx, accountId, g }: { ctx: PageContext; accountId: number; g: AccountGrants }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="grants-h">
      <h2 id="grants-h">{t('grant.account.section')}</h2>
      {g.rows.length === 0 ? <p>{t('grant.account.none')}</p>
        : <GrantTable ctx={ctx} rows={g.rows} labels={g.labels} caption={t('grant.total', { n: g.rows.length })} testId="account-grants" />}
      {g.canGive && <p><a href={`/admin/grants/new?account=${accountId}`}>{t('grant.account.give')}</a></p>}
    </section>
  );
}
