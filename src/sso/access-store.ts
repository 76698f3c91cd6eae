// SQL of system access (SSO-3, SSO-4): what the entry rule in access.ts judges, read in one
// statement per authorization request, and "may still hold tokens" as an SQL expression, so the
// adapter can ask it in the statement that reads the token (adapter-store.ts).
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/index.ts';

export interface SystemAccessRow { state: string | null; has_role: boolean; certificate_required: boolean | null; claims: string[] | null }

/** Account state, a role in the system, the system's certificate flag and the stored consent. */
export async function findSystemAccess(db: Db, accountId: number, systemCode: string): Promise<SystemAccessRow> {
  const r = await sql<SystemAccessRow>`
    SELECT (SELECT state FROM accounts WHERE id = ${accountId}) AS state,
      EXISTS (SELECT 1 FROM role_grants g JOIN roles r ON r.code = g.role_code
        WHERE g.account_id = ${accountId} AND r.system_code = ${systemCode}) AS has_role,
      (SELECT certificate_required FROM sso_clients WHERE system_code = ${systemCode}) AS certificate_required,
      (SELECT claims FROM sso_consents WHERE account_id = ${accountId} AND system_code = ${systemCode}) AS claims`.execute(db);
  return r.rows[0];
}

/**
 * For the token endpoint (code exchange, refresh): is the account still enabled and still a role
 * holder in the system? A user whose last role in the system was removed can no longer refresh.
 */
export const mayHoldTokensSql = (accountId: RawBuilder<unknown>, systemCode: RawBuilder<unknown>): RawBuilder<boolean> => sql<boolean>`
    EXISTS (SELECT 1 FROM accounts a JOIN role_grants g ON g.account_id = a.id JOIN roles r ON r.code = g.role_code
      WHERE a.id = ${accountId} AND a.state = 'enabled' AND r.system_code = ${systemCode})`;

export async function mayHoldTokens(db: Db, accountId: number, systemCode: string): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`SELECT ${mayHoldTokensSql(sql`${accountId}`, sql`${systemCode}`)} AS ok`.execute(db);
  return Boolean(r.rows[0]?.ok);
}
