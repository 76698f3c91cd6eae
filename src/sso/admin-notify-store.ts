// SQL of who hears of a client change (SSO-1, SSO-2): the candidate administrators' grants (the
// rule in admin-notify.ts decides among them) and the name of the one who made the change.
import type { Db } from '../db/index.ts';

/**
 * Grants of `kinds` that are central or whose jurisdiction is one of `roots`, held by enabled
 * accounts with an e-mail address other than `exceptId`: one row per grant, by account.
 */
export async function clientAdministratorGrants(trx: Db, kinds: string[], roots: string[], exceptId: number) {
  return trx.selectFrom('admin_grants as g').innerJoin('accounts as a', 'a.id', 'g.account_id')
    .select(['a.id', 'a.name', 'a.email', 'g.kind', 'g.jurisdiction_oid', 'g.categories'])
    .where('g.kind', 'in', kinds)
    .where((eb) => eb.or([eb('g.kind', '=', 'central'), eb('g.jurisdiction_oid', 'in', roots)]))
    .where('a.state', '=', 'enabled').where('a.email', 'is not', null).where('a.id', '!=', exceptId)
    .orderBy('a.id').execute();
}

export async function accountName(db: Db, accountId: number): Promise<string | undefined> {
  return (await db.selectFrom('accounts').select('name').where('id', '=', accountId).executeTakeFirst())?.name;
}
