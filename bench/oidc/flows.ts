// What the load generator sends, for Tessera and for the in-memory ceiling alike:
// - codeLogin: one authorization code + PKCE sign-in as a browser without JavaScript does it
//   (follows redirects and Refresh headers, fills the login form, accepts the consent form), then
//   the code exchange — the start of one refresh chain;
// - refresh / clientCredentials / userinfo: one grant or call each, verified (status 200 and the
//   token or claims present) so that a failure never counts as throughput;
// - jwks: the reference call without database or state (the HTTP stack's fixed cost).
import crypto from 'node:crypto';
import type http from 'node:http';
import { basicAuth, FORM, form, hiddenFields, Jar, request, type Res } from './http.ts';

export interface Target {
  name: string;
  /** The provider's base URL: discovery is `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  agent: http.Agent;
  endpoints: { authorization: URL; token: URL; userinfo: URL; jwks: URL };
}

export interface Client { id: string; secret: string; redirectUri: string }
/** A refresh chain: the latest tokens of one grant; `uses` counts its refreshes. */
export interface Chain { refreshToken: string; accessToken: string; sub: string; alive: boolean; uses: number }
export type Outcome = { ok: true } | { ok: false; why: string };

export const SCOPE = 'openid profile email phone tessera';

export async function discover(name: string, issuer: string, agent: http.Agent): Promise<Target> {
  const r = await request(agent, new URL(`${issuer}/.well-known/openid-configuration`), 'GET');
  if (r.status !== 200) throw new Error(`${name}: discovery answered ${r.status}`);
  const m = JSON.parse(r.body) as Record<string, string>;
  return {
    name, issuer, agent,
    endpoints: { authorization: new URL(m.authorization_endpoint), token: new URL(m.token_endpoint), userinfo: new URL(m.userinfo_endpoint), jwks: new URL(m.jwks_uri) },
  };
}

const b64url = (b: Buffer) => b.toString('base64url');
const json = (r: Res): Record<string, unknown> | undefined => { try { return JSON.parse(r.body) as Record<string, unknown>; } catch { return undefined; } };
const brief = (r: Res) => `${r.status} ${(json(r)?.error as string | undefined) ?? ''}`.trim();

/**
 * Signs in through the provider's pages and redeems the code. Returns the first refresh and access
 * token of a new chain. `login` is the user typed into a Tessera login form, if one is shown.
 */
export async function codeLogin(t: Target, client: Client, login: { username: string; password: string }): Promise<Chain> {
  const jar = new Jar();
  const verifier = b64url(crypto.randomBytes(32));
  const state = b64url(crypto.randomBytes(16));
  const auth = new URL(t.endpoints.authorization);
  auth.search = form({
    client_id: client.id, response_type: 'code', scope: SCOPE, redirect_uri: client.redirectUri, state, nonce: b64url(crypto.randomBytes(16)),
    code_challenge: b64url(crypto.createHash('sha256').update(verifier).digest()), code_challenge_method: 'S256',
  });
  let next = auth;
  let code: string | undefined;
  for (let hop = 0; hop < 30 && !code; hop++) {
    const r = await request(t.agent, next, 'GET', jar.header());
    jar.store(r);
    const to = (loc: string) => new URL(loc, next);
    const refresh = r.headers.refresh?.toString().replace(/^\d+;\s*url=/i, '');
    let go: URL | undefined;
    if (r.status >= 300 && r.status < 400 && r.headers.location) go = to(r.headers.location);
    else if (r.status === 200 && refresh) go = to(refresh);
    else if (r.status === 200) {
      // A form page: Tessera's login form or its consent form (the header may hold others, e.g. logout).
      const forms = [...r.body.matchAll(/<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].map((m) => ({ action: m[1].replace(/&amp;/g, '&'), html: m[2] }));
      const loginForm = forms.find((f) => /name="password"/.test(f.html));
      const consentForm = forms.find((f) => /\/consent$/.test(f.action));
      const chosen = loginForm ?? consentForm;
      if (!chosen) throw new Error(`${t.name}: unexpected page at ${next.pathname} (forms: ${forms.map((f) => f.action).join(', ') || 'none'})`);
      const action = chosen.action;
      const fields: Record<string, string> = { ...hiddenFields(chosen.html) };
      if (chosen === loginForm) Object.assign(fields, { username: login.username, password: login.password });
      else fields.decision = 'accept';
      const p = await request(t.agent, to(action), 'POST', { ...jar.header(), ...FORM }, form(fields));
      jar.store(p);
      if (p.status !== 303 || !p.headers.location) throw new Error(`${t.name}: POST ${action} answered ${p.status}`);
      go = to(p.headers.location);
    } else throw new Error(`${t.name}: GET ${next.pathname} answered ${r.status}`);
    if (go.href.startsWith(client.redirectUri)) {
      if (go.searchParams.get('state') !== state) throw new Error(`${t.name}: state mismatch or error ${go.searchParams.get('error')}: ${go.searchParams.get('error_description')}`);
      code = go.searchParams.get('code') ?? undefined;
      if (!code) throw new Error(`${t.name}: no code in the redirect (${go.searchParams.get('error')})`);
    }
    next = go;
  }
  if (!code) throw new Error(`${t.name}: no code after 30 hops`);
  const r = await request(t.agent, t.endpoints.token, 'POST', { ...FORM, authorization: basicAuth(client.id, client.secret) },
    form({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: verifier }));
  const body = json(r);
  if (r.status !== 200 || typeof body?.refresh_token !== 'string' || typeof body.access_token !== 'string' || typeof body.id_token !== 'string') {
    throw new Error(`${t.name}: code exchange answered ${brief(r)}${r.status === 200 ? ' without a refresh token' : ''}`);
  }
  const sub = (JSON.parse(Buffer.from(body.id_token.split('.')[1], 'base64url').toString()) as { sub: string }).sub;
  return { refreshToken: body.refresh_token, accessToken: body.access_token, sub, alive: true, uses: 0 };
}

/** JWS header of an ID token, for a cheap per-response check (the signature is checked once per cell). */
export const jwsHeader = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString()) as { alg: string; kid: string };

/**
 * One refresh-token grant. Rotation: the answer must carry a new refresh token, which replaces the
 * old one in the chain; a chain whose grant failed is dead (its token may have been rotated).
 */
export async function refresh(t: Target, client: Client, chain: Chain, seen?: (idToken: string) => void): Promise<Outcome> {
  let r: Res;
  try {
    r = await request(t.agent, t.endpoints.token, 'POST', { ...FORM, authorization: basicAuth(client.id, client.secret) },
      form({ grant_type: 'refresh_token', refresh_token: chain.refreshToken }));
  } catch (e) { chain.alive = false; return { ok: false, why: `refresh: ${(e as Error).message}` }; }
  const body = json(r);
  if (r.status !== 200 || typeof body?.refresh_token !== 'string' || typeof body.access_token !== 'string' || typeof body.id_token !== 'string') {
    chain.alive = false;
    return { ok: false, why: `refresh: ${brief(r)}` };
  }
  if (body.refresh_token === chain.refreshToken) { chain.alive = false; return { ok: false, why: 'refresh: the refresh token was not rotated' }; }
  if (jwsHeader(body.id_token).alg !== 'ES256') return { ok: false, why: `refresh: ID token alg ${jwsHeader(body.id_token).alg}` };
  chain.refreshToken = body.refresh_token;
  chain.accessToken = body.access_token;
  chain.uses++;
  seen?.(body.id_token);
  return { ok: true };
}

export async function clientCredentials(t: Target, machine: Client): Promise<Outcome> {
  const r = await request(t.agent, t.endpoints.token, 'POST', { ...FORM, authorization: basicAuth(machine.id, machine.secret) }, 'grant_type=client_credentials');
  const body = json(r);
  if (r.status !== 200 || typeof body?.access_token !== 'string' || body.token_type !== 'Bearer') return { ok: false, why: `client_credentials: ${brief(r)}` };
  return { ok: true };
}

export async function userinfo(t: Target, chain: Chain, role: string): Promise<Outcome> {
  const r = await request(t.agent, t.endpoints.userinfo, 'GET', { authorization: `Bearer ${chain.accessToken}` });
  const body = json(r);
  if (r.status !== 200 || body?.sub !== chain.sub) return { ok: false, why: `userinfo: ${brief(r)}` };
  if (!Array.isArray(body.roles) || !body.roles.includes(role)) return { ok: false, why: 'userinfo: the role claim is missing' };
  return { ok: true };
}

/** The JWKS: no database and no state, so what it costs is the HTTP stack's fixed share of every call. */
export async function jwks(t: Target): Promise<Outcome> {
  const r = await request(t.agent, t.endpoints.jwks, 'GET');
  const body = json(r);
  if (r.status !== 200 || !Array.isArray(body?.keys) || body.keys.length === 0) return { ok: false, why: `jwks: ${brief(r)}` };
  return { ok: true };
}

/** Checks an ID token's ES256 signature against the provider's JWKS. */
export async function verifyIdToken(t: Target, jwt: string): Promise<void> {
  const { kid } = jwsHeader(jwt);
  const r = await request(t.agent, t.endpoints.jwks, 'GET');
  const jwk = (JSON.parse(r.body) as { keys: (crypto.webcrypto.JsonWebKey & { kid: string })[] }).keys.find((k) => k.kid === kid);
  if (!jwk) throw new Error(`${t.name}: ID token key ${kid} is not in the JWKS`);
  const [h, p, s] = jwt.split('.');
  const ok = crypto.verify('sha256', Buffer.from(`${h}.${p}`), { key: crypto.createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  if (!ok) throw new Error(`${t.name}: ID token signature does not verify`);
}
