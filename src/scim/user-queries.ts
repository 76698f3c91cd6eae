// SSO-6 ADM-2: SQL behind SCIM Users. The SCIM attributes as SQL expressions (the filter and sort
// map), and the reads: every one carries the jurisdiction predicate (withinScope over the unit OID
// for the token's narrowed actor), so an account outside is never read, listed or counted.
import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { AccountsTable, Database } from '../db/types.ts';
import { properPrefixes } from '../orgs/oid.ts';
import type { Db } from '../db/index.ts';
import type { Scope } from '../access/authorize.ts';
import { withinScope } from '../access/jurisdiction-sql.ts';
import type { SqlAttrMap, Sql } from './filter/filter-sql.ts';
import { CORE_USER, ENTERPRISE_USER, TESSERA_USER } from './schemas.ts';

/** The agency (or school) enclosing an account's unit: the nearest ancestor organisation of that kind (as in the OIDC claims). */
const agencyOf = (column: 'oid' | 'name') => sql`(SELECT o.${sql.ref(column)} FROM orgs o
  WHERE o.kind IN ('agency', 'school') AND o.oid = ANY (ARRAY(
    SELECT array_to_string((string_to_array(a.unit_oid, '.'))[1:n], '.')
    FROM generate_series(1, cardinality(string_to_array(a.unit_oid, '.'))) AS n))
  ORDER BY length(o.oid) DESC LIMIT 1)`;

const col = (c: string): Sql => sql.ref(`a.${c}`);
const text = (v: string): Sql => sql`${v}::text`;
const str = (expr: Sql, caseExact = false) => ({ type: 'string' as const, caseExact, expr });

/** SCIM User attributes → SQL over `accounts a` (RFC 7643 §4.1; userName case-insensitive, id case-exact). */
export const USER_ATTRS: SqlAttrMap = {
  id: {
    schema: CORE_USER, ...str(sql`a.id::text`, true),
    // The primary key serves `id eq "…"`; a value that is not a row id matches nothing.
    eq: (v) => /^[1-9][0-9]{0,9}$/.test(v) && Number(v) <= 2_147_483_647 ? sql`a.id = ${Number(v)}` : null,
  },
  username: { schema: CORE_USER, ...str(col('username_norm')), storedLower: true },
  displayname: { schema: CORE_USER, ...str(col('name')) },
  name: { schema: CORE_USER, complex: { formatted: str(col('name')) } },
  title: { schema: CORE_USER, ...str(col('title')) },
  active: { schema: CORE_USER, type: 'boolean', caseExact: true, expr: sql`(a.state IN ('enabled', 'not_activated'))` },
  emails: { schema: CORE_USER, multi: true, values: [
    { present: sql`(a.email IS NOT NULL)`, subs: { value: str(col('email')), type: str(text('work')), primary: { type: 'boolean', caseExact: true, expr: sql`true` } } },
  ] },
  phonenumbers: { schema: CORE_USER, multi: true, values: [
    { present: sql`(a.office_phone IS NOT NULL)`, subs: { value: str(col('office_phone')), type: str(text('work')) } },
    { present: sql`(a.mobile IS NOT NULL)`, subs: { value: str(col('mobile')), type: str(text('mobile')) } },
  ] },
  meta: { schema: CORE_USER, complex: {
    created: { type: 'dateTime', caseExact: true, expr: col('created_at') },
    lastmodified: { type: 'dateTime', caseExact: true, expr: col('updated_at') },
  } },
  department: { schema: ENTERPRISE_USER, ...str(col('department')) },
  employeenumber: { schema: ENTERPRISE_USER, ...str(col('staff_code')) },
  organization: { schema: ENTERPRISE_USER, ...str(agencyOf('name')) },
  unitoid: { schema: TESSERA_USER, ...str(col('unit_oid'), true) },
  organizationoid: { schema: TESSERA_USER, ...str(agencyOf('oid'), true) },
  organizationname: { schema: TESSERA_USER, ...str(agencyOf('name')) },
  officephone: { schema: TESSERA_USER, ...str(col('office_phone')) },
};

/**
 * The attribute map for one calling system: USER_ATTRS plus `externalId`, the system's own
 * (case-exact, RFC 7643 §3.1). `externalId eq` is served by the (system, externalId) unique index.
 */
export function userAttrs(systemCode: string): SqlAttrMap {
  return {
    ...USER_ATTRS,
    externalid: {
      schema: CORE_USER, ...str(sql`(SELECT e.external_id FROM scim_external_ids e WHERE e.system_code = ${systemCode} AND e.account_id = a.id)`, true),
      eq: (v) => sql`a.id IN (SELECT e.account_id FROM scim_external_ids e WHERE e.system_code = ${systemCode} AND e.external_id = ${v})`,
    },
  };
}

export interface UserPage { where: Expression<SqlBool>; sort: Sql | null; descending: boolean; limit: number; offset: number }

const scoped = (db: Db, scope: Scope, where: Expression<SqlBool>) => db.selectFrom('accounts as a')
  .where('a.state', '!=', 'deleted').where(withinScope('a.unit_oid', scope)).where(where);

