// SQL for accounts. The national ID is sealed (AES-256-GCM) with an HMAC blind index for
// exact search; nothing here returns it in clear.
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
