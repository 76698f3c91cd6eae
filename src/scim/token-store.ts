// SQL behind SCIM tokens (SSO-6): stored by SHA-256 only; a system's tokens listed inside the
// scope of whoever may see them (withinScope over the token's jurisdiction).
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Scope } from '../access/authorize.ts';
import { withinScope } from '../access/jurisdiction-sql.ts';

export async function insertScimToken(trx: Db, t: { systemCode: string; root: string; issuedBy: number; tokenHash: string; label: string | null; now: Date; expiresAt: Date }): Promise<number> {
  const row = await trx.insertInto('scim_tokens').values({
    system_code: t.systemCode, jurisdiction_oid: t.root, issued_by: t.issuedBy, token_hash: t.tokenHash, label: t.label, created_at: t.now, expires_at: t.expiresAt,
  }).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

/** The system's tokens whose jurisdiction lies in `scope`, newest first, with the issuer's name. */
export async function scimTokensOf(db: Db, systemCode: string, scope: Scope) {
  return db.selectFrom('scim_tokens as t').innerJoin('accounts as a', 'a.id', 't.issued_by')
    .select(['t.id', 't.jurisdiction_oid', 't.label', 't.created_at', 't.expires_at', 't.revoked_at', 't.last_used_at', 'a.name as issuer_name'])
    .where('t.system_code', '=', systemCode).where(withinScope('t.jurisdiction_oid', scope))
    .orderBy('t.id', 'desc').limit(500).execute();
}

export async function findScimToken(db: Db, id: number) {
  return db.selectFrom('scim_tokens').select(['id', 'system_code', 'jurisdiction_oid', 'revoked_at']).where('id', '=', id).executeTakeFirst();
}

export async function revokeScimTokenRow(trx: Db, id: number, now: Date): Promise<boolean> {
  const r = await trx.updateTable('scim_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).returning('id').executeTakeFirst();
  return Boolean(r);
}

/**
 * The token with this hash, its system's category, its issuer's state and the issuer's current
 * grants (as `grantsOf` reads them), in one statement: each SCIM request pays for one, not two.
 */
export async function findScimTokenByHash(db: Db, tokenHash: string) {
  return db.selectFrom('scim_tokens as t').innerJoin('accounts as a', 'a.id', 't.issued_by')
    .innerJoin('application_systems as s', 's.code', 't.system_code')
    .select(['t.id', 't.system_code', 't.jurisdiction_oid', 't.issued_by', 't.expires_at', 't.revoked_at', 't.last_used_at', 'a.state', 's.category'])
    .select(sql<{ kind: string; jurisdiction_oid: string; categories: string[] }[]>`COALESCE((SELECT json_agg(json_build_object('kind', g.kind,
      'jurisdiction_oid', g.jurisdiction_oid, 'categories', g.categories)) FROM admin_grants g WHERE g.account_id = t.issued_by), '[]'::json)`.as('grants'))
    .where('t.token_hash', '=', tokenHash).executeTakeFirst();
}

export async function touchScimToken(db: Db, id: number, now: Date): Promise<void> {
  await db.updateTable('scim_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}
