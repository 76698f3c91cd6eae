// HTTP for the request engine, review queue and history (REQ-2..6): the requester's pages under
// /requests, the approver's 待審核列表 and 審查詳細資訊 under /admin/requests, the printed form,
// and the JSON API (api.ts). HTTP only: the form as its declared schema shapes it (OPS-4, issue 10),
// one use case (which authorizes), then a redirect (POST-redirect-GET) or the page again with its error.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import type { MessageKey } from '../platform/web/messages.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requireSession, loadActor } from '../access/actor.ts';
import { notFound } from '../platform/http/errors.ts';
import { typed, Type, Id, Closed, Field, FormBody, Query, NoQuery, PAGE, FORM_PAGE, type Static } from '../platform/http/contract.ts';
import { authorize, type Actor, type RequestStepKind } from '../access/authorize.ts';
import { renderRequestPdf } from './pdf.ts';
import { decideRequest, visibleRequest, withdrawRequest, commentProblem, MAX_COMMENT, type DecideResult } from './decisions.ts';
import { describeRequest, requestForm } from './describe.ts';
import { mayDecideStep, mayReview, mayView, type RequestAccessRow } from './access.ts';
import { approversOf, myRequests, reviewQueue } from './queries.ts';
import { formChoices, permissionRows } from './form-store.ts';
import { submitOwnRequest, type FormErrors } from './service.ts';
import { FORM_TYPES, PAGE_FORM_TYPES } from './types/index.ts';
import { requestNumber } from './format.ts';
import type { RequestStatus } from './tables.ts';
import { requestApiRoutes } from './api.ts';
import { requestFormFields } from './api-schemas.ts';
import { MyRequestsPage } from './views/mine.tsx';
import { QueuePage } from './views/queue.tsx';
import { DetailsPage, type DetailsView } from './views/details.tsx';
import { PermissionsPage, type PermissionsView } from './views/permissions.tsx';
import { NewRequestPage, type NewRequestView } from './views/new-request.tsx';

const STEP_KINDS: RequestStepKind[] = ['supervisor', 'administrator', 'central'];

/** Whether some grant of the actor decides some step somewhere: asked of `authorize`, grant by grant. */
export const decidesAnything = (actor: Actor): boolean =>
  actor.grants.some((g) => STEP_KINDS.some((step) => authorize(actor, 'request.decide', { oid: g.jurisdictionOid, step, categories: [] })));

/** The requester's own pages: requester or subject. */
const isParty = (actor: Actor, r: RequestAccessRow) => actor.accountId === r.requester_account_id || actor.accountId === r.subject_account_id;

const pageActor = async (deps: Deps, req: FastifyRequest): Promise<Actor> => loadActor(deps, requireSession(req).accountId);

const DONE: Record<string, MessageKey> = { submitted: 'request.submitted', withdrawn: 'request.withdraw.done', decided: 'request.decide.done' };
const STATUSES: RequestStatus[] = ['pending', 'approved', 'completed', 'rejected', 'withdrawn', 'failed'];

// ---- Contracts (OPS-4, issue 10) ----
const params = Closed({ id: Id() });
/** What the redirect after a change says: done=…, the status reached (s), the request number (n). */
const noticeQuery = Query({ done: Field(20), s: Type.Optional(Type.Enum(STATUSES)), n: Type.Optional(Id()) });
type NoticeQuery = Static<typeof noticeQuery>;
/** The request forms other than 權限申請 (which has its own page). */
const requestFormBody = FormBody({ ...requestFormFields, grantId: Field(20) });
const decisionForm = FormBody({
  decision: Field(20), comment: Field(MAX_COMMENT * 4), step: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), confirm: Field(20),
});

function notice(t: FastifyRequest['ctx']['t'], q: NoticeQuery, id?: number) {
  const key = DONE[q.done ?? ''];
  if (!key) return undefined;
  return { key, vars: { number: id ? requestNumber(id) : '', status: q.s ? t(`request.status.${q.s}`) : '' } };
}

