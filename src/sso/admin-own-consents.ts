// 同意授權紀錄 (SSO-3): the signed-in user's own consents — which systems, which claims, when — and
// revoking one, after which the system asks again on next use. Only ever the caller's own rows.
import type { Deps } from '../platform/deps.ts';
import type { ActiveSession } from '../auth/sessions.ts';
import { audit } from '../platform/audit.ts';
import { notFound } from '../platform/http/errors.ts';
import { revokeConsent } from './consents.ts';
import { consentsOfAccount } from './consents-store.ts';

export interface OwnConsent { systemCode: string; nameZh: string; nameEn: string; claims: string[]; grantedAt: Date }

export async function ownConsents(deps: Deps, accountId: number): Promise<OwnConsent[]> {
  const rows = await consentsOfAccount(deps.db, accountId);
  return rows.map((r) => ({ systemCode: r.system_code, nameZh: r.name_zh, nameEn: r.name_en, claims: r.claims, grantedAt: r.granted_at }));
}

/**
 * Withdraws the caller's consent to one system through the provider's revokeConsent, which also
 * drops the provider's grants and their tokens (no refresh, no userinfo); one the caller never
 * gave is "not found" and changes nothing.
 */
export async function revokeOwnConsent(deps: Deps, s: ActiveSession, systemCode: string, ip: string | null): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const claims = await revokeConsent(trx, deps, s.accountId, systemCode);
    if (!claims) throw notFound();
    await audit(trx, now, {
      actor: s.accountId, action: 'sso.consent.revoke', targetType: 'application_system', targetId: systemCode, orgOid: s.unitOid, ip,
      details: { claims },
    });
  });
}
