// HTTP for set-password links (AUTH-4, ACC-7), tenant sub-accounts (ACC-7, ACC-10), main-account
// transfer (ACC-8) and the public holder look-up (ACC-9).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requireSession, loadActor } from '../access/actor.ts';
import { notFound } from '../platform/http/errors.ts';
import { issueCaptcha, checkCaptcha } from '../platform/captcha.ts';
import { authorize, type Actor } from '../access/authorize.ts';
import { effectivePolicyFor } from '../orgs/store.ts';
import { isWithin } from '../orgs/oid.ts';
import { activateWithLink, findLiveLink, resendSetPasswordLink, RESEND_LINK_COOLDOWN_MS, SET_PASSWORD_LINK_TTL_MS } from './set-password-link.ts';
import {
  createSubAccount, disableSubAccount, heldTenants, listTenantAccounts, lookUpHolders, reachableTenant, successorCandidates,
  transferMainAccount, TENANT_PAGE_SIZE, type SubAccountField, type SubAccountInput, type Tenant,
} from './tenant-accounts.ts';
import { hasChosenPassword } from '../auth/store.ts';
import { ActivatePage, ResendPage, type ActivateView, type ResendView } from './views/activate.tsx';
import { HolderPage, type HolderView } from './views/tenant-holder.tsx';
import { TenantAccountsPage, TenantPickPage, TransferDonePage, type TenantAccountsView } from './views/tenant-accounts.tsx';

type Form = Record<string, string | undefined>;
const str = (v: unknown, max = 256): string => (typeof v === 'string' ? v.slice(0, max) : '');
const HOURS = SET_PASSWORD_LINK_TTL_MS / 3_600_000;
const FIELDS: SubAccountField[] = ['username', 'name', 'nationalId', 'email', 'department', 'title', 'officePhone', 'officeExt'];
const positive = (v: unknown): number => (typeof v === 'string' && /^[1-9]\d{0,8}$/.test(v) ? Number(v) : 0);

