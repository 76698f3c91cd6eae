// SQL of review campaigns (GOV-3, GOV-4): definitions, runs and their items. A run's snapshot is
// ONE `INSERT … SELECT` over the accounts of the scope (unit, state, roles of the scope's system,
// administration grants, last sign-ins by each method), with the recommendation computed in SQL
// from the inactivity policy regions (orgs/policy-regions-sql.ts). Every reviewer's read and write
// is bounded by the jurisdiction predicate (access/jurisdiction-sql.ts) in the SQL itself.
import { sql, type Selectable, type SqlBool } from 'kysely';
import type { CampaignItemsTable } from './tables.ts';
import type { Db } from '../../db/index.ts';
import type { Scope } from '../../access/authorize.ts';
import { withinJurisdiction, withinScope } from '../../access/jurisdiction-sql.ts';
import { byRegion } from '../../orgs/policy-regions-sql.ts';
import { cutoffs, type InactivityPolicy, type Region } from '../inactivity/rules.ts';
import type { DefaultAction, Decision, Recurrence } from './rules.ts';

/** Accounts a campaign reviews: every account that exists and is not waiting for approval. */
export const REVIEWED_STATES = ['enabled', 'not_activated', 'disabled'] as const;

const LAST_SIGN_IN = sql<Date | null>`GREATEST(a.last_password_login_at, a.last_certificate_login_at, a.last_passkey_login_at)`;
const BASIS = sql<Date>`date_trunc('milliseconds', COALESCE(${LAST_SIGN_IN}, a.activated_at, a.created_at))`;

export interface DefinitionInput {
  name: string; scope_oid: string; system_code: string | null; inactive_days: number | null; recurrence: Recurrence;
  deadline_days: number; default_action: DefaultAction; attestation: boolean; next_run_at: Date | null; created_by: number | null; created_at: Date;
}

