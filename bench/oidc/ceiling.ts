// The library ceiling for bench/oidc: oidc-provider alone, with its own in-memory adapter, on a
// plain node:http server in a child process of its own (as Tessera is), configured like Tessera's
// provider (src/sso/provider.ts) wherever it applies: ES256 ID tokens (an RS256 key published too),
// opaque access tokens, PKCE required, refresh tokens issued for openid and rotated on every use
// with the family's lifetime, the same TTLs, client_secret_basic, userinfo with the same claims.
// What it does not have is Tessera's: clients, grants and tokens in PostgreSQL, the account and
// role query, Fastify with its hooks, audit. Its interactions sign the bench user in and consent
// at once (no pages: the ceiling measures grants, not sign-ins).
// The adapter is oidc-provider's own MemoryAdapter, but over a store of STORE_ENTRIES instead of
// the default 1,000-entry LRU: with the default, a refresh chain that sits idle while ~1,000 other
// entries are written (another cell, a client-credentials cell) loses its grant and fails.
//
// Input: BENCH_CEILING (JSON, see CeilingSpec) and PORT; prints `listening <port>` when ready.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import { SCOPE_CLAIMS, SCOPES } from '../../src/sso/claims.ts';
import { ACR, ACR_VALUES } from '../../src/sso/auth-context.ts';

export interface CeilingSpec {
  ttl: Record<'AccessToken' | 'ClientCredentials' | 'AuthorizationCode' | 'IdToken' | 'Interaction' | 'Session' | 'Grant' | 'RefreshToken', number>;
  clients: { client_id: string; client_secret: string; grant_types: string[]; redirect_uris: string[] }[];
  /** The claims findAccount returns for the one account (Tessera's values for the bench user). */
  account: Record<string, unknown> & { sub: string };
}

const STORE_ENTRIES = 2_000_000;
// Deep imports (the package has no exports map and no types for them): the library's own classes.
const { default: MemoryAdapter } = await import('oidc-provider/lib/adapters/memory_adapter.js' as string) as { default: new (model: string, store: unknown) => unknown };
const { default: LRU } = await import('oidc-provider/lib/helpers/lru.js' as string) as { default: new (o: { maxSize: number }) => unknown };
const store = new LRU({ maxSize: STORE_ENTRIES });

const spec = JSON.parse(process.env.BENCH_CEILING ?? 'null') as CeilingSpec | null;
if (!spec) { console.error('ceiling: BENCH_CEILING is not set'); process.exit(2); }

function signingKey(kind: 'ES256' | 'RS256'): Record<string, unknown> {
  const { privateKey } = kind === 'ES256'
    ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), alg: kind, use: 'sig', kid: `${kind.toLowerCase()}-${crypto.randomBytes(4).toString('hex')}` };
}

const server = http.createServer();
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const ttl = spec.ttl;
  const configuration: Configuration = {
    adapter: ((model: string) => new MemoryAdapter(model, store)) as unknown as Configuration['adapter'],
    clients: spec.clients.map((c) => ({
      ...c, token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'ES256',
      response_types: c.grant_types.includes('authorization_code') ? ['code'] : [],
    })),
    jwks: { keys: [signingKey('ES256'), signingKey('RS256')] as never },
    async findAccount(_ctx, sub) {
      if (sub !== spec.account.sub) return undefined;
      return { accountId: sub, claims: () => spec.account };
    },
    claims: { acr: null, amr: null, auth_time: null, sid: null, iss: null, ...Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([s, c]) => [s, [...c]])) },
    scopes: ['openid', 'offline_access', ...SCOPES.filter((s) => s !== 'openid')],
    acrValues: ACR_VALUES,
    responseTypes: ['code'],
    pkce: { required: () => true },
    cookies: {
      keys: [crypto.randomBytes(32).toString('hex')],
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      userinfo: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('openid'),
    rotateRefreshToken: true,
    expiresWithSession: async () => false,
    ttl: {
      AccessToken: ttl.AccessToken,
      ClientCredentials: ttl.ClientCredentials,
      AuthorizationCode: ttl.AuthorizationCode,
      IdToken: ttl.IdToken,
      Interaction: ttl.Interaction,
      Session: ttl.Session,
      Grant: ttl.Grant,
      RefreshToken(ctx) {
        const rotated = ctx?.oidc?.entities.RotatedRefreshToken;
        return rotated ? rotated.remainingTTL : ttl.RefreshToken;
      },
    },
    clientDefaults: { grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'ES256' },
  };
  const provider = new Provider(issuer, configuration);
  const handle = provider.callback();

  /** Login and consent in one go: the account, with a password sign-in, and a grant for the scopes asked. */
  async function interaction(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const d = await provider.interactionDetails(req, res);
    if (d.prompt.name === 'login') {
      await provider.interactionFinished(req, res, { login: { accountId: spec!.account.sub, acr: ACR.password, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
      return;
    }
    const grant = new provider.Grant({ accountId: d.session!.accountId, clientId: String(d.params.client_id) });
    grant.addOIDCScope(String(d.params.scope ?? 'openid'));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res).catch((e: Error) => { res.statusCode = 500; res.end(e.message); });
      return;
    }
    handle(req, res);
  });
  console.log(`listening ${port}`);
});

process.on('SIGTERM', () => { server.close(); process.exit(0); });
