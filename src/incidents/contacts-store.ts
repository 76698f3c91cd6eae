// INC-1: SQL of the contacts registry: who holds an incident contact role for an agency (role
// grants of the incident system, the agency being that of the holder's unit), the dedicated flag,
// the last confirmation, and the reminder claim.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { agencyOfSql } from './authority-store.ts';

export interface ContactRow { account_id: number; username: string; name: string; role_code: string; dedicated: boolean; email: string | null; mobile: string | null }

export async function contactsOf(db: Db, agencyOid: string, roleCodes: string[]): Promise<ContactRow[]> {
  return db.selectFrom('role_grants as rg').innerJoin('accounts as a', 'a.id', 'rg.account_id')
    .leftJoin('incident_contacts as ic', (j) => j.onRef('ic.account_id', '=', 'rg.account_id').onRef('ic.role_code', '=', 'rg.role_code'))
    .select(['a.id as account_id', 'a.username', 'a.name', 'rg.role_code', sql<boolean>`coalesce(ic.dedicated, false)`.as('dedicated'), 'a.email', 'a.mobile'])
    .where('rg.role_code', 'in', roleCodes).where('a.state', '=', 'enabled')
    // The holder's unit lies in the agency's subtree (index range), and the agency is its nearest non-unit ancestor.
    .where(sql<boolean>`(a.unit_oid COLLATE "C" >= ${agencyOid} AND a.unit_oid COLLATE "C" < ${agencyOid + '/'})`)
    .where(agencyOfSql('a.unit_oid'), '=', agencyOid)
    .orderBy('rg.role_code').orderBy('a.username').execute();
}

/** An account of the agency (its unit's agency), for registering it as a contact. */
export async function accountOfAgency(db: Db, agencyOid: string, username: string) {
  return db.selectFrom('accounts as a').select(['a.id', 'a.username', 'a.name'])
    .where('a.username_norm', '=', username.trim().toLowerCase()).where('a.state', '=', 'enabled')
    .where(agencyOfSql('a.unit_oid'), '=', agencyOid).executeTakeFirst();
}

export async function addContact(trx: Db, accountId: number, roleCode: string, dedicated: boolean, by: number | null, now: Date): Promise<void> {
  await trx.insertInto('role_grants').values({ account_id: accountId, role_code: roleCode, granted_by: by, granted_at: now })
    .onConflict((oc) => oc.columns(['account_id', 'role_code']).doNothing()).execute();
  await trx.insertInto('incident_contacts').values({ account_id: accountId, role_code: roleCode, dedicated, updated_at: now })
    .onConflict((oc) => oc.columns(['account_id', 'role_code']).doUpdateSet({ dedicated, updated_at: now })).execute();
}

export async function removeContact(trx: Db, accountId: number, roleCode: string): Promise<boolean> {
  await trx.deleteFrom('incident_contacts').where('account_id', '=', accountId).where('role_code', '=', roleCode).execute();
  const r = await trx.deleteFrom('role_grants').where('account_id', '=', accountId).where('role_code', '=', roleCode).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function confirmationOf(db: Db, agencyOid: string) {
  return db.selectFrom('incident_contact_confirmations').select(['confirmed_at', 'reminded_at']).where('org_oid', '=', agencyOid).executeTakeFirst();
}

export async function confirm(trx: Db, agencyOid: string, by: number, now: Date): Promise<void> {
  await trx.insertInto('incident_contact_confirmations').values({ org_oid: agencyOid, confirmed_at: now, confirmed_by: by, reminded_at: null })
    .onConflict((oc) => oc.column('org_oid').doUpdateSet({ confirmed_at: now, confirmed_by: by })).execute();
}

/**
 * Claims up to `limit` agencies with contacts whose confirmation is older than the period (or never
 * made) and that were not reminded within the period: marks them reminded and returns them. Two
 * instances never claim the same agency for one period.
 */
export async function claimReminders(trx: Db, roleCodes: string[], now: Date, periodDays: number, limit: number): Promise<string[]> {
  const cutoff = new Date(now.getTime() - periodDays * 86_400_000);
  const agencies = await trx.selectFrom('role_grants as rg').innerJoin('accounts as a', 'a.id', 'rg.account_id')
    .select(agencyOfSql('a.unit_oid').as('agency')).distinct()
    .where('rg.role_code', 'in', roleCodes).where('a.state', '=', 'enabled').execute();
  const oids = agencies.map((r) => r.agency).filter((x): x is string => !!x);
  if (oids.length === 0) return [];
  await trx.insertInto('incident_contact_confirmations').values(oids.map((org_oid) => ({ org_oid, confirmed_at: null, confirmed_by: null, reminded_at: null })))
    .onConflict((oc) => oc.column('org_oid').doNothing()).execute();
  const rows = await trx.updateTable('incident_contact_confirmations').set({ reminded_at: now })
    .where('org_oid', 'in', sql<string>`(SELECT org_oid FROM incident_contact_confirmations WHERE org_oid IN (${sql.join(oids)})
      AND (confirmed_at IS NULL OR confirmed_at <= ${cutoff}) AND (reminded_at IS NULL OR reminded_at <= ${cutoff})
      ORDER BY org_oid LIMIT ${limit} FOR UPDATE SKIP LOCKED)`)
    .returning('org_oid').execute();
  return rows.map((r) => r.org_oid);
}
