// Pages of account-review campaigns (GOV-3, GOV-4): /admin/campaigns (definitions, runs, new
// definition, start now) and a run's review page with its decision, bulk-decision and sign-off forms
// and the report. HTTP only: declared contracts, one service call, the page or a redirect; a refusal
// (reason missing, wrong password, signed off) shows the page again with the message.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { page, clientIp } from '../../platform/http/pages.ts';
import { HttpError } from '../../platform/http/errors.ts';
import type { MessageKey } from '../../platform/web/messages.ts';
import { loadActor, requireSession } from '../../access/actor.ts';
import { authorize, scopeFor, scopeIsEmpty, type Actor } from '../../access/authorize.ts';
import { isValidOid } from '../../orgs/oid.ts';
import { rolesWithSystems } from '../../admin/role-store.ts';
import { typed, Type, Closed, Field, FormBody, Query, Id, NoQuery, PAGE, FORM_PAGE } from '../../platform/http/contract.ts';
import { DECISIONS, DEFAULT_ACTIONS, RECURRENCES, type Decision, type DefaultAction, type Recurrence } from './rules.ts';
import { campaignsOf, defineCampaign, startNow } from './definitions.ts';
import { decide, reviewItems, type ReviewFilter } from './review.ts';
import { campaignPdf, campaignReport, certificateSignText, signOff, signOffByCertificate } from './signoff.ts';
import { listCertificates } from '../../auth/cert/service.ts';
import { CampaignRunPage, CampaignsPage, type RunView } from './page.tsx';

const idParams = Closed({ id: Id() });
const runQuery = Query({ unit: Field(200), recommendation: Field(10), inactiveDays: Field(10), undecided: Field(10), page: Field(10), done: Field(20) });
const definitionForm = FormBody({ name: Field(200), scopeOid: Field(200), systemCode: Field(60), inactiveDays: Field(10), recurrence: Field(20), deadlineDays: Field(10), defaultAction: Field(20), attestation: Field(10) });
const decideForm = FormBody({
  decision: Field(20), role: Field(100), reason: Field(1000), accountId: Field(20), bulk: Field(2),
  unit: Field(200), recommendation: Field(10), inactiveDays: Field(10), undecided: Field(10),
});
const signForm = FormBody({ password: Field(200) });
const PAGE_SIZE = 50;

const actorOf = (deps: Deps, req: FastifyRequest) => loadActor(deps, requireSession(req).accountId);
const int = (s: string | undefined) => (s && /^\d{1,4}$/.test(s) ? Number(s) : undefined);
const oneOf = <T extends string>(values: readonly T[], s: string | undefined): T | undefined => (values as readonly string[]).includes(s ?? '') ? s as T : undefined;

/** The filter from query or form fields; only well-formed values count (a bad OID filters nothing and is not echoed). */
function filterOf(q: { unit?: string; recommendation?: string; inactiveDays?: string; undecided?: string }): { f: ReviewFilter; query: Record<string, string> } {
  const unit = q.unit?.trim() && isValidOid(q.unit.trim()) ? q.unit.trim() : undefined;
  const recommendation = oneOf(['keep', 'disable'] as const, q.recommendation);
  const inactiveDays = int(q.inactiveDays);
  const undecided = q.undecided === 'true';
  return {
    f: { unit, recommendation, inactiveDays, undecided },
    query: { unit: unit ?? '', recommendation: recommendation ?? '', inactiveDays: inactiveDays ? String(inactiveDays) : '', undecided: undecided ? 'true' : '' },
  };
}

const DONE: Record<string, MessageKey> = { decided: 'campaign.decided' };

