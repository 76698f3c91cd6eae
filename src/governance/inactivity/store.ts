// SQL of inactivity (GOV-2): the inactive accounts of a scope, the accounts whose notice or
// automatic disabling is due, the administrators to notify, and the per-period record that makes
// each notice and each disabling happen once. The policy regions (rules.ts) become one CASE over the
// unit OID, using the jurisdiction predicate (access/jurisdiction-sql.ts), so `…9002` never covers
// `…90027` here either; the caller's scope is the same predicate, in SQL.
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { Scope } from '../../access/authorize.ts';
import { withinJurisdiction, withinScope } from '../../access/jurisdiction-sql.ts';
import { byRegion as byUnitRegion } from '../../orgs/policy-regions-sql.ts';
import { cutoffs, type InactivityPolicy, type Region } from './rules.ts';

/** States an inactivity rule applies to: accounts that could sign in (or be activated). */
export const WATCHED_STATES = ['enabled', 'not_activated'] as const;

/**
 * The moment inactivity counts from: the later sign-in, else activation, else creation. Cut to
 * milliseconds, so the value read into JavaScript equals the one stored in inactivity_periods.
 */
/** The latest sign-in by any method: password, certificate or passkey (ACC-6). */
const LAST_SIGN_IN = sql<Date | null>`GREATEST(a.last_password_login_at, a.last_certificate_login_at, a.last_passkey_login_at)`;
const BASIS = sql<Date>`date_trunc('milliseconds', COALESCE(${LAST_SIGN_IN}, a.activated_at, a.created_at))`;

/** The value of the account's region (alias `a`). */
const byRegion = <V>(regions: Region[], value: (r: Region) => V | null, cast: string) => byUnitRegion<V, InactivityPolicy>('a.unit_oid', regions, value, cast);

const inactiveCutoff = (regions: Region[], now: Date) => byRegion<Date>(regions, (r) => cutoffs(r, now).inactive, 'timestamptz');

export interface InactiveRow {
  id: number; username: string; name: string; unit_oid: string; unit_name: string | null; state: string; email: string | null;
  last_login_at: Date | null; basis_at: Date; days: number; auto_disable: boolean;
}

export interface InactiveFilter { unit?: string; used?: 'never' | 'used'; limit: number; offset: number }

function inactiveQuery(db: Db, scope: Scope, regions: Region[], now: Date, f: Pick<InactiveFilter, 'unit' | 'used'>) {
  let q = db.selectFrom('accounts as a')
    .where('a.state', 'in', [...WATCHED_STATES])
    .where(withinScope('a.unit_oid', scope))
    .where(sql<SqlBool>`${BASIS} <= ${inactiveCutoff(regions, now)}`);
  if (f.unit) q = q.where(withinJurisdiction('a.unit_oid', f.unit));
  const never = sql<SqlBool>`(${LAST_SIGN_IN} IS NULL)`;
  if (f.used === 'never') q = q.where(never);
  if (f.used === 'used') q = q.where(sql<SqlBool>`NOT ${never}`);
  return q;
}

/** How many inactive accounts each unit inside `scope` has at `now`, most first (OPS-7 dashboard). */
export async function inactiveCountsByUnit(db: Db, scope: Scope, regions: Region[], now: Date, limit: number): Promise<{ unit_oid: string; unit_name: string | null; n: number }[]> {
  const rows = await inactiveQuery(db, scope, regions, now, {})
    .leftJoin('orgs as o', 'o.oid', 'a.unit_oid')
    .groupBy(['a.unit_oid', 'o.name'])
    .select((eb) => ['a.unit_oid', 'o.name as unit_name', eb.fn.countAll<number>().as('n')])
    .orderBy('n', 'desc').orderBy('a.unit_oid').limit(limit).execute();
  return rows.map((r) => ({ unit_oid: r.unit_oid, unit_name: r.unit_name, n: Number(r.n) }));
}

/** The inactive accounts inside `scope` at `now`, longest unused first, and how many there are. */
export async function listInactive(db: Db, scope: Scope, regions: Region[], now: Date, f: InactiveFilter): Promise<{ total: number; rows: InactiveRow[] }> {
  const q = inactiveQuery(db, scope, regions, now, f);
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.leftJoin('orgs as o', 'o.oid', 'a.unit_oid')
      .select(['a.id', 'a.username', 'a.name', 'a.unit_oid', 'o.name as unit_name', 'a.state', 'a.email'])
      .select(LAST_SIGN_IN.as('last_login_at'))
      .select(BASIS.as('basis_at'))
      .select(byRegion<number>(regions, (r) => r.days, 'integer').as('days'))
      .select(byRegion<boolean>(regions, (r) => r.autoDisable, 'boolean').as('auto_disable'))
      .orderBy(BASIS).orderBy('a.id')
      .limit(f.limit).offset(f.offset)
      .execute(),
  ]);
  return { total: Number(count.n), rows: rows.map((r) => ({ ...r, id: Number(r.id), days: Number(r.days) })) };
}

const periodAbsent = (column: 'noticed_at' | 'disabled_at'): Expression<SqlBool> =>
  sql<SqlBool>`NOT EXISTS (SELECT 1 FROM inactivity_periods p WHERE p.account_id = a.id AND p.basis_at = ${BASIS} AND p.${sql.ref(column)} IS NOT NULL)`;