export async function insertDefinition(trx: Db, d: DefinitionInput): Promise<number> {
  const r = await trx.insertInto('campaign_definitions').values(d).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

/** A scope root lies inside the row's scope_oid (the caller manages part of the campaign's subtree). */
const rootsInside = (column: string, scope: Scope) => scope.all ? sql<SqlBool>`true` : scope.roots.length === 0 ? sql<SqlBool>`false`
  : sql<SqlBool>`(${sql.join(scope.roots.map((r) => sql`(${sql.ref(column)} = ${r} OR ${r} LIKE ${sql.ref(column)} || '.%')`), sql` OR `)})`;

/** Definitions whose scope overlaps the caller's: inside it, or holding part of it. */
export async function listDefinitions(db: Db, scope: Scope) {
  const rows = await db.selectFrom('campaign_definitions as d').leftJoin('orgs as o', 'o.oid', 'd.scope_oid')
    .selectAll('d').select('o.name as scope_name')
    .where((eb) => eb.or([withinScope('d.scope_oid', scope), rootsInside('d.scope_oid', scope)]))
    .orderBy('d.id', 'desc').limit(200).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export async function findDefinition(db: Db, id: number) {
  const r = await db.selectFrom('campaign_definitions').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? { ...r, id: Number(r.id) } : undefined;
}

/** Definitions whose scheduled run has come (the campaigns.generate job). */
export async function dueDefinitions(db: Db, now: Date, limit: number) {
  const rows = await db.selectFrom('campaign_definitions').selectAll().where('next_run_at', '<=', now).orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Moves a definition's next run from `from` to `to`; false when another instance did it first. */
export async function claimDefinition(trx: Db, id: number, from: Date | null, to: Date | null): Promise<boolean> {
  let q = trx.updateTable('campaign_definitions').set({ next_run_at: to }).where('id', '=', id);
  q = from === null ? q.where('next_run_at', 'is', null) : q.where('next_run_at', '=', from);
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
}

export interface RunInput {
  definition_id: number; name: string; scope_oid: string; system_code: string | null; inactive_days: number | null;
  default_action: DefaultAction; attestation: boolean; started_at: Date; started_by: number | null; deadline_at: Date;
}

export async function insertRun(trx: Db, r: RunInput): Promise<number> {
  const row = await trx.insertInto('campaign_runs').values({ ...r, state: 'open' }).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

/**
 * The snapshot of a run, in one statement: every reviewed account of the scope (and of the
 * system, and inactive over N days, when the run says so), its roles (of the run's system, else
 * all), grants and last sign-ins, and the recommendation: 'disable' when the inactivity policy of
 * its unit counts it inactive at `now`, else 'keep'. Returns the number of items.
 */
export async function snapshotItems(trx: Db, runId: number, run: Pick<RunInput, 'scope_oid' | 'system_code' | 'inactive_days'>, regions: Region[], now: Date): Promise<number> {
  const cutoff = byRegion<Date, InactivityPolicy>('a.unit_oid', regions, (r) => cutoffs(r, now).inactive, 'timestamptz');
  const roleFilter = run.system_code === null ? sql`` : sql` WHERE r.system_code = ${run.system_code}`;
  // Roles and grants aggregated once and hash-joined: a correlated sub-select per account costs
  // twenty times a plain copy on a large scope.
  // Limited to the scope's accounts, so a small scope does not aggregate the whole registry.
  const inScope = sql`JOIN accounts x ON x.id = g.account_id AND ${withinJurisdiction('x.unit_oid', run.scope_oid)}`;
  const roles = sql`(SELECT g.account_id, array_agg(g.role_code ORDER BY g.role_code) AS codes FROM role_grants g ${inScope} JOIN roles r ON r.code = g.role_code${roleFilter} GROUP BY g.account_id)`;
  const grants = sql`(SELECT g.account_id, array_agg(g.kind || ':' || g.jurisdiction_oid ORDER BY g.kind, g.jurisdiction_oid) AS held FROM admin_grants g ${inScope} GROUP BY g.account_id)`;
  let q = trx.selectFrom('accounts as a').leftJoin('orgs as o', 'o.oid', 'a.unit_oid')
    .leftJoin(roles.as('ar'), (j) => j.onRef(sql.ref('ar.account_id') as never, '=', 'a.id'))
    .leftJoin(grants.as('ag'), (j) => j.onRef(sql.ref('ag.account_id') as never, '=', 'a.id'))
    .where('a.state', 'in', [...REVIEWED_STATES])
    .where(withinJurisdiction('a.unit_oid', run.scope_oid));
  if (run.system_code !== null) q = q.where(sql<SqlBool>`ar.codes IS NOT NULL`);
  if (run.inactive_days !== null) q = q.where(sql<SqlBool>`${BASIS} <= ${new Date(now.getTime() - run.inactive_days * 86_400_000)}`);
  const select = q.select([
    sql<number>`${runId}::bigint`.as('run_id'), 'a.id as account_id', 'a.username', 'a.name', 'a.unit_oid', 'o.name as unit_name', 'a.state',
    sql<string[]>`COALESCE(ar.codes, '{}'::text[])`.as('roles'),
    sql<string[]>`COALESCE(ag.held, '{}'::text[])`.as('grants'),
    'a.last_password_login_at as last_password_at', 'a.last_certificate_login_at as last_certificate_at', 'a.last_passkey_login_at as last_passkey_at',
    BASIS.as('basis_at'),
    sql<boolean>`(${BASIS} <= ${cutoff})`.as('inactive'),
    sql<string>`CASE WHEN ${BASIS} <= ${cutoff} THEN 'disable' ELSE 'keep' END`.as('recommendation'),
  ]);
  const r = await trx.insertInto('campaign_items')
    .columns(['run_id', 'account_id', 'username', 'name', 'unit_oid', 'unit_name', 'state', 'roles', 'grants',
      'last_password_at', 'last_certificate_at', 'last_passkey_at', 'basis_at', 'inactive', 'recommendation'])
    .expression(select as never).executeTakeFirst();
  const n = Number(r.numInsertedOrUpdatedRows ?? 0);
  await trx.updateTable('campaign_runs').set({ item_count: n }).where('id', '=', runId).execute();
  return n;
}

export type RunRow = Awaited<ReturnType<typeof findRun>>;

/** A run's columns but its report (read apart, by reportOf). */
const RUN_COLUMNS = ['r.id', 'r.definition_id', 'r.name', 'r.scope_oid', 'r.system_code', 'r.inactive_days', 'r.default_action', 'r.started_at',
  'r.started_by', 'r.deadline_at', 'r.state', 'r.item_count', 'r.signed_by', 'r.signed_at', 'r.sign_method', 'r.sign_evidence', 'r.executed_at', 'r.report_sha256',
  'r.attestation', 'r.executed_items', 'r.report_pdf_sha256', 'r.form_pdf_sha256'] as const;

export async function reportOf(db: Db, id: number) {
  return db.selectFrom('campaign_runs').select(['report_csv', 'report_sha256']).where('id', '=', id).executeTakeFirst();
}

export async function findRun(db: Db, id: number) {
  const r = await db.selectFrom('campaign_runs as r').leftJoin('orgs as o', 'o.oid', 'r.scope_oid')
    .leftJoin('accounts as s', 's.id', 'r.signed_by')
    .select(RUN_COLUMNS).select(['o.name as scope_name', 's.name as signer_name'])
    .where('r.id', '=', id).executeTakeFirst();
  return r ? { ...r, id: Number(r.id), definition_id: Number(r.definition_id), item_count: Number(r.item_count) } : undefined;
}

/** Locks an open run for its sign-off; undefined when it is no longer open. */
export async function lockOpenRun(trx: Db, id: number) {
  return trx.selectFrom('campaign_runs').select(['id', 'state']).where('id', '=', id).where('state', '=', 'open').forUpdate().executeTakeFirst();
}

/** Runs the caller sees: their scope overlaps the run's. */
export async function listRuns(db: Db, scope: Scope, definitionId?: number) {
  let q = db.selectFrom('campaign_runs as r').leftJoin('orgs as o', 'o.oid', 'r.scope_oid')
    .select(RUN_COLUMNS).select('o.name as scope_name')
    .where((eb) => eb.or([withinScope('r.scope_oid', scope), rootsInside('r.scope_oid', scope)]));
  if (definitionId !== undefined) q = q.where('r.definition_id', '=', definitionId);
  const rows = await q.orderBy('r.id', 'desc').limit(200).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), definition_id: Number(r.definition_id), item_count: Number(r.item_count) }));
}

