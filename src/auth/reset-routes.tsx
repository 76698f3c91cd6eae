// HTTP for the forgotten password (AUTH-5): /password/forgot (also "resend code") and /password/reset.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { issueCaptcha } from '../platform/captcha.ts';
import type { Policy } from '../orgs/policy.ts';
import { ForgotPage, type ForgotView } from './views/forgot.tsx';
import { ResetPage, type ResetView } from './views/reset.tsx';
import { requestPasswordReset, resetPassword, RESET_CODE_TTL_MS, RESEND_COOLDOWN_MS, RESET_MAX_FAILURES, type ResetError } from './password-reset.ts';
import { typed, Field, FormBody, Query, PAGE, FORM_PAGE } from '../platform/http/contract.ts';

const MINUTES = RESET_CODE_TTL_MS / 60_000;

/** The form fields' own limits (maxLength in the views). */
const USERNAME = () => Field(100);
const PASSWORD = () => Field(256);
const CAPTCHA = { captchaId: Field(64), captcha: Field(12) };

export function resetRoutes(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);
  const captcha = () => (deps.config.captchaEnabled ? issueCaptcha(deps.db, deps.clock.now(), deps.captchaCode()) : Promise.resolve(undefined));

  const forgotPage = async (req: FastifyRequest, reply: FastifyReply, v: Omit<ForgotView, 'minutes'>, status = 200) => {
    const c = await captcha();
    return page(req, reply, (ctx) => <ForgotPage ctx={ctx} v={{ ...v, captcha: c, minutes: MINUTES }} />, status);
  };
  // Until a right code names the account, no rule is shown (another unit's would mislead, and the
  // account's own would tell whether the username exists); the code mail carries it (issue 9 item 11).
  const resetPage = async (req: FastifyRequest, reply: FastifyReply, v: ResetView, status = 200) => {
    const c = v.done ? undefined : await captcha();
    return page(req, reply, (ctx) => <ResetPage ctx={ctx} v={{ ...v, captcha: c }} />, status);
  };

  app.get('/password/forgot', { schema: { querystring: Query({ resend: Field(20) }), response: PAGE } }, async (req, reply) => forgotPage(req, reply, { resend: req.query.resend === '1' }));

  app.post('/password/forgot', {
    schema: { body: FormBody({ resend: Field(20), name: Field(100), username: USERNAME(), email: Field(254), ...CAPTCHA }), response: FORM_PAGE },
  }, async (req, reply) => {
    const b = req.body;
    const v = { resend: b.resend === '1', name: (b.name ?? '').trim(), username: (b.username ?? '').trim(), email: (b.email ?? '').trim() };
    if (!v.name || !v.username || !v.email) return forgotPage(req, reply, { ...v, error: req.ctx.t('error.badRequest') }, 400);
    const ok = await requestPasswordReset(deps, { ...v, captchaId: b.captchaId ?? '', captcha: b.captcha ?? '', ip: clientIp(req), lang: req.ctx.lang });
    if (!ok) return forgotPage(req, reply, { ...v, error: req.ctx.t('login.captchaWrong') }, 400);
    // The same page, status and text whether or not the details matched an account.
    const info = req.ctx.t('reset.sent', { minutes: MINUTES, seconds: RESEND_COOLDOWN_MS / 1000 });
    return resetPage(req, reply, { info, username: v.username });
  });

  app.get('/password/reset', { schema: { querystring: Query({ done: Field(20) }), response: PAGE } }, async (req, reply) => resetPage(req, reply, { done: req.query.done === '1' }));

  app.post('/password/reset', {
    schema: { body: FormBody({ username: USERNAME(), code: Field(16), next: PASSWORD(), confirm: PASSWORD(), ...CAPTCHA }), response: FORM_PAGE },
  }, async (req, reply) => {
    const b = req.body;
    const username = (b.username ?? '').trim(), code = (b.code ?? '').trim();
    if (!username || !code || !b.next) return resetPage(req, reply, { username, code, errors: [req.ctx.t('error.badRequest')] }, 400);
    const r = await resetPassword(deps, {
      username, code, next: b.next, confirm: b.confirm ?? '', captchaId: b.captchaId ?? '', captcha: b.captcha ?? '',
      ip: clientIp(req), lang: req.ctx.lang,
    });
    if (r.ok) return reply.redirect('/password/reset?done=1', 303);
    const text = (e: ResetError) => (e === 'reset.codeWrong' ? req.ctx.t(e, { max: RESET_MAX_FAILURES }) : req.ctx.t(e));
    // A wrong code is not echoed back; after a password-rule error the right code is kept in the form.
    const keepCode = !r.errors.includes('reset.codeWrong');
    const policy: Policy | undefined = r.policy;
    return resetPage(req, reply, { username, code: keepCode ? code : undefined, errors: r.errors.map(text), policy }, 422);
  });
}
