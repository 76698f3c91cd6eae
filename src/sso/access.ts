// May this account enter this system now (SSO-3, SSO-4)? One statement per authorization request:
// account state, a role in the system, the system's certificate flag and the stored consent.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { satisfiesCertificateRequirement } from './auth-context.ts';

export interface SystemAccess {
  enabled: boolean;
  hasRole: boolean;
  certificateRequired: boolean;
  /** The claims consented to, or null: no consent (never given, or revoked). */
  consentedClaims: string[] | null;
}

export type Refusal = 'account_disabled' | 'no_role' | 'certificate_required';

export interface RefusedLogin { accountId: number | null; systemCode: string; orgOid: string | null; ip: string | null; refusal: Refusal; acr: unknown }

/** Records a sign-in to a system refused by the rules above (sso.login, denied) and why. */
export async function recordRefusal(deps: Deps, r: RefusedLogin): Promise<void> {
  await deps.db.transaction().execute((trx) => audit(trx, deps.clock.now(), {
    actor: r.accountId, action: 'sso.login', result: 'denied', targetType: 'application_system',
    targetId: r.systemCode, orgOid: r.orgOid, ip: r.ip, details: { reason: r.refusal, acr: r.acr },
  }));
}

export async function systemAccess(db: Db, accountId: number, systemCode: string): Promise<SystemAccess> {
  const r = await sql<{ state: string | null; has_role: boolean; certificate_required: boolean | null; claims: string[] | null }>`
    SELECT (SELECT state FROM accounts WHERE id = ${accountId}) AS state,
      EXISTS (SELECT 1 FROM role_grants g JOIN roles r ON r.code = g.role_code
        WHERE g.account_id = ${accountId} AND r.system_code = ${systemCode}) AS has_role,
      (SELECT certificate_required FROM sso_clients WHERE system_code = ${systemCode}) AS certificate_required,
      (SELECT claims FROM sso_consents WHERE account_id = ${accountId} AND system_code = ${systemCode}) AS claims`.execute(db);
  const row = r.rows[0];
  return {
    enabled: row.state === 'enabled',
    hasRole: Boolean(row.has_role),
    certificateRequired: Boolean(row.certificate_required),
    consentedClaims: row.claims,
  };
}

/** Why the system must refuse this sign-in, or null. Role holders only (SSO-4); no step-up yet (SSO-2). */
export function refusalOf(a: SystemAccess, acr: string | undefined): Refusal | null {
  if (!a.enabled) return 'account_disabled';
  if (!a.hasRole) return 'no_role';
  if (a.certificateRequired && !satisfiesCertificateRequirement(acr)) return 'certificate_required';
  return null;
}

/**
 * For the token endpoint (code exchange, refresh): is the account still enabled and still a role
 * holder in the system? A user whose last role in the system was removed can no longer refresh.
 * As an SQL expression too, so the adapter can ask it in the statement that reads the token.
 */
export const mayHoldTokensSql = (accountId: RawBuilder<unknown>, systemCode: RawBuilder<unknown>): RawBuilder<boolean> => sql<boolean>`
    EXISTS (SELECT 1 FROM accounts a JOIN role_grants g ON g.account_id = a.id JOIN roles r ON r.code = g.role_code
      WHERE a.id = ${accountId} AND a.state = 'enabled' AND r.system_code = ${systemCode})`;

export async function mayHoldTokens(db: Db, accountId: number, systemCode: string): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`SELECT ${mayHoldTokensSql(sql`${accountId}`, sql`${systemCode}`)} AS ok`.execute(db);
  return Boolean(r.rows[0]?.ok);
}
