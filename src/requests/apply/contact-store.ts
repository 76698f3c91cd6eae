// SQL of an existing contact's sign-in by one-time code (AUTH-6, REQ-1): the agency's enabled
// accounts that have an e-mail or mobile on record (the drop-down), the one picked, and where a
// resent code goes. The agency's subtree is added to the SQL (jurisdiction-sql.ts).
import type { Db } from '../../db/index.ts';
import { withinJurisdiction } from '../../access/jurisdiction-sql.ts';

/** Enabled accounts of the subtree `orgOid` with an e-mail or a mobile on record. */
const reachableContacts = (db: Db, orgOid: string) => db.selectFrom('accounts')
  .where('state', '=', 'enabled').where(withinJurisdiction('unit_oid', orgOid))
  .where((eb) => eb.or([eb('email', 'is not', null), eb('mobile', 'is not', null)]));

/** At most `limit` of them, by name and id. */
export async function contactRows(db: Db, orgOid: string, limit: number) {
  return reachableContacts(db, orgOid).select(['id', 'name', 'department']).orderBy('name').orderBy('id').limit(limit).execute();
}

/** Whether there is any. */
export async function anyContact(db: Db, orgOid: string): Promise<boolean> {
  return (await reachableContacts(db, orgOid).select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** The enabled account `id` of the subtree `orgOid`, with what the contact's details are matched against. */
export async function findContact(db: Db, id: number, orgOid: string) {
  return db.selectFrom('accounts').select(['id', 'name', 'email', 'mobile'])
    .where('id', '=', id).where('state', '=', 'enabled').where(withinJurisdiction('unit_oid', orgOid)).executeTakeFirst();
}

/** The e-mail and mobile on record of account `id`. */
export async function contactAddresses(db: Db, id: number) {
  return db.selectFrom('accounts').select(['email', 'mobile']).where('id', '=', id).executeTakeFirst();
}
