// Composition root: builds dependencies and the Fastify app from the capability modules.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import pino from 'pino';
import type { Config } from './config.ts';
import { srcFile } from './paths.ts';
import { openDb, migrate, requireCurrentSchema, isDatabaseUnavailable, DatabaseUnavailable } from './db/index.ts';
import { ensureSecretKey } from './platform/key-check.ts';
import { Keyring, randomDigits } from './platform/crypto.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import type { Deps } from './platform/deps.ts';
import { argon2Hasher } from './auth/password-hash.ts';
import { accessPlugin } from './access/plugin.ts';
import { requirePermission } from './access/actor.ts';
import { registerRequestContext, CsrfError, sendHtml, safeNext, LANG_COOKIE, cookieOptions } from './platform/http/context.ts';
import { HttpError, LoginRequired } from './platform/http/errors.ts';
import { registerInputGuard } from './platform/http/input-guard.ts';
import { createMetrics, healthRoutes, type Metrics, type Lifecycle } from './platform/http/health.ts';
import client from 'prom-client';
import { jobTimes } from './governance/jobs/store.ts';
import { onGrant } from './sso/grant-events.ts';
import { registerOpenApi } from './platform/http/openapi.ts';
import { validationFields } from './platform/http/validation.ts';
import { typed, Type, Text, Closed, Query, NoQuery, PAGE } from './platform/http/contract.ts';
import { ErrorPage } from './platform/web/error-page.tsx';
import { renderPage } from './platform/web/layout.tsx';
import { pageContext } from './platform/http/context.ts';
import { authRoutes, NEXT } from './auth/routes.tsx';
import { passkeyRoutes, WEBAUTHN_BROWSER_BUNDLE } from './auth/passkey-routes.tsx';
import { certificateRoutes } from './auth/cert/routes.tsx';
import { resetRoutes } from './auth/reset-routes.tsx';
import { outboxRoutes } from './platform/outbox-routes.tsx';
import { orgRoutes } from './orgs/routes.tsx';
import { auditRoutes } from './governance/audit-routes.tsx';
import { auditCheckpointRoutes } from './governance/audit-checkpoints.tsx';
import { accountRoutes } from './accounts/routes.tsx';
import { tenantRoutes } from './accounts/tenant-routes.tsx';
import { tenantSubAccountRoutes } from './accounts/tenant-sub-account-routes.tsx';
import { redactLinkToken } from './accounts/set-password-link.ts';
import { LANGS, translator } from './messages.ts';
import { collectRoutes } from './platform/http/route-table.ts';
import { adminApiRoutes, API_PREFIX } from './admin/api-routes.ts';
import { apiMessage } from './admin/messages.ts';
import { adminPageRoutes } from './admin/page-routes.ts';
import { ssoRoutes } from './sso/routes.ts';
import { ProviderHost } from './sso/provider.ts';
import { backchannelSender } from './sso/backchannel.ts';
import { ssoAdminRoutes } from './sso/admin-routes.tsx';
import { portalRoutes } from './portal/routes.tsx';
import { requestRoutes } from './requests/routes.tsx';
import { applyRoutes } from './requests/apply/routes.tsx';
import { inactivityRoutes } from './governance/inactivity/routes.tsx';
import { incidentApiRoutes } from './incidents/api-routes.ts';
import { incidentPageRoutes } from './incidents/page-routes.tsx';
import { startScheduler, instanceName } from './governance/jobs/scheduler.ts';
import { startSealer } from './platform/audit-sealer.ts';
import { JOBS } from './governance/jobs/table.ts';
import { jobRoutes } from './governance/jobs/routes.tsx';
import { dashboardRoutes } from './governance/dashboard/routes.tsx';
import { usageRuleRoutes } from './governance/usage-rules/routes.tsx';
import { scimRoutes } from './scim/routes.ts';
import { scimPushSender } from './scim/push-sender.ts';
import { campaignApiRoutes } from './governance/campaigns/api-routes.ts';
import { campaignRoutes } from './governance/campaigns/routes.tsx';
import { attestRoutes } from './governance/attest/routes.tsx';

/** Embedded mode keeps a generated key beside the data; production must configure one. */
function secretFor(config: Config, inMemory: boolean): Buffer {
  if (config.secretKey) return config.secretKey;
  if (inMemory) return crypto.randomBytes(32);
  const file = path.join(config.dataDir, 'secret.key');
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  fs.mkdirSync(config.dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600 });
  return key;
}

