// Consent to release claims to a system (SSO-3): stored per account and system in sso_consents;
// the provider's grants follow it (policy.ts asks again when the row is missing).
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';

export interface ConsentInput { accountId: number; systemCode: string; claims: string[]; orgOid: string | null; ip: string | null }

/** Records (or widens) the consent and its audit event (sso.consent), in one transaction. */
export async function giveConsent(deps: Deps, c: ConsentInput): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('sso_consents').select('claims')
      .where('account_id', '=', c.accountId).where('system_code', '=', c.systemCode).executeTakeFirst();
    const claims = [...new Set([...(before?.claims ?? []), ...c.claims])];
    await trx.insertInto('sso_consents').values({ account_id: c.accountId, system_code: c.systemCode, claims, granted_at: now })
      .onConflict((oc) => oc.columns(['account_id', 'system_code']).doUpdateSet({ claims, granted_at: now })).execute();
    await audit(trx, now, {
      actor: c.accountId, action: 'sso.consent', targetType: 'application_system', targetId: c.systemCode, orgOid: c.orgOid, ip: c.ip,
      details: { claims, before: before?.claims ?? null },
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
  const gone = await trx.deleteFrom('sso_consents').where('account_id', '=', accountId).where('system_code', '=', systemCode)
    .returning('claims').executeTakeFirst();
  await revokeGrants(trx, accountId, systemCode);
  return gone?.claims ?? null;
}

/** Deletes the account's grants for a client and everything issued under them. */
export async function revokeGrants(trx: Db, accountId: number, clientId: string): Promise<void> {
  const grants = sql`SELECT id FROM oidc_models WHERE model = 'Grant' AND account_id = ${String(accountId)} AND client_id = ${clientId}`;
  await sql`DELETE FROM oidc_models WHERE grant_id IN (${grants})`.execute(trx);
  await sql`DELETE FROM oidc_models WHERE model = 'Grant' AND account_id = ${String(accountId)} AND client_id = ${clientId}`.execute(trx);
}
