// One-time sign-in challenges (AUTH-8, AUTH-11), shared by passkeys and citizen certificates: in
// the database (any instance finishes a ceremony another began), bound to the browser (a hash of
// its session or ceremony cookie), single use (taken out when answered), expiring after 5 minutes.
import type { Deps } from '../platform/deps.ts';
import { sha256 } from '../platform/crypto.ts';
import { insertChallenge, takeChallenge } from './passkey-store.ts';

export const CHALLENGE_TTL_MS = 5 * 60_000;
export type ChallengePurpose = 'register' | 'login' | 'cert-login' | 'cert-register';

/** The row's key is derived from what the answer carries, so it is found without another field. */
const challengeId = (purpose: ChallengePurpose, bindingHash: string, challenge: string) => sha256(purpose + ':' + bindingHash + ':' + challenge);

export async function storeChallenge(deps: Deps, purpose: ChallengePurpose, bindingHash: string, challenge: string, accountId: number | null): Promise<void> {
  const now = deps.clock.now();
  await insertChallenge(deps.db, {
    id: challengeId(purpose, bindingHash, challenge), challenge, purpose, bindingHash, accountId,
    expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
  }, now);
}

export type Claimed = { row: NonNullable<Awaited<ReturnType<typeof takeChallenge>>>; expired: boolean };

/** Takes the challenge out (whatever comes next, it cannot be answered twice); undefined when unknown, used or another browser's. */
export async function claimChallenge(deps: Deps, purpose: ChallengePurpose, bindingHash: string, challenge: string, now: Date): Promise<Claimed | undefined> {
  const row = await takeChallenge(deps.db, challengeId(purpose, bindingHash, challenge));
  if (!row || row.purpose !== purpose || row.binding_hash !== bindingHash) return undefined;
  return { row, expired: row.expires_at <= now };
}
