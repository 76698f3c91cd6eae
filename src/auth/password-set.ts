// Setting a password the user chose (AUTH-3): the rules, the history rule and the store, shared
// by changing one's own password and by the forgotten-password reset (AUTH-5).
import type { Selectable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { PasswordsTable } from '../db/types.ts';
import type { PasswordHasher } from '../platform/deps.ts';
import type { Policy } from '../orgs/policy.ts';
import { setPassword } from '../accounts/store.ts';
import { passwordChecker, type PasswordError } from './password-policy.ts';
import { oneDayReplacementErrors } from './issued-passwords.ts';
import { activateAccount, insertPasswordHistory, recentPasswordHistory } from './password-store.ts';

type StoredPassword = Pick<Selectable<PasswordsTable>, 'hash' | 'kind' | 'set_at'>;

/** True when `password` matches the current hash or one of the last `n` stored in history. */
export async function isReused(db: Db, hasher: PasswordHasher, accountId: number, currentHash: string | undefined, password: string, n: number): Promise<boolean> {
  if (n <= 0) return false;
  const history = await recentPasswordHistory(db, accountId, currentHash ? n - 1 : n);
  for (const h of [...(currentHash ? [currentHash] : []), ...history.map((r) => r.hash)]) {
    if (await hasher.verify(h, password)) return true;
  }
  return false;
}

/** Every rule the new password breaks under `policy`, history last (it costs argon2 verifies). */
export async function newPasswordErrors(db: Db, hasher: PasswordHasher, a: {
  accountId: number; username: string; current: StoredPassword | undefined; next: string; confirm: string; policy: Policy;
}): Promise<PasswordError[]> {
  const errors = (await passwordChecker()).check(a.next, a.username, a.policy);
  // AUTH-7: replacing a one-day password needs 12+ characters with upper, lower and digits,
  // whatever the unit's policy says (it may ask for less).
  if (a.current?.kind === 'one_day') {
    for (const e of oneDayReplacementErrors(a.next)) if (!errors.includes(e)) errors.push(e);
  }
  if (a.next !== a.confirm) errors.push('password.mismatch');
  if (errors.length === 0 && (await isReused(db, hasher, a.accountId, a.current?.hash, a.next, a.policy['password.history']))) {
    errors.push('password.reused');
  }
  return errors;
}

/**
 * Stores a chosen password in the caller's transaction: the previous chosen one goes to history,
 * and a not-yet-activated account becomes enabled. Returns whether it was activated.
 */
export async function storeChosenPassword(trx: Db, accountId: number, previous: StoredPassword | undefined, hash: string, now: Date): Promise<boolean> {
  // Only chosen passwords count as history; issued initial/one-day passwords are not the user's.
  if (previous?.kind === 'password') {
    await insertPasswordHistory(trx, accountId, previous.hash, previous.set_at);
  }
  await setPassword(trx, accountId, hash, now, 'password', false, null);
  return (await activateAccount(trx, accountId, now)) > 0;
}
