// SQL for the roles a request names and the role grants an approved one gives or takes (REQ-1..3,
// ADM-7): the roles with their systems and categories, who holds which, and their names for people.
import type { Db } from '../db/index.ts';

/** The registered ones of `codes`, with their systems. */
export async function rolesByCode(trx: Db, codes: string[]) {
  return trx.selectFrom('roles').select(['code', 'system_code']).where('code', 'in', codes).execute();
}

/** The registered ones of `codes`, with their systems' categories. */
export async function roleCategories(trx: Db, codes: string[]) {
  return trx.selectFrom('roles as r').innerJoin('application_systems as s', 's.code', 'r.system_code')
    .select(['r.code', 's.category']).where('r.code', 'in', codes).execute();
}

/** The roles with their own and their systems' names in both languages. */
export async function roleNameRows(db: Db, codes: string[]) {
  return db.selectFrom('roles as r').innerJoin('application_systems as s', 's.code', 'r.system_code')
    .select(['r.code', 'r.name_zh', 'r.name_en', 's.name_zh as sz', 's.name_en as se']).where('r.code', 'in', codes).execute();
}

/** Grants the role; false when the account already held it. `grantedBy` null is the operator's CLI. */
export async function grantRole(trx: Db, accountId: number, roleCode: string, grantedBy: number | null, now: Date): Promise<boolean> {
  const added = await trx.insertInto('role_grants').values({ account_id: accountId, role_code: roleCode, granted_by: grantedBy, granted_at: now })
    .onConflict((oc) => oc.columns(['account_id', 'role_code']).doNothing()).returning('role_code').executeTakeFirst();
  return Boolean(added);
}

/** Takes the role away; false when the account did not hold it. */
export async function revokeRole(trx: Db, accountId: number, roleCode: string): Promise<boolean> {
  const removed = await trx.deleteFrom('role_grants').where('account_id', '=', accountId).where('role_code', '=', roleCode).returning('role_code').executeTakeFirst();
  return Boolean(removed);
}

export async function holdsRole(trx: Db, accountId: number, roleCode: string): Promise<boolean> {
  return Boolean(await trx.selectFrom('role_grants').select('role_code').where('account_id', '=', accountId).where('role_code', '=', roleCode).executeTakeFirst());
}

/** The codes of the roles the account holds. */
export async function heldRoles(trx: Db, accountId: number): Promise<Set<string>> {
  return new Set((await trx.selectFrom('role_grants').select('role_code').where('account_id', '=', accountId).execute()).map((r) => r.role_code));
}
