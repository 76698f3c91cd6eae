// Failure counters for lock-out (AUTH-2): rows keyed by a keyed hash of the username (known or
// not) or of the client IP, so lock-out holds across instances and reveals nothing about accounts.
import type { Db } from '../db/index.ts';
import type { Keyring } from '../platform/crypto.ts';
import { deleteThrottle, findThrottleRows, giveBackThrottleTry, lockWhenReached, takeThrottleTry, upsertThrottleFailure } from './throttle-store.ts';

export const usernameKey = (keyring: Keyring, normalisedUsername: string) => 'u:' + keyring.mac('throttle', normalisedUsername);
export const ipKey = (keyring: Keyring, ip: string) => 'ip:' + keyring.mac('throttle', ip);

export interface ThrottleState { failures: number; lockedUntil: Date | null }

type ThrottleRow = { failures: number; window_started_at: Date; locked_until: Date | null };

/** Reads several counters in one round trip (a login needs its IP's and its username's). */
export async function readThrottles(db: Db, keys: string[]): Promise<Map<string, ThrottleRow>> {
  const rows = await findThrottleRows(db, keys);
  return new Map(rows.map((r) => [r.key, r]));
}

/** The state of a counter row; a window or lock that has run out counts as zero failures. */
export function evaluateThrottle(row: ThrottleRow | undefined, now: Date, windowMs: number): ThrottleState {
  if (!row) return { failures: 0, lockedUntil: null };
  if (row.locked_until && row.locked_until > now) return { failures: row.failures, lockedUntil: row.locked_until };
  if (row.locked_until || now.getTime() - row.window_started_at.getTime() >= windowMs) return { failures: 0, lockedUntil: null };
  return { failures: row.failures, lockedUntil: null };
}

/**
 * Counts one failure atomically (one upsert, safe under concurrent logins) and locks the key for
 * `lockMs` when the count reaches `threshold`. Returns the new count and lock expiry.
 */
export async function recordFailure(db: Db, key: string, now: Date, threshold: number, lockMs: number, windowMs: number): Promise<ThrottleState> {
  const windowStart = new Date(now.getTime() - windowMs);
  const lockUntil = new Date(now.getTime() + lockMs);
  const r = await upsertThrottleFailure(db, key, now, windowStart, threshold, lockUntil);
  return { failures: Number(r.failures), lockedUntil: r.locked_until ? new Date(r.locked_until) : null };
}

/** How long a try waits for the comparisons under way on the same key before it gives up as locked. */
const TRY_WAIT_MS = 5000;

/**
 * Takes one try before the password is compared (check and count in one statement, issue 15):
 * undefined when the key is locked. While the tries under way (other requests, any instance) fill
 * the threshold, it waits for them to finish instead: a right password gives its try back, a wrong
 * one keeps it and may lock. So several logins of one account at once all go through, and
 * concurrent guesses still get no more comparisons than the threshold.
 */
export async function takeTry(db: Db, key: string, now: Date, threshold: number, windowMs: number): Promise<ThrottleState | undefined> {
  const windowStart = new Date(now.getTime() - windowMs);
  const until = Date.now() + TRY_WAIT_MS;
  for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
    const r = await takeThrottleTry(db, key, now, windowStart, threshold);
    if (r) return { failures: Number(r.failures), lockedUntil: null };
    const row = (await findThrottleRows(db, [key]))[0];
    if (row && row.locked_until && row.locked_until > now) return undefined;
    if (Date.now() > until) return undefined;
    await new Promise((res) => setTimeout(res, wait));
  }
}

/** A wrong password: its try stays counted, and locks the key for `lockMs` when the threshold is reached. */
export async function keepTry(db: Db, key: string, now: Date, taken: ThrottleState, threshold: number, lockMs: number): Promise<ThrottleState> {
  const lockedUntil = await lockWhenReached(db, key, threshold, new Date(now.getTime() + lockMs));
  return { failures: taken.failures, lockedUntil };
}

/** A right password gives its try back. */
export async function giveBackTry(db: Db, key: string): Promise<void> {
  await giveBackThrottleTry(db, key);
}

export async function clearThrottle(db: Db, key: string): Promise<boolean> {
  return (await deleteThrottle(db, key)) > 0;
}
