// The OpenID Connect provider (SSO-2): oidc-provider configured for Tessera. Built lazily (the
// issuer follows config.baseUrl, which tests learn only after listen) and rebuilt when another
// instance rotated the signing keys (checked every KEY_RELOAD_INTERVAL_MS).
import type Provider from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC, Account } from 'oidc-provider';
import { grantIssued } from './grant-events.ts';
import { loadOidc, oidc } from './oidc-lib.ts';
import type { Deps } from '../platform/deps.ts';
import { renderPage, type PageContext } from '../platform/web/layout.tsx';
import { translator } from '../messages.ts';
import { audit } from '../platform/audit.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { endSession } from '../auth/session-store.ts';
import { kyselyAdapter, withTokenWrites } from './adapter.ts';
import { ACR_VALUES } from './auth-context.ts';
import { accountClaims, type AccountClaims, SCOPE_CLAIMS, SCOPES, scopesCoveredBy } from './claims.ts';
import { accessFor, buildPolicy } from './policy.ts';
import { mayHoldTokens } from './access-store.ts';
import { ensureKeys, currentPlan, loadJwks, type PrivateJwk } from './keys.ts';
import { KEY_RELOAD_INTERVAL_MS } from './key-plan.ts';
import { linkedRequest } from './request-link.ts';
import { claimsKey, mayHoldKey, recall, withRequestReads } from './request-reads.ts';
import { opSession, type OpSession } from './logout.ts';
import { revokeGrantIds } from './logout-store.ts';
import { linkOpSession, unlinkOpSession } from './session-links-store.ts';
import { routeBackchannelThroughOutbox } from './backchannel.ts';
import { systemName } from './systems/name.ts';
import { LoggedOutPage, LogoutPage, SsoErrorPage } from './views/interaction.tsx';

export const TTL = {
  AccessToken: 15 * 60,
  ClientCredentials: 15 * 60,
  AuthorizationCode: 60,
  IdToken: 60 * 60,
  Interaction: 60 * 60,
  Session: 12 * 3600,
  Grant: 7 * 24 * 3600,
  /** A refresh-token family lives one working day from its first token; rotation does not extend it. */
  RefreshToken: 12 * 3600,
} as const;

// Provider-rendered pages (logout, errors, form_post) keep Tessera's policy except form-action:
// their forms post to the provider, which answers with a redirect to the relying party.
const PROVIDER_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

export const issuerOf = (deps: Deps): string => `${deps.config.baseUrl}/oidc`;
/** What a system's operator types into its OpenID Connect library: the issuer, or the discovery document that names every endpoint. */
export const discoveryUrlOf = (deps: Deps): string => `${issuerOf(deps)}/.well-known/openid-configuration`;

/** A page context for pages the provider renders (it has only the raw request). */
function pageContextOf(ctx: KoaContextWithOIDC): PageContext {
  const req = linkedRequest(ctx.req);
  const r = req?.ctx;
  const s = r?.session;
  return {
    lang: r?.lang ?? 'zh-TW', t: r?.t ?? translator('zh-TW'), csrf: r?.csrf ?? '', path: ctx.originalUrl,
    user: s ? { username: s.username, name: s.name, isCentral: s.isCentral, isAdmin: s.isAdmin, mustChangePassword: s.mustChangePassword } : undefined,
  };
}

function sendPage(ctx: KoaContextWithOIDC, html: string): void {
  ctx.type = 'html';
  ctx.body = html;
}

function errorMessageKey(error: string, description: string | undefined) {
  if (error === 'invalid_redirect_uri') return 'sso.error.redirect' as const;
  if (error === 'invalid_client') return 'sso.error.client' as const;
  if (error === 'invalid_request' && /expired|not found|mismatch/.test(description ?? '')) return 'sso.error.expired' as const;
  return 'sso.error.text' as const;
}

