// SQL of passkeys (AUTH-11): the credentials of an account, the one-time ceremony challenges, and
// what a passkey sign-in needs about the credential's account in one round trip.
import type { Db } from '../db/index.ts';
import type { Account } from '../db/types.ts';
import type { PolicySettings } from '../orgs/policy.ts';
import { policyPathOf, unitPolicies } from './store.ts';

export interface PasskeyRow {
  id: number; account_id: number; credential_id: string; public_key: Uint8Array; counter: number; transports: string[];
  aaguid: string; backup_eligible: boolean; backup_state: boolean; name: string; created_at: Date; last_used_at: Date | null;
}

export interface NewChallenge { id: string; challenge: string; purpose: 'register' | 'login' | 'cert-login' | 'cert-register'; bindingHash: string; accountId: number | null; expiresAt: Date }

/** Stores a challenge; expired ones are swept on the way (they are never read again). */
export async function insertChallenge(db: Db, c: NewChallenge, now: Date): Promise<void> {
  await db.deleteFrom('passkey_challenges').where('expires_at', '<', now).execute();
  await db.insertInto('passkey_challenges').values({
    id: c.id, challenge: c.challenge, purpose: c.purpose, binding_hash: c.bindingHash, account_id: c.accountId, expires_at: c.expiresAt,
  }).execute();
}

/** Takes a challenge out (single use): whatever the answer, the row is gone afterwards. */
export async function takeChallenge(db: Db, id: string) {
  return db.deleteFrom('passkey_challenges').where('id', '=', id).returningAll().executeTakeFirst();
}

export async function passkeysOf(db: Db, accountId: number): Promise<PasskeyRow[]> {
  return db.selectFrom('passkeys').selectAll().where('account_id', '=', accountId).orderBy('id').execute() as Promise<PasskeyRow[]>;
}

export async function countPasskeys(db: Db, accountId: number): Promise<number> {
  const r = await db.selectFrom('passkeys').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertPasskey(db: Db, p: Omit<PasskeyRow, 'id' | 'last_used_at'>): Promise<number> {
  const r = await db.insertInto('passkeys').values({ ...p, public_key: Buffer.from(p.public_key) })
    .onConflict((oc) => oc.column('credential_id').doNothing()).returning('id').executeTakeFirst();
  return r?.id ?? 0;
}

export async function deletePasskey(db: Db, accountId: number, id: number): Promise<PasskeyRow | undefined> {
  return db.deleteFrom('passkeys').where('id', '=', id).where('account_id', '=', accountId).returningAll().executeTakeFirst() as Promise<PasskeyRow | undefined>;
}

export async function renamePasskey(db: Db, accountId: number, id: number, name: string): Promise<boolean> {
  const r = await db.updateTable('passkeys').set({ name }).where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Records a verified use: the new counter, the backup state the authenticator reported, the time.
 * The counter moves only forwards (`expected` is the value read before verifying), so two
 * instances verifying the same assertion at once cannot both succeed.
 */
export async function recordPasskeyUse(db: Db, id: number, expected: number, counter: number, backupState: boolean, now: Date): Promise<boolean> {
  const r = await db.updateTable('passkeys').set({ counter, backup_state: backupState, last_used_at: now })
    .where('id', '=', id).where('counter', '=', expected).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export interface PasskeySubject {
  passkey: PasskeyRow;
  account: Account;
  policyPath: { oid: string; settings: PolicySettings }[];
}

/** A credential by its id, with its account and the policies along the account's unit path. */
export async function loadPasskeySubject(db: Db, credentialId: string): Promise<PasskeySubject | undefined> {
  const row = await db.selectFrom('passkeys as k')
    .innerJoin('accounts as a', 'a.id', 'k.account_id')
    .selectAll('a')
    .select([
      'k.id as k_id', 'k.credential_id as k_credential_id', 'k.public_key as k_public_key', 'k.counter as k_counter', 'k.transports as k_transports',
      'k.aaguid as k_aaguid', 'k.backup_eligible as k_backup_eligible', 'k.backup_state as k_backup_state', 'k.name as k_name',
      'k.created_at as k_created_at', 'k.last_used_at as k_last_used_at',
      unitPolicies.as('policies'),
    ])
    .where('k.credential_id', '=', credentialId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { k_id, k_credential_id, k_public_key, k_counter, k_transports, k_aaguid, k_backup_eligible, k_backup_state, k_name, k_created_at, k_last_used_at, policies, ...account } = row;
  return {
    passkey: {
      id: k_id, account_id: account.id, credential_id: k_credential_id, public_key: new Uint8Array(k_public_key), counter: Number(k_counter),
      transports: k_transports, aaguid: k_aaguid, backup_eligible: k_backup_eligible, backup_state: k_backup_state, name: k_name,
      created_at: k_created_at, last_used_at: k_last_used_at,
    },
    account: account as Account,
    policyPath: policyPathOf(account.unit_oid, policies),
  };
}
