// OpenID Connect clients (SSO-1, SSO-2): one per application system, client_id = the system's code.
// Rows live in sso_clients (clients-store.ts); the provider reads them through clientMetadata (adapter.ts).
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { randomToken } from '../platform/crypto.ts';
import type { ClientAuthMethod, IdTokenAlg } from './tables.ts';
import { checkClient, usesSecret, type ClientFieldError, type GrantType } from './client-rules.ts';
import { findClientSecret, findEnabledClient, upsertClientRow } from './clients-store.ts';
import { findSystem } from './systems/store.ts';

export interface ClientInput {
  systemCode: string;
  authMethod: ClientAuthMethod;
  grantTypes: GrantType[];
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  backchannelLogoutUri?: string | null;
  initiateLoginUri?: string | null;
  /** private_key_jwt: the client's public keys. */
  jwks?: { keys: unknown[] } | null;
  /** client_secret_*: a chosen secret (≥ 32 characters); omitted → kept, or generated for a new client. */
  secret?: string;
  /** Generate a new secret even though one exists. */
  rotateSecret?: boolean;
  certificateRequired?: boolean;
  enabled?: boolean;
  idTokenSignedResponseAlg?: IdTokenAlg;
}

export type UpsertClientResult =
  | { ok: true; created: boolean; /** Only when generated now: shown once, stored encrypted. */ secret?: string }
  | { ok: false; errors: ClientFieldError[] };

/**
 * Creates or replaces the OpenID Connect client of an application system (client_id = system code).
 * Validation: redirect, post-logout, back-channel and initiate-login URIs absolute https (http only
 * for localhost/127.0.0.1/[::1]), no fragment, at most 20 each; auth method one of
 * client_secret_basic / client_secret_post / private_key_jwt (public JWKS) / none (public, PKCE);
 * grant types from authorization_code, refresh_token (needs authorization_code), client_credentials
 * (not for public clients); an unknown system is refused. Errors are message keys in
 * src/sso/messages.ts, one per field; on error nothing is written.
 * A secret is generated for a new secret-based client (or with rotateSecret) and returned once; it
 * is stored encrypted (Keyring). Authorization and the audit event are the caller's (the admin
 * pages / API know the actor and IP): call it inside the use case's transaction.
 * Note for the admin pages: URIs are compared exactly by the provider (no wildcards).
 */
export async function upsertClient(trx: Db, deps: Deps, input: ClientInput): Promise<UpsertClientResult> {
  const system = await findSystem(trx, input.systemCode);
  const existing = await findClientSecret(trx, input.systemCode);
  const shape = {
    authMethod: input.authMethod,
    grantTypes: input.grantTypes,
    redirectUris: input.redirectUris ?? [],
    postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
    backchannelLogoutUri: input.backchannelLogoutUri || null,
    initiateLoginUri: input.initiateLoginUri || null,
    jwks: input.jwks ?? null,
    secret: input.secret,
    idTokenSignedResponseAlg: input.idTokenSignedResponseAlg ?? 'ES256',
  };
  const errors = checkClient(shape);
  if (!system) errors.unshift({ field: 'systemCode', message: 'sso.client.unknownSystem' });
  if (errors.length) return { ok: false, errors };

  let secretEnc: string | null = null;
  let generated: string | undefined;
  if (usesSecret(input.authMethod)) {
    if (input.secret) secretEnc = deps.keyring.encrypt(input.secret);
    else if (existing?.secret_enc && !input.rotateSecret) secretEnc = existing.secret_enc;
    else secretEnc = deps.keyring.encrypt(generated = randomToken(32));
  }
  const now = deps.clock.now();
  const row = {
    secret_enc: secretEnc,
    auth_method: input.authMethod,
    jwks: input.authMethod === 'private_key_jwt' ? JSON.stringify(shape.jwks) : null,
    redirect_uris: shape.redirectUris,
    post_logout_redirect_uris: shape.postLogoutRedirectUris,
    backchannel_logout_uri: shape.backchannelLogoutUri,
    initiate_login_uri: shape.initiateLoginUri,
    grant_types: shape.grantTypes,
    certificate_required: input.certificateRequired ?? false,
    enabled: input.enabled ?? true,
    id_token_signed_response_alg: shape.idTokenSignedResponseAlg as IdTokenAlg,
    updated_at: now,
  };
  await upsertClientRow(trx, input.systemCode, now, row);
  clientsChanged();
  return { ok: true, created: !existing, secret: generated };
}

/** How long an instance serves a client from memory: a change made elsewhere shows within this. */
export const CLIENT_CACHE_MS = 1000;
let generation = 0;

/**
 * A writer of sso_clients in this process calls this after the change, so this process's
 * providers stop serving the old row at once (other instances: within CLIENT_CACHE_MS).
 */
export function clientsChanged(): void { generation++; }

/**
 * clientMetadata behind a small in-memory cache: every token, userinfo and introspection call
 * looks its client up, and at hundreds of grants per second the look-up was a round trip of its
 * own (client credentials: one of two). Held for CLIENT_CACHE_MS of wall time, or until clientsChanged().
 */
export function cachedClientMetadata(db: Db, deps: Deps): (clientId: string) => Promise<Record<string, unknown> | undefined> {
  const cache = new Map<string, { at: number; generation: number; value: Record<string, unknown> | undefined }>();
  return async (clientId) => {
    const now = Date.now();
    const hit = cache.get(clientId);
    if (hit && hit.generation === generation && now - hit.at < CLIENT_CACHE_MS) return hit.value;
    const at = generation;
    const value = await clientMetadata(db, deps, clientId);
    if (cache.size >= 1000) cache.clear(); // bounded: unknown ids cannot grow it without end
    cache.set(clientId, { at: now, generation: at, value });
    return value;
  };
}

/**
 * The provider's view of an enabled client, or undefined (unknown or disabled: the provider answers
 * invalid_client). The secret is decrypted here, once per look-up; nothing else is. initiate_login_uri
 * is the portal's (SSO-4), not the provider's: the provider would refuse a http://localhost one.
 */
export async function clientMetadata(db: Db, deps: Deps, clientId: string): Promise<Record<string, unknown> | undefined> {
  const r = await findEnabledClient(db, clientId);
  if (!r) return undefined;
  const code = r.grant_types.includes('authorization_code');
  return {
    client_id: r.system_code,
    client_name: r.name_zh,
    token_endpoint_auth_method: r.auth_method,
    ...(r.secret_enc ? { client_secret: deps.keyring.decrypt(r.secret_enc) } : {}),
    ...(r.jwks ? { jwks: r.jwks } : {}),
    grant_types: r.grant_types,
    response_types: code ? ['code'] : [],
    redirect_uris: r.redirect_uris,
    post_logout_redirect_uris: r.post_logout_redirect_uris,
    ...(r.backchannel_logout_uri ? { backchannel_logout_uri: r.backchannel_logout_uri, backchannel_logout_session_required: true } : {}),
    id_token_signed_response_alg: r.id_token_signed_response_alg,
  };
}
