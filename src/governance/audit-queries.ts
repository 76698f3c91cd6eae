// SQL of the audit trail search (GOV-1): the accounts a username names, and a page of events by
// filter in keyset order (seq descending), each with the names people read: the actor's and the
// target account's username and name, the organisation's, system's or announcement's name.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { AuditEvent } from '../db/types.ts';
import { withinJurisdiction } from '../access/jurisdiction-sql.ts';

export interface AuditRow extends AuditEvent {
  actorName: string | null; actorUsername: string | null; targetName: string | null; targetUsername: string | null;
  targetOrgName: string | null; systemZh: string | null; systemEn: string | null; orgName: string | null;
}

/** Every account ever known by this normalised username (a deleted one keeps its row). */
export async function accountIdsByUsername(db: Db, usernameNorm: string): Promise<number[]> {
  const rows = await db.selectFrom('accounts').select('id').where('username_norm', '=', usernameNorm).execute();
  return rows.map((r) => r.id);
}

/** What a page of events is chosen by; accounts by id (the actor's, the target's as audit_events.target_id). */
export interface AuditEventQuery {
  action?: string; result?: string; actorIds?: number[]; targetIds?: string[]; org?: string; from?: Date; to?: Date; before?: number;
}

export async function findAuditEvents(db: Db, f: AuditEventQuery, limit: number): Promise<AuditRow[]> {
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
  if (f.actorIds) q = q.where('e.actor_account_id', 'in', f.actorIds);
  if (f.targetIds) q = q.where('e.target_type', '=', 'account').where('e.target_id', 'in', f.targetIds);
  if (f.org) q = q.where(withinJurisdiction('e.org_oid', f.org));
  if (f.from) q = q.where('e.at', '>=', f.from);
  if (f.to) q = q.where('e.at', '<', f.to);
  if (f.before !== undefined) q = q.where('e.seq', '<', f.before);
  return q.orderBy('e.seq', 'desc').limit(limit).execute() as Promise<AuditRow[]>;
}
