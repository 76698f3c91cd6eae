// SQL of ending single sign-on (SSO-2): the provider's Session rows a logout reads and deletes,
// and grants deleted with everything issued under them (logout.ts holds the flow).
import type { Db } from '../db/index.ts';

export type SessionRow = { id: string; payload: Record<string, unknown> };

export async function findOpSession(db: Db, id: string): Promise<SessionRow | undefined> {
  return db.selectFrom('oidc_models').select(['id', 'payload']).where('model', '=', 'Session').where('id', '=', id).executeTakeFirst();
}

export async function opSessionRowsOf(db: Db, accountId: number): Promise<SessionRow[]> {
  return db.selectFrom('oidc_models').select(['id', 'payload'])
    .where('account_id', '=', String(accountId)).where('model', '=', 'Session').execute();
}

/** Deletes grants and everything issued under them. */
export async function revokeGrantIds(db: Db, grantIds: string[]): Promise<void> {
  if (grantIds.length === 0) return;
  await db.deleteFrom('oidc_models').where('grant_id', 'in', grantIds).execute();
  await db.deleteFrom('oidc_models').where('model', '=', 'Grant').where('id', 'in', grantIds).execute();
}

export async function deleteOpSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('oidc_models').where('model', '=', 'Session').where('id', '=', id).execute();
}
