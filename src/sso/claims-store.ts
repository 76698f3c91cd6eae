// SQL of the claims a relying party learns (SSO-2): the enabled account, its unit, its agency and
// its roles in the requesting system, as one query (claims.ts turns the row into claims).
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/index.ts';

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

/** The claims row of an enabled account (accountClaimsSql), or undefined. */
export async function findClaimsRow(db: Db, accountId: number, systemCode: string | undefined): Promise<ClaimsRow | undefined> {
  return (await accountClaimsSql(sql`${accountId}`, sql`${systemCode ?? null}`).execute(db)).rows[0];
}
