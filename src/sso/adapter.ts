// oidc-provider's storage in PostgreSQL through Kysely (SSO-2): every model it persists is a row
// of oidc_models, so any instance can continue any flow. Clients are not stored here: they are the
// application systems' rows in sso_clients (clients.ts).
//
// Token endpoint requests run as a unit of work (withTokenWrites): the provider's writes (consume
// the code or refresh token, store the new refresh and access tokens, destroy, revoke) are queued
// and sent as ONE statement when the handler has finished, before the response goes out. A refresh
// then costs one write round trip and one commit instead of three, and a rotation is atomic: if
// the consume loses a race with another redemption, nothing is stored and the answer is invalid_grant.
//
// Reads: within a provider request (request-reads.ts), finding a refresh token or authorization
// code also reads its grant and whether the account may still hold tokens (access.ts), and finding
// an access token reads its grant and the userinfo claims (claims.ts) — one statement — so a
// refresh is one read and one write, userinfo one read.
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type RawBuilder } from 'kysely';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { oidc } from './oidc-lib.ts';
import { PREPARED, type Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { cachedClientMetadata } from './clients.ts';
import { mayHoldTokensSql } from './access.ts';
import { accountClaimsSql, claimsOfRow, type ClaimsRow } from './claims.ts';
import { claimsKey, forget, grantKey, mayHoldKey, readsActive, recall, remember } from './request-reads.ts';
import { isAcceptableText } from '../platform/http/input-guard.ts';

/** Models whose artefacts belong to a grant: revoking the grant deletes them. */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
/** Single-use artefacts: a second consume loses the race and is refused (no double redemption). */
const SINGLE_USE = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode']);
/** One write in this many also deletes a batch of expired rows (through the expires_at index). */
const SWEEP_EVERY = 200;
const SWEEP_BATCH = 500;
/** What the provider asks next after finding a token of this model (read in the same statement). */
const READ_WITH: Record<string, 'mayHold' | 'claims'> = { RefreshToken: 'mayHold', AuthorizationCode: 'mayHold', AccessToken: 'claims' };

type Row = { payload: Record<string, unknown>; consumed_at: Date | null };
interface RowValues {
  payload: string; grant_id: string | null; uid: string | null; user_code: string | null;
  account_id: string | null; client_id: string | null; expires_at: Date | null;
}
type Op =
  | { kind: 'upsert'; model: string; id: string; row: RowValues; payload: Record<string, unknown> }
  | { kind: 'consume'; model: string; id: string }
  | { kind: 'destroy'; model: string; id: string }
  | { kind: 'revoke'; model: string; grantId: string };

const work = new AsyncLocalStorage<Op[]>();

function rowOf(model: string, p: Record<string, unknown>, now: Date, expiresIn: number | undefined): RowValues {
  const owner = model === 'Grant' || model === 'Session';
  return {
    payload: JSON.stringify(p),
    grant_id: GRANTABLE.has(model) ? (p.grantId as string | undefined) ?? null : null,
    uid: model === 'Session' ? (p.uid as string | undefined) ?? null : null,
    user_code: (p.userCode as string | undefined) ?? null,
    account_id: owner ? (p.accountId as string | undefined) ?? null : null,
    client_id: model === 'Grant' ? (p.clientId as string | undefined) ?? null : null,
    expires_at: typeof expiresIn === 'number' ? new Date(now.getTime() + expiresIn * 1000) : null,
  };
}

async function sweep(db: Db, now: Date): Promise<void> {
  if (Math.random() * SWEEP_EVERY >= 1) return;
  await sql`DELETE FROM oidc_models WHERE ctid IN (
    SELECT ctid FROM oidc_models WHERE expires_at < ${now} LIMIT ${SWEEP_BATCH})`.execute(db);
}

const upsertSql = (model: string, id: string, r: RowValues, guard: RawBuilder<unknown>) => sql`
  INSERT INTO oidc_models (model, id, payload, grant_id, uid, user_code, account_id, client_id, expires_at)
  SELECT ${model}, ${id}, ${r.payload}::jsonb, ${r.grant_id}, ${r.uid}, ${r.user_code}, ${r.account_id}, ${r.client_id}, ${r.expires_at}::timestamptz
  WHERE ${guard}
  ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid,
    user_code = excluded.user_code, account_id = excluded.account_id, client_id = excluded.client_id, expires_at = excluded.expires_at`;

/**
 * Runs a token request with its writes queued, then sends them in one statement. Returns false
 * when a single-use artefact had been consumed meanwhile (then nothing was written).
 */
export async function withTokenWrites(deps: Deps, handle: () => Promise<void>): Promise<boolean> {
  const ops: Op[] = [];
  await work.run(ops, handle);
  if (ops.length === 0) return true;
  const now = deps.clock.now();
  // The same row twice in one statement is not allowed: such a request (none known) goes step by step.
  const keys = ops.map((o) => (o.kind === 'revoke' ? `r:${o.model}:${o.grantId}` : `${o.model}:${o.id}`));
  if (new Set(keys).size !== keys.length) return stepByStep(deps, ops, now);
  const guards = ops.flatMap((o, i) => (o.kind === 'consume' && SINGLE_USE.has(o.model) ? [`w${i}`] : []));
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
  const r = await sql<{ consumed: number | string }>`${sql.raw(PREPARED)}WITH ${sql.join(ctes, sql`, `)} SELECT ${check} AS consumed`.execute(deps.db);
  await sweep(deps.db, now);
  return Number(r.rows[0].consumed) === guards.length;
}

async function stepByStep(deps: Deps, ops: Op[], now: Date): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    for (const o of ops) {
      if (o.kind === 'consume') {
        const r = await trx.updateTable('oidc_models').set({ consumed_at: now }).where('model', '=', o.model).where('id', '=', o.id)
          .where('consumed_at', 'is', null).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0 && SINGLE_USE.has(o.model)) throw new (oidc().errors.InvalidGrant)('grant already used');
      } else if (o.kind === 'upsert') await upsertSql(o.model, o.id, o.row, sql`true`).execute(trx);
      else if (o.kind === 'destroy') await trx.deleteFrom('oidc_models').where('model', '=', o.model).where('id', '=', o.id).execute();
      else await trx.deleteFrom('oidc_models').where('grant_id', '=', o.grantId).where('model', '=', o.model).execute();
    }
    return true;
  }).catch((e) => { if (e instanceof oidc().errors.InvalidGrant) return false; throw e; });
}