export async function requestRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const pages = typed(app);
  // ---- The requester ----
  pages.get('/requests', { schema: { querystring: noticeQuery, response: PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const rows = await myRequests(deps.db, actor.accountId);
    return page(req, reply, (ctx) => <MyRequestsPage ctx={ctx} rows={rows} canReview={decidesAnything(actor)} notice={notice(req.ctx.t, req.query)} />);
  });

  const permissionsPage = async (req: FastifyRequest, reply: FastifyReply, accountId: number, extra: Partial<PermissionsView> = {}, status = 200) => {
    const v: PermissionsView = { rows: await permissionRows(deps.db, accountId), ...extra };
    return page(req, reply, (ctx) => <PermissionsPage ctx={ctx} v={v} />, status);
  };

  pages.get('/requests/permissions', { schema: { querystring: noticeQuery, response: PAGE } }, async (req, reply) =>
    permissionsPage(req, reply, requireSession(req).accountId, { notice: notice(req.ctx.t, req.query, req.query.n) }));

  pages.post('/requests/permissions', {
    schema: { body: FormBody({ change: Field(10), role: requestFormFields.role }), response: FORM_PAGE },
  }, async (req, reply) => {
    const s = requireSession(req);
    const type = req.body.change === 'remove' ? 'permission_remove' : 'permission_add';
    const r = await submitOwnRequest(deps, s.accountId, type, { role: req.body.role }, req.ctx.lang, clientIp(req));
    if (!r.ok) return permissionsPage(req, reply, s.accountId, { error: Object.values(r.errors)[0] }, 422);
    return reply.redirect(`/requests/permissions?done=submitted&n=${r.id}`, 303);
  });

  const formPage = async (req: FastifyRequest, reply: FastifyReply, accountId: number, type: NewRequestView['type'], values: NewRequestView['values'] = {}, errors: FormErrors = {}, status = 200) => {
    const v: NewRequestView = { type, values, errors, ...await formChoices(deps.db, accountId, req.ctx.lang) };
    return page(req, reply, (ctx) => <NewRequestPage ctx={ctx} v={v} />, status);
  };
  const formTypeParams = Closed({ type: Type.Enum(PAGE_FORM_TYPES) });

  pages.get('/requests/new/:type', { schema: { params: formTypeParams, querystring: NoQuery(), response: PAGE } }, async (req, reply) =>
    formPage(req, reply, requireSession(req).accountId, req.params.type));

  pages.post('/requests/new/:type', { schema: { params: formTypeParams, body: requestFormBody, response: FORM_PAGE } }, async (req, reply) => {
    const s = requireSession(req);
    const { type } = req.params;
    const r = await submitOwnRequest(deps, s.accountId, type, req.body, req.ctx.lang, clientIp(req));
    if (!r.ok) {
      // The form again with what was typed, but never the national ID.
      const { _csrf, nationalId, ...values } = req.body;
      return formPage(req, reply, s.accountId, type, values, r.errors, 422);
    }
    return reply.redirect(`/requests/${r.id}?done=submitted`, 303);
  });

  const partyPage = async (req: FastifyRequest, reply: FastifyReply, id: number, extra: Partial<DetailsView> = {}, status = 200) => {
    const actor = await pageActor(deps, req);
    const r = await visibleRequest(deps, actor, id, isParty);
    const d: DetailsView = {
      request: await describeRequest(deps, r, req.ctx.lang), mode: 'requester', canDecide: false,
      canWithdraw: r.status === 'pending' && r.requester_account_id === actor.accountId, ...extra,
    };
    return page(req, reply, (ctx) => <DetailsPage ctx={ctx} d={d} />, status);
  };

  pages.get('/requests/:id', { schema: { params, querystring: noticeQuery, response: PAGE } }, async (req, reply) =>
    partyPage(req, reply, req.params.id, { notice: notice(req.ctx.t, req.query, req.params.id) }));

  pages.post('/requests/:id/withdraw', { schema: { params, body: FormBody({}), response: FORM_PAGE } }, async (req, reply) => {
    const s = requireSession(req);
    const { id } = req.params;
    const r = await withdrawRequest(deps, s.accountId, id, clientIp(req));
    if (!r.ok) return partyPage(req, reply, id, { error: r.error }, 409);
    return reply.redirect(`/requests/${id}?done=withdrawn`, 303);
  });

  // The printed form (REQ-5): for its requester and subject and anyone who may decide one of its steps.
  pages.get('/requests/:id/form.pdf', {
    schema: { params, querystring: NoQuery(), response: { ...PAGE, 200: Type.Unsafe<Buffer>(Type.String({ description: 'The printed form (application/pdf)' })) } },
  }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const r = await visibleRequest(deps, actor, req.params.id, (a, x) => isParty(a, x) || mayView(a, x));
    const pdf = await renderRequestPdf(await requestForm(deps, r));
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${requestNumber(r.id)}.pdf"`).send(pdf);
  });

  // ---- The approver ----
  pages.get('/admin/requests', { schema: { querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    if (!decidesAnything(actor)) throw notFound();
    const rows = await reviewQueue(deps.db, actor);
    return page(req, reply, (ctx) => <QueuePage ctx={ctx} rows={rows} />);
  });

  const reviewPage = async (req: FastifyRequest, reply: FastifyReply, actor: Actor, id: number, extra: Partial<DetailsView> = {}, status = 200) => {
    const r = await visibleRequest(deps, actor, id, mayReview);
    const canDecide = r.status === 'pending' && mayDecideStep(actor, r, r.step_kind);
    const d: DetailsView = {
      request: await describeRequest(deps, r, req.ctx.lang), mode: 'reviewer', canDecide, canWithdraw: false,
      approvers: r.status === 'pending' ? (await approversOf(deps.db, r)).length : undefined, ...extra,
    };
    return page(req, reply, (ctx) => <DetailsPage ctx={ctx} d={d} />, status);
  };

  pages.get('/admin/requests/:id', { schema: { params, querystring: noticeQuery, response: PAGE } }, async (req, reply) =>
    reviewPage(req, reply, await pageActor(deps, req), req.params.id, { notice: notice(req.ctx.t, req.query, req.params.id) }));

  pages.post('/admin/requests/:id/decision', { schema: { params, body: decisionForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const { id } = req.params;
    const b = req.body;
    const decision = b.decision === 'approved' ? 'approved' : b.decision === 'rejected' ? 'rejected' : null;
    const comment = b.comment ?? '';
    const stepNo = b.step;
    // 駁回 asks once more (issue 9 item 16): a rejection with its comment is shown for confirmation,
    // and decided only when posted from that step. A missing comment is said at once.
    // Anything else (out of reach, no longer pending, another step meanwhile) goes to the use case, which says why.
    const shown = decision === 'rejected' && b.confirm !== 'reject' ? await visibleRequest(deps, actor, id, mayReview) : undefined;
    if (shown && shown.status === 'pending' && mayDecideStep(actor, shown, shown.step_kind) && (stepNo === undefined || stepNo === shown.step_no)) {
      const commentError = commentProblem('rejected', comment) ?? undefined;
      return reviewPage(req, reply, actor, id, { commentError, confirmReject: !commentError, comment: comment.slice(0, MAX_COMMENT) }, commentError ? 422 : 200);
    }
    let r: DecideResult;
    if (decision) r = await decideRequest(deps, actor, id, { decision, comment, stepNo }, clientIp(req));
    else {
      await visibleRequest(deps, actor, id, mayReview); // out of reach stays "not found"
      r = { ok: false, status: 422, error: 'request.error.badInput' };
    }
    if (!r.ok) {
      const commentError = r.error === 'request.error.commentRequired' || r.error === 'request.error.commentLong' ? r.error : undefined;
      return reviewPage(req, reply, actor, id, { error: commentError ? undefined : r.error, commentError, comment: comment.slice(0, 1000) }, r.status);
    }
    return reply.redirect(`/admin/requests/${id}?done=decided&s=${r.status}`, 303);
  });

  requestApiRoutes(app, deps);
  // REQ-6: approved requests whose effective date has come are carried out by the `requests.due`
  // job of the platform's scheduler (src/governance/jobs/table.ts).
}
