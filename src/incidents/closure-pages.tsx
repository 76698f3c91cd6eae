// INC-5: the closure forms of the incident page (HTTP only) and both reports as PDFs: damage
// control or recovery, the closure report, its review, the investigation report. A refusal shows
// the incident page again with the message and the items as typed (4xx); success goes back to it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { clientIp } from '../platform/http/pages.ts';
import { typed, Type, Closed, Field, FormBody, FORM_PAGE, PAGE, Id, NoQuery } from '../platform/http/contract.ts';
import { notFound } from '../platform/http/errors.ts';
import { loadActor, requireSession } from '../access/actor.ts';
import type { Actor } from '../access/authorize.ts';
import { IncidentError } from './errors.ts';
import { CLOSURE_ITEMS, INVESTIGATION_ITEMS, ITEM_MAX, type ReportKind } from './reports.ts';
import { recordContained, reportPdf, reviewClosure, submitClosure, submitInvestigation } from './closure.ts';

export interface ClosureFormInput { kind: ReportKind; values: Record<string, string> }
type Show = (deps: Deps, req: FastifyRequest, reply: FastifyReply, actor: Actor, id: number, status?: number, message?: IncidentError, form?: ClosureFormInput) => Promise<FastifyReply>;

const itemFields = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, Field(ITEM_MAX)]));
const params = Closed({ id: Id() });

export function closurePageRoutes(fastify: FastifyInstance, deps: Deps, show: Show): void {
  const app = typed(fastify);
  const actorOf = (req: FastifyRequest) => loadActor(deps, requireSession(req).accountId);

  async function run(req: FastifyRequest, reply: FastifyReply, id: number, f: (actor: Actor) => Promise<unknown>, form?: ClosureFormInput) {
    const actor = await actorOf(req);
    try {
      await f(actor);
    } catch (e) {
      if (e instanceof IncidentError) return show(deps, req, reply, actor, id, e.status, e, form);
      throw e;
    }
    return reply.redirect(`/incidents/${id}?done=1`, 303);
  }

  app.post('/incidents/:id/contained', { schema: { params, body: FormBody({ note: Field(ITEM_MAX), lateReason: Field(2000) }), response: FORM_PAGE } },
    async (req, reply) => run(req, reply, req.params.id, (actor) => recordContained(deps, actor, req.params.id, { note: req.body.note ?? '', lateReason: req.body.lateReason, ip: clientIp(req) })));

  for (const kind of ['closure', 'investigation'] as const) {
    const keys = kind === 'closure' ? CLOSURE_ITEMS : INVESTIGATION_ITEMS;
    app.post(`/incidents/:id/${kind}`, { schema: { params, body: FormBody({ ...itemFields(keys), lateReason: Field(2000) }), response: FORM_PAGE } }, async (req, reply) => {
      const b = req.body as Record<string, string | undefined>;
      const values = Object.fromEntries(keys.map((k) => [k, b[k] ?? '']));
      const submit = kind === 'closure' ? submitClosure : submitInvestigation;
      return run(req, reply, req.params.id, (actor) => submit(deps, actor, req.params.id, { items: values, lateReason: b.lateReason, ip: clientIp(req) }), { kind, values });
    });
    app.get(`/incidents/:id/${kind}.pdf`, {
      schema: { params, querystring: NoQuery(), response: { ...PAGE, 200: Type.Unsafe<Buffer>(Type.String({ description: 'The report (application/pdf)' })) } },
    }, async (req, reply) => {
      const r = await reportPdf(deps, await actorOf(req), req.params.id, kind);
      if (!r) throw notFound();
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${r.filename}"`).send(r.pdf);
    });
  }

  app.post('/incidents/:id/closure-review', { schema: { params, body: FormBody({ decision: Field(10), note: Field(2000), lateReason: Field(2000) }), response: FORM_PAGE } },
    async (req, reply) => run(req, reply, req.params.id, async (actor) => {
      const decision = req.body.decision === 'return' ? 'return' : req.body.decision === 'approve' ? 'approve' : null;
      if (!decision) throw new IncidentError(422, 'incidents.report.invalid', { decision: 'required' });
      await reviewClosure(deps, actor, req.params.id, { decision, note: req.body.note ?? '', lateReason: req.body.lateReason, ip: clientIp(req) });
    }));
}
