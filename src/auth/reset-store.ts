// SQL of the forgotten-password codes (AUTH-5): password_resets rows issued, voided by a newer
// one, tried (a try taken before comparing, given back when the code was right), and used once.
import type { Db } from '../db/index.ts';

/** When the account's newest code was issued, for the resend cool-down. */
export async function latestResetIssuedAt(db: Db, accountId: number): Promise<{ created_at: Date } | undefined> {
  return db.selectFrom('password_resets').select('created_at')
    .where('account_id', '=', accountId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}

/** Ends every live, unused code of the account now. */
export async function expireLiveResets(db: Db, accountId: number, now: Date): Promise<void> {
  await db.updateTable('password_resets').set({ expires_at: now })
    .where('account_id', '=', accountId).where('used_at', 'is', null).where('expires_at', '>', now).execute();
}

export async function insertReset(db: Db, accountId: number, codeHash: string, now: Date, expiresAt: Date): Promise<void> {
  await db.insertInto('password_resets').values({
    account_id: accountId, code_hash: codeHash, created_at: now, expires_at: expiresAt,
  }).execute();
}

/**
 * Takes one of the account's newest live code's tries before comparing, in one statement, so that
 * parallel guesses cannot share a try. Returns the code's row when there is a live one with fewer
 * than `maxFailures` tries taken.
 */
export async function takeResetTry(db: Db, accountId: number, now: Date, maxFailures: number) {
  return db.updateTable('password_resets')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', (eb) => eb.selectFrom('password_resets').select('id')
      .where('account_id', '=', accountId).where('used_at', 'is', null).where('expires_at', '>', now)
      .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1))
    .where('failed_attempts', '<', maxFailures)
    .returning(['id', 'code_hash']).executeTakeFirst();
}

export async function giveBackResetTry(db: Db, id: number): Promise<void> {
  await db.updateTable('password_resets')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '-', 1) })).where('id', '=', id).execute();
}

/** Marks the code used and gives its try back; 1 for the one request that wins, 0 for any other. */
export async function markResetUsed(db: Db, id: number, now: Date): Promise<number> {
  const r = await db.updateTable('password_resets').set((eb) => ({ used_at: now, failed_attempts: eb('failed_attempts', '-', 1) }))
    .where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}