export interface DepsOptions {
  clock?: Clock;
  /** Tests: in-memory PGlite instead of config.dataDir. */
  inMemory?: boolean;
  captchaCode?: () => string;
  poolSize?: number;
  /** Where log lines go (default stdout); tests read them to check that no personal data leaks. */
  logDestination?: pino.DestinationStream;
  /**
   * Apply pending migrations (default). Only `serve` and `migrate` do (issue 15); any other command
   * passes false and is refused on an older schema.
   */
  migrate?: boolean;
  /** Tests: the PGlite image to start from (see DbOptions.pgliteImage). */
  pgliteImage?: Blob;
}

export async function createDeps(config: Config, opts: DepsOptions = {}): Promise<Deps> {
  const log = createLog(config, opts.logDestination);
  const db = await openDb({
    databaseUrl: config.databaseUrl, dataDir: opts.inMemory ? undefined : config.dataDir, poolSize: opts.poolSize, timeouts: config.db, pgliteImage: opts.pgliteImage,
    // A restart or a terminated backend: logged and counted, never a crash (issue 15).
    onPoolError: (err) => log.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'database connection lost; the pool reconnects on the next request'),
  });
  const keyring = new Keyring(secretFor(config, Boolean(opts.inMemory) && !config.databaseUrl));
  const clock = opts.clock ?? systemClock;
  try {
    if (opts.migrate === false) await requireCurrentSchema(db);
    else await migrate(db);
    await ensureSecretKey(db, keyring, clock.now());
  } catch (e) {
    await db.destroy().catch(() => {});
    if (isDatabaseUnavailable(e)) {
      // One clear line; never the URL (it may carry a password).
      throw new DatabaseUnavailable(`the database (DATABASE_URL) did not answer: ${(e as Error).message} (TESSERA_DB_CONNECT_TIMEOUT_MS=${config.db.connectMs})`);
    }
    throw e;
  }
  return {
    db,
    config,
    clock,
    keyring,
    log,
    hasher: argon2Hasher(config.argon2),
    captchaCode: opts.captchaCode ?? (() => randomDigits(6)),
  };
}

function createLog(config: Config, destination: pino.DestinationStream | undefined): pino.Logger {
  // Logs carry no personal data: no bodies, no query strings, no cookies.
  return pino({
    level: config.logLevel,
    // The path only: query strings can carry names and IDs typed into search forms.
    serializers: {
      req: (r: { method: string; url: string }) => ({ method: r.method, path: redactLinkToken(String(r.url).split('?')[0]) }),
      res: (r: { statusCode: number }) => ({ statusCode: r.statusCode }),
    },
  }, destination);
}

const STATIC_DIR = srcFile('platform/web/static');
const STATIC_FILES: Record<string, string> = { 'app.css': 'text/css; charset=utf-8', 'app.js': 'text/javascript; charset=utf-8', 'passkeys.js': 'text/javascript; charset=utf-8', 'cert.js': 'text/javascript; charset=utf-8', 'countdown.js': 'text/javascript; charset=utf-8', 'webauthn.js': 'text/javascript; charset=utf-8' };
/** Static files that ship in a package rather than in STATIC_DIR. */
const STATIC_ELSEWHERE: Record<string, string> = { 'webauthn.js': WEBAUTHN_BROWSER_BUNDLE };

function securityHeaders(app: FastifyInstance, config: Config): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'");
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    if (config.baseUrl.startsWith('https://')) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // No-store by default: pages, CSV exports and the JSON API carry personal data. Only a route
    // that serves public, person-free content (/static, /downloads) opts in to caching itself;
    // the provider's discovery and JWKS documents are answered by oidc-provider, not through here.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

