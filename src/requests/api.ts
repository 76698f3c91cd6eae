// /api/v1/requests (REQ-2..5): the same use cases as the pages, behind the bearer token
// (src/access/api-auth.ts) by construction: every route is inside this plugin, whose onRequest
// hook answers 401 before anything else runs. Authorization inside each use case, via `authorize`.
// Each route declares its contract (api-schemas.ts), from which the OpenAPI document is generated.
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
import { typed, Type, NoBody, NoQuery } from '../platform/http/contract.ts';
import {
  decided, DECISION_ERRORS, decisionBody, READ_ERRORS, requestDetail, requestIdParams, requestList, submitBody, submitRefused, submitted, withdrawConflict, withdrawn,
} from './api-schemas.ts';

export const REQUESTS_API = '/api/v1/requests';

const item = (r: RequestListItem) => ({ ...r, number: requestNumber(r.id), submittedAt: r.submittedAt.toISOString() });

function fail(req: FastifyRequest, reply: FastifyReply, status: number, error: MessageKey) {
  return reply.status(status).send({ error, message: req.ctx.t(error) });
}

const party = (a: Actor, r: { requester_account_id: number | null; subject_account_id: number | null }) => a.accountId === r.requester_account_id || a.accountId === r.subject_account_id;

async function authenticated(app: FastifyInstance, deps: Deps) {
  const api = typed(app);
  api.decorateRequest('apiActor', null);
  api.addHook('onRequest', bearerAuth(deps));
  const params = requestIdParams;

  api.get('/', {
    schema: { summary: 'My requests: those I made and those about my account, newest first (REQ-2)', querystring: NoQuery(), response: { 200: requestList, ...READ_ERRORS } },
  }, async (req) => ({ items: (await myRequests(deps.db, apiActor(req).accountId)).map(item) }));

  api.get('/queue', {
    schema: {
      summary: '待審核列表: pending requests whose current step the caller may decide (REQ-4); never the caller\'s own',
      querystring: NoQuery(), response: { 200: Type.Partial(Type.Object(requestList.properties), { description: 'The queue' }), ...READ_ERRORS },
    },
  }, async (req) => ({ items: (await reviewQueue(deps.db, apiActor(req))).map(item) }));

  api.get('/:id', {
    schema: {
      summary: '審查詳細資訊: a request with every step and its history (REQ-4, REQ-5); for its requester and subject and the approvers of its steps',
      params, querystring: NoQuery(), response: { 200: requestDetail, ...READ_ERRORS },
    },
  }, async (req) => {
    const actor = apiActor(req);
    const r = await visibleRequest(deps, actor, req.params.id, (a, x) => party(a, x) || mayView(a, x));
    const canDecide = r.status === 'pending' && mayDecideStep(actor, r, r.step_kind);
    return { ...await describeRequest(deps, r, req.ctx.lang), canDecide, approvers: r.status === 'pending' ? (await approversOf(deps.db, r)).length : null };
  });

  api.post('/', {
    schema: {
      summary: 'Submit a request about my own account or my unit: permission add/remove (REQ-2), registration-administrator designation (D-06-10), general-user add/change/delete (D-06-09), one-day password (D-06-11), locked-field change (ACC-4)',
      body: submitBody, response: { 201: submitted, ...READ_ERRORS, 422: submitRefused },
    },
  }, async (req, reply) => {
    const { type, ...form } = req.body;
    const r = await submitOwnRequest(deps, apiActor(req).accountId, type, form, req.ctx.lang, clientIp(req));
    if (!r.ok) {
      const errors = Object.fromEntries(Object.entries(r.errors).map(([f, k]) => [f, req.ctx.t(k)]));
      return reply.status(422).send({ error: 'error.badRequest', message: req.ctx.t('error.badRequest'), errors });
    }
    return reply.status(201).send({ id: r.id, number: requestNumber(r.id) });
  });

  api.post('/:id/decision', {
    schema: {
      summary: '接受申請 / 駁回 with 審查說明 (REQ-4). Exactly one decision per step counts; the last approval carries the request out (or, with an effective date ahead, on that day, REQ-6)',
      params, body: decisionBody, response: { 200: decided, ...DECISION_ERRORS },
    },
  }, async (req, reply) => {
    const r = await decideRequest(deps, apiActor(req), req.params.id, { decision: req.body.decision, comment: req.body.comment ?? '', stepNo: req.body.step }, clientIp(req));
    return r.ok ? { status: r.status } : fail(req, reply, r.status, r.error);
  });

  api.post('/:id/withdraw', {
    schema: { summary: 'Withdraw my request while it is pending', params, body: NoBody(), response: { 200: withdrawn, ...READ_ERRORS, 409: withdrawConflict } },
  }, async (req, reply) => {
    const r = await withdrawRequest(deps, apiActor(req).accountId, req.params.id, clientIp(req));
    return r.ok ? { status: 'withdrawn' as const } : fail(req, reply, 409, r.error);
  });
}

export function requestApiRoutes(app: FastifyInstance, deps: Deps): void {
  app.register(async (api) => authenticated(api, deps), { prefix: REQUESTS_API });
}