/** How many live accounts inside `scope` match. */
export async function countUsers(db: Db, scope: Scope, where: Expression<SqlBool>): Promise<number> {
  const r = await scoped(db, scope, where).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The SCIM columns over `accounts a`: unit name and the system's externalId (the agency comes apart: withAgencies). */
function withColumns<Q extends SelectQueryBuilder<Database & { a: AccountsTable }, 'a', object>>(q: Q, systemCode: string) {
  return q.leftJoin('orgs as u', 'u.oid', 'a.unit_oid')
    .leftJoin('scim_external_ids as e', (j) => j.onRef('e.account_id', '=', 'a.id').on('e.system_code', '=', systemCode))
    .select(['a.id', 'a.username', 'a.name', 'a.state', 'a.email', 'a.mobile', 'a.title', 'a.department', 'a.office_phone', 'a.office_ext', 'a.staff_code',
      'a.unit_oid', 'a.created_at', 'a.updated_at', 'u.name as unit_name', 'e.external_id']);
}

/**
 * The agency (or school) enclosing each row's unit — its nearest such ancestor, itself included —
 * by one plain look-up of every ancestor OID (computed here). As a lateral sub-select in the page
 * statement it cost PostgreSQL 2–35 ms of planning per request for well under 1 ms of work
 * (bench/scim), more than everything else the request does.
 */
async function withAgencies<R extends { unit_oid: string }>(db: Db, rows: R[]): Promise<(R & { org_oid: string | null; org_name: string | null })[]> {
  if (rows.length === 0) return [];
  const wanted = [...new Set(rows.flatMap((r) => [r.unit_oid, ...properPrefixes(r.unit_oid)]))];
  const found = await db.selectFrom('orgs').select(['oid', 'name']).where('kind', 'in', ['agency', 'school'])
    .where(sql<SqlBool>`oid = ANY (${sql.val(wanted)}::text[])`).execute();
  const byOid = new Map(found.map((o) => [o.oid, o.name]));
  return rows.map((r) => {
    const oid = [r.unit_oid, ...properPrefixes(r.unit_oid)].find((o) => byOid.has(o)) ?? null;
    return { ...r, org_oid: oid, org_name: oid === null ? null : byOid.get(oid)! };
  });
}

/**
 * One page of matching accounts inside `scope`, with their SCIM columns, in one statement: by the
 * sort attribute (nulls last), then id; without one, by unit (byte order) and id, which the
 * subtree index (accounts_unit_c) serves as it is. The page is cut first (a derived table), so the
 * joins run for its rows only, never for the rows OFFSET skips; then the agencies, in one look-up.
 */
export async function pageUserRows(db: Db, scope: Scope, p: UserPage, systemCode: string) {
  return withAgencies(db, await pageUserRowsQuery(db, scope, p, systemCode).execute());
}

/**
 * The statement of pageUserRows, unexecuted (the benchmark EXPLAINs it). The page is cut over ids
 * alone, so without a sortBy the subtree index (unit, id, INCLUDE state) answers it by an
 * index-only scan however far OFFSET reaches; the rows' columns are read for the page only.
 */
export function pageUserRowsQuery(db: Db, scope: Scope, p: UserPage, systemCode: string) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const order = <Q extends SelectQueryBuilder<any, any, any>>(q: Q): Q => {
    const sorted = p.sort ? q.orderBy(sql`${p.sort} ${sql.raw(p.descending ? 'DESC NULLS LAST' : 'ASC NULLS LAST')}`) : q.orderBy(sql`a.unit_oid COLLATE "C"`);
    return sorted.orderBy('a.id', p.descending && p.sort ? 'desc' : 'asc') as Q;
  };
  const page = order(scoped(db, scope, p.where).select('a.id')).limit(p.limit).offset(p.offset);
  return order(withColumns(db.selectFrom(page.as('pg')).innerJoin('accounts as a', 'a.id', 'pg.id'), systemCode));
}

/** The SCIM columns of these accounts (inside `scope`). */
export async function userRows(db: Db, scope: Scope, ids: number[], systemCode: string) {
  if (ids.length === 0) return [];
  return withAgencies(db, await withColumns(scoped(db, scope, sql<SqlBool>`a.id = ANY (${sql.val(ids)}::bigint[])`), systemCode).execute());
}
/** Locks a live account's row until the end of the transaction (a write's If-Match is compared under it). */
export async function lockUserRow(trx: Db, id: number): Promise<void> {
  await trx.selectFrom('accounts').select('id').where('id', '=', id).forUpdate().execute();
}

export type UserRow = Awaited<ReturnType<typeof userRows>>[number];

/** The live account holding this externalId for the system, if any. */
export async function externalIdHolder(db: Db, systemCode: string, externalId: string): Promise<number | undefined> {
  const r = await db.selectFrom('scim_external_ids as e').innerJoin('accounts as a', 'a.id', 'e.account_id').select('a.id')
    .where('e.system_code', '=', systemCode).where('e.external_id', '=', externalId).where('a.state', '!=', 'deleted').executeTakeFirst();
  return r ? Number(r.id) : undefined;
}

/**
 * Sets (or, with null, clears) the system's externalId of an account. A deleted account (a
 * tombstone) gives its externalId up, so the client may use it again; a live holder makes the
 * unique index refuse (23505).
 */
export async function setExternalIdRow(trx: Db, systemCode: string, accountId: number, externalId: string | null): Promise<void> {
  if (externalId === null) {
    await trx.deleteFrom('scim_external_ids').where('system_code', '=', systemCode).where('account_id', '=', accountId).execute();
    return;
  }
  await trx.deleteFrom('scim_external_ids').where('system_code', '=', systemCode).where('external_id', '=', externalId)
    .where('account_id', 'in', (eb) => eb.selectFrom('accounts').select('id').where('state', '=', 'deleted')).execute();
  await trx.insertInto('scim_external_ids').values({ system_code: systemCode, account_id: accountId, external_id: externalId })
    .onConflict((oc) => oc.columns(['system_code', 'account_id']).doUpdateSet({ external_id: externalId })).execute();
}
