// HTTP for one sub-account on the main-account holder's pages (ACC-7, ADM-5; issue 9 item 13):
// the page, 編輯子帳號, 編報站權限 and the set-password link. Read the form, call one use case
// (which authorizes), then POST-redirect-GET, or the page again with its errors.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requireSession, loadActor } from '../access/actor.ts';
import { notFound } from '../platform/http/errors.ts';
import { typed, Type, Closed, Id, Field, FieldList, FormBody, Query, FORM_PAGE, PAGE } from '../platform/http/contract.ts';
import type { MessageKey } from '../platform/web/messages.ts';
import { authorize, type Actor } from '../access/authorize.ts';
import { recoveryFacts, recoveryFor } from '../admin/password-recovery.ts';
import { reachableTenant, type Tenant } from './tenant-accounts.ts';
import {
  SUB_EDIT_FIELDS, sendSubAccountLink, setSubAccountRoles, subAccountDetail, updateSubAccount, type SubEditField, type SubEditInput,
} from './tenant-sub-account.ts';
import { SubAccountPage, type SubAccountView } from './views/tenant-sub-account.tsx';

// What the URLs and forms carry (issue 10: bounded by the schema, not sliced by hand).
const ID = Closed({ id: Id() });
/** The tenant (school) the page belongs to, by its code. */
const TENANT = { tenant: Field(20) };
const EDIT = Object.fromEntries(SUB_EDIT_FIELDS.map((f) => [f, Field(f === 'email' ? 254 : 100)])) as Record<SubEditField, ReturnType<typeof Field>>;
/** How many roles a save added or removed, for the notice after the redirect. */
const Count = () => Type.Optional(Type.Integer({ minimum: 0, maximum: 999 }));

/** `done` values the page announces after a redirect; any other value shows nothing. */
const DONE: Record<string, MessageKey> = {
  saved: 'tenant.sub.saved', unchanged: 'tenant.sub.unchanged', roles: 'tenant.sub.rolesSaved', link: 'tenant.sub.linkSent',
};

export function tenantSubAccountRoutes(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);
  const actorOf = (req: FastifyRequest) => loadActor(deps, requireSession(req).accountId);

  const subPage = async (req: FastifyRequest, reply: FastifyReply, actor: Actor, tenant: Tenant, id: number, extra: Partial<SubAccountView> = {}, status = 200) => {
    const d = await subAccountDetail(deps, actor, tenant, id);
    const a = d.account;
    const oid = { oid: a.unit_oid };
    const isSelf = a.id === actor.accountId;
    const text = (x: string | null) => x ?? '';
    const recovery = recoveryFor(d.policy['initialPassword.scheme'], recoveryFacts(a));
    const v: SubAccountView = {
      tenant, account: { id: a.id, username: a.username, name: a.name, state: a.state, isHolder: d.isHolder, isSelf },
      values: { name: a.name, department: text(a.department), title: text(a.title), officePhone: text(a.office_phone), officeExt: text(a.office_ext), email: text(a.email) },
      grantable: d.grantable, otherHeld: d.otherHeld.length, recovery, domains: d.policy['email.allowedDomains'].join('、') || '—',
      can: {
        edit: authorize(actor, 'account.update', oid) && !isSelf,
        roles: true,
        // Only what can work: the first link while waiting, a new one where links are the scheme (issue 9 item 12).
        link: authorize(actor, 'account.resendMail', oid) && Boolean(a.email)
          && (a.state === 'not_activated' || (a.state === 'enabled' && recovery === 'set_password_link')),
        disable: authorize(actor, 'account.state', oid) && !d.isHolder && !isSelf && a.state !== 'disabled',
      },
      ...extra,
    };
    return page(req, reply, (ctx) => <SubAccountPage ctx={ctx} v={v} />, status);
  };
  const back = (reply: FastifyReply, tenant: Tenant, id: number, done: string, q = '') => reply.redirect(`/tenant/accounts/${id}?tenant=${tenant.code}&done=${done}${q}`, 303);

  app.get('/tenant/accounts/:id', {
    schema: { params: ID, querystring: Query({ ...TENANT, done: Field(20), a: Count(), r: Count() }), response: PAGE },
  }, async (req, reply) => {
    const actor = await actorOf(req);
    const tenant = await reachableTenant(deps.db, actor, req.query.tenant ?? '');
    const id = req.params.id;
    const done = Object.hasOwn(DONE, req.query.done ?? '') ? DONE[req.query.done!] : undefined;
    const d = done ? await subAccountDetail(deps, actor, tenant, id) : undefined;
    const info = done && d ? req.ctx.t(done, { username: d.account.username, added: req.query.a ?? 0, removed: req.query.r ?? 0 }) : undefined;
    return subPage(req, reply, actor, tenant, id, { info });
  });

  app.post('/tenant/accounts/:id', { schema: { params: ID, body: FormBody({ ...TENANT, ...EDIT }), response: FORM_PAGE } }, async (req, reply) => {
    const actor = await actorOf(req);
    const b = req.body;
    const tenant = await reachableTenant(deps.db, actor, b.tenant ?? '');
    const id = req.params.id;
    const values = Object.fromEntries(SUB_EDIT_FIELDS.map((f) => [f, b[f] ?? ''])) as SubEditInput;
    const r = await updateSubAccount(deps, actor, tenant, id, values, clientIp(req));
    if (!r.ok) return subPage(req, reply, actor, tenant, id, { values, errors: r.errors }, 422);
    return back(reply, tenant, id, r.changed.length ? 'saved' : 'unchanged');
  });

  app.post('/tenant/accounts/:id/roles', {
    schema: { params: ID, body: FormBody({ ...TENANT, roles: FieldList(500, 100) }), response: PAGE },
  }, async (req, reply) => {
    const actor = await actorOf(req);
    const tenant = await reachableTenant(deps.db, actor, req.body.tenant ?? '');
    const id = req.params.id;
    const wanted = req.body.roles ?? [];
    const r = await setSubAccountRoles(deps, actor, tenant, id, wanted, clientIp(req));
    return back(reply, tenant, id, 'roles', `&a=${r.added.length}&r=${r.removed.length}`);
  });

  app.post('/tenant/accounts/:id/resend-mail', { schema: { params: ID, body: FormBody(TENANT), response: FORM_PAGE } }, async (req, reply) => {
    const actor = await actorOf(req);
    const tenant = await reachableTenant(deps.db, actor, req.body.tenant ?? '');
    const id = req.params.id;
    const r = await sendSubAccountLink(deps, actor, tenant, id, clientIp(req), req.ctx.lang);
    if (!r.ok) return subPage(req, reply, actor, tenant, id, { error: req.ctx.t(r.error as MessageKey) }, 409);
    return back(reply, tenant, id, 'link');
  });
}
