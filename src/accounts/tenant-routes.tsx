// HTTP for set-password links (AUTH-4, ACC-7), tenant sub-accounts (ACC-7, ACC-10), main-account
// transfer (ACC-8) and the public holder look-up (ACC-9).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requireSession, loadActor } from '../access/actor.ts';
import { notFound } from '../platform/http/errors.ts';
import { typed, Type, Closed, Id, PageNo, Field, FormBody, Query, NoQuery, Text, PAGE, FORM_PAGE } from '../platform/http/contract.ts';
import { issueCaptcha, checkCaptcha } from '../platform/captcha.ts';
import { authorize, type Actor } from '../access/authorize.ts';
import { effectivePolicyFor } from '../orgs/store.ts';
import { isWithin } from '../orgs/oid.ts';
import { accountNotice } from './store.ts';
import { activateWithLink, findLiveLink, resendSetPasswordLink, RESEND_LINK_COOLDOWN_MS, SET_PASSWORD_LINK_TTL_MS } from './set-password-link.ts';
import {
  createSubAccount, disableSubAccount, heldTenants, listTenantAccounts, lookUpHolders, reachableTenant, successorCandidates,
  transferMainAccount, TENANT_PAGE_SIZE, type SubAccountField, type SubAccountInput, type Tenant,
} from './tenant-accounts.ts';
import { hasChosenPassword } from '../auth/store.ts';
import { ActivatePage, ResendPage, type ActivateView, type ResendView } from './views/activate.tsx';
import { HolderPage, type HolderView } from './views/tenant-holder.tsx';
import { TenantAccountsPage, TenantPickPage, TransferDonePage, type TenantAccountsView } from './views/tenant-accounts.tsx';

const HOURS = SET_PASSWORD_LINK_TTL_MS / 3_600_000;
const FIELDS: SubAccountField[] = ['username', 'name', 'nationalId', 'email', 'department', 'title', 'officePhone', 'officeExt'];

// What the forms carry (issue 10: bounded by the schema, not sliced by hand).
const CAPTCHA = { captchaId: Field(64), captcha: Field(12) };
/** The tenant (school) a form or link names, by its code. */
const TENANT = { tenant: Field(20) };
const SUB_ACCOUNT = Object.fromEntries(FIELDS.map((f) => [f, Field(f === 'email' ? 254 : 100)])) as Record<SubAccountField, ReturnType<typeof Field>>;
const Token = Closed({ token: Text(200) });