/** True when the run has a part in the caller's scope (an item, or its scope root). */
export async function runVisible(db: Db, id: number, scope: Scope): Promise<boolean> {
  const r = await db.selectFrom('campaign_runs as r').select('r.id').where('r.id', '=', id)
    .where((eb) => eb.or([withinScope('r.scope_oid', scope), rootsInside('r.scope_oid', scope)])).executeTakeFirst();
  return r !== undefined;
}

export interface ItemFilter {
  unit?: string; recommendation?: 'keep' | 'disable'; inactiveBefore?: Date; undecided?: boolean; accountIds?: number[]; role?: string;
}

function itemsWhere(db: Db, runId: number, scope: Scope, f: ItemFilter) {
  let q = db.selectFrom('campaign_items as i').where('i.run_id', '=', runId).where(withinScope('i.unit_oid', scope));
  if (f.unit) q = q.where(withinJurisdiction('i.unit_oid', f.unit));
  if (f.recommendation) q = q.where('i.recommendation', '=', f.recommendation);
  if (f.inactiveBefore) q = q.where('i.basis_at', '<=', f.inactiveBefore);
  if (f.undecided) q = q.where('i.decision', 'is', null);
  if (f.accountIds) q = q.where('i.account_id', 'in', f.accountIds.length ? f.accountIds : [-1]);
  if (f.role) q = q.where(sql<SqlBool>`${f.role} = ANY(i.roles)`);
  return q;
}

/** The items of a run inside the caller's scope that match the filter, a page of them, and how many. */
export async function listItems(db: Db, runId: number, scope: Scope, f: ItemFilter, limit: number, offset: number) {
  const q = itemsWhere(db, runId, scope, f);
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.leftJoin('accounts as d', 'd.id', 'i.decided_by').selectAll('i').select('d.name as decider_name')
      .orderBy(sql`i.unit_oid COLLATE "C"`).orderBy('i.username').limit(limit).offset(offset).execute(),
  ]);
  return { total: Number(count.n), rows: rows.map((r) => ({ ...r, run_id: Number(r.run_id), account_id: Number(r.account_id) })) };
}

