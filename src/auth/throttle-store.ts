// SQL of the lock-out counters (AUTH-2): login_throttle rows read by key, one failure counted in a
// single upsert (safe under concurrent logins, across instances), and a counter cleared.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';

export async function findThrottleRows(db: Db, keys: string[]) {
  return db.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute();
}

/**
 * Counts one failure of `key` at `now`: a counter whose window started at or before `windowStart`,
 * or whose lock has run out, starts again at 1. Reaching `threshold` locks it until `lockUntil`
 * (a lock that is still running stays as it is). Returns the new count and lock expiry.
 */
export async function upsertThrottleFailure(db: Db, key: string, now: Date, windowStart: Date, threshold: number, lockUntil: Date) {
  const row = await sql<{ failures: number; locked_until: Date | null }>`
    INSERT INTO login_throttle AS t (key, failures, window_started_at, locked_until)
    VALUES (${key}, 1, ${now}, ${threshold <= 1 ? lockUntil : null})
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.locked_until IS NOT NULL AND t.locked_until <= ${now} OR t.window_started_at <= ${windowStart}
                      THEN 1 ELSE t.failures + 1 END,
      window_started_at = CASE WHEN t.locked_until IS NOT NULL AND t.locked_until <= ${now} OR t.window_started_at <= ${windowStart}
                      THEN ${now} ELSE t.window_started_at END,
      locked_until = CASE WHEN t.locked_until IS NOT NULL AND t.locked_until > ${now} THEN t.locked_until
                      WHEN (CASE WHEN t.locked_until IS NOT NULL AND t.locked_until <= ${now} OR t.window_started_at <= ${windowStart}
                                 THEN 1 ELSE t.failures + 1 END) >= ${threshold} THEN ${lockUntil}
                      ELSE NULL END
    RETURNING failures, locked_until`.execute(db);
  return row.rows[0];
}

/**
 * Takes one try of `key` before the password is compared (AUTH-2, issue 15): counted at once, and
 * refused in the same statement while the key is locked or while its tries (failures and the
 * comparisons under way on any instance) already reach `threshold`. So concurrent guesses never
 * get more comparisons than the threshold. A lock or window that has run out starts again at 1.
 * Undefined: refused (see findThrottleRows for why).
 */
export async function takeThrottleTry(db: Db, key: string, now: Date, windowStart: Date, threshold: number) {
  const fresh = sql`(t.locked_until IS NOT NULL AND t.locked_until <= ${now} OR t.locked_until IS NULL AND t.window_started_at <= ${windowStart})`;
  const row = await sql<{ failures: number }>`
    INSERT INTO login_throttle AS t (key, failures, window_started_at, locked_until) VALUES (${key}, 1, ${now}, NULL)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN ${fresh} THEN 1 ELSE t.failures + 1 END,
      window_started_at = CASE WHEN ${fresh} THEN ${now} ELSE t.window_started_at END,
      locked_until = CASE WHEN ${fresh} THEN NULL ELSE t.locked_until END
    WHERE ${fresh} OR t.locked_until IS NULL AND t.failures < ${threshold}
    RETURNING failures`.execute(db);
  return row.rows[0];
}

/** A wrong password's try stays counted; reaching `threshold` locks the key until `lockUntil`. Returns the lock's end, if locked. */
export async function lockWhenReached(db: Db, key: string, threshold: number, lockUntil: Date): Promise<Date | null> {
  const r = await db.updateTable('login_throttle').set({ locked_until: lockUntil })
    .where('key', '=', key).where('failures', '>=', threshold).where('locked_until', 'is', null)
    .returning('locked_until').executeTakeFirst();
  if (r) return r.locked_until;
  const row = await db.selectFrom('login_throttle').select('locked_until').where('key', '=', key).executeTakeFirst();
  return row?.locked_until ?? null;
}

/** Gives back a try whose password was right (the login went on, or was refused for another reason). */
export async function giveBackThrottleTry(db: Db, key: string): Promise<void> {
  await sql`UPDATE login_throttle SET failures = GREATEST(failures - 1, 0) WHERE key = ${key}`.execute(db);
}

/** Deletes the counter of `key`; returns how many rows went (0 or 1). */
export async function deleteThrottle(db: Db, key: string): Promise<number> {
  const r = await db.deleteFrom('login_throttle').where('key', '=', key).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deletes the counters of these keys (accounts erased). */
export async function deleteThrottleKeys(trx: Db, keys: string[]): Promise<void> {
  await trx.deleteFrom('login_throttle').where('key', 'in', keys).execute();
}
