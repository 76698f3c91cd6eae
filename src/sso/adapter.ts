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
// code also reads its grant and whether the account may still hold tokens (access-store.ts), and finding
// an access token reads its grant and the userinfo claims (claims-store.ts) — one statement — so a
// refresh is one read and one write, userinfo one read. The statements are in adapter-store.ts.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { oidc } from './oidc-lib.ts';
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { cachedClientMetadata } from './clients.ts';
import { claimsOfRow } from './claims.ts';
import type { ClaimsRow } from './claims-store.ts';
import {
  consumeModel, deleteExpired, destroyModel, findModel, findModelByUid, findModelByUserCode, findTokenWithGrant, revokeModelsOfGrant,
  upsertModel, writeTokenBatch, type ModelRow as Row, type RowValues, type TokenWrite,
} from './adapter-store.ts';
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

/** A queued write; an upsert keeps its payload so the request can read its own write. */
type Op = Exclude<TokenWrite, { kind: 'upsert' }> | (Extract<TokenWrite, { kind: 'upsert' }> & { payload: Record<string, unknown> });

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
  await deleteExpired(db, now, SWEEP_BATCH);
}

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
  const allConsumed = await writeTokenBatch(deps.db, ops, now, SINGLE_USE);
  await sweep(deps.db, now);
  return allConsumed;
}

async function stepByStep(deps: Deps, ops: Op[], now: Date): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    for (const o of ops) {
      if (o.kind === 'consume') {
        if (await consumeModel(trx, o.model, o.id, now) === 0 && SINGLE_USE.has(o.model)) throw new (oidc().errors.InvalidGrant)('grant already used');
      } else if (o.kind === 'upsert') await upsertModel(trx, o.model, o.id, o.row);
      else if (o.kind === 'destroy') await destroyModel(trx, o.model, o.id);
      else await revokeModelsOfGrant(trx, o.model, o.grantId);
    }
    return true;
  }).catch((e) => { if (e instanceof oidc().errors.InvalidGrant) return false; throw e; });
}

export function kyselyAdapter(deps: Deps): (model: string) => Adapter {
  const db = deps.db;
  const epoch = (d: Date) => Math.floor(d.getTime() / 1000);
  const out = (r: Row | undefined): AdapterPayload | undefined =>
    r ? ({ ...r.payload, ...(r.consumed_at ? { consumed: epoch(r.consumed_at) } : {}) } as AdapterPayload) : undefined;

  /**
   * The token, its live grant and what the provider asks next (may the account hold tokens, or its
   * claims), in one statement; the grant and the answer are remembered for this request only.
   */
  async function findWithGrant(model: string, id: string, next: 'mayHold' | 'claims'): Promise<Row | undefined> {
    const row = await findTokenWithGrant(db, model, id, next, deps.clock.now());
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
      await upsertModel(db, this.model, id, row);
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
      return out(await findModel(db, this.model, id, deps.clock.now()));
    }

    async findByUid(uid: string) {
      if (!isAcceptableText(uid)) return undefined;
      return out(await findModelByUid(db, this.model, uid, deps.clock.now()));
    }

    async findByUserCode(userCode: string) {
      if (!isAcceptableText(userCode)) return undefined;
      return out(await findModelByUserCode(db, this.model, userCode, deps.clock.now()));
    }

    async consume(id: string): Promise<void> {
      if (this.model === 'Grant') forget(grantKey(id));
      const queue = work.getStore();
      if (queue) { queue.push({ kind: 'consume', model: this.model, id }); return; }
      const changed = await consumeModel(db, this.model, id, deps.clock.now());
      // Two redemptions of one code or refresh token at once: the provider read it unconsumed in
      // both, the row lets only one through.
      if (changed === 0 && SINGLE_USE.has(this.model)) throw new (oidc().errors.InvalidGrant)('grant already used');
    }

    async destroy(id: string): Promise<void> {
      if (this.model === 'Grant') forget(grantKey(id));
      const queue = work.getStore();
      if (queue) { queue.push({ kind: 'destroy', model: this.model, id }); return; }
      await destroyModel(db, this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const queue = work.getStore();
      if (queue) { queue.push({ kind: 'revoke', model: this.model, grantId }); return; }
      await revokeModelsOfGrant(db, this.model, grantId);
    }
  }

  return (model: string) => (model === 'Client' ? new ClientAdapter() : new ModelAdapter(model));
}
