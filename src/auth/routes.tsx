// HTTP for sign-in: login, change password, logout, logout everywhere. The home page is the portal's (src/portal).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import type { Metrics } from '../platform/http/health.ts';
import { cookieOptions, safeNext } from '../platform/http/context.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requireSession } from '../access/actor.ts';
import { issueCaptcha } from '../platform/captcha.ts';
import { audit } from '../platform/audit.ts';
import { effectivePolicyFor } from '../orgs/store.ts';
import { isMessageKey, type MessageKey } from '../messages.ts';
import { auditRefusedLogin, passwordLogin, type LoginOutcome } from './login.ts';
import { InputRefused } from '../platform/http/input-guard.ts';
import { changeOwnPassword } from './password-change.ts';
import { SESSION_COOKIE } from './sessions.ts';
import { endAllSessions, endSession } from './session-store.ts';
import { strengthLabel, passwordChecker } from './password-policy.ts';
import { LoginPage, type LoginView } from './views/login.tsx';
import { ChangePasswordPage } from './views/change-password.tsx';
import { getPassword } from '../accounts/store.ts';
import { readableAnnouncements } from '../portal/announcements.ts';
import { hasChosenPassword } from './store.ts';
import { typed, Type, Field, FormBody, Query, PAGE, FORM_PAGE } from '../platform/http/contract.ts';

/** Guest announcements above the login form, as seed 001's login page shows them; the rest one link away. */
const LOGIN_ANNOUNCEMENTS = 5;
/** The form fields' own limits (maxLength in the views): a username, a password. */
const USERNAME = () => Field(100);
const PASSWORD = () => Field(256);
/** A same-site path to go on to: the page that asked for a sign-in, query included, so as long as a URL may be. */
export const NEXT = () => Field(8000);
/** The strength of the first characters is the strength that matters; the estimator's cost grows with length. */
const STRENGTH_CHARS = 128;

function outcomeMessage(req: FastifyRequest, o: Exclude<LoginOutcome, { ok: true }>): string {
  const t = req.ctx.t;
  switch (o.reason) {
    case 'captcha': return t('login.captchaWrong');
    case 'ip_limited': return t('login.ipLimited');
    // The seed's wording: "帳號或密碼錯誤，次數達 3 次即鎖定，目前【n】", also on the locking attempt.
    // The threshold is the platform's, so known and unknown usernames read the same text.
    case 'failed': return t(o.locked ? 'login.failedLocked' : 'login.failed', { max: o.threshold, count: o.failures, minutes: o.minutes });
    case 'locked': return t('login.locked', { minutes: o.minutes });
    case 'disabled': return t('login.disabled');
    case 'pending': return t('login.pending');
    case 'not_allowed': return t('login.notAllowed');
    case 'temporary_expired': return t('login.expiredTemporary');
    case 'certificate_required': return t('cert.method.passwordRefused');
    case 'one_day_lapsed': return t('cert.method.oneDayLapsed');
  }
}

