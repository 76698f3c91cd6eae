// What an application system's OpenID Connect client may be set to (SSO-2): pure checks on the
// administrator's input, no I/O. The provider reads the stored result; these rules keep it from
// storing anything it would refuse or that would weaken the flow (plain-http redirects, public
// clients with machine grants, private keys pasted where public ones belong).
import type { MessageKey } from '../platform/web/messages.ts';
import type { ClientAuthMethod } from './tables.ts';

export const AUTH_METHODS: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];
export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];
export const MAX_URIS = 20;
const URI_MAX = 2000;
const JWKS_MAX = 20_000;
/** Members that only a private (or symmetric) JWK has: a client's JWKS must be public keys only. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

export interface ClientInput {
  authMethod: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string;
  initiateLoginUri: string;
  grantTypes: string[];
  certificateRequired: boolean;
  enabled: boolean;
  /** JSON text of the client's public JWKS (private_key_jwt only). */
  jwks: string;
}

export interface ClientValue {
  authMethod: ClientAuthMethod;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  initiateLoginUri: string | null;
  grantTypes: GrantType[];
  certificateRequired: boolean;
  enabled: boolean;
  jwks: { keys: Record<string, unknown>[] } | null;
}

export type ClientField = keyof ClientInput;
export type ClientErrors = Partial<Record<ClientField, MessageKey>>;

/** The method authenticates with a shared secret that Tessera must keep (encrypted) to compare. */
export const usesSecret = (m: ClientAuthMethod): boolean => m === 'client_secret_basic' || m === 'client_secret_post';

/** Lines of a textarea as a list: blank lines dropped, duplicates once. */
export const lines = (s: string): string[] => [...new Set(s.split(/\r?\n/).map((x) => x.trim()).filter(Boolean))];

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An absolute https URL (http only on the loopback interface, RFC 8252), no fragment, no credentials. */
export function uriProblem(raw: string): MessageKey | null {
  if (raw.length > URI_MAX) return 'sso.admin.uriInvalid';
  let u: URL;
  try { u = new URL(raw); } catch { return 'sso.admin.uriInvalid'; }
  if (u.username || u.password) return 'sso.admin.uriInvalid';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname))) return 'sso.admin.uriHttps';
  if (u.hash || raw.includes('#')) return 'sso.admin.uriFragment';
  return null;
}

function uriList(list: string[]): { value: string[]; error?: MessageKey } {
  const value = [...new Set(list.map((x) => x.trim()).filter(Boolean))];
  if (value.length > MAX_URIS) return { value, error: 'sso.admin.uriTooMany' };
  for (const u of value) { const e = uriProblem(u); if (e) return { value, error: e }; }
  return { value };
}

function oneUri(raw: string): { value: string | null; error?: MessageKey } {
  const v = raw.trim();
  if (!v) return { value: null };
  const e = uriProblem(v);
  return e ? { value: null, error: e } : { value: v };
}

function parseJwks(raw: string): { value?: ClientValue['jwks']; error?: MessageKey } {
  const text = raw.trim();
  if (!text) return { error: 'sso.admin.jwksRequired' };
  if (text.length > JWKS_MAX) return { error: 'sso.admin.jwksInvalid' };
  let parsed: unknown;
  try { parsed = JSON.parse(text); } catch { return { error: 'sso.admin.jwksInvalid' }; }
  const keys = (parsed as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > 10) return { error: 'sso.admin.jwksInvalid' };
  for (const k of keys) {
    if (typeof k !== 'object' || k === null || typeof (k as { kty?: unknown }).kty !== 'string') return { error: 'sso.admin.jwksInvalid' };
    if ((k as { kty: string }).kty === 'oct' || PRIVATE_JWK_MEMBERS.some((m) => m in k)) return { error: 'sso.admin.jwksPrivate' };
  }
  return { value: { keys: keys as Record<string, unknown>[] } };
}

export function validateClient(input: ClientInput): { value?: ClientValue; errors: ClientErrors } {
  const errors: ClientErrors = {};
  const authMethod = input.authMethod as ClientAuthMethod;
  if (!AUTH_METHODS.includes(authMethod)) errors.authMethod = 'sso.admin.authMethodInvalid';

  const grantTypes = [...new Set(input.grantTypes)];
  if (grantTypes.some((g) => !(GRANT_TYPES as readonly string[]).includes(g))) errors.grantTypes = 'sso.admin.grantInvalid';
  else if (grantTypes.length === 0) errors.grantTypes = 'sso.admin.grantRequired';
  else if (grantTypes.includes('refresh_token') && !grantTypes.includes('authorization_code')) errors.grantTypes = 'sso.admin.refreshNeedsCode';
  // A public client has nothing to authenticate a machine grant with.
  else if (authMethod === 'none' && grantTypes.includes('client_credentials')) errors.grantTypes = 'sso.admin.publicNoClientCredentials';

  const redirect = uriList(input.redirectUris);
  if (redirect.error) errors.redirectUris = redirect.error;
  else if (grantTypes.includes('authorization_code') && redirect.value.length === 0) errors.redirectUris = 'sso.admin.redirectRequired';
  const postLogout = uriList(input.postLogoutRedirectUris);
  if (postLogout.error) errors.postLogoutRedirectUris = postLogout.error;
  const backchannel = oneUri(input.backchannelLogoutUri);
  if (backchannel.error) errors.backchannelLogoutUri = backchannel.error;
  const initiate = oneUri(input.initiateLoginUri);
  if (initiate.error) errors.initiateLoginUri = initiate.error;

  let jwks: ClientValue['jwks'] = null;
  if (authMethod === 'private_key_jwt') {
    const j = parseJwks(input.jwks);
    if (j.error) errors.jwks = j.error; else jwks = j.value!;
  }
  if (Object.keys(errors).length) return { errors };
  return {
    value: {
      authMethod, redirectUris: redirect.value, postLogoutRedirectUris: postLogout.value, backchannelLogoutUri: backchannel.value,
      initiateLoginUri: initiate.value, grantTypes: grantTypes as GrantType[], certificateRequired: input.certificateRequired,
      enabled: input.enabled, jwks,
    },
    errors,
  };
}
