// INC-2, INC-3, INC-6: SQL of incidents, their append-only events, the escalations sent and the
// role holders told; every read of an incident for a caller is filtered by `withinIncidentScope`.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { withinIncidentScope } from '../access/jurisdiction-sql.ts';
import type { IncidentScope } from '../access/incident-rules.ts';
import { agencyOfSql } from './authority-store.ts';
import type { IncidentsTable } from './tables.ts';
import type { Insertable, Updateable } from 'kysely';

const COLUMNS = ['i.id', 'i.org_oid', 'i.authority_oid', 'i.state', 'i.level', 'i.drill', 'i.profile_ids', 'i.title', 'i.description', 'i.aware_at',
  'i.affected_systems', 'i.support_requested', 'i.other_agencies_affected', 'i.critical_infrastructure', 'i.contact_name', 'i.contact_phone',
  'i.contact_email', 'i.backfill_pending', 'i.created_by', 'i.created_at', 'i.updated_at', 'i.reported_at', 'i.closed_at', 'i.next_due_at',
  'i.category', 'i.drill_kind', 'i.ci_groups'] as const;

export async function insertIncident(trx: Db, v: Insertable<IncidentsTable>): Promise<number> {
  const r = await trx.insertInto('incidents').values(v).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updateIncident(trx: Db, id: number, v: Updateable<IncidentsTable>): Promise<void> {
  await trx.updateTable('incidents').set(v).where('id', '=', id).execute();
}

/** One incident the scope may see, with its agency's and authority's names; undefined otherwise. */
export async function incidentIn(db: Db, id: number, scope: IncidentScope) {
  return db.selectFrom('incidents as i').innerJoin('orgs as o', 'o.oid', 'i.org_oid').leftJoin('orgs as ca', 'ca.oid', 'i.authority_oid')
    .select([...COLUMNS, 'o.name as org_name', 'ca.name as authority_name'])
    .where('i.id', '=', id).where(withinIncidentScope('i', scope)).executeTakeFirst();
}
export type IncidentDetailRow = NonNullable<Awaited<ReturnType<typeof incidentIn>>>;

/** The row, locked for the use case's transaction (authorization was asked on it already). */
export async function lockIncident(trx: Db, id: number) {
  return trx.selectFrom('incidents as i').innerJoin('orgs as o', 'o.oid', 'i.org_oid').leftJoin('orgs as ca', 'ca.oid', 'i.authority_oid')
    .select([...COLUMNS, 'o.name as org_name', 'ca.name as authority_name']).where('i.id', '=', id).forUpdate('i').executeTakeFirst();
}

export async function listIncidents(db: Db, scope: IncidentScope, f: { limit: number; offset: number }) {
  const base = db.selectFrom('incidents as i').where(withinIncidentScope('i', scope));
  const [rows, total] = await Promise.all([
    base.innerJoin('orgs as o', 'o.oid', 'i.org_oid')
      .select(['i.id', 'i.org_oid', 'o.name as org_name', 'i.state', 'i.level', 'i.drill', 'i.title', 'i.aware_at', 'i.reported_at', 'i.next_due_at', 'i.backfill_pending'])
      .orderBy('i.id', 'desc').limit(f.limit).offset(f.offset).execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export interface NewEvent { kind: string; at: Date; level?: number | null; reason?: string | null; payload?: Record<string, unknown>; actor: number | null }

export async function insertEvents(trx: Db, incidentId: number, now: Date, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await trx.insertInto('incident_events').values(events.map((e) => ({
    incident_id: incidentId, kind: e.kind, at: e.at, recorded_at: now, actor_account_id: e.actor,
    level: e.level ?? null, reason: e.reason ?? null, payload: JSON.stringify(e.payload ?? {}),
  }))).execute();
}

export async function eventsOf(db: Db, incidentId: number) {
  return db.selectFrom('incident_events as e').leftJoin('accounts as a', 'a.id', 'e.actor_account_id')
    .select(['e.id', 'e.kind', 'e.at', 'e.recorded_at', 'e.level', 'e.reason', 'e.payload', 'e.actor_account_id', 'a.name as actor_name'])
    .where('e.incident_id', '=', incidentId).orderBy('e.at').orderBy('e.id').execute();
}
export type EventRow = Awaited<ReturnType<typeof eventsOf>>[number];

/** Open incidents with a clock due at or before `now` not yet escalated (the partial index incidents_next_due). */
export async function dueIncidents(db: Db, now: Date, limit: number): Promise<number[]> {
  const rows = await db.selectFrom('incidents').select('id').where('next_due_at', '<=', now).where('state', '=', 'open')
    .orderBy('next_due_at').limit(limit).execute();
  return rows.map((r) => Number(r.id));
}

export async function escalationsOf(db: Db, incidentId: number) {
  return db.selectFrom('incident_escalations').select(['profile_id', 'rule_id', 'due_at', 'escalated_at', 'recipients'])
    .where('incident_id', '=', incidentId).orderBy('escalated_at').execute();
}

/** Records one breach; false when another instance (or an earlier run) already did. */
export async function claimEscalation(trx: Db, v: { incidentId: number; profileId: string; ruleId: string; dueAt: Date; now: Date; recipients: number }): Promise<boolean> {
  const r = await trx.insertInto('incident_escalations')
    .values({ incident_id: v.incidentId, profile_id: v.profileId, rule_id: v.ruleId, due_at: v.dueAt, escalated_at: v.now, recipients: v.recipients })
    .onConflict((oc) => oc.columns(['incident_id', 'profile_id', 'rule_id', 'due_at']).doNothing()).returning('incident_id').executeTakeFirst();
  return r !== undefined;
}

export async function setEscalationRecipients(trx: Db, incidentId: number, c: { profileId: string; ruleId: string; dueAt: Date }, recipients: number): Promise<void> {
  await trx.updateTable('incident_escalations').set({ recipients })
    .where('incident_id', '=', incidentId).where('profile_id', '=', c.profileId).where('rule_id', '=', c.ruleId).where('due_at', '=', c.dueAt).execute();
}

export interface Holder { account_id: number; name: string; email: string | null; mobile: string | null }

/** Enabled holders of incident roles; with `agencyOid`, only those whose unit's agency it is. */
export async function roleHolders(db: Db, roleCodes: string[], agencyOid: string | null): Promise<Holder[]> {
  if (roleCodes.length === 0) return [];
  let q = db.selectFrom('role_grants as rg').innerJoin('accounts as a', 'a.id', 'rg.account_id')
    .select(['a.id as account_id', 'a.name', 'a.email', 'a.mobile']).distinct()
    .where('rg.role_code', 'in', roleCodes).where('a.state', '=', 'enabled');
  if (agencyOid !== null) {
    q = q.where(sql<boolean>`(a.unit_oid COLLATE "C" >= ${agencyOid} AND a.unit_oid COLLATE "C" < ${agencyOid + '/'})`)
      .where(agencyOfSql('a.unit_oid'), '=', agencyOid);
  }
  return q.execute();
}

/** Application systems of the registry, for the report's affected-systems choice. */
export async function systemNames(db: Db) {
  return db.selectFrom('application_systems').select(['code', 'name_zh', 'name_en']).orderBy('code').execute();
}

/** INC-6: the clocks as last computed from the events, for statistics in SQL (rewritten whole after every event). */
export async function saveClockOutcomes(trx: Db, incidentId: number, clocks: { profileId: string; ruleId: string; anchorAt: Date; dueAt: Date; metAt: Date | null }[]): Promise<void> {
  await trx.deleteFrom('incident_clock_outcomes').where('incident_id', '=', incidentId).execute();
  if (clocks.length === 0) return;
  await trx.insertInto('incident_clock_outcomes').values(clocks.map((c) => ({
    incident_id: incidentId, profile_id: c.profileId, rule_id: c.ruleId, anchor_at: c.anchorAt, due_at: c.dueAt, met_at: c.metAt,
  }))).onConflict((oc) => oc.columns(['incident_id', 'profile_id', 'rule_id']).doNothing()).execute();
}
