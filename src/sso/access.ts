// May this account enter this system now (SSO-3, SSO-4)? One statement per authorization request
// (access-store.ts): account state, a role in the system, the system's certificate flag and the stored consent.
import { findSystemAccess } from './access-store.ts';
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { ACR, meetsAcr, requiredAcr, type AcrRequest } from './auth-context.ts';

export interface SystemAccess {
  enabled: boolean;
  hasRole: boolean;
  certificateRequired: boolean;
  /** The claims consented to, or null: no consent (never given, or revoked). */
  consentedClaims: string[] | null;
}

/** `certificate_required`: the system or the client's acr request needs the card; `acr_required`: a passkey at least. */
export type Refusal = 'account_disabled' | 'no_role' | 'certificate_required' | 'acr_required';

export interface RefusedLogin { accountId: number | null; systemCode: string; orgOid: string | null; ip: string | null; refusal: Refusal; acr: unknown }

/** Records a sign-in to a system refused by the rules above (sso.login, denied) and why. */
export async function recordRefusal(deps: Deps, r: RefusedLogin): Promise<void> {
  await deps.db.transaction().execute((trx) => audit(trx, deps.clock.now(), {
    actor: r.accountId, action: 'sso.login', result: 'denied', targetType: 'application_system',
    targetId: r.systemCode, orgOid: r.orgOid, ip: r.ip, details: { reason: r.refusal, acr: r.acr },
  }));
}

export async function systemAccess(db: Db, accountId: number, systemCode: string): Promise<SystemAccess> {
  const row = await findSystemAccess(db, accountId, systemCode);
  return {
    enabled: row.state === 'enabled',
    hasRole: Boolean(row.has_role),
    certificateRequired: Boolean(row.certificate_required),
    consentedClaims: row.claims,
  };
}

/**
 * Why the system must refuse this sign-in, or null. Role holders only (SSO-4); the sign-in must
 * meet the system's flag and the acr the client asked for (SSO-2): the refusal page offers the
 * step-up (interaction-routes.tsx).
 */
export function refusalOf(a: SystemAccess, acr: string | undefined, request: AcrRequest = {}): Refusal | null {
  if (!a.enabled) return 'account_disabled';
  if (!a.hasRole) return 'no_role';
  const need = requiredAcr(a.certificateRequired, request);
  if (!meetsAcr(acr, need)) return need === ACR.certificate ? 'certificate_required' : 'acr_required';
  return null;
}
