// Issue 15 (OPS-2): is this TESSERA_SECRET_KEY the one the database was first started with? A
// keyed check value (an HMAC of a fixed text) is stored at the first start; a different key gives
// a different value. The value tells nothing about the key, and no message names the key.
import type { Db } from '../db/index.ts';
import type { Keyring } from './crypto.ts';
import { insertKeyCheckIfAbsent, storedKeyCheck } from './key-check-store.ts';

export class SecretKeyMismatch extends Error {}

export function keyCheckValue(keyring: Keyring): string {
  return keyring.mac('key-check', 'tessera key check v1');
}

/** At start: stores the check value on a new database, refuses a key that does not match it. */
export async function ensureSecretKey(db: Db, keyring: Keyring, now: Date): Promise<void> {
  const mine = keyCheckValue(keyring);
  // Two instances starting together on an empty database: one row wins, both then compare with it.
  await insertKeyCheckIfAbsent(db, mine, now);
  if ((await storedKeyCheck(db)) !== mine) {
    throw new SecretKeyMismatch('TESSERA_SECRET_KEY is not the key this database was first started with (its keyed check value differs): '
      + 'start with the same key as the other instances, or the key in use when the backup was made');
  }
}

/** For /readyz: true when the stored value matches (or none is stored yet). */
export async function secretKeyMatches(db: Db, keyring: Keyring): Promise<boolean> {
  const stored = await storedKeyCheck(db);
  return stored === undefined || stored === keyCheckValue(keyring);
}