export function kyselyAdapter(deps: Deps): (model: string) => Adapter {
  const db = deps.db;
  const epoch = (d: Date) => Math.floor(d.getTime() / 1000);
  const live = (now: Date) => sql<boolean>`(expires_at IS NULL OR expires_at > ${now})`;
  const out = (r: Row | undefined): AdapterPayload | undefined =>
    r ? ({ ...r.payload, ...(r.consumed_at ? { consumed: epoch(r.consumed_at) } : {}) } as AdapterPayload) : undefined;

  /**
   * The token, its live grant and what the provider asks next (may the account hold tokens, or its
   * claims), in one statement; the grant and the answer are remembered for this request only.
   */
  async function findWithGrant(model: string, id: string, next: 'mayHold' | 'claims'): Promise<Row | undefined> {
    const now = deps.clock.now();
    // The token's subject as an account id (findAccount accepts only digits; anything else: no account).
    const account = sql`CASE WHEN t.payload->>'accountId' ~ '^[0-9]{1,15}$' THEN (t.payload->>'accountId')::bigint END`;
    const system = sql`t.payload->>'clientId'`;
    const asked = next === 'mayHold' ? mayHoldTokensSql(account, system) : sql`(SELECT to_jsonb(c) FROM (${accountClaimsSql(account, system)}) c)`;
    const r = await sql<Row & { grant_id: string | null; grant_found: boolean; grant_payload: Record<string, unknown> | null;
      grant_consumed_at: Date | null; asked: boolean | ClaimsRow | null }>`${sql.raw(PREPARED)}
      SELECT t.payload, t.consumed_at, t.grant_id, g.id IS NOT NULL AS grant_found, g.payload AS grant_payload,
        g.consumed_at AS grant_consumed_at, ${asked} AS asked
      FROM oidc_models t
      LEFT JOIN oidc_models g ON g.model = 'Grant' AND g.id = t.grant_id AND (g.expires_at IS NULL OR g.expires_at > ${now})
      WHERE t.model = ${model} AND t.id = ${id} AND (t.expires_at IS NULL OR t.expires_at > ${now})`.execute(db);
    const row = r.rows[0];
    if (!row) return undefined;
    if (row.grant_id) {
      remember(grantKey(row.grant_id), row.grant_found ? { payload: row.grant_payload!, consumed_at: row.grant_consumed_at } : undefined);
    }
    const accountId = row.payload.accountId, clientId = row.payload.clientId;
    if (typeof accountId === 'string' && typeof clientId === 'string') {
      if (next === 'mayHold') remember(mayHoldKey(accountId, clientId), Boolean(row.asked));
      else remember(claimsKey(accountId, clientId), row.asked ? claimsOfRow(row.asked as ClaimsRow) : undefined);
    }
    return { payload: row.payload, consumed_at: row.consumed_at };
  }

  const clientById = cachedClientMetadata(db, deps);
  class ClientAdapter implements Adapter {
    async find(id: string) { return isAcceptableText(id) ? (await clientById(id)) as AdapterPayload | undefined : undefined; }
    async upsert() { throw new Error('clients are managed as application systems, not through the provider'); }
    async findByUid() { return undefined; }
    async findByUserCode() { return undefined; }
    async consume() {}
    async destroy() {}
    async revokeByGrantId() {}
  }

  class ModelAdapter implements Adapter {
    constructor(readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const now = deps.clock.now();
      const p = payload as Record<string, unknown>;
      const row = rowOf(this.model, p, now, expiresIn);
      if (this.model === 'Grant') forget(grantKey(id));
      const queue = work.getStore();
      if (queue) { queue.push({ kind: 'upsert', model: this.model, id, row, payload: p }); return; }
      await upsertSql(this.model, id, row, sql`true`).execute(db);
      await sweep(db, now);
    }

    async find(id: string) {
      // An id from a provider-read body (client_id, code, refresh_token) that no issued id can equal.
      if (!isAcceptableText(id)) return undefined;
      // Read your own queued writes (none of the token flows does, but the adapter must not lie).
      const queued = work.getStore()?.findLast((o) => o.model === this.model && 'id' in o && o.id === id);
      if (queued?.kind === 'upsert') return queued.payload as AdapterPayload;
      if (queued?.kind === 'destroy') return undefined;
      if (this.model === 'Grant') {
        const seen = recall<Row | undefined>(grantKey(id));
        if (seen) return out(seen.value);
      }
      const next = READ_WITH[this.model];
      if (next && readsActive()) return out(await findWithGrant(this.model, id, next));
      return out(await db.selectFrom('oidc_models').select(['payload', 'consumed_at'])
        .where('model', '=', this.model).where('id', '=', id).where(live(deps.clock.now())).executeTakeFirst());
    }

    async findByUid(uid: string) {
      if (!isAcceptableText(uid)) return undefined;
      return out(await db.selectFrom('oidc_models').select(['payload', 'consumed_at'])
        .where('model', '=', this.model).where('uid', '=', uid).where(live(deps.clock.now())).executeTakeFirst());
    }

    async findByUserCode(userCode: string) {
      if (!isAcceptableText(userCode)) return undefined;
      return out(await db.selectFrom('oidc_models').select(['payload', 'consumed_at'])
        .where('model', '=', this.model).where('user_code', '=', userCode).where(live(deps.clock.now())).executeTakeFirst());
    }

    async consume(id: string): Promise<void> {
      if (this.model === 'Grant') forget(grantKey(id));
      const queue = work.getStore();
      if (queue) { queue.push({ kind: 'consume', model: this.model, id }); return; }
      const r = await db.updateTable('oidc_models').set({ consumed_at: deps.clock.now() })
        .where('model', '=', this.model).where('id', '=', id).where('consumed_at', 'is', null).executeTakeFirst();
      // Two redemptions of one code or refresh token at once: the provider read it unconsumed in
      // both, the row lets only one through.
      if (Number(r.numUpdatedRows) === 0 && SINGLE_USE.has(this.model)) throw new (oidc().errors.InvalidGrant)('grant already used');
    }

    async destroy(id: string): Promise<void> {
      if (this.model === 'Grant') forget(grantKey(id));
      const queue = work.getStore();
      if (queue) { queue.push({ kind: 'destroy', model: this.model, id }); return; }
      await db.deleteFrom('oidc_models').where('model', '=', this.model).where('id', '=', id).execute();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const queue = work.getStore();
      if (queue) { queue.push({ kind: 'revoke', model: this.model, grantId }); return; }
      await db.deleteFrom('oidc_models').where('grant_id', '=', grantId).where('model', '=', this.model).execute();
    }
  }

  return (model: string) => (model === 'Client' ? new ClientAdapter() : new ModelAdapter(model));
}
