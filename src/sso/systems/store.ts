// SQL of the application-system registry (SSO-1, ADM-6): one system by code, the systems in a
// client.manage scope, the registry's list with owners and roles, owners, categories, and the
// administrators who may grant a system's roles. The rules stay in the modules beside it.
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { type Scope, type SystemScope } from '../../access/authorize.ts';
import { withinScope, withinSystemScope } from '../../access/jurisdiction-sql.ts';

const SYSTEM_COLUMNS = ['code', 'name_zh', 'name_en', 'category', 'owner_oid', 'flags'] as const;
export type SystemRow = { code: string; name_zh: string; name_en: string; category: string; owner_oid: string; flags: Record<string, unknown> };

export async function findSystem(db: Db, code: string): Promise<SystemRow | undefined> {
  return db.selectFrom('application_systems').select([...SYSTEM_COLUMNS]).where('code', '=', code).executeTakeFirst();
}

/** The systems inside a scope over their owner and category (withinSystemScope), by category and code. */
export async function systemsWithin(db: Db, scope: SystemScope): Promise<SystemRow[]> {
  return db.selectFrom('application_systems').select([...SYSTEM_COLUMNS])
    .where(withinSystemScope('owner_oid', 'category', scope))
    .orderBy('category').orderBy('code').execute();
}

const withOwnerName = (db: Db) => db.selectFrom('application_systems as s').leftJoin('orgs as o', 'o.oid', 's.owner_oid')
  .select(['s.code', 's.name_zh', 's.name_en', 's.category', 's.flags', 's.owner_oid', 'o.name as owner_name']);
export type RegistryRow = Awaited<ReturnType<ReturnType<typeof withOwnerName>['execute']>>[number];

/** Every system with its owner's registered name, by category and code. */
export async function registryRows(db: Db): Promise<RegistryRow[]> {
  return withOwnerName(db).orderBy('s.category').orderBy('s.code').execute();
}

export async function findRegistryRow(db: Db, code: string): Promise<RegistryRow | undefined> {
  return (await withOwnerName(db).where('s.code', '=', code).execute())[0];
}

export async function rolesOfSystems(db: Db, codes: string[]) {
  return db.selectFrom('roles').select(['code', 'system_code', 'name_zh', 'name_en']).where('system_code', 'in', codes).orderBy('code').execute();
}

export async function findRoleCategory(db: Db, roleCode: string): Promise<string | undefined> {
  const r = await db.selectFrom('roles as r').innerJoin('application_systems as s', 's.code', 'r.system_code')
    .select('s.category').where('r.code', '=', roleCode).executeTakeFirst();
  return r?.category;
}

export async function systemCategories(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('application_systems').select('category').distinct().execute();
  return rows.map((r) => r.category);
}

export async function isRegisteredOrg(db: Db, oid: string): Promise<boolean> {
  return (await db.selectFrom('orgs').select('oid').where('oid', '=', oid).executeTakeFirst()) !== undefined;
}

export async function setOwnerOid(trx: Db, code: string, ownerOid: string): Promise<void> {
  await trx.updateTable('application_systems').set({ owner_oid: ownerOid }).where('code', '=', code).execute();
}

/**
 * Live accounts holding a grant of `kinds` whose categories cover `category`, inside `scope` (by
 * the grant's jurisdiction), with the agency's name: by jurisdiction, name, id.
 */
export async function grantingAdministrators(db: Db, kinds: string[], category: string, scope: Scope) {
  return db.selectFrom('admin_grants as g').innerJoin('accounts as a', 'a.id', 'g.account_id')
    .leftJoin('orgs as o', 'o.oid', 'g.jurisdiction_oid')
    .select(['g.jurisdiction_oid', 'o.name as agency_name', 'g.kind', 'a.id', 'a.name', 'a.title', 'a.department', 'a.office_phone', 'a.office_ext', 'a.email'])
    .where('g.kind', 'in', kinds)
    .where(sql<boolean>`(${category} = ANY(g.categories) OR '*' = ANY(g.categories))`)
    .where('a.state', 'in', ['enabled', 'not_activated'])
    .where(withinScope('g.jurisdiction_oid', scope))
    .orderBy('g.jurisdiction_oid').orderBy('a.name').orderBy('a.id')
    .execute();
}

/** Every category some registered system is in, in order. */
export async function categoriesInOrder(db: Db): Promise<string[]> {
  return (await db.selectFrom('application_systems').select('category').distinct().orderBy('category').execute()).map((r) => r.category);
}
