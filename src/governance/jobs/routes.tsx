// HTTP of the scheduled jobs (issue 14, OPS-2): the page /admin/jobs, one job's runs at
// /admin/jobs/:name, and GET /api/v1/jobs; the central authority's only ('operations.read').
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { page } from '../../platform/http/pages.ts';
import { notFound } from '../../platform/http/errors.ts';
import { requirePermission } from '../../access/actor.ts';
import { authorize } from '../../access/authorize.ts';
import { apiActor, bearerAuth } from '../../access/api-auth.ts';
import { READ_ERRORS } from '../../admin/api-schemas.ts';
import { API_PREFIX } from '../../admin/api-routes.ts';
import { typed, Type, Closed, NoQuery, PAGE, DateTime, OneOf, OrNull, Text, Id } from '../../platform/http/contract.ts';
import { JOBS, jobNamed } from './table.ts';
import { jobHistory, jobsOverview, type RunView } from './overview.ts';
import { JobRunsPage, JobsPage } from './page.tsx';

const nameParams = Closed({ name: Text(60, { pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$' }) });
const counts = Type.Record(Type.String({ maxLength: 40 }), Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }));
const apiRun = Type.Object({
  id: Id(), trigger: OneOf(['schedule', 'manual']), status: OneOf(['running', 'finished', 'failed', 'abandoned']),
  attempt: Type.Integer({ minimum: 1, maximum: 1000 }), scheduledFor: DateTime(), startedAt: DateTime(), finishedAt: OrNull(DateTime()),
  counts: OrNull(counts), error: OrNull(Text(500, { description: 'Codes and messages only: no personal data' })),
});
const apiJob = Type.Object({
  name: Text(60, { description: 'The job\'s code, e.g. requests.due' }),
  everyMinutes: OrNull(Type.Integer({ minimum: 1, maximum: 10_080 }), { description: 'An interval job: every this many minutes' }),
  dailyAt: OrNull(Text(5, { description: 'A daily job: at this time of day, HH:MM Asia/Taipei' })),
  nextRunAt: OrNull(DateTime()), runningNow: Type.Boolean(),
  lastRun: OrNull(apiRun), lastSuccessAt: OrNull(DateTime()),
  failures: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Failed or abandoned runs in the last 7 days' }),
  lastFailure: OrNull(apiRun),
});
const apiList = Type.Object({ items: Type.Array(apiJob, { maxItems: 100 }) }, { description: 'Every scheduled job of the platform' });

const runJson = (r: RunView | null) => r && { ...r, counts: r.counts ?? null };

export function jobRoutes(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);
  app.get('/admin/jobs', { schema: { querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    await requirePermission(deps, req, 'operations.read');
    const jobs = await jobsOverview(deps, JOBS);
    return page(req, reply, (ctx) => <JobsPage ctx={ctx} jobs={jobs} />);
  });

  app.get('/admin/jobs/:name', { schema: { params: nameParams, querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    await requirePermission(deps, req, 'operations.read');
    const job = jobNamed(req.params.name);
    if (!job) throw notFound();
    const runs = await jobHistory(deps, job.name);
    return page(req, reply, (ctx) => <JobRunsPage ctx={ctx} name={job.name} runs={runs} />);
  });

  fastify.register(async (api) => {
    api.decorateRequest('apiActor', null);
    api.addHook('onRequest', bearerAuth(deps));
    typed(api).get('/jobs', {
      schema: { summary: 'The scheduled jobs, their last and next runs and recent failures; central authority only (issue 14)', querystring: NoQuery(), response: { 200: apiList, ...READ_ERRORS } },
    }, async (req) => {
      if (!authorize(apiActor(req), 'operations.read')) throw notFound();
      const jobs = await jobsOverview(deps, JOBS);
      return {
        items: jobs.map((j) => ({
          name: j.name,
          everyMinutes: 'everyMs' in j.every ? Math.round(j.every.everyMs / 60_000) : null,
          dailyAt: 'dailyAt' in j.every ? j.every.dailyAt : null,
          nextRunAt: j.nextRunAt, runningNow: j.runningNow, lastRun: runJson(j.lastRun), lastSuccessAt: j.lastSuccessAt,
          failures: j.failures, lastFailure: runJson(j.lastFailure),
        })),
      };
    });
  }, { prefix: API_PREFIX });
}
