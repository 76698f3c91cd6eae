// Audit trail page and CSV export for the central authority (GOV-1), through `authorize`.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { toCsv } from '../platform/csv.ts';
import { page, requirePermission } from '../platform/http/pages.ts';
import { Layout, type PageContext } from '../platform/web/layout.tsx';
import { formatTime } from '../platform/web/format.ts';
import type { AuditEvent } from '../db/types.ts';
import { parseAuditFilter, searchAudit, AUDIT_PAGE_SIZE, type AuditFilter } from './audit-search.ts';

type Query = Record<string, string | undefined>;

function AuditPage({ ctx, q, rows, nextBefore }: { ctx: PageContext; q: Query; rows: AuditEvent[]; nextBefore?: number }) {
  const { t } = ctx;
  const field = (name: string, label: string, date = false) => (
    <div><label for={`f-${name}`}>{label}</label>
      {date ? <input id={`f-${name}`} name={name} type="date" value={q[name] ?? ''} />
        : <input id={`f-${name}`} name={name} type="text" value={q[name] ?? ''} />}</div>
  );
  const params = new URLSearchParams(Object.entries(q).filter(([k, v]) => v && k !== 'before') as [string, string][]);
  return (
    <Layout ctx={ctx} title={t('audit.title')}>
      <form method="get" action="/admin/audit" class="stack" aria-labelledby="filter-h">
        <h2 id="filter-h">{t('audit.filter')}</h2>
        {field('action', t('audit.action'))}
        <div>
          <label for="f-result">{t('audit.result')}</label>
          <select id="f-result" name="result">
            {['', 'ok', 'failed', 'denied'].map((r) => <option value={r} selected={q.result === r}>{r || t('audit.any')}</option>)}
          </select>
        </div>
        {field('actor', t('audit.actor'))}
        {field('org', t('audit.org'))}
        {field('from', t('audit.from'), true)}
        {field('to', t('audit.to'), true)}
        <button type="submit">{t('audit.filter')}</button>
      </form>
      <p><a href={`/admin/audit/export.csv?${params}`}>{t('audit.export')}</a></p>
      {rows.length === 0 ? <p>{t('audit.none')}</p> : (
        <table>
          <caption>{t('audit.count', { n: rows.length })}</caption>
          <thead><tr>
            <th scope="col">{t('audit.seq')}</th><th scope="col">{t('audit.at')}</th><th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.result')}</th><th scope="col">{t('audit.actor')}</th><th scope="col">{t('audit.target')}</th>
            <th scope="col">{t('audit.org')}</th><th scope="col">{t('audit.ip')}</th><th scope="col">{t('audit.details')}</th>
          </tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>{r.seq}</td><td>{formatTime(r.at, ctx.lang)}</td><td>{r.action}</td><td>{r.result}</td>
                <td>{r.actor_account_id ?? ''}</td><td>{r.target_type ? `${r.target_type} ${r.target_id ?? ''}` : ''}</td>
                <td class="oid">{r.org_oid ?? ''}</td><td>{r.ip ?? ''}</td><td><code>{JSON.stringify(r.details)}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextBefore !== undefined && <p><a href={`/admin/audit?${params}${params.size ? '&' : ''}before=${nextBefore}`}>{t('audit.next')}</a></p>}
    </Layout>
  );
}

export function auditRoutes(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>('/admin/audit', async (req, reply) => {
    await requirePermission(deps, req, 'audit.read');
    const rows = await searchAudit(deps.db, parseAuditFilter(req.query));
    const nextBefore = rows.length === AUDIT_PAGE_SIZE ? Number(rows[rows.length - 1].seq) : undefined;
    return page(req, reply, (ctx) => <AuditPage ctx={ctx} q={req.query} rows={rows} nextBefore={nextBefore} />);
  });

  app.get<{ Querystring: Query }>('/admin/audit/export.csv', async (req, reply) => {
    await requirePermission(deps, req, 'audit.read');
    const filter: AuditFilter = parseAuditFilter(req.query);
    const rows = await searchAudit(deps.db, filter, 100_000);
    const csv = toCsv(rows.map((r) => ({ ...r, at: r.at.toISOString(), details: JSON.stringify(r.details) })),
      ['seq', 'at', 'actor_account_id', 'action', 'result', 'target_type', 'target_id', 'org_oid', 'ip', 'details', 'prev_hash', 'hash']);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit.csv"').send(csv);
  });
}