export function createProvider(deps: Deps, issuer: string, jwks: PrivateJwk[]): Provider {
  const findAccount: Configuration['findAccount'] = async (ctx, sub, token) => {
    if (!/^\d{1,15}$/.test(sub)) return undefined;
    // While authorizing, only the subject matters (code flow: claims go out at the token endpoint);
    // whether the account may enter is the access prompt's question (policy.ts).
    if (!token) return { accountId: sub, claims: () => ({ sub }) };
    const clientId = token.clientId ?? ctx.oidc?.client?.clientId;
    // Code exchange and refresh: the ID token carries only sub, acr, amr and auth_time; the profile
    // and roles are for userinfo (access tokens). So the token endpoint asks only "still allowed?".
    // Both answers usually came with the token in one statement (adapter.ts, request-reads.ts).
    if (token.kind !== 'AccessToken') {
      const may = clientId ? recall<boolean>(mayHoldKey(sub, clientId))?.value ?? await mayHoldTokens(deps.db, Number(sub), clientId) : false;
      return may ? { accountId: sub, claims: () => ({ sub }) } : undefined;
    }
    const seen = clientId ? recall<AccountClaims | undefined>(claimsKey(sub, clientId)) : undefined;
    const claims = seen ? seen.value : await accountClaims(deps.db, Number(sub), clientId);
    if (!claims) return undefined;
    return { accountId: sub, claims: () => claims } satisfies Account;
  };

  const configuration: Configuration = {
    adapter: kyselyAdapter(deps),
    clients: [],
    jwks: { keys: jwks as never },
    findAccount,
    // How and when the user signed in travel with `openid`, so every ID token says it (SSO-2).
    claims: {
      sid: null, iss: null,
      ...Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([s, c]) => [s, [...c]])),
      openid: [...SCOPE_CLAIMS.openid, 'acr', 'amr', 'auth_time'],
    },
    scopes: ['openid', 'offline_access', ...SCOPES.filter((s) => s !== 'openid')],
    acrValues: ACR_VALUES,
    responseTypes: ['code'],
    // PKCE for every client, confidential ones too (OAuth 2.1; a stolen code is useless without the verifier).
    pkce: { required: () => true },
    cookies: {
      keys: [deps.keyring.mac('oidc cookies', 'v1')],
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      userinfo: { enabled: true },
      // A system may introspect or revoke only its own tokens (not another system's users).
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      resourceIndicators: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx) {
          const clientId = ctx.oidc.client?.clientId;
          const pc = pageContextOf(ctx);
          const system = clientId ? await systemName(deps.db, clientId, pc.lang) : undefined;
          const xsrf = String((ctx.oidc.session?.state as { secret?: string } | undefined)?.secret ?? '');
          sendPage(ctx, renderPage(LogoutPage({ ctx: pc, action: ctx.oidc.urlFor('end_session_confirm'), xsrf, system })));
        },
        async postLogoutSuccessSource(ctx) {
          sendPage(ctx, renderPage(LoggedOutPage({ ctx: pageContextOf(ctx) })));
        },
      },
    },
    interactions: {
      url: (_ctx, interaction) => `/sso/interaction/${interaction.uid}`,
      policy: buildPolicy(deps),
    },
    // A browser session without a grant of its own, for a system the user consented to before,
    // gets one from the stored consent (SSO-3): consent is asked once per system, not per login.
    async loadExistingGrant(ctx) {
      const { client, session } = ctx.oidc;
      const grantId = ctx.oidc.result?.consent?.grantId || session!.grantIdFor(client!.clientId);
      if (grantId) {
        const grant = await ctx.oidc.provider.Grant.find(grantId);
        if (grant) return grant;
      }
      const access = await accessFor(deps, ctx);
      if (!access.consentedClaims) return undefined;
      const grant = new ctx.oidc.provider.Grant({ accountId: session!.accountId!, clientId: client!.clientId });
      grant.addOIDCScope(scopesCoveredBy(access.consentedClaims).join(' '));
      await grant.save();
      return grant;
    },
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('openid'),
    rotateRefreshToken: true,
    // Tokens live their own TTL; logout revokes the grant (and so its tokens). Binding them to the
    // browser session would cost a session look-up on every refresh and userinfo call.
    expiresWithSession: async () => false,
    ttl: {
      AccessToken: TTL.AccessToken,
      ClientCredentials: TTL.ClientCredentials,
      AuthorizationCode: TTL.AuthorizationCode,
      IdToken: TTL.IdToken,
      Interaction: TTL.Interaction,
      Session: TTL.Session,
      Grant: TTL.Grant,
      RefreshToken(ctx) {
        const rotated = ctx?.oidc?.entities.RotatedRefreshToken;
        return rotated ? rotated.remainingTTL : TTL.RefreshToken;
      },
    },
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    },
    // Outgoing calls (back-channel logout) go to URIs only administrators register (no dynamic
    // registration); systems sit on the agencies' intranets, so private addresses are allowed
    // (oidc-provider's SSRF guard would refuse 10.x, 192.168.x and loopback).
    fetch: (url, options) => {
      const { dispatcher: _guard, ...rest } = options as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(url, rest);
    },
    // Browser-based relying parties may call the token and userinfo endpoints from their own origin.
    clientBasedCORS: (_ctx, origin, client) => client.redirectUris?.some((u) => URL.parse(u)?.origin === origin) ?? false,
    async renderError(ctx, out) {
      const pc = pageContextOf(ctx);
      const key = errorMessageKey(String(out.error), out.error_description as string | undefined);
      sendPage(ctx, renderPage(SsoErrorPage({ ctx: pc, message: pc.t(key, { error: String(out.error) }) })));
    },
  };

  const provider = new (oidc().default)(issuer, configuration);
  // X-Forwarded-Proto and -Host behind a proxy; the client address itself is Fastify's (TESSERA_TRUST_PROXY).
  provider.proxy = deps.config.trustProxy !== false;

  provider.use(async (ctx, next) => {
    ctx.set('content-security-policy', PROVIDER_CSP);
    ctx.set('x-content-type-options', 'nosniff');
    ctx.set('x-frame-options', 'DENY');
    ctx.set('referrer-policy', 'same-origin');
    if (issuer.startsWith('https://')) ctx.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // A logout confirmation: note the session's grants now, the provider forgets them on the way.
    const leaving = ctx.method === 'POST' && ctx.path === '/session/end/confirm'
      ? await opSession(deps.db, ctx.cookies.get(provider.cookieName('session'), { signed: true })) : undefined;
    if (ctx.method === 'POST' && ctx.path === '/token') {
      // One read and one write round trip per refresh (adapter.ts); a redemption that lost a race stores nothing.
      const stored = await withRequestReads(() => withTokenWrites(deps, next));
      if (!stored) {
        ctx.status = 400;
        ctx.body = { error: 'invalid_grant', error_description: 'grant request is invalid' };
      } else if (ctx.status === 200) {
        grantIssued(deps, String((ctx as unknown as KoaContextWithOIDC).oidc?.params?.grant_type ?? 'other'));
      }
    } else if (ctx.path === '/me') {
      // userinfo: the access token, its grant and the claims in one statement.
      await withRequestReads(next);
    } else {
      await next();
    }
    await afterProviderRoute(deps, ctx as KoaContextWithOIDC, leaving);
  });
  routeBackchannelThroughOutbox(provider, deps);
  provider.on('backchannel.error', (_ctx, err, client) => deps.log.warn({ client: client.clientId, err: (err as Error).message }, 'back-channel logout failed'));
  provider.on('server_error', (_ctx, err) => deps.log.error({ err }, 'oidc provider error'));
  return provider;
}

