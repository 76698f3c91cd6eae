// SQL of tenant (school) accounts (ACC-7..10): tenants by code, the tenant's accounts in the
// actor's scope, the e-mail and national-ID duplicates inside a tenant (ACC-10), main_account
// grants (who holds one, their transfer, the public look-up of holders) and successor candidates.
// The tenant subtree and the actor's scope are both added to the SQL (jurisdiction-sql.ts).
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Database } from '../db/types.ts';
import type { Scope } from '../access/authorize.ts';
import { withinJurisdiction, withinScope } from '../access/jurisdiction-sql.ts';

/** The organisation whose tenant code is `code`. */
export async function orgByTenantCode(db: Db, code: string) {
  return db.selectFrom('orgs').select(['oid', 'tenant_code', 'name']).where('tenant_code', '=', code).executeTakeFirst();
}

/** Those of `oids` that are tenants, by tenant code. */
export async function tenantOrgs(db: Db, oids: string[]) {
  return db.selectFrom('orgs').select(['oid', 'tenant_code', 'name'])
    .where('oid', 'in', oids).where('tenant_code', 'is not', null).orderBy('tenant_code').execute();
}

/** Whether account `a` holds the tenant's main account. */
const holdsMainAccount = (eb: ExpressionBuilder<Database & { a: Database['accounts'] }, 'a'>, tenantOid: string) =>
  eb.exists(eb.selectFrom('admin_grants as g').select('g.id')
    .whereRef('g.account_id', '=', 'a.id').where('g.kind', '=', 'main_account').where('g.jurisdiction_oid', '=', tenantOid));

/** The tenant's accounts that are not deleted, inside `scope`. */
const tenantAccounts = (db: Db, tenantOid: string, scope: Scope) => db.selectFrom('accounts as a')
  .where('a.state', '!=', 'deleted')
  .where(withinJurisdiction('a.unit_oid', tenantOid))
  .where(withinScope('a.unit_oid', scope));

export async function countTenantAccounts(db: Db, tenantOid: string, scope: Scope): Promise<number> {
  return Number((await tenantAccounts(db, tenantOid, scope).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

/** One page of them by username, each with whether it holds the tenant's main account. */
export async function tenantAccountPage(db: Db, tenantOid: string, scope: Scope, limit: number, offset: number) {
  return tenantAccounts(db, tenantOid, scope)
    .select(['a.id', 'a.username', 'a.name', 'a.department', 'a.title', 'a.email', 'a.state'])
    .select((eb) => holdsMainAccount(eb, tenantOid).as('is_holder'))
    .orderBy('a.username').limit(limit).offset(offset).execute();
}

/** The tenant's accounts (not deleted) with this national ID (blind index, if any) or this e-mail (lower case). */
export async function tenantDuplicates(trx: Db, tenantOid: string, nationalIdHmac: string | null, email: string) {
  return trx.selectFrom('accounts').select(['national_id_hmac', 'email'])
    .where('state', '!=', 'deleted').where(withinJurisdiction('unit_oid', tenantOid))
    .where((eb) => eb.or([
      ...(nationalIdHmac ? [eb('national_id_hmac', '=', nationalIdHmac)] : []),
      eb(sql<string>`lower(email)`, '=', email),
    ])).execute();
}

/** Whether an account of the tenant (not deleted) other than `exceptId` has this e-mail (lower case). */
export async function tenantEmailTaken(db: Db, tenantOid: string, email: string, exceptId: number): Promise<boolean> {
  const dup = await db.selectFrom('accounts').select('id').where('state', '!=', 'deleted').where('id', '!=', exceptId)
    .where(withinJurisdiction('unit_oid', tenantOid)).where(sql<string>`lower(email)`, '=', email).limit(1).executeTakeFirst();
  return dup !== undefined;
}

/** The account's main_account grant for the tenant, if it holds one. */
export async function mainAccountGrant(db: Db, accountId: number, tenantOid: string) {
  return db.selectFrom('admin_grants').select(['id', 'categories'])
    .where('account_id', '=', accountId).where('kind', '=', 'main_account').where('jurisdiction_oid', '=', tenantOid).executeTakeFirst();
}

/** Enabled accounts of the tenant inside `scope`, other than `exceptId`, that hold no main account of it; by username. */
export async function successorRows(db: Db, tenantOid: string, scope: Scope, exceptId: number) {
  return db.selectFrom('accounts as a').select(['a.id', 'a.username', 'a.name'])
    .where('a.state', '=', 'enabled').where('a.id', '!=', exceptId)
    .where(withinJurisdiction('a.unit_oid', tenantOid))
    .where(withinScope('a.unit_oid', scope))
    .where((eb) => eb.not(holdsMainAccount(eb, tenantOid)))
    .orderBy('a.username').execute();
}

/** Removes grant `grantId` if `accountId` still holds it; false when it is gone. */
export async function deleteGrantOf(trx: Db, grantId: number, accountId: number): Promise<boolean> {
  return (await trx.deleteFrom('admin_grants').where('id', '=', grantId).where('account_id', '=', accountId)
    .returning('id').executeTakeFirst()) !== undefined;
}

/** Gives the account the tenant's main_account grant with these categories; its id. */
export async function insertMainAccountGrant(trx: Db, accountId: number, tenantOid: string, categories: string[]): Promise<number> {
  return (await trx.insertInto('admin_grants').values({
    account_id: accountId, kind: 'main_account', jurisdiction_oid: tenantOid, categories,
  }).returning('id').executeTakeFirstOrThrow()).id;
}

/** ACC-9: the enabled or not yet activated holders of the tenant's main account, as the public card shows them; by id. */
export async function mainAccountHolders(db: Db, tenantOid: string) {
  return db.selectFrom('admin_grants as g').innerJoin('accounts as a', 'a.id', 'g.account_id')
    .select(['a.name', 'a.department', 'a.title', 'a.office_phone as officePhone', 'a.office_ext as officeExt'])
    .where('g.kind', '=', 'main_account').where('g.jurisdiction_oid', '=', tenantOid)
    .where('a.state', 'in', ['enabled', 'not_activated']).orderBy('a.id').execute();
}
