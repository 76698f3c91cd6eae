// HTTP for the request engine, review queue and history (REQ-2..6): the requester's pages under
// /requests, the approver's 待審核列表 and 審查詳細資訊 under /admin/requests, the printed form,
// and the JSON API (api.ts). HTTP only: read the form, call one use case (which authorizes),
// redirect (POST-redirect-GET) or show the page again with its error.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import type { MessageKey } from '../platform/web/messages.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requireSession, loadActor } from '../access/actor.ts';
import { notFound } from '../platform/http/errors.ts';
import { authorize, type Actor, type RequestStepKind } from '../access/authorize.ts';
import { renderRequestPdf } from './pdf.ts';
import { countApprovers } from './engine.ts';
import { decideRequest, runDueRequests, visibleRequest, withdrawRequest, commentProblem, MAX_COMMENT, type DecideResult } from './decisions.ts';
import { describeRequest, requestForm } from './describe.ts';
import { mayDecideStep, mayReview, mayView, type RequestAccessRow } from './access.ts';
import { approversOf, myRequests, permissionTable, reviewQueue } from './queries.ts';
import { formValues, submitOwnRequest, type FormErrors } from './service.ts';
import { isPageFormType } from './types/index.ts';
import { requestNumber } from './format.ts';
import type { RequestStatus } from './tables.ts';
import { requestApiRoutes } from './api.ts';
import { MyRequestsPage } from './views/mine.tsx';
import { QueuePage } from './views/queue.tsx';
import { DetailsPage, type DetailsView } from './views/details.tsx';
import { PermissionsPage, type PermissionsView } from './views/permissions.tsx';
import { NewRequestPage, type NewRequestView } from './views/new-request.tsx';

type Form = Record<string, unknown>;
const STEP_KINDS: RequestStepKind[] = ['supervisor', 'administrator', 'central'];
/** Scheduled (REQ-6) requests are looked for this often; each is claimed once, whichever instance runs. */
const DUE_SWEEP_MS = 10 * 60_000;

/** A request id from the path; anything else is "not found" before any query. */
export function requestId(raw: string): number {
  if (!/^[1-9]\d{0,14}$/.test(raw)) throw notFound();
  return Number(raw);
}

/** Whether some grant of the actor decides some step somewhere: asked of `authorize`, grant by grant. */
export const decidesAnything = (actor: Actor): boolean =>
  actor.grants.some((g) => STEP_KINDS.some((step) => authorize(actor, 'request.decide', { oid: g.jurisdictionOid, step, categories: [] })));

/** The requester's own pages: requester or subject. */
const isParty = (actor: Actor, r: RequestAccessRow) => actor.accountId === r.requester_account_id || actor.accountId === r.subject_account_id;

const pageActor = async (deps: Deps, req: FastifyRequest): Promise<Actor> => loadActor(deps, requireSession(req).accountId);

const DONE: Record<string, MessageKey> = { submitted: 'request.submitted', withdrawn: 'request.withdraw.done', decided: 'request.decide.done' };
const STATUSES: RequestStatus[] = ['pending', 'approved', 'completed', 'rejected', 'withdrawn', 'failed'];

function notice(req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>, id?: number) {
  const key = DONE[req.query.done ?? ''];
  if (!key) return undefined;
  const s = STATUSES.find((x) => x === req.query.s);
  return { key, vars: { number: id ? requestNumber(id) : '', status: s ? req.ctx.t(`request.status.${s}`) : '' } };
}

