// /api/v1/requests (REQ-2..5): the same use cases as the pages, behind the bearer token
// (src/access/api-auth.ts) by construction: every route is inside this plugin, whose onRequest
// hook answers 401 before anything else runs. Authorization inside each use case, via `authorize`.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import type { MessageKey } from '../platform/web/messages.ts';
import { clientIp } from '../platform/http/pages.ts';
import { bearerAuth, apiActor } from '../access/api-auth.ts';
import { apiMessage } from '../admin/messages.ts';
import type { Actor } from '../access/authorize.ts';
import { decideRequest, visibleRequest, withdrawRequest } from './decisions.ts';
import { describeRequest } from './describe.ts';
import { mayDecideStep, mayView } from './access.ts';
import { approversOf, myRequests, reviewQueue, type RequestListItem } from './queries.ts';
import { submitOwnRequest, type FormType } from './service.ts';
import { requestNumber } from './format.ts';
import { changeErrors, decided, decisionBody, readErrors, requestDetail, requestIdParams, requestList, submitBody, submitted, withdrawn } from './api-schemas.ts';

export const REQUESTS_API = '/api/v1/requests';

const item = (r: RequestListItem) => ({ ...r, number: requestNumber(r.id), submittedAt: r.submittedAt.toISOString() });

function fail(req: FastifyRequest, reply: FastifyReply, status: number, error: MessageKey) {
  return reply.status(status).send({ error, message: req.ctx.t(error) });
}

const party = (a: Actor, r: { requester_account_id: number | null; subject_account_id: number | null }) => a.accountId === r.requester_account_id || a.accountId === r.subject_account_id;

async function authenticated(api: FastifyInstance, deps: Deps) {
  api.decorateRequest('apiActor', null);
  api.addHook('onRequest', bearerAuth(deps));
  type IdReq = FastifyRequest<{ Params: { id: number } }>;

  api.get('/', { schema: { response: { 200: requestList, ...readErrors } } }, async (req) =>
    ({ items: (await myRequests(deps.db, apiActor(req).accountId)).map(item) }));

  api.get('/queue', { schema: { response: { 200: requestList, ...readErrors } } }, async (req) =>
    ({ items: (await reviewQueue(deps.db, apiActor(req))).map(item) }));

  api.get('/:id', { schema: { params: requestIdParams, response: { 200: requestDetail, ...readErrors } } }, async (req: IdReq) => {
    const actor = apiActor(req);
    const r = await visibleRequest(deps, actor, req.params.id, (a, x) => party(a, x) || mayView(a, x));
    const canDecide = r.status === 'pending' && mayDecideStep(actor, r, r.step_kind);
    return { ...await describeRequest(deps, r, req.ctx.lang), canDecide, approvers: r.status === 'pending' ? (await approversOf(deps.db, r)).length : null };
  });

  api.post<{ Body: Record<string, unknown> & { type: FormType } }>('/', { schema: { body: submitBody, response: { 201: submitted, ...changeErrors } } }, async (req, reply) => {
    const { type, ...form } = req.body;
    const r = await submitOwnRequest(deps, apiActor(req).accountId, type, form, req.ctx.lang, clientIp(req));
    if (!r.ok) {
      const errors = Object.fromEntries(Object.entries(r.errors).map(([f, k]) => [f, req.ctx.t(k)]));
      return reply.status(422).send({ error: 'error.badRequest', message: req.ctx.t('error.badRequest'), errors });
    }
    return reply.status(201).send({ id: r.id, number: requestNumber(r.id) });
  });

  api.post<{ Params: { id: number }; Body: { decision: 'approved' | 'rejected'; comment?: string; step?: number } }>('/:id/decision', {
    schema: { params: requestIdParams, body: decisionBody, response: { 200: decided, ...changeErrors } },
  }, async (req, reply) => {
    const r = await decideRequest(deps, apiActor(req), req.params.id, { decision: req.body.decision, comment: req.body.comment ?? '', stepNo: req.body.step }, clientIp(req));
    return r.ok ? { status: r.status } : fail(req, reply, r.status, r.error);
  });

  api.post('/:id/withdraw', { schema: { params: requestIdParams, response: { 200: withdrawn, ...changeErrors } } }, async (req: IdReq, reply) => {
    const r = await withdrawRequest(deps, apiActor(req).accountId, req.params.id, clientIp(req));
    return r.ok ? { status: 'withdrawn' } : fail(req, reply, 409, r.error);
  });
}

export function requestApiRoutes(app: FastifyInstance, deps: Deps): void {
  app.register(async (api) => authenticated(api, deps), { prefix: REQUESTS_API });
}