/**
 * Audit (GOV-1) of what the provider did: a system sign-in when a code is issued to the system
 * (sso.login, with how the user signed in), a logout at a system's request (sso.logout). A logout
 * revokes the grants of the systems left (logout.ts); a logout of everything ends the Tessera session too.
 */
async function afterProviderRoute(deps: Deps, ctx: KoaContextWithOIDC, leaving: OpSession | undefined): Promise<void> {
  const oidc = ctx.oidc;
  if (!oidc) return;
  const req = linkedRequest(ctx.req);
  const s = req?.ctx?.session;
  const ip = req?.ip ?? null;
  if ((oidc.route === 'authorization' || oidc.route === 'resume') && oidc.entities.AuthorizationCode) {
    const code = oidc.entities.AuthorizationCode;
    const opSessionId = oidc.session?.jti; // the Session's id, its cookie value
    await deps.db.transaction().execute(async (trx) => {
      // The provider session ends with the Tessera session it was signed in with (logout.ts, the sso.sessions job).
      if (s && opSessionId && String(s.accountId) === code.accountId) {
        await linkOpSession(trx, { opSessionId, sessionIdHash: s.idHash, accountId: s.accountId, now: deps.clock.now() });
      }
      await audit(trx, deps.clock.now(), {
        actor: Number(code.accountId), action: 'sso.login', targetType: 'application_system', targetId: code.clientId,
        orgOid: s?.unitOid ?? null, ip, details: { acr: code.acr, amr: code.amr },
      });
    });
  } else if (oidc.route === 'end_session_confirm' && ctx.status === 303 && oidc.session?.accountId) {
    const everything = Boolean(oidc.params?.logout);
    const clientId = oidc.client?.clientId;
    const grants = Object.entries(leaving?.authorizations ?? {})
      .filter(([c]) => everything || c === clientId).map(([, a]) => a.grantId).filter((g): g is string => Boolean(g));
    await deps.db.transaction().execute(async (trx) => {
      await revokeGrantIds(trx, grants);
      if (everything && leaving) await unlinkOpSession(trx, leaving.id);
      if (everything && s && String(s.accountId) === oidc.session!.accountId) await endSession(trx, s.idHash);
      await audit(trx, deps.clock.now(), {
        actor: Number(oidc.session!.accountId), action: 'sso.logout', targetType: 'application_system', targetId: oidc.client?.clientId,
        orgOid: s?.unitOid ?? null, ip, details: { everything },
      });
    });
    if (everything) ctx.cookies.set(SESSION_COOKIE, null, { path: '/', signed: false });
  }
}

