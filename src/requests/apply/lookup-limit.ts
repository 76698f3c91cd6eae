// Limits on the username look-ups of applicants (ACC-2, issue 9 item 3): counters in
// login_throttle, like the sign-in lock-out (src/auth/throttle.ts), one per draft and one per client
// address (keyed by HMAC), so every instance sees the same count.
import type { Db } from '../../db/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { recordFailure } from '../../auth/throttle.ts';
import { deleteEndedThrottleCounters } from './draft-store.ts';
import { DRAFT_MAX_MS, USERNAME_LOOKUPS_PER_DRAFT, USERNAME_LOOKUPS_PER_IP, USERNAME_LOOKUP_WINDOW_MS } from './rules.ts';

const PREFIX = 'apply-lookup:';
const draftKey = (draftId: number) => `${PREFIX}d:${draftId}`;
const ipKey = (deps: Deps, ip: string) => `${PREFIX}ip:${deps.keyring.mac('throttle', ip)}`;

/** Counts one look-up for the draft and for the address; false when either is over its limit. */
export async function chargeUsernameLookup(deps: Deps, draftId: number, ip: string, now: Date): Promise<boolean> {
  // The count that reaches limit + 1 locks the key for the rest of its window: that answer is refused.
  const byDraft = await recordFailure(deps.db, draftKey(draftId), now, USERNAME_LOOKUPS_PER_DRAFT + 1, DRAFT_MAX_MS, DRAFT_MAX_MS);
  if (byDraft.lockedUntil) return false;
  const byIp = await recordFailure(deps.db, ipKey(deps, ip), now, USERNAME_LOOKUPS_PER_IP + 1, USERNAME_LOOKUP_WINDOW_MS, USERNAME_LOOKUP_WINDOW_MS);
  return byIp.lockedUntil === null;
}

/** Drops counters whose window and lock have both ended (run with the draft sweep). */
export async function sweepLookupCounters(trx: Db, now: Date): Promise<void> {
  const ended = new Date(now.getTime() - Math.max(DRAFT_MAX_MS, USERNAME_LOOKUP_WINDOW_MS));
  await deleteEndedThrottleCounters(trx, PREFIX, ended, now);
}
