// SQL of oidc-provider's storage (SSO-2): the oidc_models statements adapter.ts sends. The token
// endpoint's queued writes go as ONE statement of data-modifying CTEs (writeTokenBatch), guarded
// so that nothing is stored when a single-use artefact was consumed meanwhile; finding a token
// also reads its grant and what the provider asks next (findTokenWithGrant). Prepared statements
// (PREPARED) on the hot path: test/sso/round-trips.test.ts counts them.
import { sql, type RawBuilder } from 'kysely';
import { PREPARED, type Db } from '../db/index.ts';
import { mayHoldTokensSql } from './access-store.ts';
import { accountClaimsSql, type ClaimsRow } from './claims-store.ts';

export type ModelRow = { payload: Record<string, unknown>; consumed_at: Date | null };
export interface RowValues {
  payload: string; grant_id: string | null; uid: string | null; user_code: string | null;
  account_id: string | null; client_id: string | null; expires_at: Date | null;
}
export type TokenWrite =
  | { kind: 'upsert'; model: string; id: string; row: RowValues }
  | { kind: 'consume'; model: string; id: string }
  | { kind: 'destroy'; model: string; id: string }
  | { kind: 'revoke'; model: string; grantId: string };

const live = (now: Date) => sql<boolean>`(expires_at IS NULL OR expires_at > ${now})`;

/** Deletes up to `limit` expired rows (through the expires_at index). */
export async function deleteExpired(db: Db, now: Date, limit: number): Promise<void> {
  await sql`DELETE FROM oidc_models WHERE ctid IN (
    SELECT ctid FROM oidc_models WHERE expires_at < ${now} LIMIT ${limit})`.execute(db);
}

const upsertSql = (model: string, id: string, r: RowValues, guard: RawBuilder<unknown>) => sql`
  INSERT INTO oidc_models (model, id, payload, grant_id, uid, user_code, account_id, client_id, expires_at)
  SELECT ${model}, ${id}, ${r.payload}::jsonb, ${r.grant_id}, ${r.uid}, ${r.user_code}, ${r.account_id}, ${r.client_id}, ${r.expires_at}::timestamptz
  WHERE ${guard}
  ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid,
    user_code = excluded.user_code, account_id = excluded.account_id, client_id = excluded.client_id, expires_at = excluded.expires_at`;

/**
 * The writes in one statement, no row twice. Returns false when a consume of a `singleUse` model
 * found the row consumed already: then every upsert's guard failed and nothing was stored.
 */
export async function writeTokenBatch(db: Db, ops: readonly TokenWrite[], now: Date, singleUse: ReadonlySet<string>): Promise<boolean> {
  const guards = ops.flatMap((o, i) => (o.kind === 'consume' && singleUse.has(o.model) ? [`w${i}`] : []));
  const guard = guards.length ? sql.raw(guards.map((g) => `EXISTS (SELECT 1 FROM ${g})`).join(' AND ')) : sql`true`;
  const ctes = ops.map((o, i) => {
    const name = sql.raw(`w${i}`);
    switch (o.kind) {
      case 'consume': return sql`${name} AS (UPDATE oidc_models SET consumed_at = ${now} WHERE model = ${o.model} AND id = ${o.id} AND consumed_at IS NULL RETURNING 1)`;
      case 'upsert': return sql`${name} AS (${upsertSql(o.model, o.id, o.row, guard)} RETURNING 1)`;
      case 'destroy': return sql`${name} AS (DELETE FROM oidc_models WHERE model = ${o.model} AND id = ${o.id} RETURNING 1)`;
      case 'revoke': return sql`${name} AS (DELETE FROM oidc_models WHERE grant_id = ${o.grantId} AND model = ${o.model} RETURNING 1)`;
    }
  });
  const check = guards.length ? sql.raw(guards.map((g) => `(SELECT count(*) FROM ${g})`).join(' + ')) : sql`0`;
  const r = await sql<{ consumed: number | string }>`${sql.raw(PREPARED)}WITH ${sql.join(ctes, sql`, `)} SELECT ${check} AS consumed`.execute(db);
  return Number(r.rows[0].consumed) === guards.length;
}

export async function upsertModel(db: Db, model: string, id: string, row: RowValues): Promise<void> {
  await upsertSql(model, id, row, sql`true`).execute(db);
}

/** Marks the row consumed unless it was already; returns how many rows changed (0 or 1). */
export async function consumeModel(db: Db, model: string, id: string, now: Date): Promise<number> {
  const r = await db.updateTable('oidc_models').set({ consumed_at: now }).where('model', '=', model).where('id', '=', id)
    .where('consumed_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function destroyModel(db: Db, model: string, id: string): Promise<void> {
  await db.deleteFrom('oidc_models').where('model', '=', model).where('id', '=', id).execute();
}

export async function revokeModelsOfGrant(db: Db, model: string, grantId: string): Promise<void> {
  await db.deleteFrom('oidc_models').where('grant_id', '=', grantId).where('model', '=', model).execute();
}

export async function findModel(db: Db, model: string, id: string, now: Date): Promise<ModelRow | undefined> {
  return db.selectFrom('oidc_models').select(['payload', 'consumed_at'])
    .where('model', '=', model).where('id', '=', id).where(live(now)).executeTakeFirst();
}

export async function findModelByUid(db: Db, model: string, uid: string, now: Date): Promise<ModelRow | undefined> {
  return db.selectFrom('oidc_models').select(['payload', 'consumed_at'])
    .where('model', '=', model).where('uid', '=', uid).where(live(now)).executeTakeFirst();
}

export async function findModelByUserCode(db: Db, model: string, userCode: string, now: Date): Promise<ModelRow | undefined> {
  return db.selectFrom('oidc_models').select(['payload', 'consumed_at'])
    .where('model', '=', model).where('user_code', '=', userCode).where(live(now)).executeTakeFirst();
}

export type TokenWithGrant = ModelRow & { grant_id: string | null; grant_found: boolean; grant_payload: Record<string, unknown> | null;
  grant_consumed_at: Date | null; asked: boolean | ClaimsRow | null };

/**
 * The live token, its live grant and what the provider asks next in one statement: `mayHold`
 * (may the account still hold tokens for the client) or `claims` (the userinfo claims row as JSON).
 */
export async function findTokenWithGrant(db: Db, model: string, id: string, next: 'mayHold' | 'claims', now: Date): Promise<TokenWithGrant | undefined> {
  // The token's subject as an account id (findAccount accepts only digits; anything else: no account).
  const account = sql`CASE WHEN t.payload->>'accountId' ~ '^[0-9]{1,15}$' THEN (t.payload->>'accountId')::bigint END`;
  const system = sql`t.payload->>'clientId'`;
  const asked = next === 'mayHold' ? mayHoldTokensSql(account, system) : sql`(SELECT to_jsonb(c) FROM (${accountClaimsSql(account, system)}) c)`;
  const r = await sql<TokenWithGrant>`${sql.raw(PREPARED)}
      SELECT t.payload, t.consumed_at, t.grant_id, g.id IS NOT NULL AS grant_found, g.payload AS grant_payload,
        g.consumed_at AS grant_consumed_at, ${asked} AS asked
      FROM oidc_models t
      LEFT JOIN oidc_models g ON g.model = 'Grant' AND g.id = t.grant_id AND (g.expires_at IS NULL OR g.expires_at > ${now})
      WHERE t.model = ${model} AND t.id = ${id} AND (t.expires_at IS NULL OR t.expires_at > ${now})`.execute(db);
  return r.rows[0];
}