/** Accounts whose notice is due at `now` (inside the notice window, not yet inactive) and not yet sent for this period. */
export async function noticesDue(db: Db, regions: Region[], now: Date, limit: number): Promise<InactiveRow[]> {
  const notice = byRegion<Date>(regions, (r) => cutoffs(r, now).notice, 'timestamptz');
  const rows = await db.selectFrom('accounts as a')
    .where('a.state', 'in', [...WATCHED_STATES])
    .where(sql<SqlBool>`${BASIS} <= ${notice}`)
    .where(sql<SqlBool>`${BASIS} > ${inactiveCutoff(regions, now)}`)
    .where(periodAbsent('noticed_at'))
    .leftJoin('orgs as o', 'o.oid', 'a.unit_oid')
    .select(['a.id', 'a.username', 'a.name', 'a.unit_oid', 'o.name as unit_name', 'a.state', 'a.email'])
    .select(LAST_SIGN_IN.as('last_login_at'))
    .select(BASIS.as('basis_at'))
    .select(byRegion<number>(regions, (r) => r.days, 'integer').as('days'))
    .select(byRegion<boolean>(regions, (r) => r.autoDisable, 'boolean').as('auto_disable'))
    .orderBy('a.id').limit(limit).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), days: Number(r.days) }));
}

/** Inactive accounts of regions that disable automatically, not yet disabled by the sweep in this period. */
export async function disablesDue(db: Db, regions: Region[], now: Date, limit: number): Promise<{ id: number; unit_oid: string; state: string; basis_at: Date }[]> {
  const cutoff = byRegion<Date>(regions, (r) => (r.autoDisable ? cutoffs(r, now).inactive : null), 'timestamptz');
  const rows = await db.selectFrom('accounts as a')
    .where('a.state', 'in', [...WATCHED_STATES])
    .where(sql<SqlBool>`${BASIS} <= ${cutoff}`)
    .where(periodAbsent('disabled_at'))
    .select(['a.id', 'a.unit_oid', 'a.state']).select(BASIS.as('basis_at'))
    .orderBy('a.id').limit(limit).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/**
 * Records the notices of these accounts' periods; returns the ids recorded by this call (a notice
 * another sweep recorded first is not sent twice).
 */
export async function recordNotices(trx: Db, rows: { id: number; basis_at: Date; inactive_at: Date }[], now: Date): Promise<Set<number>> {
  if (rows.length === 0) return new Set();
  const r = await trx.insertInto('inactivity_periods')
    .values(rows.map((x) => ({ account_id: x.id, basis_at: x.basis_at, inactive_at: x.inactive_at, noticed_at: now })))
    .onConflict((oc) => oc.columns(['account_id', 'basis_at']).doUpdateSet({ noticed_at: now }).where('inactivity_periods.noticed_at', 'is', null))
    .returning('account_id').execute();
  return new Set(r.map((x) => Number(x.account_id)));
}

/**
 * Disables the account if it is still in `state` and unused since `basis` (a sign-in meanwhile
 * starts a new period), ends its sessions and records the period's disabling. True when done here.
 */
export async function disableForInactivity(trx: Db, a: { id: number; state: string; basis_at: Date; inactive_at: Date }, now: Date): Promise<boolean> {
  const r = await trx.updateTable('accounts as a').set({ state: 'disabled', updated_at: now })
    .where('a.id', '=', a.id).where('a.state', '=', a.state)
    .where(sql<SqlBool>`${BASIS} = ${a.basis_at}`)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  await trx.deleteFrom('sessions').where('account_id', '=', a.id).execute();
  await trx.insertInto('inactivity_periods')
    .values({ account_id: a.id, basis_at: a.basis_at, inactive_at: a.inactive_at, disabled_at: now })
    .onConflict((oc) => oc.columns(['account_id', 'basis_at']).doUpdateSet({ disabled_at: now })).execute();
  return true;
}

/**
 * The administrators to tell about these accounts: holders of a grant of `kinds` whose
 * jurisdiction covers the account's unit, enabled and with an e-mail address.
 */
export async function administratorsOf(trx: Db, accountIds: number[], kinds: string[]): Promise<{ admin_id: number; email: string; name: string; account_id: number }[]> {
  if (accountIds.length === 0 || kinds.length === 0) return [];
  const rows = await trx.selectFrom('admin_grants as g')
    .innerJoin('accounts as h', 'h.id', 'g.account_id')
    .innerJoin('accounts as a', (j) => j.on(sql<SqlBool>`a.unit_oid COLLATE "C" >= g.jurisdiction_oid AND a.unit_oid COLLATE "C" < g.jurisdiction_oid || '/'`))
    .where('a.id', 'in', accountIds).where('g.kind', 'in', kinds)
    .where('h.state', '=', 'enabled').where('h.email', 'is not', null)
    .select(['g.account_id as admin_id', 'h.email', 'h.name', 'a.id as account_id'])
    .distinct().orderBy('g.account_id').orderBy('a.id').execute();
  return rows.map((r) => ({ admin_id: Number(r.admin_id), email: r.email!, name: r.name, account_id: Number(r.account_id) }));
}
