// SQL behind 角色設定 (ADM-5, ADM-7): the roles with their systems and categories, the roles an
// account holds, and giving and taking them.
import type { Db } from '../db/index.ts';

/** Every role with its system's names and category, by category, system and code. */
export async function rolesWithSystems(db: Db) {
  return db.selectFrom('roles as r').innerJoin('application_systems as s', 's.code', 'r.system_code')
    .select(['r.code', 'r.name_zh', 'r.name_en', 'r.system_code', 's.name_zh as system_zh', 's.name_en as system_en', 's.category'])
    .orderBy('s.category').orderBy('r.system_code').orderBy('r.code').execute();
}

/** The roles the account holds with their own and their systems' names, by code. */
export async function heldRoleNameRows(db: Db, accountId: number) {
  return db.selectFrom('role_grants as g').innerJoin('roles as r', 'r.code', 'g.role_code').innerJoin('application_systems as s', 's.code', 'r.system_code')
    .select(['r.code', 'r.name_zh', 'r.name_en', 's.name_zh as system_zh', 's.name_en as system_en'])
    .where('g.account_id', '=', accountId).orderBy('r.code').execute();
}

/** The codes of the roles the account holds, in code order. */
export async function heldRoleCodesInOrder(db: Db, accountId: number): Promise<string[]> {
  return (await db.selectFrom('role_grants').select('role_code').where('account_id', '=', accountId).orderBy('role_code').execute()).map((r) => r.role_code);
}

/** Gives the roles (one statement); those the account already holds stay as they are. */
export async function giveRoles(trx: Db, accountId: number, roleCodes: string[], grantedBy: number, now: Date): Promise<void> {
  await trx.insertInto('role_grants').values(roleCodes.map((role_code) => ({ account_id: accountId, role_code, granted_by: grantedBy, granted_at: now })))
    .onConflict((oc) => oc.columns(['account_id', 'role_code']).doNothing()).execute();
}

/** Takes the roles away (one statement). */
export async function takeRoles(trx: Db, accountId: number, roleCodes: string[]): Promise<void> {
  await trx.deleteFrom('role_grants').where('account_id', '=', accountId).where('role_code', 'in', roleCodes).execute();
}
