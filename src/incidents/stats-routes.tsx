// INC-6, INC-7: the statistics page, its CSV and its JSON API (declared contracts): HTTP only, one use case.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page } from '../platform/http/pages.ts';
import { typed, Type, Closed, Query, Field, PAGE, Text } from '../platform/http/contract.ts';
import { loadActor, requireSession } from '../access/actor.ts';
import { apiActor } from '../access/api-auth.ts';
import { READ_ERRORS } from '../admin/api-schemas.ts';
import type { MessageKey } from '../platform/web/messages.ts';
import { statistics, statisticsCsv, statsRange, type StatsQuery } from './stats.ts';
import type { Period } from './stats-queries.ts';
import { StatsPage } from './stats-views.tsx';

const pageQuery = Query({ from: Field(10), to: Field(10), period: Field(10), drill: Field(5) });
const periodOf = (p: string | undefined): Period => (p === 'quarter' || p === 'year' ? p : 'month');
const fromPage = (q: { from?: string; to?: string; period?: string; drill?: string }): StatsQuery =>
  ({ from: q.from?.trim() || undefined, to: q.to?.trim() || undefined, period: periodOf(q.period), drill: q.drill === '1' });
const queryString = (r: { from: string; to: string; period: string; drill: boolean }) =>
  new URLSearchParams({ from: r.from, to: r.to, period: r.period, ...(r.drill ? { drill: '1' } : {}) }).toString();

const N = Type.Integer({ minimum: 0, maximum: 2_147_483_647 });
const OrNullN = Type.Union([N, Type.Null()]);
const statsSchema = Type.Object({
  from: Text(10), to: Text(10), period: Text(10), drill: Type.Boolean(), total: N, closed: N,
  byPeriod: Type.Array(Type.Object({ period: Text(10), n: N, major: N }), { maxItems: 1000 }),
  byLevel: Type.Array(Type.Object({ level: Type.Integer({ minimum: 0, maximum: 4 }), n: N }), { maxItems: 5 }),
  byType: Type.Array(Type.Object({ category: Text(30), n: N }), { maxItems: 20 }),
  byAgency: Type.Array(Type.Object({ oid: Text(200), name: Text(200), n: N, major: N }), { maxItems: 50 }),
  byAuthority: Type.Array(Type.Object({ oid: Type.Union([Text(200), Type.Null()]), name: Type.Union([Text(200), Type.Null()]), n: N }), { maxItems: 50 }),
  clocks: Type.Array(Type.Object({ profileId: Text(40), ruleId: Text(40), n: N, met: N, late: N, overdue: N, running: N, medianMinutes: OrNullN, p90Minutes: OrNullN }), { maxItems: 200 }),
});

export function statsPageRoutes(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);
  app.get('/incidents/statistics', { schema: { querystring: pageQuery, response: PAGE } }, async (req, reply) => {
    const actor = await loadActor(deps, requireSession(req).accountId);
    const r = statsRange(fromPage(req.query), deps.clock.now());
    if ('error' in r) {
      const fallback = statsRange({ drill: req.query.drill === '1' }, deps.clock.now()) as Exclude<typeof r, { error: unknown }>;
      return page(req, reply, (ctx) => <StatsPage ctx={ctx} r={fallback} query="" error />, 400);
    }
    const s = await statistics(deps, actor, r);
    return page(req, reply, (ctx) => <StatsPage ctx={ctx} r={r} s={s} query={queryString(r)} />);
  });
  app.get('/incidents/statistics.csv', { schema: { querystring: pageQuery, response: { ...PAGE, 200: Type.String({ description: 'The statistics (text/csv)' }) } } }, async (req, reply) => {
    const actor = await loadActor(deps, requireSession(req).accountId);
    const r = statsRange(fromPage(req.query), deps.clock.now());
    if ('error' in r) return reply.status(400).type('text/plain; charset=utf-8').send(req.ctx.t('incidents.stats.badDate'));
    const s = await statistics(deps, actor, r);
    const csv = statisticsCsv(s, req.ctx.lang === 'en' ? 'en' : 'zh-TW', (k, v) => req.ctx.t(k as MessageKey, v));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="incident-statistics-${r.from}-${r.to}${r.drill ? '-drills' : ''}.csv"`).send(csv);
  });
}

/** Registered inside the bearer-token API scope (api-routes.ts). */
export function statsApiRoutes(api: FastifyInstance, deps: Deps): void {
  const app = typed(api);
  app.get('/incidents/statistics', {
    schema: {
      summary: 'Incident statistics (INC-6, INC-7): by period, level, type, agency, competent authority, and on-time rates per clock; drills apart',
      querystring: Closed({
        from: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: 'First Taipei day counted (default: a year before `to`)' })),
        to: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: 'Last Taipei day counted (default: today)' })),
        period: Type.Optional(Type.Union([Type.Literal('month'), Type.Literal('quarter'), Type.Literal('year')])),
        drill: Type.Optional(Type.Boolean({ description: 'true: drills only; false or absent: real incidents only' })),
      }),
      response: { 200: statsSchema, ...READ_ERRORS },
    },
  }, async (req, reply) => {
    const r = statsRange(req.query, deps.clock.now());
    if ('error' in r) return reply.status(400).send({ error: 'incidents.stats.badDate', message: req.ctx.t('incidents.stats.badDate') });
    const s = await statistics(deps, apiActor(req), r);
    return { ...r, ...s };
  });
}
