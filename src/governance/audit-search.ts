// Audit trail search (GOV-1): filters parsed from the query string, keyset paging by seq.
import type { Db } from '../db/index.ts';
import type { AuditEvent } from '../db/types.ts';
import { isValidOid } from '../orgs/oid.ts';
import { withinJurisdiction } from '../admin/authorize.ts';

export interface AuditFilter { action?: string; result?: string; actor?: number; org?: string; from?: Date; to?: Date; before?: number }

export const AUDIT_PAGE_SIZE = 50;

/** Accepts only well-formed filters; anything malformed is dropped rather than guessed. */
export function parseAuditFilter(q: Record<string, string | undefined>): AuditFilter {
  const f: AuditFilter = {};
  if (q.action && /^[a-z._]{1,60}$/.test(q.action)) f.action = q.action;
  if (q.result && ['ok', 'failed', 'denied'].includes(q.result)) f.result = q.result;
  if (q.actor && /^\d{1,12}$/.test(q.actor)) f.actor = Number(q.actor);
  if (q.org && isValidOid(q.org)) f.org = q.org;
  const date = (s: string | undefined) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) ? new Date(s + 'T00:00:00+08:00') : undefined);
  f.from = date(q.from);
  const to = date(q.to);
  if (to) f.to = new Date(to.getTime() + 86_400_000); // inclusive: the whole day in Taipei time
  if (q.before && /^\d{1,15}$/.test(q.before)) f.before = Number(q.before);
  return f;
}

export async function searchAudit(db: Db, f: AuditFilter, limit = AUDIT_PAGE_SIZE): Promise<AuditEvent[]> {
  let q = db.selectFrom('audit_events').selectAll();
  // An action filter matches the action itself and its sub-actions (auth.login matches auth.login.password).
  if (f.action) q = q.where((eb) => eb.or([eb('action', '=', f.action!), eb('action', 'like', f.action! + '.%')]));
  if (f.result) q = q.where('result', '=', f.result);
  if (f.actor !== undefined) q = q.where('actor_account_id', '=', f.actor);
  if (f.org) q = q.where(withinJurisdiction('org_oid', f.org));
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (f.before !== undefined) q = q.where('seq', '<', f.before);
  return q.orderBy('seq', 'desc').limit(limit).execute();
}
