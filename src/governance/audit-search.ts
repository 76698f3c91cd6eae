// Audit trail search (GOV-1): filters parsed from the query string, keyset paging by seq. Rows
// come with the names people read (issue 9 item 18): the actor's and the target account's
// username and name, the organisation's, system's or announcement's name (audit-queries.ts).
import type { Db } from '../db/index.ts';
import { isValidOid } from '../orgs/oid.ts';
import { normaliseUsername } from '../accounts/username.ts';
import { isAuditAction, type AuditAction } from '../platform/audit-actions.ts';
import { accountIdsByUsername, findAuditEvents, type AuditRow } from './audit-queries.ts';

export interface AuditFilter {
  action?: AuditAction; result?: string; actorUsername?: string; targetUsername?: string; org?: string; from?: Date; to?: Date; before?: number;
}

export const AUDIT_PAGE_SIZE = 50;
const USERNAME = /^[\p{L}\p{N}_.@-]{1,100}$/u;

/** Accepts only well-formed filters; anything malformed is dropped rather than guessed. */
export function parseAuditFilter(q: Record<string, string | undefined>): AuditFilter {
  const f: AuditFilter = {};
  if (q.action && isAuditAction(q.action)) f.action = q.action;
  if (q.result && ['ok', 'failed', 'denied'].includes(q.result)) f.result = q.result;
  const actor = q.actor?.trim(), target = q.target?.trim();
  if (actor && USERNAME.test(actor)) f.actorUsername = actor;
  if (target && USERNAME.test(target)) f.targetUsername = target;
  if (q.org && isValidOid(q.org)) f.org = q.org;
  const date = (s: string | undefined) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) ? new Date(s + 'T00:00:00+08:00') : undefined);
  f.from = date(q.from);
  const to = date(q.to);
  if (to) f.to = new Date(to.getTime() + 86_400_000); // inclusive: the whole day in Taipei time
  if (q.before && /^\d{1,15}$/.test(q.before)) f.before = Number(q.before);
  return f;
}

export async function searchAudit(db: Db, f: AuditFilter, limit = AUDIT_PAGE_SIZE): Promise<AuditRow[]> {
  // Every account ever known by a username (a deleted one keeps its row): its events stay findable.
  const accountIds = (username: string | undefined) => (username ? accountIdsByUsername(db, normaliseUsername(username)) : undefined);
  const [actors, targets] = await Promise.all([accountIds(f.actorUsername), accountIds(f.targetUsername)]);
  if (actors?.length === 0 || targets?.length === 0) return [];
  return findAuditEvents(db, {
    action: f.action, result: f.result, actorIds: actors, targetIds: targets?.map(String), org: f.org, from: f.from, to: f.to, before: f.before,
  }, limit);
}
