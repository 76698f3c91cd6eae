// INC-5: the closure API under /api/v1/incidents/:id — damage control or recovery, the closure report,
// its review, the investigation report, and both reports as PDFs; declared contracts, each route one use case.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { apiActor } from '../access/api-auth.ts';
import { READ_ERRORS, apiError } from '../admin/api-schemas.ts';
import { typed, Type, Closed, Text } from '../platform/http/contract.ts';
import { Done, WRITE, answer, idParams } from './api-shared.ts';
import { CLOSURE_ITEMS, INVESTIGATION_ITEMS, ITEM_MAX, type ReportKind } from './reports.ts';
import { recordContained, reportPdf, reviewClosure, submitClosure, submitInvestigation } from './closure.ts';
import { IncidentError } from './errors.ts';

const items = (keys: readonly string[]) => Closed(Object.fromEntries(keys.map((k) => [k, Type.Optional(Text(ITEM_MAX))])));
const Late = () => Type.Optional(Text(2000, { description: 'Required when the step comes after its deadline' }));
const Closed2 = Type.Object({ ok: Type.Literal(true), closed: Type.Boolean({ description: 'true: the incident is closed now (closure approved and investigation report in)' }) });
const Pdf = Type.Unsafe<Buffer>(Type.String({ description: 'The report (application/pdf), Traditional Chinese' }));

export function closureApiRoutes(api: FastifyInstance, deps: Deps): void {
  const app = typed(api);

  app.post('/incidents/:id/contained', {
    schema: { summary: 'Damage control or recovery completed (INC-5: 36 h at levels 3–4, 72 h at levels 1–2)', params: idParams, body: Closed({ note: Text(10_000), lateReason: Late() }), response: { 200: Done, ...WRITE } },
  }, async (req, reply) => answer(reply, req.ctx.t, async () => {
    await recordContained(deps, apiActor(req), req.params.id, { note: req.body.note, lateReason: req.body.lateReason, ip: req.ip });
    return { ok: true as const };
  }));

  app.post('/incidents/:id/closure', {
    schema: { summary: 'Submit the closure report with its required items (INC-5); again after a return', params: idParams, body: Closed({ items: items(CLOSURE_ITEMS), lateReason: Late() }), response: { 200: Done, ...WRITE } },
  }, async (req, reply) => answer(reply, req.ctx.t, async () => {
    await submitClosure(deps, apiActor(req), req.params.id, { items: req.body.items, lateReason: req.body.lateReason, ip: req.ip });
    return { ok: true as const };
  }));

  app.post('/incidents/:id/closure-review', {
    schema: {
      summary: 'The competent authority approves the closure report or returns it with a note (INC-5)', params: idParams,
      body: Closed({ decision: Type.Union([Type.Literal('approve'), Type.Literal('return')]), note: Type.Optional(Text(2000)), lateReason: Late() }),
      response: { 200: Closed2, ...WRITE },
    },
  }, async (req, reply) => answer(reply, req.ctx.t, async () => {
    const r = await reviewClosure(deps, apiActor(req), req.params.id, { decision: req.body.decision, note: req.body.note ?? '', lateReason: req.body.lateReason, ip: req.ip });
    return { ok: true as const, closed: r.closed };
  }));

  app.post('/incidents/:id/investigation', {
    schema: { summary: 'Submit the investigation, handling and improvement report (INC-5: within 1 month of damage control)', params: idParams, body: Closed({ items: items(INVESTIGATION_ITEMS), lateReason: Late() }), response: { 200: Closed2, ...WRITE } },
  }, async (req, reply) => answer(reply, req.ctx.t, async () => {
    const r = await submitInvestigation(deps, apiActor(req), req.params.id, { items: req.body.items, lateReason: req.body.lateReason, ip: req.ip });
    return { ok: true as const, closed: r.closed };
  }));

  for (const kind of ['closure', 'investigation'] as ReportKind[]) {
    app.get(`/incidents/:id/${kind}.pdf`, {
      schema: {
        summary: `The ${kind === 'closure' ? 'closure' : 'investigation'} report as a PDF in Traditional Chinese (INC-5)`, params: idParams, querystring: Closed({}),
        response: { 200: Pdf, ...READ_ERRORS, 409: apiError('No such report was submitted yet') },
      },
    }, async (req, reply) => answer(reply, req.ctx.t, async () => {
      const r = await reportPdf(deps, apiActor(req), req.params.id, kind);
      if (!r) throw new IncidentError(409, 'incidents.closure.noReport');
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${r.filename}"`).send(r.pdf);
    }));
  }
}
