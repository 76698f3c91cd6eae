// Token signing keys in the database (SSO-2): ES256 signs by default, RS256 for relying parties
// that need it; private parts encrypted with the Keyring. Rotation adds new keys that every
// instance publishes before they sign (key-plan.ts); old public keys stay until their tokens expire.
import crypto from 'node:crypto';
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { ALGS, KEY_ACTIVATION_DELAY_MS, planKeys, type KeyMeta, type KeyPlan } from './key-plan.ts';
import { anySigningKey, deleteSigningKeys, encryptedKeys, insertSigningKeys, keyMetas, lockKeys } from './keys-store.ts';

export type PrivateJwk = crypto.webcrypto.JsonWebKey & { kid: string; alg: string; use: 'sig'; key_ops?: string[] };

/** RFC 7638 thumbprint: the kid is derived from the public key, the same on every instance. */
function thumbprint(jwk: crypto.webcrypto.JsonWebKey): string {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return crypto.createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

export function generateKey(alg: string): PrivateJwk {
  const pair = alg === 'RS256'
    ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
    : crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = pair.privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: thumbprint(jwk), alg, use: 'sig' };
}

async function insertKeys(trx: Db, deps: Deps, activatesAt: Date): Promise<string[]> {
  const keys = ALGS.map(generateKey);
  await insertSigningKeys(trx, keys.map((k) => ({
    kid: k.kid, alg: k.alg, private_jwk_enc: deps.keyring.encrypt(JSON.stringify(k)), created_at: deps.clock.now(), activates_at: activatesAt,
  })));
  return keys.map((k) => k.kid);
}

/** The first start on a database creates the keys; later starts and other instances find them. */
export async function ensureKeys(deps: Deps): Promise<void> {
  if ((await keyMetas(deps.db)).length) return;
  await deps.db.transaction().execute(async (trx) => {
    await lockKeys(trx);
    if (!await anySigningKey(trx)) await insertKeys(trx, deps, deps.clock.now());
  });
}

export interface RotationResult { created: string[]; activatesAt: Date; dropped: string[] }

/**
 * New ES256 and RS256 keys, signing after KEY_ACTIVATION_DELAY_MS (or at once with `immediate`);
 * keys past retention are deleted. With `immediate` the superseded keys are deleted too: for a key
 * that may have leaked, whose tokens must stop verifying now.
 */
export async function rotateKeys(deps: Deps, opts: { immediate?: boolean } = {}): Promise<RotationResult> {
  return deps.db.transaction().execute(async (trx) => {
    await lockKeys(trx);
    const now = deps.clock.now();
    const before = await keyMetas(trx);
    // Nothing signing yet (a fresh database): the new keys sign at once, there is no one to wait for.
    const signing = planKeys(before, now).signing;
    const waitFor = !opts.immediate && ALGS.every((a) => signing.has(a));
    const activatesAt = waitFor ? new Date(now.getTime() + KEY_ACTIVATION_DELAY_MS) : now;
    const created = await insertKeys(trx, deps, activatesAt);
    const dropped = opts.immediate ? before.map((k) => k.kid) : planKeys(before, now).expired;
    if (dropped.length) await deleteSigningKeys(trx, dropped);
    await audit(trx, now, { actor: null, action: 'sso.keys.rotate', details: { created, activatesAt: activatesAt.toISOString(), dropped, immediate: Boolean(opts.immediate) } });
    return { created, activatesAt, dropped };
  });
}

export interface KeyStatus extends KeyMeta { state: 'signing' | 'pending' | 'published' | 'expired' }

export async function keyStatus(deps: Deps): Promise<KeyStatus[]> {
  const metas = await keyMetas(deps.db);
  const plan = planKeys(metas, deps.clock.now());
  const signing = new Set(plan.signing.values());
  const now = deps.clock.now();
  return metas.sort((a, b) => b.activatesAt.getTime() - a.activatesAt.getTime()).map((k) => ({
    ...k,
    state: signing.has(k.kid) ? 'signing' : plan.expired.includes(k.kid) ? 'expired' : k.activatesAt > now ? 'pending' : 'published',
  }));
}

/** The plan for now and a version string that changes when the published set or a signer changes. */
export async function currentPlan(deps: Deps): Promise<{ plan: KeyPlan; version: string }> {
  const plan = planKeys(await keyMetas(deps.db), deps.clock.now());
  return { plan, version: `${[...plan.signing.values()].join(',')}|${plan.published.join(',')}` };
}

/**
 * The provider's keystore for a plan: private JWKs, decrypted once per load (not per request).
 * Keys that must not sign (pending, superseded) carry key_ops ["verify"], so the provider never picks them.
 */
export async function loadJwks(deps: Deps, plan: KeyPlan): Promise<PrivateJwk[]> {
  if (plan.published.length === 0) return [];
  const rows = await encryptedKeys(deps.db, plan.published);
  const byKid = new Map(rows.map((r) => [r.kid, JSON.parse(deps.keyring.decrypt(r.private_jwk_enc)) as PrivateJwk]));
  const signing = new Set(plan.signing.values());
  return plan.published.filter((kid) => byKid.has(kid)).map((kid) => {
    const jwk = byKid.get(kid)!;
    return signing.has(kid) ? jwk : { ...jwk, key_ops: ['verify'] };
  });
}
