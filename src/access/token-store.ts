// SQL behind personal API tokens (OPS-4): stored by SHA-256 only.
import type { Db } from '../db/index.ts';

export async function insertToken(db: Db, t: { accountId: number; tokenHash: string; label: string | null; now: Date; expiresAt: Date }): Promise<number> {
  const row = await db.insertInto('api_tokens').values({
    account_id: t.accountId, token_hash: t.tokenHash, label: t.label, created_at: t.now, expires_at: t.expiresAt,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Revokes every live token of the account; the ids revoked. */
export async function revokeLiveTokens(db: Db, accountId: number, now: Date): Promise<number[]> {
  const rows = await db.updateTable('api_tokens').set({ revoked_at: now })
    .where('account_id', '=', accountId).where('revoked_at', 'is', null).returning('id').execute();
  return rows.map((r) => r.id);
}

/** The token with this hash and its account's state. */
export function findTokenByHash(db: Db, tokenHash: string) {
  return db.selectFrom('api_tokens as t').innerJoin('accounts as a', 'a.id', 't.account_id')
    .select(['t.id', 't.account_id', 't.expires_at', 't.revoked_at', 't.last_used_at', 'a.state'])
    .where('t.token_hash', '=', tokenHash).executeTakeFirst();
}

export async function touchToken(db: Db, id: number, now: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}