/** One provider per instance, built on first use and rebuilt when the keys (or the issuer) change. */
export class ProviderHost {
  private current?: { provider: Provider; handler: ReturnType<Provider['callback']>; version: string; kids: Set<string> };
  private checkedAt = Number.NEGATIVE_INFINITY;
  private refreshing?: Promise<void>;

  constructor(private readonly deps: Deps) {}

  async get(): Promise<Provider> {
    const now = this.deps.clock.now().getTime();
    const fresh = this.current && now - this.checkedAt < KEY_RELOAD_INTERVAL_MS && now >= this.checkedAt;
    if (!fresh) {
      this.refreshing ??= this.refresh().finally(() => { this.refreshing = undefined; });
      await this.refreshing;
    }
    return this.current!.provider;
  }

  /**
   * The provider's request handler (Koa's, composed once per provider). A request carrying an ID
   * token signed with a key this instance has not loaded (rotated on another instance moments ago)
   * reloads the keys first instead of waiting for the next KEY_RELOAD_INTERVAL_MS.
   */
  async handler(url?: string): Promise<ReturnType<Provider['callback']>> {
    await this.get();
    const kid = url ? kidOfIdTokenHint(url) : undefined;
    if (kid && !this.current!.kids.has(kid)) {
      this.checkedAt = Number.NEGATIVE_INFINITY;
      await this.get();
    }
    return this.current!.handler;
  }

  private async refresh(): Promise<void> {
    if (!this.current) await Promise.all([ensureKeys(this.deps), loadOidc()]);
    const issuer = issuerOf(this.deps);
    const { plan, version: keys } = await currentPlan(this.deps);
    const version = `${issuer}|${keys}`;
    if (this.current?.version !== version) {
      const jwks = await loadJwks(this.deps, plan);
      const provider = createProvider(this.deps, issuer, jwks);
      this.current = { provider, handler: provider.callback(), version, kids: new Set(jwks.map((k) => String(k.kid))) };
    }
    this.checkedAt = this.deps.clock.now().getTime();
  }
}

/** The `kid` in the header of an `id_token_hint` query parameter, if any (unverified: only to pick keys). */
export function kidOfIdTokenHint(url: string): string | undefined {
  const q = url.indexOf('id_token_hint=');
  if (q < 0) return undefined;
  const hint = URL.parse(url, 'http://x')?.searchParams.get('id_token_hint') ?? '';
  try {
    const header = JSON.parse(Buffer.from(hint.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof header.kid === 'string' && header.kid.length <= 200 ? header.kid : undefined;
  } catch { return undefined; }
}