export function authRoutes(fastify: FastifyInstance, deps: Deps, metrics: Metrics): void {
  const app = typed(fastify);
  const loginPage = async (req: FastifyRequest, reply: FastifyReply, v: LoginView, status = 200) => {
    const [captcha, announcements] = await Promise.all([
      deps.config.captchaEnabled ? issueCaptcha(deps.db, deps.clock.now(), deps.captchaCode()) : undefined,
      readableAnnouncements(deps, null, 1, LOGIN_ANNOUNCEMENTS),
    ]);
    return page(req, reply, (ctx) => <LoginPage ctx={ctx} v={{ ...v, captcha, announcements }} />, status);
  };

  app.get('/login', { schema: { querystring: Query({ next: NEXT(), done: Field(20) }), response: PAGE } }, async (req, reply) => {
    if (req.ctx.session) return reply.redirect('/', 303);
    const info = req.query.done === 'logout' ? req.ctx.t('login.loggedOut') : req.ctx.sessionExpired ? req.ctx.t('login.sessionExpired') : undefined;
    return loginPage(req, reply, { next: req.query.next ? safeNext(req.query.next) : undefined, info });
  });

  // The input guard refuses a field with a NUL before this handler runs; the attempt is audited here.
  app.post('/login', {
    schema: {
      body: FormBody({ username: USERNAME(), password: PASSWORD(), captchaId: Field(64), captcha: Field(12), next: NEXT() }),
      response: { ...FORM_PAGE, 401: PAGE[400] },
    },
    onError: async (req, _reply, err) => {
      if (!(err instanceof InputRefused)) return;
      metrics.loginAttempts.inc({ result: 'bad_input' });
      await auditRefusedLogin(deps, clientIp(req));
    },
  }, async (req, reply) => {
    const b = req.body;
    const username = (b.username ?? '').trim();
    const next = b.next ? safeNext(b.next) : undefined;
    if (!username || !b.password) {
      return loginPage(req, reply, { error: req.ctx.t('error.badRequest'), username, next }, 400);
    }
    const outcome = await passwordLogin(deps, {
      username, password: b.password, captchaId: b.captchaId ?? '', captcha: b.captcha ?? '', ip: clientIp(req),
    });
    metrics.loginAttempts.inc({ result: outcome.ok ? 'ok' : outcome.reason });
    if (!outcome.ok) {
      const status = outcome.reason === 'ip_limited' ? 429 : 401;
      return loginPage(req, reply, { error: outcomeMessage(req, outcome), username, next }, status);
    }
    reply.setCookie(SESSION_COOKIE, outcome.sessionToken, cookieOptions(deps));
    // A forced change first; a sign-in that was on its way somewhere (a system's SSO) goes on afterwards.
    if (outcome.mustChangePassword) return reply.redirect(`/password/change${next ? `?returnTo=${encodeURIComponent(next)}` : ''}`, 303);
    return reply.redirect(next ?? '/', 303);
  });

  app.post('/logout', { schema: { body: FormBody({}), response: PAGE } }, async (req, reply) => {
    const s = req.ctx.session;
    if (s) {
      await deps.db.transaction().execute(async (trx) => {
        await endSession(trx, s.idHash);
        await audit(trx, deps.clock.now(), { actor: s.accountId, action: 'auth.logout', targetType: 'account', targetId: s.accountId, orgOid: s.unitOid, ip: clientIp(req) });
      });
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login?done=logout', 303);
  });

  app.post('/logout-everywhere', { schema: { body: FormBody({}), response: PAGE } }, async (req, reply) => {
    const s = requireSession(req);
    await deps.db.transaction().execute(async (trx) => {
      const n = await endAllSessions(trx, s.accountId);
      await audit(trx, deps.clock.now(), { actor: s.accountId, action: 'auth.logout.everywhere', targetType: 'account', targetId: s.accountId, orgOid: s.unitOid, ip: clientIp(req), details: { sessions: n } });
    });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login?done=logout', 303);
  });

  const changePage = async (req: FastifyRequest, reply: FastifyReply, errors?: MessageKey[], done?: boolean, status = 200, returnTo?: string) => {
    const s = requireSession(req);
    const { policy } = await effectivePolicyFor(deps.db, s.unitOid);
    let forced: 'initial' | 'expired' | undefined;
    let oneDay = false;
    if (s.mustChangePassword) {
      const p = await getPassword(deps.db, s.accountId);
      forced = p && p.kind === 'password' && !p.must_change ? 'expired' : 'initial';
      oneDay = p?.kind === 'one_day';
    }
    const back = forced && returnTo ? safeNext(returnTo) : undefined;
    const hasHistory = await hasChosenPassword(deps.db, s.accountId);
    return page(req, reply, (ctx) => <ChangePasswordPage ctx={ctx} v={{ policy, username: s.username, errors, forced, done, oneDay, returnTo: back, hasHistory }} />, status);
  };

  app.get('/password/change', { schema: { querystring: Query({ done: Field(20), returnTo: NEXT() }), response: PAGE } }, async (req, reply) =>
    changePage(req, reply, undefined, req.query.done === '1', 200, req.query.returnTo));

  app.post('/password/change', {
    schema: { body: FormBody({ current: PASSWORD(), next: PASSWORD(), confirm: PASSWORD(), returnTo: NEXT() }), response: FORM_PAGE },
  }, async (req, reply) => {
    const s = requireSession(req);
    const b = req.body;
    const r = await changeOwnPassword(deps, s, { current: b.current ?? '', next: b.next ?? '', confirm: b.confirm ?? '', ip: clientIp(req) });
    if (!r.ok) return changePage(req, reply, r.errors.filter(isMessageKey), false, 422, b.returnTo || undefined);
    if (s.mustChangePassword && b.returnTo) return reply.redirect(safeNext(b.returnTo), 303);
    // Seed 003: "訊息列顯示修改成功訊息"; the first one also says the account is now ready (開帳).
    return reply.redirect(s.mustChangePassword ? `/?changed=${r.first ? 'first' : '1'}` : '/password/change?done=1', 303);
  });

  // Strength meter for the change-password page; computes nothing that is stored.
  // Posted as JSON by app.js with the page's _csrf.
  app.post('/password/strength', {
    schema: {
      body: FormBody({ password: PASSWORD(), username: USERNAME() }),
      response: { 200: Type.Object({ score: Type.Integer(), level: Type.String(), label: Type.String() }, { description: 'The estimated strength' }), 400: PAGE[400], 403: PAGE[403] },
    },
  }, async (req) => {
    const password = (req.body.password ?? '').slice(0, STRENGTH_CHARS);
    const score = password ? (await passwordChecker()).score(password, [req.body.username ?? '']) : 0;
    const level = strengthLabel(score);
    return { score, level, label: req.ctx.t(`password.strength.${level}`) };
  });
}
