// SQL for sign-in: everything a login needs about an account in one round trip.
import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Account, PasswordsTable } from '../db/types.ts';
import { validateSettings, type PolicySettings } from '../orgs/policy.ts';
import { properPrefixes } from '../orgs/oid.ts';

/**
 * The policies on the unit of the account aliased `a` and on its ancestors, as one JSON column:
 * few rows, read with the account in the same statement.
 */
export const unitPolicies = sql<{ oid: string; settings: Record<string, unknown> }[] | null>`(
  SELECT json_agg(json_build_object('oid', pol.oid, 'settings', pol.settings))
  FROM policies pol WHERE a.unit_oid = pol.oid OR a.unit_oid LIKE pol.oid || '.%')`;

/** The `unitPolicies` column as the policy path, root first (for effectivePolicy). */
export function policyPathOf(unitOid: string, policies: { oid: string; settings: Record<string, unknown> }[] | null): { oid: string; settings: PolicySettings }[] {
  const order = [...properPrefixes(unitOid).reverse(), unitOid];
  const byOid = new Map((policies ?? []).map((p) => [p.oid, validateSettings(p.settings).settings]));
  return order.filter((o) => byOid.has(o)).map((o) => ({ oid: o, settings: byOid.get(o)! }));
}

export interface LoginSubject {
  account: Account;
  password: Selectable<PasswordsTable> | undefined;
  /** Policy settings along the account's OID path, root first (for effectivePolicy). */
  policyPath: { oid: string; settings: PolicySettings }[];
}

export async function loadLoginSubject(db: Db, usernameNorm: string): Promise<LoginSubject | undefined> {
  const row = await db.selectFrom('accounts as a')
    .leftJoin('passwords as p', 'p.account_id', 'a.id')
    .selectAll('a')
    .select([
      'p.hash as p_hash', 'p.set_at as p_set_at', 'p.kind as p_kind', 'p.must_change as p_must_change', 'p.expires_at as p_expires_at',
      unitPolicies.as('policies'),
    ])
    .where('a.username_norm', '=', usernameNorm)
    .executeTakeFirst();
  if (!row) return undefined;
  const { p_hash, p_set_at, p_kind, p_must_change, p_expires_at, policies, ...account } = row;
  return {
    account: account as Account,
    password: p_hash === null ? undefined : {
      account_id: account.id, hash: p_hash, set_at: new Date(p_set_at!), kind: p_kind!, must_change: p_must_change!,
      expires_at: p_expires_at ? new Date(p_expires_at) : null,
    },
    policyPath: policyPathOf(account.unit_oid, policies),
  };
}

/** True when the account has chosen a password before (its current one, or one in history). */
export async function hasChosenPassword(db: Db, accountId: number): Promise<boolean> {
  const r = await sql<{ yes: boolean }>`SELECT EXISTS (SELECT 1 FROM passwords WHERE account_id = ${accountId} AND kind = 'password')
    OR EXISTS (SELECT 1 FROM password_history WHERE account_id = ${accountId}) AS yes`.execute(db);
  return Boolean(r.rows[0]?.yes);
}