/** Decided and total items of a run inside the scope (progress). */
export async function progress(db: Db, runId: number, scope: Scope): Promise<{ total: number; decided: number; confirmed: number; reported: number }> {
  const r = await itemsWhere(db, runId, scope, {})
    .select((eb) => [eb.fn.countAll<number>().as('n'), sql<number>`count(i.decision)`.as('d'),
      sql<number>`count(*) FILTER (WHERE i.attestation = 'confirmed')`.as('c'), sql<number>`count(*) FILTER (WHERE i.attestation = 'reported')`.as('w')]).executeTakeFirstOrThrow();
  return { total: Number(r.n), decided: Number(r.d), confirmed: Number(r.c), reported: Number(r.w) };
}

/** How many of the matching items are inactive (keeping them needs a reason). */
export async function countInactive(db: Db, runId: number, scope: Scope, f: ItemFilter): Promise<number> {
  const r = await itemsWhere(db, runId, scope, f).where('i.inactive', '=', true).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Records one decision on every matching item inside the scope, in one UPDATE; returns how many. */
export async function decideItems(trx: Db, runId: number, scope: Scope, f: ItemFilter, d: { decision: Decision; role: string | null; reason: string | null; by: number; at: Date }): Promise<number> {
  let q = trx.updateTable('campaign_items as i')
    .set({ decision: d.decision, decision_role: d.role, reason: d.reason, decided_by: d.by, decided_at: d.at })
    .where('i.run_id', '=', runId).where(withinScope('i.unit_oid', scope));
  if (f.unit) q = q.where(withinJurisdiction('i.unit_oid', f.unit));
  if (f.recommendation) q = q.where('i.recommendation', '=', f.recommendation);
  if (f.inactiveBefore) q = q.where('i.basis_at', '<=', f.inactiveBefore);
  if (f.undecided) q = q.where('i.decision', 'is', null);
  if (f.accountIds) q = q.where('i.account_id', 'in', f.accountIds.length ? f.accountIds : [-1]);
  if (f.role) q = q.where(sql<SqlBool>`${f.role} = ANY(i.roles)`);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

export async function markSigned(trx: Db, id: number, s: { by: number; at: Date; method: 'password' | 'certificate'; evidence: Record<string, unknown> }): Promise<void> {
  await trx.updateTable('campaign_runs').set({ state: 'signed', signed_by: s.by, signed_at: s.at, sign_method: s.method, sign_evidence: JSON.stringify(s.evidence) })
    .where('id', '=', id).execute();
}

type ItemRow = Selectable<CampaignItemsTable> & { decider_name: string | null };
const ITEM_TIMES = ['last_password_at', 'last_certificate_at', 'last_passkey_at', 'basis_at', 'decided_at', 'attested_at'] as const;

/** Items per json_agg value: a million-item review as one value would pass V8's longest string. */
const READ_CHUNK = 50_000;

/**
 * Every item of a run, for execution and the report, in report order. Read as json_agg values of
 * READ_CHUNK items (keyset on unit, username), each parsed by JSON.parse: PGlite hands over each
 * row of a 100k-row result through its wire protocol at some 100 µs a row, where one aggregated
 * value costs a third of that in all.
 */
export async function allItems(db: Db, runId: number) {
  const out: (ItemRow & { run_id: number; account_id: number })[] = [];
  let after: { unit: string; username: string } | null = null;
  for (;;) {
    const from = after ? sql`AND (i.unit_oid COLLATE "C" > ${after.unit} OR (i.unit_oid = ${after.unit} AND i.username > ${after.username}))` : sql``;
    const r = await sql<{ j: string | null }>`SELECT json_agg(x ORDER BY x.unit_oid COLLATE "C", x.username)::text AS j
      FROM (SELECT i.*, d.name AS decider_name FROM campaign_items i LEFT JOIN accounts d ON d.id = i.decided_by
            WHERE i.run_id = ${runId} ${from} ORDER BY i.unit_oid COLLATE "C", i.username LIMIT ${READ_CHUNK}) x`.execute(db);
    const rows = JSON.parse(r.rows[0]?.j ?? '[]') as Record<string, unknown>[];
    for (const x of rows) {
      for (const k of ITEM_TIMES) if (typeof x[k] === 'string') x[k] = new Date(x[k] as string);
      const i = x as unknown as ItemRow;
      out.push({ ...i, run_id: Number(i.run_id), account_id: Number(i.account_id), decided_by: i.decided_by === null ? null : Number(i.decided_by) });
    }
    if (rows.length < READ_CHUNK) return out;
    const last = out[out.length - 1];
    after = { unit: last.unit_oid, username: last.username };
  }
}

/** Claims a signed run's execution for `instance` (free, lapsed or already its own); false when another instance holds it. */
export async function claimExecution(db: Db, id: number, instance: string, now: Date, leaseUntil: Date): Promise<boolean> {
  const r = await db.updateTable('campaign_runs').set({ execute_lease_until: leaseUntil, execute_instance: instance })
    .where('id', '=', id).where('state', '=', 'signed')
    .where((eb) => eb.or([eb('execute_lease_until', 'is', null), eb('execute_lease_until', '<=', now), eb('execute_instance', '=', instance)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releaseExecution(db: Db, id: number, instance: string): Promise<void> {
  await db.updateTable('campaign_runs').set({ execute_lease_until: null, execute_instance: null }).where('id', '=', id).where('execute_instance', '=', instance).execute();
}

/** Signed runs whose execution is not held by a live lease. */
export async function runsToExecute(db: Db, now: Date): Promise<number[]> {
  const rows = await db.selectFrom('campaign_runs').select('id').where('state', '=', 'signed')
    .where((eb) => eb.or([eb('execute_lease_until', 'is', null), eb('execute_lease_until', '<=', now)])).orderBy('id').limit(20).execute();
  return rows.map((r) => Number(r.id));
}

/** The next items of a run not yet carried out, in report order. */
export async function pendingItems(db: Db, runId: number, limit: number) {
  const rows = await db.selectFrom('campaign_items as i').selectAll('i').select(sql<string | null>`null`.as('decider_name'))
    .where('i.run_id', '=', runId).where('i.outcome', 'is', null).orderBy('i.account_id').limit(limit).execute();
  return rows.map((r) => ({ ...r, run_id: Number(r.run_id), account_id: Number(r.account_id) }));
}

export async function accountStateOf(db: Db, id: number): Promise<string | undefined> {
  return (await db.selectFrom('accounts').select('state').where('id', '=', id).executeTakeFirst())?.state;
}

/**
 * Records a batch's outcomes and counts them done, in one transaction, while the lease is
 * `instance`'s (renewed to `leaseUntil`); false when another instance has taken the run over.
 */
export async function setOutcomes(db: Db, runId: number, instance: string, outcomes: { accountId: number; outcome: string }[], leaseUntil: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const held = await trx.updateTable('campaign_runs').set((eb) => ({ execute_lease_until: leaseUntil, executed_items: eb('executed_items', '+', outcomes.length) }))
      .where('id', '=', runId).where('execute_instance', '=', instance).where('state', '=', 'signed').executeTakeFirst();
    if (Number(held.numUpdatedRows) !== 1) return false;
    if (outcomes.length === 0) return true;
    const values = sql.join(outcomes.map((o) => sql`(${o.accountId}::bigint, ${o.outcome}::text)`));
    await sql`UPDATE campaign_items i SET outcome = v.outcome FROM (VALUES ${values}) AS v(account_id, outcome)
      WHERE i.run_id = ${runId} AND i.account_id = v.account_id AND i.outcome IS NULL`.execute(trx);
    return true;
  });
}

export interface StoredReport { csv: string; sha256: string; pdf: Uint8Array; pdfSha256: string; form: Uint8Array; formSha256: string }

/** Keeps the report and closes the run as executed, if `instance` still holds it. */
export async function storeReport(trx: Db, id: number, instance: string, r: StoredReport, at: Date): Promise<boolean> {
  const u = await trx.updateTable('campaign_runs').set({
    state: 'executed', executed_at: at, report_csv: r.csv, report_sha256: r.sha256, report_pdf: r.pdf, report_pdf_sha256: r.pdfSha256, form_pdf: r.form, form_pdf_sha256: r.formSha256,
    execute_lease_until: null, execute_instance: null,
  }).where('id', '=', id).where('state', '=', 'signed').where('execute_instance', '=', instance).executeTakeFirst();
  return Number(u.numUpdatedRows) === 1;
}

/** The stored PDF of a run: the report or the D-06-20 form, with its SHA-256. */
export async function pdfOf(db: Db, id: number, which: 'report' | 'form') {
  const r = which === 'report'
    ? await db.selectFrom('campaign_runs').select(['report_pdf as pdf', 'report_pdf_sha256 as sha256']).where('id', '=', id).executeTakeFirst()
    : await db.selectFrom('campaign_runs').select(['form_pdf as pdf', 'form_pdf_sha256 as sha256']).where('id', '=', id).executeTakeFirst();
  return r?.pdf && r.sha256 ? { pdf: Buffer.from(r.pdf), sha256: r.sha256 } : undefined;
}

/** A system exists (the definition's optional system). */
export async function systemExists(db: Db, code: string): Promise<boolean> {
  return (await db.selectFrom('application_systems').select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
}

/** Open runs whose reminder (from `remindFrom` on, before the deadline) or escalation (past the deadline) is due and not yet sent. */
export async function runsDue(db: Db, kind: 'reminded_at' | 'escalated_at', now: Date, remindBeforeMs: number) {
  let q = db.selectFrom('campaign_runs as r').leftJoin('orgs as o', 'o.oid', 'r.scope_oid')
    .select(['r.id', 'r.name', 'r.scope_oid', 'r.deadline_at', 'r.attestation', 'o.name as scope_name'])
    .where('r.state', '=', 'open').where(kind === 'reminded_at' ? 'r.reminded_at' : 'r.escalated_at', 'is', null);
  q = kind === 'reminded_at'
    ? q.where('r.deadline_at', '<=', new Date(now.getTime() + remindBeforeMs)).where('r.deadline_at', '>', now)
    : q.where('r.deadline_at', '<=', now);
  const rows = await q.orderBy('r.id').limit(100).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Marks the reminder or escalation of a run sent; false when another instance did it first. */
export async function claimNotice(trx: Db, runId: number, kind: 'reminded_at' | 'escalated_at', now: Date): Promise<boolean> {
  const r = await trx.updateTable('campaign_runs').set({ [kind]: now }).where('id', '=', runId).where(kind, 'is', null).where('state', '=', 'open').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Administrators to mail about a run: `reviewers` — holders of a grant of `kinds` whose
 * jurisdiction is the scope or lies inside it; `parents` — holders whose
 * jurisdiction strictly covers the scope (the parent jurisdiction). Enabled, with an e-mail address.
 */
export async function runAdministrators(db: Db, scopeOid: string, kinds: string[], who: 'reviewers' | 'parents') {
  const covers = sql<SqlBool>`(${scopeOid} COLLATE "C" >= g.jurisdiction_oid COLLATE "C" AND ${scopeOid} COLLATE "C" < (g.jurisdiction_oid || '/') COLLATE "C")`;
  const where = who === 'reviewers'
    ? withinJurisdiction('g.jurisdiction_oid', scopeOid)
    : sql<SqlBool>`(${covers} AND g.jurisdiction_oid <> ${scopeOid})`;
  return db.selectFrom('admin_grants as g').innerJoin('accounts as h', 'h.id', 'g.account_id')
    .where('g.kind', 'in', kinds).where(where).where('h.state', '=', 'enabled').where('h.email', 'is not', null)
    .select(['h.id', 'h.email', 'h.name', 'g.jurisdiction_oid']).distinct().orderBy('h.id').execute();
}

/**
 * Review completion per open run (OPS-7 dashboard), counting only the items inside the caller's
 * scope: decided and total, and holders who answered an attestation. One GROUP BY, newest runs first.
 */
export async function completionByRun(db: Db, scope: Scope, limit: number) {
  const rows = await db.selectFrom('campaign_runs as r').innerJoin('campaign_items as i', 'i.run_id', 'r.id')
    .where('r.state', '=', 'open').where(withinScope('i.unit_oid', scope))
    .groupBy(['r.id', 'r.name', 'r.deadline_at'])
    .select((eb) => ['r.id', 'r.name', 'r.deadline_at', eb.fn.countAll<number>().as('n'), sql<number>`count(i.decision)`.as('d')])
    .orderBy('r.id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ runId: Number(r.id), name: r.name, deadlineAt: r.deadline_at, decided: Number(r.d), total: Number(r.n) }));
}
