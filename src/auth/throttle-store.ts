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
 * Takes one try of `key` before the password is compared (AUTH-2, issue 15): the same count as
 * upsertThrottleFailure, but refused in the same statement while the key is locked, so concurrent
 * guesses on any number of instances never get more tries than the threshold. Undefined: locked.
 */
export async function takeThrottleTry(db: Db, key: string, now: Date, windowStart: Date, threshold: number, lockUntil: Date) {
  const row = await sql<{ failures: number; locked_until: Date | null }>`
    INSERT INTO login_throttle AS t (key, failures, window_started_at, locked_until)
    VALUES (${key}, 1, ${now}, ${threshold <= 1 ? lockUntil : null}::timestamptz)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.locked_until IS NOT NULL OR t.window_started_at <= ${windowStart} THEN 1 ELSE t.failures + 1 END,
      window_started_at = CASE WHEN t.locked_until IS NOT NULL OR t.window_started_at <= ${windowStart} THEN ${now} ELSE t.window_started_at END,
      locked_until = CASE WHEN (CASE WHEN t.locked_until IS NOT NULL OR t.window_started_at <= ${windowStart} THEN 1 ELSE t.failures + 1 END) >= ${threshold}
                          THEN ${lockUntil}::timestamptz ELSE NULL END
    WHERE t.locked_until IS NULL OR t.locked_until <= ${now}
    RETURNING failures, locked_until`.execute(db);
  return row.rows[0];
}

/** Gives back a try taken by a right password that was refused later (disabled, pending…); unlocks only the lock that try set. */
export async function giveBackThrottleTry(db: Db, key: string, lockedByIt: Date | null): Promise<void> {
  await sql`UPDATE login_throttle SET failures = GREATEST(failures - 1, 0),
    locked_until = CASE WHEN ${lockedByIt}::timestamptz IS NOT NULL AND locked_until = ${lockedByIt}::timestamptz THEN NULL ELSE locked_until END
    WHERE key = ${key}`.execute(db);
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
