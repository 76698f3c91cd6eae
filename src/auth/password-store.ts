// SQL of storing a chosen password (AUTH-3, AUTH-4, AUTH-5): the password history a new one is
// checked against and the previous one goes into, and the activation (開帳) a first chosen
// password brings.
import type { Db } from '../db/index.ts';

/** The hashes of the account's last `limit` history entries, newest first. */
export async function recentPasswordHistory(db: Db, accountId: number, limit: number): Promise<{ hash: string }[]> {
  return db.selectFrom('password_history').select('hash')
    .where('account_id', '=', accountId).orderBy('set_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function insertPasswordHistory(db: Db, accountId: number, hash: string, setAt: Date): Promise<void> {
  await db.insertInto('password_history').values({ account_id: accountId, hash, set_at: setAt }).execute();
}

/** Enables the account if it was not yet activated; returns how many rows changed (0 or 1). */
export async function activateAccount(db: Db, accountId: number, now: Date): Promise<number> {
  const r = await db.updateTable('accounts').set({ state: 'enabled', activated_at: now, updated_at: now })
    .where('id', '=', accountId).where('state', '=', 'not_activated').executeTakeFirst();
  return Number(r.numUpdatedRows);
}
