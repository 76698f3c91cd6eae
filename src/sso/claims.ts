// What a relying party learns about the user (SSO-2): scopes, their claims, and the one query that
// reads them. Roles are those of the requesting system only.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/index.ts';

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

/** A row of the claims query (also read as JSON inside the adapter's token statement). */
export interface ClaimsRow {
  id: number; username: string; name: string; email: string | null; mobile: string | null; unit_oid: string;
  unit_name: string | null; org_oid: string | null; org_name: string | null; roles: string[] | null;
}

/**
 * The claims query as a fragment: the enabled account, its unit, its agency (the nearest enclosing
 * organisation of kind agency or school, found through the primary key of each ancestor OID) and
 * its role codes in `systemCode`. No row when the account is missing or not enabled.
 */
export const accountClaimsSql = (accountId: RawBuilder<unknown>, systemCode: RawBuilder<unknown>): RawBuilder<ClaimsRow> => sql<ClaimsRow>`
    SELECT a.id, a.username, a.name, a.email, a.mobile, a.unit_oid, u.name AS unit_name, ag.oid AS org_oid, ag.name AS org_name,
      (SELECT array_agg(r.code ORDER BY r.code) FROM role_grants g JOIN roles r ON r.code = g.role_code
        WHERE g.account_id = a.id AND r.system_code = ${systemCode}) AS roles
    FROM accounts a
    LEFT JOIN orgs u ON u.oid = a.unit_oid
    LEFT JOIN LATERAL (
      SELECT o.oid, o.name FROM orgs o
      WHERE o.kind IN ('agency', 'school') AND o.oid = ANY (
        SELECT array_to_string((string_to_array(a.unit_oid, '.'))[1:n], '.')
        FROM generate_series(1, cardinality(string_to_array(a.unit_oid, '.'))) AS n)
      ORDER BY length(o.oid) DESC LIMIT 1
    ) ag ON true
    WHERE a.id = ${accountId} AND a.state = 'enabled'`;

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
  const row = (await accountClaimsSql(sql`${accountId}`, sql`${systemCode ?? null}`).execute(db)).rows[0];
  return row ? claimsOfRow(row) : undefined;
}
