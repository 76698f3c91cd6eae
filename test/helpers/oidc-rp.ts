/**
 * A small real relying party for single sign-on tests (SSO-2): a node:http server on a random
 * port using openid-client v6 against the Tessera provider, registered as the client of an
 * application system (upsertClient).
 *
 *   const rp = await startTestRp(t, { systemCode: 'csm' });
 *   // browser (or test Client) opens rp.loginUrl → Tessera sign-in / consent → rp `/cb`,
 *   // which exchanges the code (PKCE, ID-token signature checked against the JWKS), calls
 *   // userinfo and shows the claims as a page: <dl id="claims"> (dt = claim, dd = value) and
 *   // <pre id="claims-json">. rp.last holds the same (tokens, ID-token claims, userinfo).
 *   // rp.logoutUrl starts RP-initiated logout; the provider's back-channel logout posts land
 *   // in rp.backchannelLogouts (verified logout-token claims).
 *   await rp.close();
 *
 * Pages: GET /login[?prompt=…&scope=…&acr_values=…&claims=…] → 302 to the provider; GET /cb → claims page, or an error
 * page <p id="error">error: description</p> (status 400) when the provider answered an error;
 * GET /logout → 302 to end_session; GET /logged-out → "signed out" page; POST /backchannel → 200.
 * Registering replaces the system's client (URIs, new secret): one test RP per system at a time.
 */
import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import type { Deps } from '../../src/platform/deps.ts';
import { upsertClient } from '../../src/sso/clients.ts';
import type { GrantType } from '../../src/sso/client-rules.ts';

export interface RpLogin {
  tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
  idClaims: oidc.IDToken;
  userinfo: oidc.UserInfoResponse;
}

export interface TestRp {
  url: string;
  clientId: string;
  clientSecret: string | undefined;
  redirectUri: string;
  /** Where a browser starts signing in to this system (also registered as initiate_login_uri). */
  loginUrl: string;
  /** RP-initiated logout of the last login (id_token_hint + post_logout_redirect_uri). */
  logoutUrl: string;
  /** The last successful login at /cb. */
  last?: RpLogin;
  /** The last error the provider sent to /cb (`error` and `error_description`). */
  lastError?: { error: string; description: string | null };
  /** Back-channel logout tokens received and verified (iss, aud, sub, sid, events). */
  backchannelLogouts: Record<string, unknown>[];
  /** While true, /backchannel answers 503 (a system that is down); the posts are counted in `backchannelRefused`. */
  backchannelDown: boolean;
  backchannelRefused: number;
  /** Waits until `n` logout tokens in all have arrived (the outbox delivers them shortly after the logout). */
  waitForBackchannelLogouts(n: number, timeoutMs?: number): Promise<void>;
  /** openid-client's configuration for this client (discovery is done on first use). */
  configuration(): Promise<oidc.Configuration>;
  /**
   * Forgets the cached JWKS, as a real RP does when a token names an unknown kid (after a cool-down
   * of 30 s of wall time, which a test that advances its clock does not wait for).
   */
  forgetKeys(): void;
  close(): Promise<void>;
}

export interface TestRpOptions {
  systemCode: string;
  scope?: string;
  authMethod?: 'client_secret_basic' | 'client_secret_post' | 'none';
  grantTypes?: GrantType[];
  certificateRequired?: boolean;
  idTokenSignedResponseAlg?: 'ES256' | 'RS256';
  /** The issuer to discover; default `${app.url}/oidc`. */
  issuer?: string;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const pageOf = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;

/** Verifies a compact JWS (ES256 or RS256) against the provider's JWKS. */
async function verifyJwt(jwksUri: string, jwt: string): Promise<Record<string, unknown>> {
  const [h, p, s] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid: string; alg: string };
  const { keys } = await (await fetch(jwksUri)).json() as { keys: (crypto.webcrypto.JsonWebKey & { kid: string })[] };
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`unknown kid ${header.kid}`);
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  const ok = crypto.verify('sha256', Buffer.from(`${h}.${p}`), header.alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key, Buffer.from(s, 'base64url'));
  if (!ok) throw new Error('bad signature');
  return JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
}

