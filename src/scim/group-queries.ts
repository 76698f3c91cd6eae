// SSO-6 ADM-2 ADM-5: SQL behind SCIM Groups — an application system's roles, and their holders
// inside the token's subtree (withinScope over the unit OID): a holder outside is never listed.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Scope } from '../access/authorize.ts';
import { withinScope } from '../access/jurisdiction-sql.ts';
import type { SqlAttrMap } from './filter/filter-sql.ts';
import { CORE_GROUP } from './schemas.ts';

/** SCIM Group attributes → SQL over `roles r` (id and displayName are the role code, case-exact). */
export const GROUP_ATTRS: SqlAttrMap = {
  id: { schema: CORE_GROUP, type: 'string', caseExact: true, expr: sql.ref('r.code') },
  displayname: { schema: CORE_GROUP, type: 'string', caseExact: true, expr: sql.ref('r.code') },
};

const rolesOf = (db: Db, systemCode: string, where: Expression<SqlBool>) =>
  db.selectFrom('roles as r').where('r.system_code', '=', systemCode).where(where);

export async function countRoles(db: Db, systemCode: string, where: Expression<SqlBool>): Promise<number> {
  const r = await rolesOf(db, systemCode, where).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function roleRows(db: Db, systemCode: string, where: Expression<SqlBool>, limit: number, offset: number) {
  return rolesOf(db, systemCode, where).select(['r.code', 'r.name_zh', 'r.name_en']).orderBy('r.code').limit(limit).offset(offset).execute();
}

/** Live holders of these roles whose unit lies in `scope`, by role and account id. */
export async function roleHolders(db: Db, scope: Scope, roleCodes: string[]) {
  if (roleCodes.length === 0) return [];
  return db.selectFrom('role_grants as g').innerJoin('accounts as a', 'a.id', 'g.account_id')
    .select(['g.role_code', 'a.id', 'a.name', 'a.username'])
    .where('g.role_code', 'in', roleCodes).where('a.state', '!=', 'deleted').where(withinScope('a.unit_oid', scope))
    .orderBy('g.role_code').orderBy('a.id').execute();
}

/** Which of `ids` are live accounts inside `scope`. */
export async function visibleAccountIds(db: Db, scope: Scope, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('accounts as a').select('a.id').where('a.id', 'in', ids).where('a.state', '!=', 'deleted')
    .where(withinScope('a.unit_oid', scope)).execute();
  return new Set(rows.map((r) => Number(r.id)));
}

/** The system's role with this code (none or one). */
export async function roleByCode(db: Db, systemCode: string, code: string) {
  return db.selectFrom('roles as r').select(['r.code', 'r.name_zh', 'r.name_en']).where('r.system_code', '=', systemCode).where('r.code', '=', code).execute();
}

/** The system's role with this code, its row locked until the end of the transaction. */
export async function lockRole(trx: Db, systemCode: string, code: string) {
  return trx.selectFrom('roles as r').select(['r.code', 'r.name_zh', 'r.name_en']).where('r.system_code', '=', systemCode).where('r.code', '=', code).forUpdate().execute();
}

/** Whether a role code exists (in any system: codes are unique across the registry). */
export async function roleCodeExists(db: Db, code: string): Promise<boolean> {
  return Boolean(await db.selectFrom('roles').select('code').where('code', '=', code).executeTakeFirst());
}

/** A role created through SCIM Group POST, owned by `ownerOid`'s subtree. */
export async function insertScimRole(trx: Db, r: { code: string; systemCode: string; name: string; ownerOid: string; tokenId: number; createdBy: number; now: Date }): Promise<void> {
  await trx.insertInto('roles').values({ code: r.code, system_code: r.systemCode, name_zh: r.name, name_en: r.name }).execute();
  await trx.insertInto('scim_roles').values({ role_code: r.code, system_code: r.systemCode, owner_oid: r.ownerOid, token_id: r.tokenId, created_by: r.createdBy, created_at: r.now }).execute();
}

/** The subtree that owns a role created through SCIM; undefined for a role of the central registry. */
export async function scimRoleOwner(db: Db, code: string): Promise<string | undefined> {
  return (await db.selectFrom('scim_roles').select('owner_oid').where('role_code', '=', code).executeTakeFirst())?.owner_oid;
}

/** Whether anyone outside `scope` holds the role (deleted accounts hold nothing). */
export async function heldOutside(db: Db, scope: Scope, code: string): Promise<boolean> {
  const r = await db.selectFrom('role_grants as g').innerJoin('accounts as a', 'a.id', 'g.account_id').select('g.account_id')
    .where('g.role_code', '=', code).where('a.state', '!=', 'deleted').where((eb) => eb.not(withinScope('a.unit_oid', scope))).limit(1).executeTakeFirst();
  return Boolean(r);
}

/** Deletes the role: its grants (returned: holder and unit), then the role (its SCIM ownership goes with it). */
export async function deleteRoleRows(trx: Db, code: string) {
  const taken = await trx.deleteFrom('role_grants as g').where('g.role_code', '=', code).returning('g.account_id').execute();
  const holders = taken.length ? await trx.selectFrom('accounts').select(['id', 'unit_oid']).where('id', 'in', taken.map((t) => t.account_id)).execute() : [];
  await trx.deleteFrom('roles').where('code', '=', code).execute();
  return holders.map((h) => ({ id: Number(h.id), unitOid: h.unit_oid }));
}
