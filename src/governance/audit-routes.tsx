// Audit trail page and CSV export for the central authority (GOV-1), through `authorize`.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { toCsv } from '../platform/csv.ts';
import { page } from '../platform/http/pages.ts';
import { requirePermission } from '../access/actor.ts';
import { parseAuditFilter, searchAudit, AUDIT_PAGE_SIZE, type AuditFilter } from './audit-search.ts';
import { AuditPage } from './audit-page.tsx';

type Query = Record<string, string | undefined>;

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
