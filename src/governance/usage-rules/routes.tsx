// HTTP of account usage rules (seed 002 五(七)): /account/usage-rules (read and accept; where a
// session that owes an acceptance is sent) and /orgs/:oid/usage-rules (the central authority
// publishes a node's next version and sees how many accepted the current one).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { page, clientIp } from '../../platform/http/pages.ts';
import { safeNext } from '../../platform/http/context.ts';
import { loadActor, requireSession } from '../../access/actor.ts';
import { typed, Closed, Field, FormBody, Query, Text, PAGE, FORM_PAGE } from '../../platform/http/contract.ts';
import { acceptRules, publishRules, rulesForSession, subtreeRules } from './service.ts';
import { ManageRulesPage, UsageRulesPage, type ManageView } from './page.tsx';

const oidParams = Closed({ oid: Text(200) });
const nextQuery = Query({ next: Field(2000), done: Field(20) });
const publishForm = FormBody({ title: Field(300), body: Field(25_000) });

export function usageRuleRoutes(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);

  app.get('/account/usage-rules', { schema: { querystring: nextQuery, response: PAGE } }, async (req, reply) => {
    const s = requireSession(req);
    const rules = await rulesForSession(deps, s);
    return page(req, reply, (ctx) => <UsageRulesPage ctx={ctx} rules={rules} next={req.query.next ? safeNext(req.query.next) : undefined} />);
  });

  app.post('/account/usage-rules', { schema: { body: FormBody({ next: Field(2000) }), response: FORM_PAGE } }, async (req, reply) => {
    const s = requireSession(req);
    await acceptRules(deps, s, clientIp(req));
    return reply.redirect(req.body.next ? safeNext(req.body.next) : '/', 303);
  });

  const managePage = async (req: FastifyRequest, reply: FastifyReply, oid: string, extra: Partial<ManageView> = {}, status = 200) => {
    const actor = await loadActor(deps, requireSession(req).accountId);
    const r = await subtreeRules(deps, actor, oid);
    const v: ManageView = { org: { oid: r.org.oid, name: r.org.name }, versions: r.versions, counts: r.counts, ...extra };
    return page(req, reply, (ctx) => <ManageRulesPage ctx={ctx} v={v} />, status);
  };

  app.get('/orgs/:oid/usage-rules', { schema: { params: oidParams, querystring: nextQuery, response: PAGE } }, async (req, reply) => {
    const v = Number.parseInt(req.query.done ?? '', 10);
    return managePage(req, reply, req.params.oid, Number.isInteger(v) && v > 0 ? { info: req.ctx.t('usageRules.published', { version: v }) } : {});
  });

  app.post('/orgs/:oid/usage-rules', { schema: { params: oidParams, body: publishForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await loadActor(deps, requireSession(req).accountId);
    const values = { title: req.body.title ?? '', body: (req.body.body ?? '').replace(/\r\n/g, '\n') };
    const r = await publishRules(deps, actor, req.params.oid, values, clientIp(req));
    if (!r.ok) return managePage(req, reply, req.params.oid, { form: { values, problems: r.problems } }, 422);
    return reply.redirect(`/orgs/${req.params.oid}/usage-rules?done=${r.version}`, 303);
  });
}
