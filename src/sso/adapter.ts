// oidc-provider's storage in PostgreSQL through Kysely (SSO-2): every model it persists is a row
// of oidc_models, so any instance can continue any flow. Clients are not stored here: they are the
// application systems' rows in sso_clients (clients.ts).
import { sql } from 'kysely';
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { Deps } from '../platform/deps.ts';
import { cachedClientMetadata } from './clients.ts';

/** Models whose artefacts belong to a grant: revoking the grant deletes them. */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
/** Single-use artefacts: a second consume loses the race and is refused (no double redemption). */
const SINGLE_USE = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode']);
/** One upsert in this many also deletes a batch of expired rows (through the expires_at index). */
const SWEEP_EVERY = 200;
const SWEEP_BATCH = 500;

type Row = { payload: Record<string, unknown>; consumed_at: Date | null };

export function kyselyAdapter(deps: Deps): (model: string) => Adapter {
  const db = deps.db;
  const epoch = (d: Date) => Math.floor(d.getTime() / 1000);
  const live = (now: Date) => sql<boolean>`(expires_at IS NULL OR expires_at > ${now})`;
  const out = (r: Row | undefined): AdapterPayload | undefined =>
    r ? ({ ...r.payload, ...(r.consumed_at ? { consumed: epoch(r.consumed_at) } : {}) } as AdapterPayload) : undefined;

  async function sweep(): Promise<void> {
    await sql`DELETE FROM oidc_models WHERE ctid IN (
      SELECT ctid FROM oidc_models WHERE expires_at < ${deps.clock.now()} LIMIT ${SWEEP_BATCH})`.execute(db);
  }

  const clientById = cachedClientMetadata(db, deps);
  class ClientAdapter implements Adapter {
    async find(id: string) { return (await clientById(id)) as AdapterPayload | undefined; }
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
      const owner = this.model === 'Grant' || this.model === 'Session';
      const row = {
        payload: JSON.stringify(p),
        grant_id: GRANTABLE.has(this.model) ? (p.grantId as string | undefined) ?? null : null,
        uid: this.model === 'Session' ? (p.uid as string | undefined) ?? null : null,
        user_code: (p.userCode as string | undefined) ?? null,
        account_id: owner ? (p.accountId as string | undefined) ?? null : null,
        client_id: this.model === 'Grant' ? (p.clientId as string | undefined) ?? null : null,
        expires_at: typeof expiresIn === 'number' ? new Date(now.getTime() + expiresIn * 1000) : null,
      };
      await db.insertInto('oidc_models').values({ model: this.model, id, ...row })
        .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(row)).execute();
      if (Math.random() * SWEEP_EVERY < 1) await sweep();
    }

    async find(id: string) {
      return out(await db.selectFrom('oidc_models').select(['payload', 'consumed_at'])
        .where('model', '=', this.model).where('id', '=', id).where(live(deps.clock.now())).executeTakeFirst());
    }

    async findByUid(uid: string) {
      return out(await db.selectFrom('oidc_models').select(['payload', 'consumed_at'])
        .where('model', '=', this.model).where('uid', '=', uid).where(live(deps.clock.now())).executeTakeFirst());
    }

    async findByUserCode(userCode: string) {
      return out(await db.selectFrom('oidc_models').select(['payload', 'consumed_at'])
        .where('model', '=', this.model).where('user_code', '=', userCode).where(live(deps.clock.now())).executeTakeFirst());
    }

    async consume(id: string): Promise<void> {
      const r = await db.updateTable('oidc_models').set({ consumed_at: deps.clock.now() })
        .where('model', '=', this.model).where('id', '=', id).where('consumed_at', 'is', null).executeTakeFirst();
      // Two redemptions of one code or refresh token at once: the provider read it unconsumed in
      // both, the row lets only one through.
      if (Number(r.numUpdatedRows) === 0 && SINGLE_USE.has(this.model)) throw new errors.InvalidGrant('grant already used');
    }

    async destroy(id: string): Promise<void> {
      await db.deleteFrom('oidc_models').where('model', '=', this.model).where('id', '=', id).execute();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.deleteFrom('oidc_models').where('grant_id', '=', grantId).where('model', '=', this.model).execute();
    }
  }

  return (model: string) => (model === 'Client' ? new ClientAdapter() : new ModelAdapter(model));
}