export function campaignRoutes(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);

  const listPage = async (req: FastifyRequest, reply: FastifyReply, actor: Actor, extra: { error?: MessageKey; form?: Record<string, string> } = {}, status = 200) => {
    const lists = await campaignsOf(deps, actor);
    const canDefine = !scopeIsEmpty(scopeFor(actor, 'account.state'));
    return page(req, reply, (ctx) => <CampaignsPage ctx={ctx} v={{ ...lists, canDefine, ...extra }} />, status);
  };

  const runPage = async (req: FastifyRequest, reply: FastifyReply, actor: Actor, id: number, q: Record<string, string | undefined>, extra: Partial<RunView> = {}, status = 200) => {
    const { f, query } = filterOf(q);
    const pageNo = Math.min(100_000, Math.max(1, int(q.page) ?? 1));
    const r = await reviewItems(deps, actor, id, f, pageNo, PAGE_SIZE);
    const all = await rolesWithSystems(deps.db);
    const used = new Set(r.items.flatMap((i) => i.roles));
    const roles = all.filter((x) => used.has(x.code)).map((x) => ({ code: x.code, label: req.ctx.lang === 'en' ? `${x.system_en}: ${x.name_en}` : `${x.system_zh}：${x.name_zh}` }));
    const canDecide = !scopeIsEmpty(scopeFor(actor, 'account.state'));
    const canSign = authorize(actor, 'account.state', { oid: r.run.scope_oid });
    // A signer with a registered card may sign with it (AUTH-8): the text names the decisions as they stand.
    const certText = canSign && r.run.state === 'open' && (await listCertificates(deps, actor.accountId)).length > 0 ? (await certificateSignText(deps, actor, id)).tbs : undefined;
    const done = DONE[q.done ?? ''];
    const v: RunView = { r, query, page: pageNo, pageSize: PAGE_SIZE, roles, canDecide, canSign, certText, done, doneVars: { n: r.progress.decided }, signerName: r.run.signer_name, ...extra };
    return page(req, reply, (ctx) => <CampaignRunPage ctx={ctx} v={v} />, status);
  };

  /** Refusals a form shows on its page; anything else (not found) goes to the error handler. */
  const refusal = (e: unknown): HttpError | null => (e instanceof HttpError && [403, 409, 422].includes(e.status) ? e : null);

  app.get('/admin/campaigns', { schema: { querystring: NoQuery(), response: PAGE } }, async (req, reply) => listPage(req, reply, await actorOf(deps, req)));

  app.post('/admin/campaigns', { schema: { body: definitionForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    const b = req.body;
    const form = { name: b.name ?? '', scopeOid: (b.scopeOid ?? '').trim(), systemCode: b.systemCode ?? '', inactiveDays: b.inactiveDays ?? '', recurrence: b.recurrence ?? '', deadlineDays: b.deadlineDays ?? '', defaultAction: b.defaultAction ?? '', attestation: b.attestation === 'true' ? 'true' : '' };
    const inactiveDays = form.inactiveDays.trim() ? int(form.inactiveDays.trim()) ?? -1 : null;
    try {
      await defineCampaign(deps, actor, {
        name: form.name, scopeOid: form.scopeOid, systemCode: form.systemCode || null, inactiveDays,
        recurrence: oneOf(RECURRENCES, form.recurrence) ?? 'one_off' as Recurrence, deadlineDays: int(form.deadlineDays.trim()) ?? -1,
        defaultAction: oneOf(DEFAULT_ACTIONS, form.defaultAction) ?? 'no_change' as DefaultAction, attestation: form.attestation === 'true',
      }, clientIp(req));
    } catch (e) {
      const r = refusal(e);
      if (!r) throw e;
      return listPage(req, reply, actor, { error: r.messageKey, form }, r.status);
    }
    return reply.redirect('/admin/campaigns', 303);
  });

  app.post('/admin/campaigns/:id/start', { schema: { params: idParams, body: FormBody({}), response: FORM_PAGE } }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    try {
      const r = await startNow(deps, actor, req.params.id, clientIp(req));
      return reply.redirect(`/admin/campaigns/runs/${r.runId}`, 303);
    } catch (e) {
      const r = refusal(e);
      if (!r) throw e;
      return listPage(req, reply, actor, { error: r.messageKey }, r.status);
    }
  });

  app.get('/admin/campaigns/runs/:id', { schema: { params: idParams, querystring: runQuery, response: PAGE } }, async (req, reply) =>
    runPage(req, reply, await actorOf(deps, req), req.params.id, req.query));

  app.post('/admin/campaigns/runs/:id/decide', { schema: { params: idParams, body: decideForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    const b = req.body;
    const { f, query } = filterOf(b);
    const accountId = b.accountId && /^\d{1,15}$/.test(b.accountId.trim()) ? Number(b.accountId.trim()) : undefined;
    try {
      const decision = oneOf(DECISIONS, b.decision);
      if (!decision) throw new HttpError(422, 'campaign.noneSelected');
      if (b.bulk !== '1' && accountId === undefined) throw new HttpError(422, 'campaign.noneSelected');
      await decide(deps, actor, req.params.id, {
        decision: decision as Decision, role: b.role, reason: b.reason, ...(b.bulk === '1' ? { filter: f } : { accountIds: [accountId!] }),
      }, clientIp(req));
    } catch (e) {
      const r = refusal(e);
      if (!r) throw e;
      return runPage(req, reply, actor, req.params.id, query, { error: r.messageKey }, r.status);
    }
    return reply.redirect(`/admin/campaigns/runs/${req.params.id}?${new URLSearchParams({ ...Object.fromEntries(Object.entries(query).filter(([, v]) => v)), done: 'decided' })}`, 303);
  });

  app.post('/admin/campaigns/runs/:id/sign-off/certificate', {
    schema: { params: idParams, body: FormBody({ tbs: Field(300), format: Field(10), signature: Field(40_000), certificate: Field(20_000) }), response: FORM_PAGE },
  }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    const b = req.body;
    try {
      await signOffByCertificate(deps, actor, req.params.id, { tbs: b.tbs ?? '', format: b.format === 'pkcs1' ? 'pkcs1' : 'pkcs7', signature: (b.signature ?? '').replace(/\s+/g, ''), certificate: b.certificate?.replace(/\s+/g, '') || undefined }, clientIp(req));
    } catch (e) {
      const r = refusal(e);
      if (!r) throw e;
      return runPage(req, reply, actor, req.params.id, {}, { error: r.messageKey }, r.status);
    }
    return reply.redirect(`/admin/campaigns/runs/${req.params.id}`, 303);
  });

  app.post('/admin/campaigns/runs/:id/sign-off', { schema: { params: idParams, body: signForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    try {
      await signOff(deps, actor, req.params.id, req.body.password ?? '', clientIp(req));
    } catch (e) {
      const r = refusal(e);
      if (!r) throw e;
      return runPage(req, reply, actor, req.params.id, {}, { error: r.messageKey }, r.status);
    }
    return reply.redirect(`/admin/campaigns/runs/${req.params.id}`, 303);
  });

  for (const which of ['report', 'form'] as const) {
    app.get(`/admin/campaigns/runs/:id/${which}.pdf`, {
      schema: { params: idParams, querystring: NoQuery(), response: { ...PAGE, 409: Type.String(), 200: Type.Unsafe<Buffer>(Type.String({ description: which === 'report' ? 'The signed review report (application/pdf)' : 'The D-06-20 form (application/pdf)' })) } },
    }, async (req, reply) => {
      const r = await campaignPdf(deps, await actorOf(deps, req), req.params.id, which);
      return reply.type('application/pdf').header('x-report-sha256', r.sha256)
        .header('content-disposition', `attachment; filename="account-review-${req.params.id}-${which === 'report' ? 'report' : 'D-06-20'}.pdf"`).send(r.pdf);
    });
  }

  app.get('/admin/campaigns/runs/:id/report.csv', {
    schema: { params: idParams, querystring: NoQuery(), response: { ...PAGE, 409: Type.String(), 200: Type.String({ description: 'The stored review report (text/csv)' }) } },
  }, async (req, reply) => {
    const r = await campaignReport(deps, await actorOf(deps, req), req.params.id);
    return reply.type('text/csv; charset=utf-8').header('x-report-sha256', r.sha256)
      .header('content-disposition', `attachment; filename="account-review-${req.params.id}.csv"`).send(r.csv);
  });
}
