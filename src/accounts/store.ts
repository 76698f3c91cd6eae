// SQL for accounts (ACC-1..5, ACC-10, ORG-4, AUTH-4): finding, creating, moving and changing one,
// its password, and the advisory locks that keep "one person, one account" (ACC-10) true against
// parallel creations. The national ID is sealed (AES-256-GCM) with an HMAC blind index for exact
// search; nothing here returns it in clear.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Account } from '../db/types.ts';
import type { Keyring } from '../platform/crypto.ts';
import type { Profile } from './profile.ts';
import { normaliseUsername } from './username.ts';

export const nationalIdIndex = (keyring: Keyring, nationalId: string) => keyring.mac('national-id', nationalId);

export async function findAccountByUsername(db: Db, username: string): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('username_norm', '=', normaliseUsername(username)).executeTakeFirst();
}

/** An account by id, which must exist (one's own, from the session). */
export async function getAccount(db: Db, id: number): Promise<Account> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** What a notice after a redirect names of an account: username, e-mail and unit. */
export async function accountNotice(db: Db, id: number): Promise<{ username: string; email: string | null; unit_oid: string } | undefined> {
  return db.selectFrom('accounts').select(['username', 'email', 'unit_oid']).where('id', '=', id).executeTakeFirst();
}

export async function insertAccount(db: Db, keyring: Keyring, now: Date, a: {
  username: string; unitOid: string; state: string; profile: Profile;
}): Promise<number> {
  const p = a.profile;
  const row = await db.insertInto('accounts').values({
    username: a.username.trim(),
    username_norm: normaliseUsername(a.username),
    unit_oid: a.unitOid,
    state: a.state,
    name: p.name,
    national_id_enc: p.nationalId ? keyring.encrypt(p.nationalId) : null,
    national_id_hmac: p.nationalId ? nationalIdIndex(keyring, p.nationalId) : null,
    birth_month: p.birthMonth, birth_day: p.birthDay, email: p.email, mobile: p.mobile, title: p.title,
    department: p.department, address: p.address, office_phone: p.officePhone, office_ext: p.officeExt,
    fax: p.fax, staff_code: p.staffCode, postal_code: p.postalCode,
    created_at: now, updated_at: now,
    activated_at: a.state === 'enabled' ? now : null,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function setPassword(db: Db, accountId: number, hash: string, now: Date,
  kind: 'password' | 'initial' | 'one_day', mustChange: boolean, expiresAt: Date | null): Promise<void> {
  await db.insertInto('passwords')
    .values({ account_id: accountId, hash, set_at: now, kind, must_change: mustChange, expires_at: expiresAt })
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ hash, set_at: now, kind, must_change: mustChange, expires_at: expiresAt }))
    .execute();
}

export async function getPassword(db: Db, accountId: number) {
  return db.selectFrom('passwords').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

/** An account that is not deleted, with what a tenant's pages act on (ACC-7). */
export async function findUndeletedAccount(db: Db, id: number) {
  return db.selectFrom('accounts').select(['id', 'username', 'name', 'email', 'state', 'unit_oid'])
    .where('id', '=', id).where('state', '!=', 'deleted').executeTakeFirst();
}

/** An account's id, username, name and e-mail; it must exist. */
export async function getAccountNameAndEmail(db: Db, id: number) {
  return db.selectFrom('accounts').select(['id', 'username', 'name', 'email']).where('id', '=', id).executeTakeFirstOrThrow();
}

/** Locks the account's row; its state, or undefined when there is no such account. */
export async function lockAccountState(trx: Db, id: number) {
  return trx.selectFrom('accounts').select('state').where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * Whether an account that is not deleted (pending ones count) has the national ID with this blind
 * index — other than `exceptId`, the account being changed (ACC-10: one person, one account).
 */
export async function nationalIdInUse(db: Db, hmac: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('accounts').select('id').where('national_id_hmac', '=', hmac).where('state', '!=', 'deleted');
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}

/** Locks the organisation's row against removal while an account moves there; false when none is registered at `oid`. */
export async function lockUnitForShare(trx: Db, oid: string): Promise<boolean> {
  return (await trx.selectFrom('orgs').select('oid').where('oid', '=', oid).forShare().executeTakeFirst()) !== undefined;
}

/** ORG-4: the account's new unit. */
export async function setAccountUnit(trx: Db, id: number, unitOid: string, now: Date): Promise<void> {
  await trx.updateTable('accounts').set({ unit_oid: unitOid, updated_at: now }).where('id', '=', id).execute();
}

export type AccountFields = Partial<Pick<Account, 'birth_month' | 'birth_day' | 'email' | 'mobile' | 'title' | 'department' | 'address'
  | 'office_phone' | 'office_ext' | 'fax' | 'staff_code' | 'postal_code'>>;

/** ACC-5: writes the given profile columns of the account. */
export async function updateAccountFields(trx: Db, id: number, set: AccountFields, now: Date): Promise<void> {
  await trx.updateTable('accounts').set({ ...set, updated_at: now }).where('id', '=', id).execute();
}

export async function setAccountState(trx: Db, id: number, state: string, now: Date): Promise<void> {
  await trx.updateTable('accounts').set({ state, updated_at: now }).where('id', '=', id).execute();
}

/** A lock held until the transaction ends, on a name (hashed to the lock's key). */
async function lockName(trx: Db, name: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
}

/** Serialises account creations in one tenant (ACC-7, ACC-10), and main-account transfers (ACC-8). */
export const lockTenantAccounts = (trx: Db, tenantOid: string): Promise<void> => lockName(trx, 'tenant:' + tenantOid);

/** Serialises account creations with one national ID (its blind index), across tenants (ACC-10). */
export const lockNationalId = (trx: Db, hmac: string): Promise<void> => lockName(trx, 'national-id:' + hmac);
