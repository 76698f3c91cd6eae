// What a relying party learns about the user (SSO-2): scopes and their claims; the one query that
// reads them is in claims-store.ts. Roles are those of the requesting system only.
import type { Db } from '../db/index.ts';
import { findClaimsRow, type ClaimsRow } from './claims-store.ts';

/** Scope → claims released with it. `tessera` carries the organisation and the system's roles. */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'preferred_username'],
  email: ['email'],
  phone: ['phone_number'],
  tessera: ['organization_oid', 'organization_name', 'unit_oid', 'unit_name', 'roles'],
} as const;

export type Scope = keyof typeof SCOPE_CLAIMS;
export const SCOPES = Object.keys(SCOPE_CLAIMS) as Scope[];
export type ClaimName = (typeof SCOPE_CLAIMS)[Scope][number];

/** The claims a set of scopes releases, in a stable order (consent page and sso_consents.claims). */
export function claimsForScopes(scopes: Iterable<string>): ClaimName[] {
  const wanted = new Set(scopes);
  return SCOPES.filter((s) => wanted.has(s)).flatMap((s) => [...SCOPE_CLAIMS[s]]);
}

/** The scopes whose claims are all in a consented list. */
export function scopesCoveredBy(claims: string[]): Scope[] {
  const have = new Set(claims);
  return SCOPES.filter((s) => SCOPE_CLAIMS[s].every((c) => have.has(c)));
}

export interface AccountClaims {
  sub: string;
  name: string;
  preferred_username: string;
  email?: string;
  phone_number?: string;
  organization_oid?: string;
  organization_name?: string;
  unit_oid: string;
  unit_name?: string;
  roles: string[];
  [claim: string]: unknown;
}

export function claimsOfRow(row: ClaimsRow): AccountClaims {
  return {
    sub: String(row.id),
    name: row.name,
    preferred_username: row.username,
    ...(row.email ? { email: row.email } : {}),
    ...(row.mobile ? { phone_number: row.mobile } : {}),
    ...(row.org_oid ? { organization_oid: row.org_oid, organization_name: row.org_name ?? undefined } : {}),
    unit_oid: row.unit_oid,
    ...(row.unit_name ? { unit_name: row.unit_name } : {}),
    roles: row.roles ?? [],
  };
}

/** One statement (accountClaimsSql). Undefined when the account is missing or not enabled. */
export async function accountClaims(db: Db, accountId: number, systemCode: string | undefined): Promise<AccountClaims | undefined> {
  const row = await findClaimsRow(db, accountId, systemCode);
  return row ? claimsOfRow(row) : undefined;
}
