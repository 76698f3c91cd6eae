// SQL of consent (SSO-3): an account's sso_consents rows, and the provider's grants (with all
// issued under them) of an account and client, deleted when the consent is withdrawn.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';

export async function findConsentClaims(db: Db, accountId: number, systemCode: string): Promise<string[] | undefined> {
  const r = await db.selectFrom('sso_consents').select('claims')
    .where('account_id', '=', accountId).where('system_code', '=', systemCode).executeTakeFirst();
  return r?.claims;
}

export async function saveConsent(trx: Db, accountId: number, systemCode: string, claims: string[], now: Date): Promise<void> {
  await trx.insertInto('sso_consents').values({ account_id: accountId, system_code: systemCode, claims, granted_at: now })
    .onConflict((oc) => oc.columns(['account_id', 'system_code']).doUpdateSet({ claims, granted_at: now })).execute();
}

/** Deletes the consent; returns its claims, or undefined when there was none. */
export async function deleteConsent(trx: Db, accountId: number, systemCode: string): Promise<string[] | undefined> {
  const gone = await trx.deleteFrom('sso_consents').where('account_id', '=', accountId).where('system_code', '=', systemCode)
    .returning('claims').executeTakeFirst();
  return gone?.claims;
}

/** Deletes the account's grants for a client and everything issued under them. */
export async function revokeGrants(trx: Db, accountId: number, clientId: string): Promise<void> {
  const grants = sql`SELECT id FROM oidc_models WHERE model = 'Grant' AND account_id = ${String(accountId)} AND client_id = ${clientId}`;
  await sql`DELETE FROM oidc_models WHERE grant_id IN (${grants})`.execute(trx);
  await sql`DELETE FROM oidc_models WHERE model = 'Grant' AND account_id = ${String(accountId)} AND client_id = ${clientId}`.execute(trx);
}

/** The account's consents with their systems' names, by category and code. */
export async function consentsOfAccount(db: Db, accountId: number) {
  return db.selectFrom('sso_consents as c').innerJoin('application_systems as s', 's.code', 'c.system_code')
    .select(['c.system_code', 's.name_zh', 's.name_en', 'c.claims', 'c.granted_at'])
    .where('c.account_id', '=', accountId).orderBy('s.category').orderBy('s.code').execute();
}
