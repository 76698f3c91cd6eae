// /healthz (process alive), /readyz (database reachable, migrations current), /metrics (Prometheus).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import client from 'prom-client';
import type { Deps } from '../deps.ts';
import { databaseReady } from '../../db/index.ts';
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
}

/** A registry per app instance, so several apps in one process (tests) do not collide. */
export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new client.Counter({ name: 'tessera_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] }),
    httpDuration: new client.Histogram({ name: 'tessera_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'], registers: [registry], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] }),
    loginAttempts: new client.Counter({ name: 'tessera_login_attempts_total', help: 'Password login attempts by result', labelNames: ['result'], registers: [registry] }),
  };
}

/** The audit seal lag as gauges, read from the database on each scrape (GOV-1, issue 15). */
function auditGauges(registry: client.Registry, deps: Deps): void {
  let last: Promise<{ unsealed: number; oldestUnsealedSeconds: number }> | null = null;
  const read = () => (last ??= sealLag(deps).finally(() => setTimeout(() => { last = null; }, 0)));
  new client.Gauge({ name: 'tessera_audit_unsealed_events', help: 'Committed audit events not yet chained by the sealer', registers: [registry],
    async collect() { this.set((await read()).unsealed); } });
  new client.Gauge({ name: 'tessera_audit_seal_lag_seconds', help: 'Age of the oldest committed audit event not yet chained (0 when none)', registers: [registry],
    async collect() { this.set((await read()).oldestUnsealedSeconds); } });
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

export function healthRoutes(fastify: FastifyInstance, deps: Deps, metrics: Metrics): void {
  const app = typed(fastify);
  auditGauges(metrics.registry, deps);
  app.get('/healthz', { schema: { querystring: NoQuery(), response: { 200: Status('The process is alive') } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', {
    schema: { querystring: NoQuery(), response: { 200: Readiness('Ready; with the audit seal lag'), 503: Readiness('Not ready: migrations pending, or the database unreachable') } },
  }, async (_req, reply) => {
    const status = await databaseReady(deps.db);
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