export async function startTestRp(app: { deps: Deps; url: string }, opts: TestRpOptions): Promise<TestRp> {
  const pending = new Map<string, { verifier: string; nonce: string }>();
  let config: oidc.Configuration | undefined;
  const server = http.createServer((req, res) => { handle(req, res).catch((e) => { res.statusCode = 500; res.end(String(e)); }); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const authMethod = opts.authMethod ?? 'client_secret_basic';
  const issuer = opts.issuer ?? `${app.url}/oidc`;

  const reg = await app.deps.db.transaction().execute((trx) => upsertClient(trx, app.deps, {
    systemCode: opts.systemCode,
    authMethod,
    grantTypes: opts.grantTypes ?? ['authorization_code', 'refresh_token'],
    redirectUris: [`${url}/cb`],
    postLogoutRedirectUris: [`${url}/logged-out`],
    backchannelLogoutUri: `${url}/backchannel`,
    initiateLoginUri: `${url}/login`,
    certificateRequired: opts.certificateRequired ?? false,
    idTokenSignedResponseAlg: opts.idTokenSignedResponseAlg,
    rotateSecret: true,
  }));
  if (!reg.ok) throw new Error(`client registration refused: ${JSON.stringify(reg.errors)}`);

  const rp: TestRp = {
    url, clientId: opts.systemCode, clientSecret: reg.secret, redirectUri: `${url}/cb`, loginUrl: `${url}/login`, logoutUrl: `${url}/logout`,
    backchannelLogouts: [],
    backchannelDown: false,
    backchannelRefused: 0,
    async waitForBackchannelLogouts(n, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (rp.backchannelLogouts.length < n) {
        if (Date.now() > until) throw new Error(`${rp.clientId}: ${rp.backchannelLogouts.length} back-channel logouts, waited for ${n}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async configuration() {
      if (!config) {
        const auth = authMethod === 'none' ? oidc.None() : authMethod === 'client_secret_post'
          ? oidc.ClientSecretPost(reg.ok ? reg.secret : undefined) : oidc.ClientSecretBasic(reg.ok ? reg.secret : undefined);
        config = await oidc.discovery(new URL(issuer), opts.systemCode, { id_token_signed_response_alg: opts.idTokenSignedResponseAlg ?? 'ES256' },
          auth, { execute: [oidc.allowInsecureRequests] });
        // Check ID-token signatures against the provider's JWKS (not only TLS-trusted responses).
        oidc.enableNonRepudiationChecks(config);
      }
      return config;
    },
    forgetKeys() { config = undefined; }, // a new discovery comes with an empty JWKS cache
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', url);
    const html = (status: number, title: string, body: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(pageOf(title, body));
    };
    if (u.pathname === '/login') {
      const c = await rp.configuration();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      pending.set(state, { verifier, nonce });
      const params: Record<string, string> = {
        redirect_uri: rp.redirectUri, scope: u.searchParams.get('scope') ?? opts.scope ?? 'openid profile email phone tessera',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce,
      };
      for (const p of ['prompt', 'max_age', 'ui_locales', 'acr_values', 'claims']) if (u.searchParams.has(p)) params[p] = u.searchParams.get(p)!;
      res.writeHead(302, { location: oidc.buildAuthorizationUrl(c, params).href });
      res.end();
      return;
    }
    if (u.pathname === '/cb') {
      const state = u.searchParams.get('state') ?? '';
      const p = pending.get(state);
      if (u.searchParams.has('error') || !p) {
        rp.lastError = { error: u.searchParams.get('error') ?? 'unknown_state', description: u.searchParams.get('error_description') };
        return html(400, 'Sign-in failed', `<p id="error">${esc(`${rp.lastError.error}: ${rp.lastError.description ?? ''}`)}</p>`);
      }
      pending.delete(state);
      const c = await rp.configuration();
      const tokens = await oidc.authorizationCodeGrant(c, u, { pkceCodeVerifier: p.verifier, expectedState: state, expectedNonce: p.nonce });
      const idClaims = tokens.claims()!;
      const userinfo = await oidc.fetchUserInfo(c, tokens.access_token, idClaims.sub);
      rp.last = { tokens, idClaims, userinfo };
      const rows = Object.entries(userinfo).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(Array.isArray(v) ? v.join(', ') : String(v))}</dd>`).join('');
      return html(200, 'Signed in', `<dl id="claims">${rows}</dl><pre id="claims-json">${esc(JSON.stringify({ id_token: idClaims, userinfo }, null, 2))}</pre>`);
    }
    if (u.pathname === '/logout') {
      const c = await rp.configuration();
      const end = oidc.buildEndSessionUrl(c, {
        post_logout_redirect_uri: `${url}/logged-out`, ...(rp.last?.tokens.id_token ? { id_token_hint: rp.last.tokens.id_token } : { client_id: rp.clientId }),
      });
      res.writeHead(302, { location: end.href });
      res.end();
      return;
    }
    if (u.pathname === '/logged-out') return html(200, 'Signed out', '<p id="signed-out">Signed out of the test system.</p>');
    if (u.pathname === '/backchannel' && req.method === 'POST') {
      if (rp.backchannelDown) { rp.backchannelRefused++; res.statusCode = 503; res.end(); return; }
      let body = '';
      for await (const chunk of req) body += chunk;
      const token = new URLSearchParams(body).get('logout_token') ?? '';
      const c = await rp.configuration();
      const claims = await verifyJwt(c.serverMetadata().jwks_uri!, token);
      if (claims.iss !== c.serverMetadata().issuer || claims.aud !== rp.clientId) { res.statusCode = 400; res.end(); return; }
      rp.backchannelLogouts.push(claims);
      res.statusCode = 200;
      res.end();
      return;
    }
    html(404, 'Not found', '<p>Not found</p>');
  }

  return rp;
}

export { verifyJwt };

export interface SignInTrace {
  /** Tessera pages shown on the way (paths), in order. */
  pages: string[];
  loginShown: boolean;
  /** The claims listed on the consent page (data-claim), when it was shown. */
  consentClaims?: string[];
  /** The refusal page's alert text, when the system refused the user. */
  refusal?: string;
  /** The relying party's answer at the end (its /cb page). */
  rpStatus?: number;
  rpBody?: string;
}

/**
 * Drives a sign-in like a browser without JavaScript, with the test Client (cookie jar + CSRF):
 * from `start` (the RP's login URL, or any URL answering with a redirect into Tessera) through
 * Tessera's login page (when asked), a forced password change (with `newPassword`), the consent
 * page (accept or cancel) and the refusal page (returning to the system), following redirects
 * and Refresh headers, until the RP has answered.
 * Use `new Client('')`: paths are absolute URLs here, so one jar can visit several instances.
 */
export async function signInThrough(c: { get(p: string): Promise<{ status: number; location: string | null; body: string; headers: Headers }>; post(p: string, b: Record<string, string>): Promise<{ status: number; location: string | null; body: string }> },
  start: string, o: {
    rpUrl: string; username?: string; password?: string; captcha?: () => string; consent?: 'accept' | 'cancel'; route?: (url: string) => string;
    /** Answer a forced password change (initial or expired password) with this new password. */
    newPassword?: string;
  }): Promise<SignInTrace> {
  const trace: SignInTrace = { pages: [], loginShown: false };
  const route = o.route ?? ((u: string) => u);
  const hidden = (html: string) => Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&')]));
  let next = start;
  let base = new URL(start).origin;
  for (let hop = 0; hop < 30; hop++) {
    const u = new URL(next, base);
    if (u.origin === o.rpUrl) {
      const r = await fetch(u, { redirect: 'manual' });
      const loc = r.headers.get('location');
      if (r.status === 302 && loc) { next = loc; base = u.origin; continue; }
      trace.rpStatus = r.status;
      trace.rpBody = await r.text();
      return trace;
    }
    const target = route(u.href);
    base = new URL(target).origin;
    const r = await c.get(target);
    if (r.status >= 300 && r.status < 400 && r.location) { next = new URL(r.location, target).href; continue; }
    const refresh = r.headers.get('refresh');
    if (r.status === 200 && refresh) { next = new URL(refresh.replace(/^\d+;\s*url=/i, ''), target).href; continue; }
    trace.pages.push(u.pathname);
    const form = (action: RegExp) => r.body.match(new RegExp(`<form method="post" action="(${action.source})"`))?.[1];
    if (u.pathname === '/login') {
      trace.loginShown = true;
      if (!o.username) return trace;
      const p = await c.post(new URL('/login', target).href, { ...hidden(r.body), username: o.username, password: o.password ?? '', captcha: o.captcha?.() ?? '' });
      if (!p.location) throw new Error(`login refused: ${p.status} ${p.body.match(/role="alert">([^<]*)/)?.[1]}`);
      next = new URL(p.location, target).href;
      continue;
    }
    if (u.pathname === '/password/change' && o.newPassword) {
      const p = await c.post(new URL('/password/change', target).href, { ...hidden(r.body), current: o.password ?? '', next: o.newPassword, confirm: o.newPassword });
      if (!p.location) throw new Error(`password change refused: ${p.status}`);
      next = new URL(p.location, target).href;
      continue;
    }
    const consent = form(/\/sso\/interaction\/[^"/]+\/consent/);
    if (consent) {
      trace.consentClaims = [...r.body.matchAll(/data-claim="([^"]+)"/g)].map((m) => m[1]);
      if (!o.consent) return trace;
      const p = await c.post(new URL(consent, target).href, { ...hidden(r.body), decision: o.consent });
      next = new URL(p.location!, target).href;
      continue;
    }
    const abort = form(/\/sso\/interaction\/[^"/]+\/abort/);
    if (abort) {
      trace.refusal = r.body.match(/role="alert">([^<]*)/)?.[1];
      const p = await c.post(new URL(abort, target).href, hidden(r.body));
      next = new URL(p.location!, target).href;
      continue;
    }
    trace.rpStatus = r.status;
    trace.rpBody = r.body;
    return trace;
  }
  throw new Error('too many hops');
}
