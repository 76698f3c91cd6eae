// 管理授權 pages under /admin/grants (ADM-1, ADM-2, ADM-7, seed 001): list and filter, give, revoke
// with confirmation. HTTP only: read the form, call the service (which authorizes), then redirect
// (POST-redirect-GET) or show the form again with its errors. Every page works without JavaScript.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { notFound } from '../platform/http/errors.ts';
import { typed, NoQuery } from '../platform/http/contract.ts';
import { isValidOid, isWithin } from '../orgs/oid.ts';
import { findAccountByUsername } from '../accounts/store.ts';
import { authorize, GRANT_KINDS, scopeIsEmpty, type Actor } from '../access/authorize.ts';
import { accountFor } from './accounts.ts';
import { createGrant, GrantInputError, revokeGrant } from './grants.ts';
import {
  categoryLabels, givableCategories, givableKinds, grantInScope, grantScope, listGrants, resolveOrg,
} from './grant-directory.ts';
import { orgLabel } from '../orgs/store.ts';
import { pageActor } from './account-pages.tsx';
import { GrantsPage, type GrantsView } from './views/grants.tsx';
import { GrantNewPage, type GrantFormValues, type GrantFormView } from './views/grant-new.tsx';
import { GrantRevokePage } from './views/grant-revoke.tsx';
import { ButtonForm, FORM_PAGE, GrantForm, GrantsQuery, IdParams, NewGrantQuery, PAGE } from './page-schemas.ts';

const PAGE_SIZE = 20;

const labelsFor = (deps: Deps, req: FastifyRequest) => categoryLabels(deps.db, req.ctx.lang, req.ctx.t('grant.allCategories'));

export function grantPages(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);
  app.get('/admin/grants', { schema: { querystring: GrantsQuery, response: PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    if (scopeIsEmpty(grantScope(actor))) throw notFound();
    const query = { kind: req.query.kind ?? '', jurisdiction: (req.query.jurisdiction ?? '').trim() };
    // An unknown kind filters nothing, as the select offers no such choice.
    const kind = (GRANT_KINDS as readonly string[]).includes(query.kind) ? query.kind : '';
    const pageNo = req.query.page;
    const v: GrantsView = { query: { ...query, kind }, kinds: [...GRANT_KINDS], labels: await labelsFor(deps, req), canGive: givableKinds(actor).length > 0 };
    if (query.jurisdiction && !isValidOid(query.jurisdiction)) v.error = 'grant.error.badFilter';
    else {
      const r = await listGrants(deps, actor, { kind: kind || undefined, jurisdiction: query.jurisdiction || undefined, page: pageNo, pageSize: PAGE_SIZE });
      v.result = { total: r.total, page: pageNo, pageSize: PAGE_SIZE, rows: r.items };
    }
    if (req.query.done === 'revoked' && (GRANT_KINDS as readonly string[]).includes(req.query.k ?? '')) {
      v.done = 'grant.revoked'; v.doneVars = { kind: req.ctx.t(`admin.kind.${req.query.k as (typeof GRANT_KINDS)[number]}`) };
    }
    if (req.query.done === 'given' && req.query.g !== undefined) {
      const g = await grantInScope(deps, actor, req.query.g).catch(() => undefined);
      if (g) { v.done = 'grant.given'; v.doneVars = { name: g.name, username: g.username, kind: req.ctx.t(`admin.kind.${g.kind}`), org: await orgLabel(deps.db, g.jurisdictionOid) }; }
    }
    return page(req, reply, (ctx) => <GrantsPage ctx={ctx} v={v} />, v.error ? 400 : 200);
  });

  const formPage = async (req: FastifyRequest, reply: FastifyReply, actor: Actor, values: GrantFormValues, extra: Partial<GrantFormView> = {}, status = 200) => {
    const kinds = givableKinds(actor);
    if (kinds.length === 0) throw notFound();
    const labels = await labelsFor(deps, req);
    const categories = (await givableCategories(deps.db, actor)).map((code) => ({ code, label: labels.get(code) ?? code }));
    const scope = grantScope(actor);
    const roots = scope.all ? [] : await Promise.all(scope.roots.map((r) => orgLabel(deps.db, r)));
    return page(req, reply, (ctx) => <GrantNewPage ctx={ctx} v={{ values, kinds, categories, roots, ...extra }} />, status);
  };

  const empty: GrantFormValues = { username: '', kind: '', jurisdiction: '', categories: [] };

  // From an account's page (?account=ID) the holder is filled in and named in the title.
  app.get('/admin/grants/new', { schema: { querystring: NewGrantQuery, response: PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    if (req.query.account === undefined) return formPage(req, reply, actor, empty);
    const a = await accountFor(deps, actor, req.query.account, 'account.view');
    return formPage(req, reply, actor, { ...empty, username: a.username }, { holder: { name: a.name, username: a.username } });
  });

  app.post('/admin/grants', { schema: { body: GrantForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const b = req.body;
    const values: GrantFormValues = { username: (b.username ?? '').trim(), kind: b.kind ?? '', jurisdiction: (b.jurisdiction ?? '').trim(), categories: b.categories ?? [] };
    const errors: GrantFormView['errors'] = {};
    // Unknown, deleted and out-of-reach accounts and organisations get the same answer (no enumeration).
    const holder = values.username ? await findAccountByUsername(deps.db, values.username) : undefined;
    if (!holder || holder.state === 'deleted' || !authorize(actor, 'account.view', { oid: holder.unit_oid })) errors.account = { key: 'grant.error.accountUnknown' };
    const org = await resolveOrg(deps.db, values.jurisdiction);
    const scope = grantScope(actor);
    if (!org || !(scope.all || scope.roots.some((r) => isWithin(org.oid, r)))) errors.jurisdiction = { key: 'grant.error.orgUnknown' };
    if (!givableKinds(actor).some((k) => k === values.kind)) errors.kind = { key: 'grant.error.kindNotYours' };
    if (Object.keys(errors).length) return formPage(req, reply, actor, values, { errors }, 422);
    try {
      const id = await createGrant(deps, actor, { accountId: holder!.id, kind: values.kind, jurisdictionOid: org!.oid, categories: values.categories }, clientIp(req), req.ctx.lang);
      return reply.redirect(`/admin/grants?done=given&g=${id}`, 303);
    } catch (e) {
      if (!(e instanceof GrantInputError)) throw e;
      return formPage(req, reply, actor, values, { errors: { [e.field]: { key: e.key, vars: e.vars } } }, 422);
    }
  });

  app.get('/admin/grants/:id/revoke', { schema: { params: IdParams, querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const g = await grantInScope(deps, actor, req.params.id);
    if (!g.canRevoke) throw notFound();
    const labels = await labelsFor(deps, req);
    return page(req, reply, (ctx) => <GrantRevokePage ctx={ctx} g={g} labels={labels} />);
  });

  app.post('/admin/grants/:id/revoke', { schema: { params: IdParams, body: ButtonForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const g = await revokeGrant(deps, actor, req.params.id, clientIp(req), req.ctx.lang);
    return reply.redirect(`/admin/grants?done=revoked&k=${g.kind}`, 303);
  });
}
