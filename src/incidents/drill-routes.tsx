// INC-7: drill steps (the drill's end; the CISO's drill report with the review meeting) and the
// timeline exports of one incident (CSV, JSON) — on the pages and in the bearer-token API; HTTP only.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { clientIp } from '../platform/http/pages.ts';
import { typed, Type, Closed, Field, FormBody, FORM_PAGE, PAGE, Id, NoQuery, Text } from '../platform/http/contract.ts';
import { loadActor, requireSession } from '../access/actor.ts';
import { apiActor } from '../access/api-auth.ts';
import { READ_ERRORS } from '../admin/api-schemas.ts';
import type { Actor } from '../access/authorize.ts';
import type { MessageKey } from '../platform/web/messages.ts';
import { IncidentError } from './errors.ts';
import { Done, WRITE, answer, idParams } from './api-shared.ts';
import { completeDrill, submitDrillReport } from './drills.ts';
import { incidentDetail } from './workflow.ts';
import { timelineCsv, timelineOf } from './timeline.ts';

type Show = (deps: Deps, req: FastifyRequest, reply: FastifyReply, actor: Actor, id: number, status?: number, message?: IncidentError) => Promise<FastifyReply>;
const params = Closed({ id: Id() });
const drillReportFields = { meetingAt: Text(10), meetingNotes: Text(10_000), summary: Text(10_000), lateReason: Type.Optional(Text(2000)) };

async function exportTimeline(deps: Deps, actor: Actor, req: FastifyRequest, reply: FastifyReply, id: number, format: 'csv' | 'json') {
  const d = await incidentDetail(deps, actor, id);
  const t = (k: string, v?: Record<string, string | number>) => req.ctx.t(k as MessageKey, v);
  const tl = timelineOf(d, req.ctx.lang === 'en' ? 'en' : 'zh-TW', t);
  const name = `incident-${id}-timeline.${format}`;
  reply.header('content-disposition', `attachment; filename="${name}"`);
  return format === 'csv' ? reply.type('text/csv; charset=utf-8').send(timelineCsv(tl, t)) : reply.type('application/json; charset=utf-8').send(JSON.stringify(tl, null, 2));
}

export function drillPageRoutes(fastify: FastifyInstance, deps: Deps, show: Show): void {
  const app = typed(fastify);
  const actorOf = (req: FastifyRequest) => loadActor(deps, requireSession(req).accountId);
  async function run(req: FastifyRequest, reply: FastifyReply, id: number, f: (actor: Actor) => Promise<unknown>) {
    const actor = await actorOf(req);
    try { await f(actor); } catch (e) {
      if (e instanceof IncidentError) return show(deps, req, reply, actor, id, e.status, e);
      throw e;
    }
    return reply.redirect(`/incidents/${id}?done=1`, 303);
  }
  app.post('/incidents/:id/drill-complete', { schema: { params, body: FormBody({ note: Field(2000) }), response: FORM_PAGE } },
    async (req, reply) => run(req, reply, req.params.id, (actor) => completeDrill(deps, actor, req.params.id, { note: req.body.note ?? '', ip: clientIp(req) })));
  app.post('/incidents/:id/drill-report', { schema: { params, body: FormBody({ meetingAt: Field(10), meetingNotes: Field(10_000), summary: Field(10_000), lateReason: Field(2000) }), response: FORM_PAGE } },
    async (req, reply) => run(req, reply, req.params.id, (actor) => submitDrillReport(deps, actor, req.params.id, {
      meetingAt: req.body.meetingAt ?? '', meetingNotes: req.body.meetingNotes ?? '', summary: req.body.summary ?? '', lateReason: req.body.lateReason, ip: clientIp(req),
    })));
  for (const format of ['csv', 'json'] as const) {
    app.get(`/incidents/:id/timeline.${format}`, { schema: { params, querystring: NoQuery(), response: { ...PAGE, 200: Type.String({ description: `The incident's timeline (${format})` }) } } },
      async (req, reply) => exportTimeline(deps, await actorOf(req), req, reply, req.params.id, format));
  }
}

/** Registered inside the bearer-token API scope (api-routes.ts). */
export function drillApiRoutes(api: FastifyInstance, deps: Deps): void {
  const app = typed(api);
  app.post('/incidents/:id/drill-complete', {
    schema: { summary: 'The drill ended (INC-7): the drill report is due within 1 month', params: idParams, body: Closed({ note: Type.Optional(Text(2000)) }), response: { 200: Done, ...WRITE } },
  }, async (req, reply) => answer(reply, req.ctx.t, async () => {
    await completeDrill(deps, apiActor(req), req.params.id, { note: req.body.note ?? '', ip: req.ip });
    return { ok: true as const };
  }));
  app.post('/incidents/:id/drill-report', {
    schema: { summary: 'The agency\'s CISO approves the drill report with the review meeting (INC-7)', params: idParams, body: Closed(drillReportFields), response: { 200: Done, ...WRITE } },
  }, async (req, reply) => answer(reply, req.ctx.t, async () => {
    await submitDrillReport(deps, apiActor(req), req.params.id, { ...req.body, ip: req.ip });
    return { ok: true as const };
  }));
  for (const format of ['csv', 'json'] as const) {
    app.get(`/incidents/:id/timeline.${format}`, {
      schema: { summary: `One incident's timeline as ${format.toUpperCase()}: every event, who, when, which clock it met or missed (INC-6)`, params: idParams, querystring: Closed({}),
        response: { 200: Type.String({ description: `The timeline (${format === 'csv' ? 'text/csv' : 'application/json'})` }), ...READ_ERRORS } },
    }, async (req, reply) => exportTimeline(deps, apiActor(req), req, reply, req.params.id, format));
  }
}
