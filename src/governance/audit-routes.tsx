// Audit trail page and CSV export for the central authority (GOV-1), through `authorize`.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { toCsv } from '../platform/csv.ts';
import { page } from '../platform/http/pages.ts';
import { requirePermission } from '../access/actor.ts';
import { parseAuditFilter, searchAudit, AUDIT_PAGE_SIZE, type AuditFilter } from './audit-search.ts';
import { AuditPage } from './audit-page.tsx';
import { typed, Type, Field, Query, PAGE } from '../platform/http/contract.ts';

/** The filter form's fields (and the next page's `before`); parseAuditFilter drops what is malformed. */
const auditQuery = Query({
  action: Field(100), result: Field(20), actor: Field(200), target: Field(200), org: Field(200),
  from: Field(20), to: Field(20), before: Field(20),
});

export function auditRoutes(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);
  app.get('/admin/audit', { schema: { querystring: auditQuery, response: PAGE } }, async (req, reply) => {
    await requirePermission(deps, req, 'audit.read');
    const rows = await searchAudit(deps.db, parseAuditFilter(req.query));
    const nextBefore = rows.length === AUDIT_PAGE_SIZE ? Number(rows[rows.length - 1].seq) : undefined;
    return page(req, reply, (ctx) => <AuditPage ctx={ctx} q={req.query} rows={rows} nextBefore={nextBefore} />);
  });

  app.get('/admin/audit/export.csv', {
    schema: { querystring: auditQuery, response: { ...PAGE, 200: Type.String({ description: 'The matching audit events as CSV (text/csv)' }) } },
  }, async (req, reply) => {
    await requirePermission(deps, req, 'audit.read');
    const filter: AuditFilter = parseAuditFilter(req.query);
    const rows = await searchAudit(deps.db, filter, 100_000);
    const csv = toCsv(rows.map((r) => ({ ...r, at: r.at.toISOString(), details: JSON.stringify(r.details) })),
      ['seq', 'at', 'actor_account_id', 'action', 'result', 'target_type', 'target_id', 'org_oid', 'ip', 'details', 'prev_hash', 'hash', 'chain_seq']);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit.csv"').send(csv);
  });
}
