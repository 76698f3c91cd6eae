// SQL for the registration-administrator grants a D-06-10 request names (REQ-3, ADM-7): the
// categories a grant may cover, the grant it changes, and removing that grant on approval.
import type { Db } from '../db/index.ts';

/** Every category some registered system is in. */
export async function knownCategories(trx: Db): Promise<Set<string>> {
  return new Set((await trx.selectFrom('application_systems').select('category').distinct().execute()).map((r) => r.category));
}

/** The account's registration-administrator grant `grantId`, if it has one. */
export async function findRegistrationGrant(trx: Db, accountId: number, grantId: number) {
  return trx.selectFrom('admin_grants').select('id').where('account_id', '=', accountId)
    .where('kind', '=', 'registration_admin').where('id', '=', grantId).executeTakeFirst();
}

/** Removes that grant; what it covered, or undefined when it is gone. */
export async function deleteRegistrationGrant(trx: Db, accountId: number, grantId: number) {
  return trx.deleteFrom('admin_grants').where('id', '=', grantId).where('account_id', '=', accountId).where('kind', '=', 'registration_admin')
    .returning(['id', 'jurisdiction_oid', 'categories']).executeTakeFirst();
}

/** What a grant covers, to name it on a request's page. */
export async function grantCoverage(db: Db, grantId: number) {
  return db.selectFrom('admin_grants').select(['jurisdiction_oid', 'categories']).where('id', '=', grantId).executeTakeFirst();
}