/**
 * One access-log line per request, when it ends, instead of Fastify's two: it names the request
 * (method and path, through the serializer above) and its outcome, and halves the log's share of
 * a token grant's cost (bench/oidc).
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const line = { req, res: reply, responseTime: Math.round(reply.elapsedTime * 10) / 10 };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

export async function buildApp(deps: Deps): Promise<{ app: FastifyInstance; metrics: Metrics; lifecycle: Lifecycle }> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // A number of hops: the socket's peer and the n-1 X-Forwarded-For entries nearest it are
    // proxies; the entry before them is the client, whatever a client wrote further left (issue 15).
    trustProxy: typeof deps.config.trustProxy === 'number' ? hops(deps.config.trustProxy) : deps.config.trustProxy,
    bodyLimit: 1_048_576,
    // SCIM values may be a string, number, boolean, null, list or object (src/scim/route-schemas.ts).
    ajv: { customOptions: { allowUnionTypes: true } },
    logController: new OneLinePerRequest(),
  });
  collectRoutes(app); // first: the authorization tests walk every route registered after it
  const metrics = createMetrics();
  await app.register(cookie);
  await app.register(formbody);
  securityHeaders(app, deps.config);
  registerRequestContext(app, deps, translator);
  await app.register(accessPlugin, { deps }); // the signed-in session, before any hook that asks for it
  registerInputGuard(app); // before every capability's hooks, the OpenID provider's mount included
  await registerOpenApi(app, {
    prefix: API_PREFIX, baseUrl: deps.config.baseUrl, title: 'Tessera administration API',
    description: 'Delegated administration (ADM) over a personal API token: `tessera token create --username U`. '
      + 'Every answer is limited to the jurisdiction of the token\'s account (its grants\' OID subtrees).',
  });

  // A session that must change its password can reach only the change-password page and logout.
  const OPEN_WHILE_FORCED = ['/password/change', '/password/strength', '/logout', '/logout-everywhere', '/static/', '/lang/', '/healthz', '/readyz', '/metrics'];
  app.addHook('preHandler', async (req, reply) => {
    if (req.ctx?.session?.mustChangePassword && !OPEN_WHILE_FORCED.some((p) => req.url.startsWith(p))) {
      return reply.redirect('/password/change', 303);
    }
    // Then the account usage rules owed since sign-in (seed 002 五(七)): read and accepted first.
    if (req.ctx?.session?.mustAcceptRules && !req.url.startsWith('/account/usage-rules') && !OPEN_WHILE_FORCED.some((p) => req.url.startsWith(p))) {
      return reply.redirect(`/account/usage-rules${req.method === 'GET' ? `?next=${encodeURIComponent(req.url)}` : ''}`, 303);
    }
  });

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof LoginRequired) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    // The database down or restarting (issue 15): 503, the request can be retried; not a crash, not a 500.
    const unavailable = isDatabaseUnavailable(err);
    const status = unavailable ? 503 : err instanceof CsrfError ? 403 : err instanceof HttpError ? err.status
      : (err as { statusCode?: number }).statusCode && (err as { statusCode: number }).statusCode < 500 ? (err as { statusCode: number }).statusCode : 500;
    const key = unavailable ? 'error.unavailable' : err instanceof CsrfError ? 'error.csrf' : err instanceof HttpError ? err.messageKey
      : status === 404 ? 'error.notFound' : status < 500 ? 'error.badRequest' : 'error.internal';
    if (unavailable) { metrics.dbErrors.inc(); req.log.warn({ err: { message: (err as Error).message } }, 'database unavailable'); }
    else if (status >= 500) req.log.error({ err }, 'request failed');
    if (unavailable) reply.header('retry-after', '5');
    if (!req.ctx) return reply.status(status).send({ error: key });
    const fields = validationFields(err);
    if (req.url.startsWith('/api/')) {
      // Input that fails its route's declared schema: which fields, in the caller's language.
      if (fields) return reply.status(400).send({ error: 'error.badRequest', message: apiMessage(req.ctx.lang, 'api.invalidInput', { fields: fields.join(', ') }), fields });
      return reply.status(status).send({ error: key, message: req.ctx.t(key) });
    }
    return sendHtml(reply, renderPage(ErrorPage({ ctx: pageContext(req), messageKey: key })), status);
  });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) return reply.status(404).send({ error: 'error.notFound', message: req.ctx.t('error.notFound') });
    return sendHtml(reply, renderPage(ErrorPage({ ctx: pageContext(req), messageKey: 'error.notFound' })), 404);
  });

  typed(app).get('/static/:file', {
    schema: { params: Closed({ file: Text(100) }), querystring: NoQuery(), response: { 200: Type.String({ description: 'A stylesheet or script' }), 404: PAGE[404] } },
  }, async (req, reply) => {
    const type = STATIC_FILES[req.params.file];
    if (!type) return reply.callNotFound();
    reply.header('cache-control', 'public, max-age=3600');
    return reply.type(type).send(fs.readFileSync(STATIC_ELSEWHERE[req.params.file] ?? path.join(STATIC_DIR, req.params.file), 'utf8'));
  });
  typed(app).get('/lang/:lang', {
    schema: { params: Closed({ lang: Text(20) }), querystring: Query({ next: NEXT() }), response: PAGE },
  }, async (req, reply) => {
    if ((LANGS as string[]).includes(req.params.lang)) reply.setCookie(LANG_COOKIE, req.params.lang, cookieOptions(deps, 365 * 86400));
    return reply.redirect(safeNext(req.query.next), 303);
  });

  const lifecycle: Lifecycle = { draining: false };
  healthRoutes(app, deps, metrics, lifecycle);
  capabilityMetrics(metrics, deps);
  authRoutes(app, deps, metrics);
  passkeyRoutes(app, deps, metrics);
  certificateRoutes(app, deps, metrics);
  resetRoutes(app, deps);
  // One OpenID provider per instance: single sign-on serves it, the outbox sends its back-channel logouts.
  const ssoHost = new ProviderHost(deps);
  outboxRoutes(app, deps, (req) => requirePermission(deps, req, 'audit.read'), { backchannel: backchannelSender(() => ssoHost.get()), scim: scimPushSender(deps) });
  orgRoutes(app, deps);
  auditRoutes(app, deps);
  auditCheckpointRoutes(app, deps);
  accountRoutes(app, deps);
  tenantRoutes(app, deps);
  tenantSubAccountRoutes(app, deps);
  adminApiRoutes(app, deps);
  adminPageRoutes(app, deps);
  await ssoRoutes(app, deps, ssoHost);
  await ssoAdminRoutes(app, deps);
  await portalRoutes(app, deps);
  await requestRoutes(app, deps);
  await applyRoutes(app, deps);
  inactivityRoutes(app, deps);
  jobRoutes(app, deps);
  dashboardRoutes(app, deps);
  usageRuleRoutes(app, deps);
  scimRoutes(app, deps);
  campaignApiRoutes(app, deps);
  campaignRoutes(app, deps);
  attestRoutes(app, deps);
  incidentApiRoutes(app, deps);
  incidentPageRoutes(app, deps);

  // The one job scheduler (issue 14), beside the outbox worker: every TESSERA_JOBS_POLL_MS (0: none
  // here); on close it waits for a run under way, so no run is left half-recorded.
  const scheduler = startScheduler(deps, JOBS);
  app.addHook('onClose', () => scheduler.stop());
  // The audit sealer (GOV-1, issue 15): chains committed events every TESSERA_AUDIT_SEAL_MS while
  // this instance holds the lease; on close it seals and signs everything committed.
  const sealer = startSealer(deps, instanceName());
  app.addHook('onClose', () => sealer.stop());
  return { app, metrics, lifecycle };
}

function hops(n: number): (addr: string, i: number) => boolean { return (_addr, i) => i < n; }

/** Issue 15: capability figures on /metrics, registered here (platform/ does not import capabilities). */
function capabilityMetrics(metrics: Metrics, deps: Deps): void {
  const registers = [metrics.registry];
  new client.Gauge({
    name: 'tessera_job_lag_seconds', help: 'How long a scheduled job is overdue (now minus its next run slot; 0 when not due yet)', labelNames: ['job'], registers,
    async collect() {
      const jobs = await jobTimes(deps.db).catch(() => undefined);
      const now = deps.clock.now().getTime();
      for (const j of jobs ?? []) this.set({ job: j.name }, Math.max(0, (now - j.nextRunAt.getTime()) / 1000));
    },
  });
  new client.Gauge({
    name: 'tessera_job_last_run_timestamp_seconds', help: 'When each job last finished successfully (Unix time)', labelNames: ['job'], registers,
    async collect() {
      const jobs = await jobTimes(deps.db).catch(() => undefined);
      for (const j of jobs ?? []) if (j.lastFinishedAt) this.set({ job: j.name }, j.lastFinishedAt.getTime() / 1000);
    },
  });
  const grants = new client.Counter({ name: 'tessera_oidc_grants_total', help: 'OpenID Connect token grants issued, by grant type', labelNames: ['type'], registers });
  onGrant(deps, (type) => grants.inc({ type }));
}