export async function requestRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  // ---- The requester ----
  app.get<{ Querystring: Record<string, string | undefined> }>('/requests', async (req, reply) => {
    const actor = await pageActor(deps, req);
    const rows = await myRequests(deps.db, actor.accountId);
    return page(req, reply, (ctx) => <MyRequestsPage ctx={ctx} rows={rows} canReview={decidesAnything(actor)} notice={notice(req)} />);
  });

  const permissionsPage = async (req: FastifyRequest, reply: FastifyReply, accountId: number, extra: Partial<PermissionsView> = {}, status = 200) => {
    const me = await deps.db.selectFrom('accounts').select(['id', 'unit_oid']).where('id', '=', accountId).executeTakeFirstOrThrow();
    const rows = await permissionTable(deps.db, me.id);
    // ADM-6 / seed 000: how many administrators could review a request for each system.
    const counts = new Map<string, number>();
    for (const s of new Set(rows.map((r) => r.systemCode))) counts.set(s, await countApprovers(deps.db, { type: 'permission_add', orgOid: me.unit_oid, systems: [s], exclude: [me.id] }));
    const v: PermissionsView = { rows: rows.map((r) => ({ ...r, approvers: counts.get(r.systemCode) ?? 0 })), ...extra };
    return page(req, reply, (ctx) => <PermissionsPage ctx={ctx} v={v} />, status);
  };

  app.get<{ Querystring: Record<string, string | undefined> }>('/requests/permissions', async (req, reply) =>
    permissionsPage(req, reply, requireSession(req).accountId, { notice: notice(req, Number(req.query.n) || undefined) }));

  app.post<{ Body: Form }>('/requests/permissions', async (req, reply) => {
    const s = requireSession(req);
    const type = req.body?.change === 'remove' ? 'permission_remove' : 'permission_add';
    const r = await submitOwnRequest(deps, s.accountId, type, { role: req.body?.role }, req.ctx.lang, clientIp(req));
    if (!r.ok) return permissionsPage(req, reply, s.accountId, { error: Object.values(r.errors)[0] }, 422);
    return reply.redirect(`/requests/permissions?done=submitted&n=${r.id}`, 303);
  });

  const formPage = async (req: FastifyRequest, reply: FastifyReply, accountId: number, type: NewRequestView['type'], values: NewRequestView['values'] = {}, errors: FormErrors = {}, status = 200) => {
    const [roles, categories, grants] = await Promise.all([
      deps.db.selectFrom('roles as r').innerJoin('application_systems as s', 's.code', 'r.system_code')
        .select(['r.code', 'r.name_zh', 'r.name_en', 's.name_zh as sz', 's.name_en as se']).orderBy('s.category').orderBy('r.code').execute(),
      deps.db.selectFrom('application_systems').select('category').distinct().orderBy('category').execute(),
      deps.db.selectFrom('admin_grants').select(['id', 'jurisdiction_oid', 'categories']).where('account_id', '=', accountId).where('kind', '=', 'registration_admin').orderBy('id').execute(),
    ]);
    const en = req.ctx.lang === 'en';
    const v: NewRequestView = {
      type, values, errors,
      roles: roles.map((r) => ({ code: r.code, label: en ? `${r.se} — ${r.name_en}` : `${r.sz}－${r.name_zh}` })),
      categories: ['*', ...categories.map((c) => c.category)],
      grants: grants.map((g) => ({ id: g.id, label: `${g.jurisdiction_oid}（${g.categories.join(', ')}）` })),
    };
    return page(req, reply, (ctx) => <NewRequestPage ctx={ctx} v={v} />, status);
  };
  const formType = (raw: string) => {
    if (!isPageFormType(raw)) throw notFound();
    return raw;
  };

  app.get<{ Params: { type: string } }>('/requests/new/:type', async (req, reply) =>
    formPage(req, reply, requireSession(req).accountId, formType(req.params.type)));

  app.post<{ Params: { type: string }; Body: Form }>('/requests/new/:type', async (req, reply) => {
    const s = requireSession(req);
    const type = formType(req.params.type);
    const body = req.body ?? {};
    const r = await submitOwnRequest(deps, s.accountId, type, body, req.ctx.lang, clientIp(req));
    if (!r.ok) {
      const values = formValues(body, ['_csrf', 'nationalId']);
      return formPage(req, reply, s.accountId, type, values, r.errors, 422);
    }
    return reply.redirect(`/requests/${r.id}?done=submitted`, 303);
  });

  const partyPage = async (req: FastifyRequest<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>, reply: FastifyReply, extra: Partial<DetailsView> = {}, status = 200) => {
    const actor = await pageActor(deps, req);
    const r = await visibleRequest(deps, actor, requestId(req.params.id), isParty);
    const d: DetailsView = {
      request: await describeRequest(deps, r, req.ctx.lang), mode: 'requester', canDecide: false,
      canWithdraw: r.status === 'pending' && r.requester_account_id === actor.accountId, notice: notice(req, r.id), ...extra,
    };
    return page(req, reply, (ctx) => <DetailsPage ctx={ctx} d={d} />, status);
  };

  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>('/requests/:id', async (req, reply) => partyPage(req, reply));

  app.post<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>('/requests/:id/withdraw', async (req, reply) => {
    const s = requireSession(req);
    const id = requestId(req.params.id);
    const r = await withdrawRequest(deps, s.accountId, id, clientIp(req));
    if (!r.ok) return partyPage(req, reply, { error: r.error }, 409);
    return reply.redirect(`/requests/${id}?done=withdrawn`, 303);
  });

  // The printed form (REQ-5): for its requester and subject and anyone who may decide one of its steps.
  app.get<{ Params: { id: string } }>('/requests/:id/form.pdf', async (req, reply) => {
    const actor = await pageActor(deps, req);
    const r = await visibleRequest(deps, actor, requestId(req.params.id), (a, x) => isParty(a, x) || mayView(a, x));
    const pdf = await renderRequestPdf(await requestForm(deps, r));
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${requestNumber(r.id)}.pdf"`).send(pdf);
  });

  // ---- The approver ----
  app.get('/admin/requests', async (req, reply) => {
    const actor = await pageActor(deps, req);
    if (!decidesAnything(actor)) throw notFound();
    const rows = await reviewQueue(deps.db, actor);
    return page(req, reply, (ctx) => <QueuePage ctx={ctx} rows={rows} />);
  });

  const reviewPage = async (req: FastifyRequest<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>, reply: FastifyReply, actor: Actor, extra: Partial<DetailsView> = {}, status = 200) => {
    const r = await visibleRequest(deps, actor, requestId(req.params.id), mayReview);
    const canDecide = r.status === 'pending' && mayDecideStep(actor, r, r.step_kind);
    const d: DetailsView = {
      request: await describeRequest(deps, r, req.ctx.lang), mode: 'reviewer', canDecide, canWithdraw: false,
      approvers: r.status === 'pending' ? (await approversOf(deps.db, r)).length : undefined, notice: notice(req, r.id), ...extra,
    };
    return page(req, reply, (ctx) => <DetailsPage ctx={ctx} d={d} />, status);
  };

  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>('/admin/requests/:id', async (req, reply) =>
    reviewPage(req, reply, await pageActor(deps, req)));

  app.post<{ Params: { id: string }; Querystring: Record<string, string | undefined>; Body: Form }>('/admin/requests/:id/decision', async (req, reply) => {
    const actor = await pageActor(deps, req);
    const id = requestId(req.params.id);
    const b = req.body ?? {};
    const decision = b.decision === 'approved' ? 'approved' : b.decision === 'rejected' ? 'rejected' : null;
    const comment = typeof b.comment === 'string' ? b.comment : '';
    const stepNo = typeof b.step === 'string' && /^\d{1,3}$/.test(b.step) ? Number(b.step) : undefined;
    // 駁回 asks once more (issue 9 item 16): a rejection with its comment is shown for confirmation,
    // and decided only when posted from that step. A missing comment is said at once.
    // Anything else (out of reach, no longer pending, another step meanwhile) goes to the use case, which says why.
    const shown = decision === 'rejected' && b.confirm !== 'reject' ? await visibleRequest(deps, actor, id, mayReview) : undefined;
    if (shown && shown.status === 'pending' && mayDecideStep(actor, shown, shown.step_kind) && (stepNo === undefined || stepNo === shown.step_no)) {
      const commentError = commentProblem('rejected', comment) ?? undefined;
      return reviewPage(req, reply, actor, { commentError, confirmReject: !commentError, comment: comment.slice(0, MAX_COMMENT) }, commentError ? 422 : 200);
    }
    let r: DecideResult;
    if (decision) r = await decideRequest(deps, actor, id, { decision, comment, stepNo }, clientIp(req));
    else {
      await visibleRequest(deps, actor, id, mayReview); // out of reach stays "not found"
      r = { ok: false, status: 422, error: 'request.error.badInput' };
    }
    if (!r.ok) {
      const commentError = r.error === 'request.error.commentRequired' || r.error === 'request.error.commentLong' ? r.error : undefined;
      return reviewPage(req, reply, actor, { error: commentError ? undefined : r.error, commentError, comment: comment.slice(0, 1000) }, r.status);
    }
    return reply.redirect(`/admin/requests/${id}?done=decided&s=${r.status}`, 303);
  });

  requestApiRoutes(app, deps);

  // REQ-6: approved requests whose effective date has come are carried out in the background.
  const timer = setInterval(() => { runDueRequests(deps).catch((err) => deps.log.error({ err }, 'scheduled requests failed')); }, DUE_SWEEP_MS);
  timer.unref();
  app.addHook('onClose', async () => { clearInterval(timer); });
}
