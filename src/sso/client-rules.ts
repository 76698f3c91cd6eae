// Pure checks of an OpenID Connect client registration (SSO-2): which URIs, authentication methods
// and grant types a system may register. No I/O; clients.ts stores what passes.
import type { ClientAuthMethod, IdTokenAlg } from './tables.ts';

export const AUTH_METHODS: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];
export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];
export const ID_TOKEN_ALGS: readonly IdTokenAlg[] = ['ES256', 'RS256'];
const MAX_URIS = 20;
const MAX_URI_LENGTH = 2000;

export type ClientField = 'systemCode' | 'authMethod' | 'secret' | 'jwks' | 'redirectUris' | 'postLogoutRedirectUris'
  | 'backchannelLogoutUri' | 'initiateLoginUri' | 'grantTypes' | 'idTokenSignedResponseAlg';

export type ClientErrorKey =
  | 'sso.client.unknownSystem' | 'sso.client.authMethodInvalid' | 'sso.client.grantTypesInvalid'
  | 'sso.client.publicClientCredentials' | 'sso.client.refreshNeedsCode' | 'sso.client.redirectUriRequired'
  | 'sso.client.uriInvalid' | 'sso.client.uriNotHttps' | 'sso.client.tooManyUris' | 'sso.client.jwksInvalid'
  | 'sso.client.secretTooShort' | 'sso.client.algInvalid';

export interface ClientFieldError { field: ClientField; message: ClientErrorKey }

export interface ClientShape {
  authMethod: string;
  grantTypes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  initiateLoginUri: string | null;
  jwks: { keys: unknown[] } | null;
  secret?: string;
  idTokenSignedResponseAlg: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An absolute https URI without a fragment; http only towards this machine (development RPs). */
export function uriProblem(raw: string): ClientErrorKey | null {
  if (raw.length > MAX_URI_LENGTH || /\s/.test(raw)) return 'sso.client.uriInvalid';
  let u: URL;
  try { u = new URL(raw); } catch { return 'sso.client.uriInvalid'; }
  if (u.hash || u.username || u.password) return 'sso.client.uriInvalid';
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && LOOPBACK.has(u.hostname)) return null;
  return u.protocol === 'http:' ? 'sso.client.uriNotHttps' : 'sso.client.uriInvalid';
}

function checkUris(field: ClientField, uris: string[], out: ClientFieldError[]): void {
  if (uris.length > MAX_URIS) { out.push({ field, message: 'sso.client.tooManyUris' }); return; }
  for (const u of uris) {
    const p = uriProblem(u);
    if (p) { out.push({ field, message: p }); return; }
  }
}

/** A JWK Set of public keys only (private_key_jwt): a private member would mean a leaked key. */
function publicJwks(jwks: ClientShape['jwks']): boolean {
  if (!jwks || !Array.isArray(jwks.keys) || jwks.keys.length === 0 || jwks.keys.length > 10) return false;
  return jwks.keys.every((k) => {
    if (!k || typeof k !== 'object') return false;
    const key = k as Record<string, unknown>;
    return typeof key.kty === 'string' && ['RSA', 'EC', 'OKP'].includes(key.kty) && !('d' in key) && !('p' in key);
  });
}

export function checkClient(c: ClientShape): ClientFieldError[] {
  const out: ClientFieldError[] = [];
  if (!(AUTH_METHODS as string[]).includes(c.authMethod)) out.push({ field: 'authMethod', message: 'sso.client.authMethodInvalid' });
  const grants = new Set(c.grantTypes);
  if (grants.size === 0 || [...grants].some((g) => !(GRANT_TYPES as readonly string[]).includes(g)) || grants.size !== c.grantTypes.length) {
    out.push({ field: 'grantTypes', message: 'sso.client.grantTypesInvalid' });
  }
  // A public client has no secret: a token for the client itself would be a token for anyone.
  if (c.authMethod === 'none' && grants.has('client_credentials')) out.push({ field: 'grantTypes', message: 'sso.client.publicClientCredentials' });
  if (grants.has('refresh_token') && !grants.has('authorization_code')) out.push({ field: 'grantTypes', message: 'sso.client.refreshNeedsCode' });
  if (grants.has('authorization_code') && c.redirectUris.length === 0) out.push({ field: 'redirectUris', message: 'sso.client.redirectUriRequired' });
  checkUris('redirectUris', c.redirectUris, out);
  checkUris('postLogoutRedirectUris', c.postLogoutRedirectUris, out);
  if (c.backchannelLogoutUri) checkUris('backchannelLogoutUri', [c.backchannelLogoutUri], out);
  if (c.initiateLoginUri) checkUris('initiateLoginUri', [c.initiateLoginUri], out);
  if (c.authMethod === 'private_key_jwt' && !publicJwks(c.jwks)) out.push({ field: 'jwks', message: 'sso.client.jwksInvalid' });
  if (c.secret !== undefined && c.secret.length < 32) out.push({ field: 'secret', message: 'sso.client.secretTooShort' });
  if (!(ID_TOKEN_ALGS as string[]).includes(c.idTokenSignedResponseAlg)) out.push({ field: 'idTokenSignedResponseAlg', message: 'sso.client.algInvalid' });
  return out;
}

export const usesSecret = (authMethod: string): boolean => authMethod === 'client_secret_basic' || authMethod === 'client_secret_post';
