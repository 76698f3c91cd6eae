// HTTP for one sub-account on the main-account holder's pages (ACC-7, ADM-5; issue 9 item 13):
// the page, 編輯子帳號, 編報站權限 and the set-password link. Read the form, call one use case
// (which authorizes), then POST-redirect-GET, or the page again with its errors.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requireSession, loadActor } from '../access/actor.ts';
import { notFound } from '../platform/http/errors.ts';
import type { MessageKey } from '../platform/web/messages.ts';
import { authorize, type Actor } from '../access/authorize.ts';
import { recoveryFacts, recoveryFor } from '../admin/password-recovery.ts';
import { reachableTenant, type Tenant } from './tenant-accounts.ts';
import { SUB_EDIT_FIELDS, sendSubAccountLink, setSubAccountRoles, subAccountDetail, updateSubAccount, type SubEditInput } from './tenant-sub-account.ts';
import { SubAccountPage, type SubAccountView } from './views/tenant-sub-account.tsx';

type Form = Record<string, unknown>;
const str = (v: unknown, max = 100): string => (typeof v === 'string' ? v.slice(0, max) : '');
const positive = (v: unknown): number => (typeof v === 'string' && /^[1-9]\d{0,8}$/.test(v) ? Number(v) : 0);
const count = (v: unknown): number => (typeof v === 'string' && /^\d{1,3}$/.test(v) ? Number(v) : 0);

/** `done` values the page announces after a redirect; any other value shows nothing. */
const DONE: Record<string, MessageKey> = {
  saved: 'tenant.sub.saved', unchanged: 'tenant.sub.unchanged', roles: 'tenant.sub.rolesSaved', link: 'tenant.sub.linkSent',
};

export function tenantSubAccountRoutes(app: FastifyInstance, deps: Deps): void {
  const actorOf = (req: FastifyRequest) => loadActor(deps, requireSession(req).accountId);
  const idOf = (raw: string) => { const id = positive(raw); if (!id) throw notFound(); return id; };

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

  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>('/tenant/accounts/:id', async (req, reply) => {
    const actor = await actorOf(req);
    const tenant = await reachableTenant(deps.db, actor, str(req.query.tenant, 20));
    const id = idOf(req.params.id);
    const done = DONE[req.query.done ?? ''];
    const d = done ? await subAccountDetail(deps, actor, tenant, id) : undefined;
    const info = done && d ? req.ctx.t(done, { username: d.account.username, added: count(req.query.a), removed: count(req.query.r) }) : undefined;
    return subPage(req, reply, actor, tenant, id, { info });
  });

  app.post<{ Params: { id: string }; Body: Form }>('/tenant/accounts/:id', async (req, reply) => {
    const actor = await actorOf(req);
    const b = req.body ?? {};
    const tenant = await reachableTenant(deps.db, actor, str(b.tenant, 20));
    const id = idOf(req.params.id);
    const values = Object.fromEntries(SUB_EDIT_FIELDS.map((f) => [f, str(b[f], f === 'email' ? 254 : 100)])) as SubEditInput;
    const r = await updateSubAccount(deps, actor, tenant, id, values, clientIp(req));
    if (!r.ok) return subPage(req, reply, actor, tenant, id, { values, errors: r.errors }, 422);
    return back(reply, tenant, id, r.changed.length ? 'saved' : 'unchanged');
  });

  app.post<{ Params: { id: string }; Body: Form }>('/tenant/accounts/:id/roles', async (req, reply) => {
    const actor = await actorOf(req);
    const b = req.body ?? {};
    const tenant = await reachableTenant(deps.db, actor, str(b.tenant, 20));
    const id = idOf(req.params.id);
    const wanted = [b.roles].flat().filter((x): x is string => typeof x === 'string').map((x) => x.slice(0, 100)).slice(0, 500);
    const r = await setSubAccountRoles(deps, actor, tenant, id, wanted, clientIp(req));
    return back(reply, tenant, id, 'roles', `&a=${r.added.length}&r=${r.removed.length}`);
  });

  app.post<{ Params: { id: string }; Body: Form }>('/tenant/accounts/:id/resend-mail', async (req, reply) => {
    const actor = await actorOf(req);
    const b = req.body ?? {};
    const tenant = await reachableTenant(deps.db, actor, str(b.tenant, 20));
    const id = idOf(req.params.id);
    const r = await sendSubAccountLink(deps, actor, tenant, id, clientIp(req), req.ctx.lang);
    if (!r.ok) return subPage(req, reply, actor, tenant, id, { error: req.ctx.t(r.error as MessageKey) }, 409);
    return back(reply, tenant, id, 'link');
  });
}
