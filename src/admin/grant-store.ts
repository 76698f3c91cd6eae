// SQL behind giving and revoking administration grants (ADM-1, ADM-2, ADM-7): the organisation a
// grant names, the same grant given twice, the grant row itself, and whom its mail reaches.
import type { Db } from '../db/index.ts';
import type { GrantKind } from '../access/authorize.ts';

/** An organisation with its school code, if it is registered. */
export async function findOrgWithTenantCode(db: Db, oid: string) {
  return db.selectFrom('orgs').select(['oid', 'tenant_code']).where('oid', '=', oid).executeTakeFirst();
}

/** Whether the account already holds a grant of this kind over this jurisdiction. */
export async function holdsSameGrant(trx: Db, accountId: number, kind: GrantKind, jurisdictionOid: string): Promise<boolean> {
  const same = await trx.selectFrom('admin_grants').select('id').where('account_id', '=', accountId).where('kind', '=', kind)
    .where('jurisdiction_oid', '=', jurisdictionOid).executeTakeFirst();
  return same !== undefined;
}

/** Writes the grant; its id. */
export async function insertGrantRow(trx: Db, g: { accountId: number; kind: GrantKind; jurisdictionOid: string; categories: string[] }): Promise<number> {
  const row = await trx.insertInto('admin_grants').values({ account_id: g.accountId, kind: g.kind, jurisdiction_oid: g.jurisdictionOid, categories: g.categories })
    .returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Deletes the grant; false when it was already gone. */
export async function deleteGrantRow(trx: Db, id: number): Promise<boolean> {
  return (await trx.deleteFrom('admin_grants').where('id', '=', id).returning('id').executeTakeFirst()) !== undefined;
}

/** The holder's name, username and e-mail, for the mail about a grant; the account must exist. */
export async function holderContact(trx: Db, accountId: number) {
  return trx.selectFrom('accounts').select(['name', 'username', 'email']).where('id', '=', accountId).executeTakeFirstOrThrow();
}