export function tenantRoutes(app: FastifyInstance, deps: Deps): void {
  const captcha = () => (deps.config.captchaEnabled ? issueCaptcha(deps.db, deps.clock.now(), deps.captchaCode()) : Promise.resolve(undefined));
  const captchaOk = (b: Form) => !deps.config.captchaEnabled || checkCaptcha(deps.db, deps.clock.now(), str(b.captchaId, 64), str(b.captcha, 12));

  // ---- Set-password link (public: the token is the credential) ----
  const activatePage = (req: FastifyRequest, reply: FastifyReply, v: ActivateView, status = 200) =>
    page(req, reply, (ctx) => <ActivatePage ctx={ctx} v={v} />, status);
  const invalid = (req: FastifyRequest, reply: FastifyReply) => activatePage(req, reply, { kind: 'invalid', hours: HOURS }, 404);

  const resendPage = async (req: FastifyRequest, reply: FastifyReply, v: ResendView, status = 200) => {
    const c = await captcha();
    return page(req, reply, (ctx) => <ResendPage ctx={ctx} v={{ ...v, captcha: c }} />, status);
  };

  app.get('/activate/resend', async (req, reply) => resendPage(req, reply, {}));

  app.post<{ Body: Form }>('/activate/resend', async (req, reply) => {
    const b = req.body ?? {};
    const v = { name: str(b.name, 100).trim(), username: str(b.username, 100).trim(), email: str(b.email, 254).trim() };
    if (!v.name || !v.username || !v.email) return resendPage(req, reply, { ...v, error: req.ctx.t('error.badRequest') }, 400);
    const ok = await resendSetPasswordLink(deps, { ...v, captchaId: str(b.captchaId, 64), captcha: str(b.captcha, 12), ip: clientIp(req), lang: req.ctx.lang });
    if (!ok) return resendPage(req, reply, { ...v, error: req.ctx.t('login.captchaWrong') }, 400);
    // The same page, status and text whether or not the details matched an account.
    return resendPage(req, reply, { info: req.ctx.t('activate.resendSent', { hours: HOURS, seconds: RESEND_LINK_COOLDOWN_MS / 1000 }) });
  });

  app.get<{ Querystring: { done?: string } }>('/activate', async (req, reply) =>
    req.query.done === '1' ? activatePage(req, reply, { kind: 'done' }) : invalid(req, reply));

  const formFor = async (token: string) => {
    const link = await findLiveLink(deps, token, deps.clock.now());
    if (!link) return undefined;
    const { policy } = await effectivePolicyFor(deps.db, link.unit_oid);
    return { kind: 'form' as const, token, name: link.name, username: link.username, policy, hasHistory: await hasChosenPassword(deps.db, link.id) };
  };

  app.get<{ Params: { token: string } }>('/activate/:token', async (req, reply) => {
    const v = await formFor(req.params.token);
    return v ? activatePage(req, reply, v) : invalid(req, reply);
  });

  app.post<{ Params: { token: string }; Body: Form }>('/activate/:token', async (req, reply) => {
    const b = req.body ?? {};
    const r = await activateWithLink(deps, { token: req.params.token, next: str(b.next), confirm: str(b.confirm), ip: clientIp(req) });
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

  app.get('/tenant/holder', async (req, reply) => holderPage(req, reply, {}));

  app.post<{ Body: Form }>('/tenant/holder', async (req, reply) => {
    const b = req.body ?? {};
    const code = str(b.code, 20).trim();
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
    extra: Partial<TenantAccountsView> = {}, status = 200) => {
    const pageNo = Math.max(1, positive((req.query as { page?: string }).page) || 1);
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
  const noticeFor = async (actor: Actor, tenant: Tenant, id: number) => {
    if (!id) return undefined;
    const a = await deps.db.selectFrom('accounts').select(['username', 'email', 'unit_oid']).where('id', '=', id).executeTakeFirst();
    return a && isWithin(a.unit_oid, tenant.oid) && authorize(actor, 'account.view', { oid: a.unit_oid }) ? a : undefined;
  };

  app.get<{ Querystring: { tenant?: string; created?: string; disabled?: string } }>('/tenant/accounts', async (req, reply) => {
    const actor = await loadActor(deps, requireSession(req).accountId);
    const tenant = await tenantOf(actor, str(req.query.tenant, 20));
    if (Array.isArray(tenant)) return page(req, reply, (ctx) => <TenantPickPage ctx={ctx} tenants={tenant} />);
    const created = await noticeFor(actor, tenant, positive(req.query.created));
    const disabled = await noticeFor(actor, tenant, positive(req.query.disabled));
    const t = req.ctx.t;
    const info = created ? t('tenant.created', { username: created.username, email: created.email ?? '' })
      : disabled ? t('tenant.disabled', { username: disabled.username }) : undefined;
    return accountsPage(req, reply, actor, tenant, { info });
  });

  app.post<{ Body: Form }>('/tenant/accounts', async (req, reply) => {
    const actor = await loadActor(deps, requireSession(req).accountId);
    const b = req.body ?? {};
    const tenant = await reachableTenant(deps.db, actor, str(b.tenant, 20));
    const values = Object.fromEntries(FIELDS.map((f) => [f, str(b[f], 100)])) as SubAccountInput;
    const r = await createSubAccount(deps, actor, tenant, values, clientIp(req), req.ctx.lang);
    if (!r.ok) return accountsPage(req, reply, actor, tenant, { values, errors: r.errors }, 422);
    return reply.redirect(`/tenant/accounts?tenant=${tenant.code}&created=${r.id}`, 303);
  });

  app.post<{ Params: { id: string }; Body: Form }>('/tenant/accounts/:id/disable', async (req, reply) => {
    const actor = await loadActor(deps, requireSession(req).accountId);
    const b = req.body ?? {};
    const tenant = await reachableTenant(deps.db, actor, str(b.tenant, 20));
    const id = positive(req.params.id);
    if (!id) throw notFound();
    const r = await disableSubAccount(deps, actor, tenant, id, clientIp(req));
    if (!r.ok) return accountsPage(req, reply, actor, tenant, { error: req.ctx.t(r.error) }, 409);
    return reply.redirect(`/tenant/accounts?tenant=${tenant.code}&disabled=${id}`, 303);
  });

  app.post<{ Body: Form }>('/tenant/transfer', async (req, reply) => {
    const actor = await loadActor(deps, requireSession(req).accountId);
    const b = req.body ?? {};
    const tenant = await reachableTenant(deps.db, actor, str(b.tenant, 20));
    const successor = positive(b.successor);
    if (!successor) throw notFound();
    if (b.confirm !== '1') return accountsPage(req, reply, actor, tenant, { error: req.ctx.t('tenant.transferNeedConfirm') }, 422);
    const r = await transferMainAccount(deps, actor, tenant, successor, clientIp(req), req.ctx.lang);
    // The actor has just lost the tenant: the answer is a page of its own, not the tenant's list.
    return page(req, reply, (ctx) => <TransferDonePage ctx={ctx} username={r.username} />);
  });
}
