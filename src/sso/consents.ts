// Consent to release claims to a system (SSO-3): stored per account and system in sso_consents (consents-store.ts);
// the provider's grants follow it (policy.ts asks again when the row is missing).
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { deleteConsent, findConsentClaims, revokeGrants, saveConsent } from './consents-store.ts';

export interface ConsentInput { accountId: number; systemCode: string; claims: string[]; orgOid: string | null; ip: string | null }

/** Records (or widens) the consent and its audit event (sso.consent), in one transaction. */
export async function giveConsent(deps: Deps, c: ConsentInput): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const before = await findConsentClaims(trx, c.accountId, c.systemCode);
    const claims = [...new Set([...(before ?? []), ...c.claims])];
    await saveConsent(trx, c.accountId, c.systemCode, claims, now);
    await audit(trx, now, {
      actor: c.accountId, action: 'sso.consent', targetType: 'application_system', targetId: c.systemCode, orgOid: c.orgOid, ip: c.ip,
      details: { claims, before: before ?? null },
    });
  });
}

/**
 * Withdraws an account's consent to a system: deletes the sso_consents row and every grant the
 * provider holds for that account and client, with their codes, access and refresh tokens, so the
 * system can neither refresh nor call userinfo any more, and the next sign-in asks again.
 * Returns the claims that had been consented to, or null when there was no consent.
 * Writes no audit event: the caller records sso.consent.revoke (its actor and IP) in the same transaction.
 */
export async function revokeConsent(trx: Db, _deps: Deps, accountId: number, systemCode: string): Promise<string[] | null> {
  const gone = await deleteConsent(trx, accountId, systemCode);
  await revokeGrants(trx, accountId, systemCode);
  return gone ?? null;
}