export function tenantRoutes(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);
  const captcha = () => (deps.config.captchaEnabled ? issueCaptcha(deps.db, deps.clock.now(), deps.captchaCode()) : Promise.resolve(undefined));
  const captchaOk = (b: { captchaId?: string; captcha?: string }) =>
    !deps.config.captchaEnabled || checkCaptcha(deps.db, deps.clock.now(), b.captchaId ?? '', b.captcha ?? '');

  // ---- Set-password link (public: the token is the credential) ----
  const activatePage = (req: FastifyRequest, reply: FastifyReply, v: ActivateView, status = 200) =>
    page(req, reply, (ctx) => <ActivatePage ctx={ctx} v={v} />, status);
  const invalid = (req: FastifyRequest, reply: FastifyReply) => activatePage(req, reply, { kind: 'invalid', hours: HOURS }, 404);

  const resendPage = async (req: FastifyRequest, reply: FastifyReply, v: ResendView, status = 200) => {
    const c = await captcha();
    return page(req, reply, (ctx) => <ResendPage ctx={ctx} v={{ ...v, captcha: c }} />, status);
  };

  app.get('/activate/resend', { schema: { querystring: NoQuery(), response: PAGE } }, async (req, reply) => resendPage(req, reply, {}));

  app.post('/activate/resend', {
    schema: { body: FormBody({ name: Field(100), username: Field(100), email: Field(254), ...CAPTCHA }), response: FORM_PAGE },
  }, async (req, reply) => {
    const b = req.body;
    const v = { name: (b.name ?? '').trim(), username: (b.username ?? '').trim(), email: (b.email ?? '').trim() };
    if (!v.name || !v.username || !v.email) return resendPage(req, reply, { ...v, error: req.ctx.t('error.badRequest') }, 400);
    const ok = await resendSetPasswordLink(deps, { ...v, captchaId: b.captchaId ?? '', captcha: b.captcha ?? '', ip: clientIp(req), lang: req.ctx.lang });
    if (!ok) return resendPage(req, reply, { ...v, error: req.ctx.t('login.captchaWrong') }, 400);
    // The same page, status and text whether or not the details matched an account.
    return resendPage(req, reply, { info: req.ctx.t('activate.resendSent', { hours: HOURS, seconds: RESEND_LINK_COOLDOWN_MS / 1000 }) });
  });

  app.get('/activate', { schema: { querystring: Query({ done: Field(10) }), response: PAGE } }, async (req, reply) =>
    req.query.done === '1' ? activatePage(req, reply, { kind: 'done' }) : invalid(req, reply));

  const formFor = async (token: string) => {
    const link = await findLiveLink(deps, token, deps.clock.now());
    if (!link) return undefined;
    const { policy } = await effectivePolicyFor(deps.db, link.unit_oid);
    return { kind: 'form' as const, token, name: link.name, username: link.username, policy, hasHistory: await hasChosenPassword(deps.db, link.id) };
  };

  app.get('/activate/:token', { schema: { params: Token, querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const v = await formFor(req.params.token);
    return v ? activatePage(req, reply, v) : invalid(req, reply);
  });

  app.post('/activate/:token', {
    schema: { params: Token, body: FormBody({ next: Field(256), confirm: Field(256) }), response: FORM_PAGE },
  }, async (req, reply) => {
    const b = req.body;
    const r = await activateWithLink(deps, { token: req.params.token, next: b.next ?? '', confirm: b.confirm ?? '', ip: clientIp(req) });
    if (r.ok) return reply.redirect('/activate?done=1', 303);
    if (r.invalid) return invalid(req, reply);
    const v = await formFor(req.params.token);
    return v ? activatePage(req, reply, { ...v, errors: r.errors }, 422) : invalid(req, reply);
  });

  // ---- Public holder look-up (ACC-9) ----
  const holderPage = async (req: FastifyRequest, reply: FastifyReply, v: HolderView, status = 200) => {
    const c = await captcha();
    return page(req, reply, (ctx) => <HolderPage ctx={ctx} v={{ ...v, captcha: c }} />, status);
  };

  app.get('/tenant/holder', { schema: { querystring: NoQuery(), response: PAGE } }, async (req, reply) => holderPage(req, reply, {}));

  app.post('/tenant/holder', { schema: { body: FormBody({ code: Field(20), ...CAPTCHA }), response: FORM_PAGE } }, async (req, reply) => {
    const b = req.body;
    const code = (b.code ?? '').trim();
    if (!code) return holderPage(req, reply, { error: req.ctx.t('error.badRequest') }, 400);
    if (!(await captchaOk(b))) return holderPage(req, reply, { code, error: req.ctx.t('login.captchaWrong') }, 400);
    const result = await lookUpHolders(deps.db, code);
    return holderPage(req, reply, result ? { code, result } : { code, none: true });
  });

  // ---- The holder's sub-account page (ACC-7, ACC-8, ACC-10) ----
  /** The tenant of the request: named by `code`, else the only one the actor holds. */
  async function tenantOf(actor: Actor, code: string): Promise<Tenant | Tenant[]> {
    if (code) return reachableTenant(deps.db, actor, code);
    const held = await heldTenants(deps.db, actor);
    if (held.length === 0) throw notFound();
    // The default still goes through `authorize`, like a tenant named in the request.
    return held.length === 1 ? reachableTenant(deps.db, actor, held[0].code) : held;
  }

  const accountsPage = async (req: FastifyRequest, reply: FastifyReply, actor: Actor, tenant: Tenant,
    extra: Partial<TenantAccountsView> = {}, status = 200, pageNo = 1) => {
    const [list, { policy }, successors] = await Promise.all([
      listTenantAccounts(deps, actor, tenant, pageNo), effectivePolicyFor(deps.db, tenant.oid), successorCandidates(deps, actor, tenant),
    ]);
    const v: TenantAccountsView = {
      tenant, list, page: pageNo, pageSize: TENANT_PAGE_SIZE, allowedDomains: policy['email.allowedDomains'],
      nationalIdRequired: policy['nationalId.required'], successors,
      canTransfer: authorize(actor, 'tenant.transferMain', { oid: tenant.oid }) && actor.grants.some((g) => g.kind === 'main_account' && g.jurisdictionOid === tenant.oid),
      ...extra,
    };
    return page(req, reply, (ctx) => <TenantAccountsPage ctx={ctx} v={v} />, status);
  };

  /** After a redirect: the account named by id, read only when the actor may see it. */
  const noticeFor = async (actor: Actor, tenant: Tenant, id: number | undefined) => {
    if (!id) return undefined;
    const a = await accountNotice(deps.db, id);
    return a && isWithin(a.unit_oid, tenant.oid) && authorize(actor, 'account.view', { oid: a.unit_oid }) ? a : undefined;
  };

  app.get('/tenant/accounts', {
    schema: { querystring: Query({ ...TENANT, created: Type.Optional(Id()), disabled: Type.Optional(Id()), page: Type.Optional(PageNo()) }), response: PAGE },
  }, async (req, reply) => {
    const actor = await loadActor(deps, requireSession(req).accountId);
    const tenant = await tenantOf(actor, req.query.tenant ?? '');
    if (Array.isArray(tenant)) return page(req, reply, (ctx) => <TenantPickPage ctx={ctx} tenants={tenant} />);
    const created = await noticeFor(actor, tenant, req.query.created);
    const disabled = await noticeFor(actor, tenant, req.query.disabled);
    const t = req.ctx.t;
    const info = created ? t('tenant.created', { username: created.username, email: created.email ?? '' })
      : disabled ? t('tenant.disabled', { username: disabled.username }) : undefined;
    return accountsPage(req, reply, actor, tenant, { info }, 200, req.query.page);
  });

  app.post('/tenant/accounts', { schema: { body: FormBody({ ...TENANT, ...SUB_ACCOUNT }), response: FORM_PAGE } }, async (req, reply) => {
    const actor = await loadActor(deps, requireSession(req).accountId);
    const b = req.body;
    const tenant = await reachableTenant(deps.db, actor, b.tenant ?? '');
    const values = Object.fromEntries(FIELDS.map((f) => [f, b[f] ?? ''])) as SubAccountInput;
    const r = await createSubAccount(deps, actor, tenant, values, clientIp(req), req.ctx.lang);
    if (!r.ok) return accountsPage(req, reply, actor, tenant, { values, errors: r.errors }, 422);
    return reply.redirect(`/tenant/accounts?tenant=${tenant.code}&created=${r.id}`, 303);
  });

  app.post('/tenant/accounts/:id/disable', {
    schema: { params: Closed({ id: Id() }), body: FormBody(TENANT), response: FORM_PAGE },
  }, async (req, reply) => {
    const actor = await loadActor(deps, requireSession(req).accountId);
    const tenant = await reachableTenant(deps.db, actor, req.body.tenant ?? '');
    const id = req.params.id;
    const r = await disableSubAccount(deps, actor, tenant, id, clientIp(req));
    if (!r.ok) return accountsPage(req, reply, actor, tenant, { error: req.ctx.t(r.error) }, 409);
    return reply.redirect(`/tenant/accounts?tenant=${tenant.code}&disabled=${id}`, 303);
  });

  app.post('/tenant/transfer', {
    schema: { body: FormBody({ ...TENANT, successor: Type.Optional(Id()), confirm: Field(10) }), response: FORM_PAGE },
  }, async (req, reply) => {
    const actor = await loadActor(deps, requireSession(req).accountId);
    const b = req.body;
    const tenant = await reachableTenant(deps.db, actor, b.tenant ?? '');
    const successor = b.successor;
    if (!successor) throw notFound();
    if (b.confirm !== '1') return accountsPage(req, reply, actor, tenant, { error: req.ctx.t('tenant.transferNeedConfirm') }, 422);
    const r = await transferMainAccount(deps, actor, tenant, successor, clientIp(req), req.ctx.lang);
    // The actor has just lost the tenant: the answer is a page of its own, not the tenant's list.
    return page(req, reply, (ctx) => <TransferDonePage ctx={ctx} username={r.username} />);
  });
}
