// Audit trail search (GOV-1): filters parsed from the query string, keyset paging by seq. Rows
// come with the names people read (issue 9 item 18): the actor's and the target account's
// username and name, the organisation's, system's or announcement's name.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { AuditEvent } from '../db/types.ts';
import { isValidOid } from '../orgs/oid.ts';
import { withinJurisdiction } from '../access/jurisdiction-sql.ts';
import { normaliseUsername } from '../accounts/username.ts';
import { isAuditAction, type AuditAction } from '../platform/audit-actions.ts';

export interface AuditFilter {
  action?: AuditAction; result?: string; actorUsername?: string; targetUsername?: string; org?: string; from?: Date; to?: Date; before?: number;
}

export interface AuditRow extends AuditEvent {
  actorName: string | null; actorUsername: string | null; targetName: string | null; targetUsername: string | null;
  targetOrgName: string | null; systemZh: string | null; systemEn: string | null; orgName: string | null;
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

/** Every account ever known by this username (a deleted one keeps its row): its events stay findable. */
async function accountIds(db: Db, username: string): Promise<string[]> {
  const rows = await db.selectFrom('accounts').select('id').where('username_norm', '=', normaliseUsername(username)).execute();
  return rows.map((r) => String(r.id));
}

export async function searchAudit(db: Db, f: AuditFilter, limit = AUDIT_PAGE_SIZE): Promise<AuditRow[]> {
  const [actors, targets] = await Promise.all([
    f.actorUsername ? accountIds(db, f.actorUsername) : undefined,
    f.targetUsername ? accountIds(db, f.targetUsername) : undefined,
  ]);
  if (actors?.length === 0 || targets?.length === 0) return [];
  let q = db.selectFrom('audit_events as e')
    .leftJoin('accounts as ac', 'ac.id', 'e.actor_account_id')
    .leftJoin('accounts as ta', (j) => j.on((eb) => eb.and([eb('e.target_type', '=', 'account'), eb(sql<string>`ta.id::text`, '=', eb.ref('e.target_id'))])))
    .leftJoin('orgs as torg', (j) => j.on((eb) => eb.and([eb('e.target_type', '=', 'org'), eb('torg.oid', '=', eb.ref('e.target_id'))])))
    .leftJoin('application_systems as ts', (j) => j.on((eb) => eb.and([eb('e.target_type', '=', 'application_system'), eb('ts.code', '=', eb.ref('e.target_id'))])))
    .leftJoin('orgs as o', 'o.oid', 'e.org_oid')
    .selectAll('e')
    .select(['ac.name as actorName', 'ac.username as actorUsername', 'ta.name as targetName', 'ta.username as targetUsername',
      'torg.name as targetOrgName', 'ts.name_zh as systemZh', 'ts.name_en as systemEn', 'o.name as orgName']);
  if (f.action) q = q.where('e.action', '=', f.action);
  if (f.result) q = q.where('e.result', '=', f.result);
  if (actors) q = q.where('e.actor_account_id', 'in', actors.map(Number));
  if (targets) q = q.where('e.target_type', '=', 'account').where('e.target_id', 'in', targets);
  if (f.org) q = q.where(withinJurisdiction('e.org_oid', f.org));
  if (f.from) q = q.where('e.at', '>=', f.from);
  if (f.to) q = q.where('e.at', '<', f.to);
  if (f.before !== undefined) q = q.where('e.seq', '<', f.before);
  return q.orderBy('e.seq', 'desc').limit(limit).execute() as Promise<AuditRow[]>;
}
