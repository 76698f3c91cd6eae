// SQL behind reading administration grants (ADM-1, ADM-2, ADM-7): the grants inside a grant scope
// (withinScope on the grant's jurisdiction, holders not deleted), the system categories and their
// names, and the organisation a person typed.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Scope } from '../access/authorize.ts';
import { withinJurisdiction, withinScope } from '../access/jurisdiction-sql.ts';

/** Every system's category and names, by category and code. */
export async function systemNamesByCategory(db: Db) {
  return db.selectFrom('application_systems').select(['category', 'name_zh', 'name_en']).orderBy('category').orderBy('code').execute();
}

/** The first organisation, in OID order, whose OID, agency code (any case) or school code is `q`. */
export async function findOrgByIdentifier(db: Db, q: string) {
  return db.selectFrom('orgs').select(['oid', 'name', 'tenant_code'])
    .where(sql<boolean>`(oid = ${q} OR upper(agency_code) = upper(${q}) OR tenant_code = ${q})`)
    .orderBy('oid').limit(1).executeTakeFirst();
}

function grantsQuery(db: Db, scope: Scope) {
  return db.selectFrom('admin_grants as g').innerJoin('accounts as a', 'a.id', 'g.account_id').leftJoin('orgs as o', 'o.oid', 'g.jurisdiction_oid')
    .where('a.state', '!=', 'deleted').where(withinScope('g.jurisdiction_oid', scope));
}

const COLUMNS = ['g.id', 'g.account_id', 'a.username', 'a.name', 'a.unit_oid', 'g.kind', 'g.jurisdiction_oid', 'o.name as org_name', 'g.categories', 'g.created_at'] as const;

/** What a list narrows grants to: a kind, a jurisdiction subtree, a holder. */
export interface GrantMatch { kind?: string; jurisdiction?: string; accountId?: number }

/** The grants inside `scope` that match: how many, and one page of them by jurisdiction, kind, holder's username and id. */
export async function grantRows(db: Db, scope: Scope, m: GrantMatch, limit: number, offset: number) {
  let q = grantsQuery(db, scope);
  if (m.kind) q = q.where('g.kind', '=', m.kind);
  if (m.jurisdiction) q = q.where(withinJurisdiction('g.jurisdiction_oid', m.jurisdiction));
  if (m.accountId !== undefined) q = q.where('g.account_id', '=', m.accountId);
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.select([...COLUMNS]).orderBy('g.jurisdiction_oid').orderBy('g.kind').orderBy('a.username').orderBy('g.id')
      .limit(limit).offset(offset).execute(),
  ]);
  return { total: Number(count.n), rows };
}

/** The grant `id` when it lies inside `scope`. */
export async function grantRowInScope(db: Db, scope: Scope, id: number) {
  return grantsQuery(db, scope).select([...COLUMNS]).where('g.id', '=', id).executeTakeFirst();
}
