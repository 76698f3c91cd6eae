// SQL of the token signing keys (SSO-2): sso_signing_keys rows (private parts already encrypted by
// the caller, keys.ts) and the advisory lock that serialises key creation across instances.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { KeyMeta } from './key-plan.ts';

const KEYS_LOCK = 0x55_0c_4e_75;

/** Held until the transaction ends: one instance at a time creates or rotates keys. */
export async function lockKeys(trx: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${KEYS_LOCK})`.execute(trx);
}

export async function insertSigningKeys(trx: Db, rows: { kid: string; alg: string; private_jwk_enc: string; created_at: Date; activates_at: Date }[]): Promise<void> {
  await trx.insertInto('sso_signing_keys').values(rows).execute();
}

export async function keyMetas(db: Db): Promise<KeyMeta[]> {
  const rows = await db.selectFrom('sso_signing_keys').select(['kid', 'alg', 'activates_at']).execute();
  return rows.map((r) => ({ kid: r.kid, alg: r.alg, activatesAt: r.activates_at }));
}

export async function anySigningKey(trx: Db): Promise<boolean> {
  return (await trx.selectFrom('sso_signing_keys').select('kid').limit(1).executeTakeFirst()) !== undefined;
}

export async function deleteSigningKeys(trx: Db, kids: string[]): Promise<void> {
  await trx.deleteFrom('sso_signing_keys').where('kid', 'in', kids).execute();
}

/** The encrypted private JWKs of these keys. */
export async function encryptedKeys(db: Db, kids: string[]): Promise<{ kid: string; private_jwk_enc: string }[]> {
  return db.selectFrom('sso_signing_keys').select(['kid', 'private_jwk_enc']).where('kid', 'in', kids).execute();
}
