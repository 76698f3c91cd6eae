// /healthz (process alive), /readyz (database reachable, migrations current), /metrics (Prometheus).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import client from 'prom-client';
import type { Deps } from '../deps.ts';
import { outboxBacklog } from '../outbox-store.ts';
import { databaseReady, poolStats } from '../../db/index.ts';
import { secretKeyMatches } from '../key-check.ts';
import { ROOT } from '../../paths.ts';
import path from 'node:path';
import fs from 'node:fs';
import { typed, Type, NoQuery, PAGE } from './contract.ts';
import crypto from 'node:crypto';
import { constantTimeEqual } from '../crypto.ts';
import { notFound } from './errors.ts';
import { sealLag } from '../audit-sealer.ts';

export interface Metrics {
  registry: client.Registry;
  httpRequests: client.Counter<'method' | 'route' | 'status'>;
  httpDuration: client.Histogram<'method' | 'route'>;
  loginAttempts: client.Counter<'result'>;
  /** Requests that failed because the database was unreachable (issue 15). */
  dbErrors: client.Counter;
}

/** Set on SIGTERM: /readyz answers 503 while requests still in flight finish (issue 15). */
export interface Lifecycle { draining: boolean }

const VERSION = (() => {
  try { return String(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version); } catch { return 'unknown'; }
})();

/** A registry per app instance, so several apps in one process (tests) do not collide. */
export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new client.Counter({ name: 'tessera_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] }),
    httpDuration: new client.Histogram({ name: 'tessera_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'], registers: [registry], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] }),
    loginAttempts: new client.Counter({ name: 'tessera_login_attempts_total', help: 'Password login attempts by result', labelNames: ['result'], registers: [registry] }),
    dbErrors: new client.Counter({ name: 'tessera_db_unavailable_requests_total', help: 'Requests answered 503 because the database was unreachable', registers: [registry] }),
  };
}

/** The audit seal lag as gauges, read from the database on each scrape (GOV-1, issue 15). */
function auditGauges(registry: client.Registry, deps: Deps): void {
  // A database that is down leaves the figures as they were (the scrape itself still answers).
  let last: Promise<{ unsealed: number; oldestUnsealedSeconds: number } | undefined> | null = null;
  const read = () => (last ??= sealLag(deps).catch(() => undefined).finally(() => setTimeout(() => { last = null; }, 0)));
  new client.Gauge({ name: 'tessera_audit_unsealed_events', help: 'Committed audit events not yet chained by the sealer', registers: [registry],
    async collect() { const l = await read(); if (l) this.set(l.unsealed); } });
  new client.Gauge({ name: 'tessera_audit_seal_lag_seconds', help: 'Age of the oldest committed audit event not yet chained (0 when none)', registers: [registry],
    async collect() { const l = await read(); if (l) this.set(l.oldestUnsealedSeconds); } });
}

/** Issue 15: the database pool, lost connections, the outbox backlog and the build, read at each scrape. */
function registerPlatformGauges(metrics: Metrics, deps: Deps): void {
  const registers = [metrics.registry];
  new client.Gauge({
    name: 'tessera_build_info', help: 'The running build (value 1)', labelNames: ['version', 'node'], registers,
    collect() { this.set({ version: VERSION, node: process.versions.node }, 1); },
  });
  new client.Gauge({
    name: 'tessera_db_pool_connections', help: 'PostgreSQL pool connections by state (in_use, idle)', labelNames: ['state'], registers,
    collect() { const p = poolStats(deps.db); this.set({ state: 'in_use' }, p?.inUse ?? 0); this.set({ state: 'idle' }, p?.idle ?? 0); },
  });
  new client.Gauge({
    name: 'tessera_db_pool_waiting', help: 'Requests waiting for a PostgreSQL pool connection', registers,
    collect() { this.set(poolStats(deps.db)?.waiting ?? 0); },
  });
  new client.Gauge({
    name: 'tessera_db_connection_errors', help: 'Pooled connections lost while idle (database restart, terminated backend) since start', registers,
    collect() { this.set(poolStats(deps.db)?.idleErrors ?? 0); },
  });
  // A database that is down leaves the figures as they were (the scrape itself still answers).
  const readBacklog = () => outboxBacklog(deps.db).catch(() => undefined);
  new client.Gauge({
    name: 'tessera_outbox_backlog', help: 'Outbox messages waiting to be sent, by channel', labelNames: ['channel'], registers,
    async collect() {
      const b = await readBacklog();
      if (b) for (const [channel, n] of Object.entries(b.counts)) this.set({ channel }, n);
    },
  });
  new client.Gauge({
    name: 'tessera_outbox_oldest_age_seconds', help: 'Age of the oldest outbox message waiting to be sent (0: none)', registers,
    async collect() {
      const b = await readBacklog();
      if (b) this.set(b.oldest ? Math.max(0, (deps.clock.now().getTime() - b.oldest.getTime()) / 1000) : 0);
    },
  });
}

/**
 * /metrics names routes, counts logins and shows process figures: with TESSERA_METRICS_TOKEN set
 * it needs `Authorization: Bearer <token>`; without one it is open outside production only, and
 * in production it answers 404 as if absent (docs/decisions.md, "Metrics access").
 */
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

function metricsAllowed(deps: Deps, req: FastifyRequest): boolean {
  const token = deps.config.metricsToken;
  if (!token) return !deps.config.production;
  const sent = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
  // Compare digests, so neither the content nor the length of the token leaks through timing.
  return sent !== undefined && constantTimeEqual(sha256(sent), sha256(token));
}

const Status = (description: string) => Type.Object({ status: Type.String() }, { description });
/** The audit trail's seal lag (GOV-1, issue 15): committed events not yet chained, and the oldest one's age. */
const AuditLag = Type.Optional(Type.Object({ unsealed: Type.Integer(), oldestUnsealedSeconds: Type.Number() }));
const Readiness = (description: string) => Type.Object({ status: Type.String(), audit: AuditLag }, { description });

export function healthRoutes(fastify: FastifyInstance, deps: Deps, metrics: Metrics, lifecycle: Lifecycle = { draining: false }): void {
  const app = typed(fastify);
  auditGauges(metrics.registry, deps);
  registerPlatformGauges(metrics, deps);
  app.get('/healthz', { schema: { querystring: NoQuery(), response: { 200: Status('The process is alive') } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', {
    schema: { querystring: NoQuery(), response: { 200: Readiness('Ready; with the audit seal lag'), 503: Status('Not ready: draining before shutdown, the database unreachable (within TESSERA_READY_TIMEOUT_MS), migrations pending, or another TESSERA_SECRET_KEY than the database\'s') } },
  }, async (_req, reply) => {
    const status = lifecycle.draining ? 'draining'
      : await databaseReady(deps.db, { timeoutMs: deps.config.readyTimeoutMs, keyCheck: (db) => secretKeyMatches(db, deps.keyring) });
    if (status !== 'ready') return reply.status(503).send({ status });
    return reply.status(200).send({ status, audit: await sealLag(deps) });
  });
  app.get('/metrics', {
    schema: { querystring: NoQuery(), response: { 200: Type.String({ description: 'Prometheus text exposition' }), 404: PAGE[404] } },
  }, async (req, reply) => {
    if (!metricsAllowed(deps, req)) throw notFound();
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });
}
