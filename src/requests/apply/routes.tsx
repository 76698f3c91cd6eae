// HTTP for self-service account application and one-time codes (REQ-1, AUTH-6), pages under /apply.
// Page-only by design: every step is anonymous and guarded by a captcha and one-time codes held in
// a server-side draft, which a JSON API would have to reproduce for no client that needs it
// (docs/decisions.md). The draft's opaque token rides in an HttpOnly cookie limited to /apply.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { typed, Type, Field, FieldList, FormBody, Query, NoQuery, Html, PAGE, FORM_PAGE } from '../../platform/http/contract.ts';
import { page, clientIp } from '../../platform/http/pages.ts';
import { cookieOptions } from '../../platform/http/context.ts';
import { notFound } from '../../platform/http/errors.ts';
import { issueCaptcha } from '../../platform/captcha.ts';
import { isMessageKey, type MessageKey } from '../../messages.ts';
import { effectivePolicyFor } from '../../orgs/store.ts';
import { lookupOrgs, MAX_LOOKUP } from '../../orgs/service.ts';
import { SESSION_COOKIE } from '../../auth/sessions.ts';
import { OTP_MAX_FAILURES, OTP_TTL_MS, maskEmail, maskMobile, type OtpChannel } from './otp.ts';
import { DRAFT_COOKIE, DRAFT_COOKIE_MAX_AGE_S, DRAFT_COOKIE_PATH, loadDraft, type Draft } from './drafts.ts';
import {
  PROFILE_FIELDS, agencyFor, applicantUsernameProblem, bothVerified, cancelApplication, isVerified, resendCode, saveAccountChoice, startApplication,
  submitApplication, systemsOnOffer, verifyCodes, type CodeProblem, type ProfileErrors, type ProfileField, type ResendOutcome,
} from './service.ts';
import { contactDestination, contactsOf, hasContacts, signInContact, startContactVerification } from './contact.ts';
import { ChooseAgencyPage } from './views/choose.tsx';
import { IdentityPage, type IdentityView } from './views/identity.tsx';
import { VerifyPage } from './views/verify.tsx';
import { AccountPage, type AccountView } from './views/account.tsx';
import { SystemsPage } from './views/systems.tsx';
import { DonePage } from './views/done.tsx';
import { ContactPage, ContactVerifyPage, type ContactView } from './views/contact.tsx';

const MINUTES = OTP_TTL_MS / 60_000;

// What each step's form carries (issue 10: the schema bounds every field; nothing is sliced by hand).
const CAPTCHA = { captchaId: Field(64), captcha: Field(12) };
const PASSWORDS = { next: Field(256), confirm: Field(256) };
const PROFILE = Object.fromEntries(PROFILE_FIELDS.map((f) => [f, Field(200)])) as Record<ProfileField, ReturnType<typeof Field>>;
const Channel = Type.Union([Type.Literal('mail'), Type.Literal('sms')]);
/** The live username check's answer (JSON, for app.js). */
const UsernameCheck = Type.Object({
  available: Type.Union([Type.Boolean(), Type.Null()], { description: 'Whether the username is free; null when not asked or not checked' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why it cannot be had (a message key or text)' }),
  message: Type.String({ description: 'The answer in the caller\'s language' }),
});

export async function applyRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const app = typed(fastify);
  const captcha = () => (deps.config.captchaEnabled ? issueCaptcha(deps.db, deps.clock.now(), deps.captchaCode()) : Promise.resolve(undefined));
  const setDraftCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(DRAFT_COOKIE, token, { ...cookieOptions(deps, DRAFT_COOKIE_MAX_AGE_S), path: DRAFT_COOKIE_PATH });
  const clearDraftCookie = (reply: FastifyReply) => reply.clearCookie(DRAFT_COOKIE, { path: DRAFT_COOKIE_PATH });
  const draftOf = (req: FastifyRequest, kind: 'new' | 'contact') => loadDraft(deps, req.cookies[DRAFT_COOKIE], kind);
  const startAgain = (reply: FastifyReply) => reply.redirect('/apply?expired=1', 303);

  // ---- Step 1: the agency ----
  app.get('/apply', {
    schema: { querystring: Query({ q: Field(200), expired: Field(10), cancelled: Field(10), refused: Field(10) }), response: PAGE },
  }, async (req, reply) => {
    const q = (req.query.q ?? '').trim();
    const items = q ? await lookupOrgs(deps.db, q, MAX_LOOKUP) : [];
    const info = req.query.expired === '1' ? req.ctx.t('apply.expired') : req.query.cancelled === '1' ? req.ctx.t('apply.cancelled') : undefined;
    const error = req.query.refused === '1' ? req.ctx.t('apply.oneAccount') : undefined;
    return page(req, reply, (ctx) => <ChooseAgencyPage ctx={ctx} q={q} items={items} info={info} error={error} />);
  });

  // ---- Step 2: identity, both codes sent ----
  const identityPage = async (req: FastifyRequest, reply: FastifyReply, oid: string, extra: Partial<IdentityView> = {}, status = 200) => {
    const org = await agencyFor(deps.db, oid);
    const [{ policy }, anyContact, c] = await Promise.all([effectivePolicyFor(deps.db, org.oid), hasContacts(deps.db, org.oid), captcha()]);
    const v: IdentityView = { org, hasContacts: anyContact, domains: policy['email.allowedDomains'], minutes: MINUTES, values: {}, ...extra, captcha: c };
    return page(req, reply, (ctx) => <IdentityPage ctx={ctx} v={v} />, status);
  };

  app.get('/apply/identity', { schema: { querystring: Query({ oid: Field(200) }), response: PAGE } },
    async (req, reply) => identityPage(req, reply, req.query.oid ?? ''));

  app.post('/apply/identity', {
    schema: { body: FormBody({ oid: Field(200), name: Field(100), email: Field(254), mobile: Field(20), ...CAPTCHA }), response: FORM_PAGE },
  }, async (req, reply) => {
    const b = req.body;
    const oid = b.oid ?? '';
    const values = { name: (b.name ?? '').trim(), email: (b.email ?? '').trim(), mobile: (b.mobile ?? '').trim() };
    const r = await startApplication(deps, { orgOid: oid, ...values, captchaId: b.captchaId ?? '', captcha: b.captcha ?? '', ip: clientIp(req), lang: req.ctx.lang });
    if (!r.ok) return identityPage(req, reply, oid, { values, errors: r.errors, limited: r.limited }, r.limited ? 429 : 422);
    setDraftCookie(reply, r.token);
    return reply.redirect('/apply/verify?sent=1', 303);
  });

  // ---- Step 3: both codes ----
  const verifyPage = (req: FastifyRequest, reply: FastifyReply, d: Draft, extra: { problems?: Partial<Record<OtpChannel, CodeProblem>>; info?: string; error?: string } = {}, status = 200) =>
    page(req, reply, (ctx) => <VerifyPage ctx={ctx} v={{
      emailMasked: maskEmail(d.data.email), mobileMasked: maskMobile(d.data.mobile), minutes: MINUTES, maxTries: OTP_MAX_FAILURES,
      verified: { mail: isVerified(d, 'mail'), sms: isVerified(d, 'sms') }, ...extra,
    }} />, status);

  app.get('/apply/verify', { schema: { querystring: Query({ sent: Field(10), resent: Field(10) }), response: PAGE } }, async (req, reply) => {
    const d = await draftOf(req, 'new');
    if (!d) return startAgain(reply);
    if (bothVerified(d)) return reply.redirect('/apply/account', 303);
    const t = req.ctx.t;
    const info = req.query.sent === '1' ? t('apply.sent', { email: maskEmail(d.data.email), mobile: maskMobile(d.data.mobile) })
      : req.query.resent === 'mail' ? t('apply.resend.sentMail') : req.query.resent === 'sms' ? t('apply.resend.sentSms') : undefined;
    return verifyPage(req, reply, d, { info });
  });

  app.post('/apply/verify', { schema: { body: FormBody({ mailCode: Field(20), smsCode: Field(20) }), response: FORM_PAGE } }, async (req, reply) => {
    const d = await draftOf(req, 'new');
    if (!d) return startAgain(reply);
    const problems = await verifyCodes(deps, d, { mail: req.body.mailCode ?? '', sms: req.body.smsCode ?? '' }, clientIp(req));
    const after = await draftOf(req, 'new');
    if (!after) return startAgain(reply);
    if (bothVerified(after)) return reply.redirect('/apply/account', 303);
    return verifyPage(req, reply, after, { problems }, 422);
  });

  const resendError = (req: FastifyRequest, r: Exclude<ResendOutcome, { ok: true }>) =>
    r.reason === 'cooldown' ? req.ctx.t('apply.resend.cooldown', { seconds: r.seconds }) : req.ctx.t(r.reason === 'limited' ? 'apply.limited' : 'apply.resend.verified');

  app.post('/apply/resend', { schema: { body: FormBody({ channel: Type.Optional(Channel) }), response: FORM_PAGE } }, async (req, reply) => {
    const d = await draftOf(req, 'new');
    if (!d) return startAgain(reply);
    const channel: OtpChannel | undefined = req.body.channel;
    if (!channel) return verifyPage(req, reply, d, { error: req.ctx.t('error.badRequest') }, 400);
    const to = channel === 'mail' ? d.data.email : d.data.mobile;
    const r = await resendCode(deps, d, channel, to, to, 'apply', clientIp(req));
    if (r.ok) return reply.redirect(`/apply/verify?resent=${channel}`, 303);
    return verifyPage(req, reply, d, { error: resendError(req, r) }, r.reason === 'verified' ? 409 : 429);
  });

  // ---- Step 4: profile, username, password ----
  const accountPage = async (req: FastifyRequest, reply: FastifyReply, d: Draft, extra: Partial<AccountView> = {}, status = 200) => {
    const org = await agencyFor(deps.db, d.row.org_oid);
    const { policy } = await effectivePolicyFor(deps.db, org.oid);
    const values = { ...(d.data.profile ?? {}), username: d.data.username ?? '' };
    const v: AccountView = { org, name: d.data.name, email: d.data.email, mobile: d.data.mobile, values, policy, ...extra };
    return page(req, reply, (ctx) => <AccountPage ctx={ctx} v={v} />, status);
  };
  const verifiedDraft = async (req: FastifyRequest) => {
    const d = await draftOf(req, 'new');
    return d && bothVerified(d) ? d : undefined;
  };

  app.get('/apply/account', { schema: { querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const d = await draftOf(req, 'new');
    if (!d) return startAgain(reply);
    if (!bothVerified(d)) return reply.redirect('/apply/verify', 303);
    return accountPage(req, reply, d);
  });

  app.post('/apply/account', {
    schema: { body: FormBody({ ...PROFILE, username: Field(100), ...PASSWORDS }), response: FORM_PAGE },
  }, async (req, reply) => {
    const d = await verifiedDraft(req);
    if (!d) return startAgain(reply);
    const b = req.body;
    const profile = Object.fromEntries(PROFILE_FIELDS.map((f) => [f, (b[f] ?? '').trim()])) as Record<ProfileField, string>;
    const username = (b.username ?? '').trim();
    const r = await saveAccountChoice(deps, d, { profile, username, next: b.next ?? '', confirm: b.confirm ?? '' }, clientIp(req));
    if (r.ok) return reply.redirect('/apply/systems', 303);
    const status = r.errors.username === 'apply.lookupLimited' ? 429 : 422;
    return accountPage(req, reply, d, { values: { ...profile, username }, errors: r.errors, passwordErrors: r.passwordErrors }, status);
  });

  // ACC-2's live check (app.js), for a verified applicant only: anonymous callers cannot probe
  // usernames, and a verified one only so often (issue 9 item 3).
  app.get('/apply/username-check', {
    schema: { querystring: Query({ username: Field(100) }), response: { 200: UsernameCheck, 429: UsernameCheck, 404: Html } },
  }, async (req, reply) => {
    const d = await verifiedDraft(req);
    if (!d) throw notFound();
    const username = (req.query.username ?? '').trim();
    if (!username) return { available: null, error: null, message: '' };
    const error = await applicantUsernameProblem(deps, d, username, clientIp(req));
    const message = error ? (isMessageKey(error) ? req.ctx.t(error) : error) : req.ctx.t('apply.usernameAvailable');
    if (error === 'apply.lookupLimited') return reply.code(429).send({ available: null, error, message });
    return { available: error === null, error, message };
  });

  // ---- Step 5: roles, submit ----
  const systemsPage = async (req: FastifyRequest, reply: FastifyReply, d: Draft, chosen: string[] = [], error?: string, status = 200) => {
    const systems = await systemsOnOffer(deps, d.row.org_oid);
    return page(req, reply, (ctx) => <SystemsPage ctx={ctx} v={{ systems, chosen, error }} />, status);
  };

  app.get('/apply/systems', { schema: { querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const d = await verifiedDraft(req);
    if (!d) return startAgain(reply);
    if (!d.data.passwordHash) return reply.redirect('/apply/account', 303);
    return systemsPage(req, reply, d);
  });

  app.post('/apply/systems', { schema: { body: FormBody({ roles: FieldList(200, 100) }), response: FORM_PAGE } }, async (req, reply) => {
    const d = await verifiedDraft(req);
    if (!d) return startAgain(reply);
    if (!d.data.passwordHash) return reply.redirect('/apply/account', 303);
    const roles = req.body.roles ?? [];
    const r = await submitApplication(deps, d, roles, clientIp(req));
    if (r.ok) {
      clearDraftCookie(reply);
      return reply.redirect('/apply/done', 303);
    }
    if ('profileErrors' in r) return accountPage(req, reply, d, { errors: r.profileErrors as ProfileErrors }, 409);
    if ('refused' in r) { clearDraftCookie(reply); return reply.redirect('/apply?refused=1', 303); }
    if (r.error === 'apply.expired') { clearDraftCookie(reply); return startAgain(reply); }
    return systemsPage(req, reply, d, roles, req.ctx.t(r.error as MessageKey), 422);
  });

  app.get('/apply/done', { schema: { querystring: NoQuery(), response: PAGE } }, async (req, reply) => page(req, reply, (ctx) => <DonePage ctx={ctx} />));

  app.post('/apply/cancel', { schema: { body: FormBody({}), response: PAGE } }, async (req, reply) => {
    const d = (await draftOf(req, 'new')) ?? (await draftOf(req, 'contact'));
    if (d) await cancelApplication(deps, d, clientIp(req));
    clearDraftCookie(reply);
    return reply.redirect('/apply?cancelled=1', 303);
  });

  // ---- Existing contacts (seed 000 step 3) ----
  const contactPage = async (req: FastifyRequest, reply: FastifyReply, oid: string, extra: Partial<ContactView> = {}, status = 200) => {
    const org = await agencyFor(deps.db, oid);
    const [contacts, c] = await Promise.all([contactsOf(deps.db, org.oid), captcha()]);
    const v: ContactView = { org, contacts, values: {}, ...extra, captcha: c };
    return page(req, reply, (ctx) => <ContactPage ctx={ctx} v={v} />, status);
  };

  app.get('/apply/contact', { schema: { querystring: Query({ oid: Field(200) }), response: PAGE } },
    async (req, reply) => contactPage(req, reply, req.query.oid ?? ''));

  app.post('/apply/contact', {
    schema: { body: FormBody({ oid: Field(200), accountId: Field(20), email: Field(254), mobile: Field(20), channel: Field(10), ...CAPTCHA }), response: FORM_PAGE },
  }, async (req, reply) => {
    const b = req.body;
    const oid = b.oid ?? '';
    const values = { accountId: b.accountId ?? '', email: (b.email ?? '').trim(), mobile: (b.mobile ?? '').trim() };
    const r = await startContactVerification(deps, {
      orgOid: oid, ...values, channel: b.channel ?? '', captchaId: b.captchaId ?? '', captcha: b.captcha ?? '', ip: clientIp(req), lang: req.ctx.lang,
    });
    if (!r.ok) return contactPage(req, reply, oid, { values, errors: r.errors, limited: r.limited }, r.limited ? 429 : 422);
    setDraftCookie(reply, r.token);
    return reply.redirect('/apply/contact/verify', 303);
  });

  const contactVerifyPage = (req: FastifyRequest, reply: FastifyReply, d: Draft, extra: { problem?: CodeProblem; refused?: string; info?: string } = {}, status = 200) =>
    page(req, reply, (ctx) => <ContactVerifyPage ctx={ctx} v={{ channel: d.data.channel!, minutes: MINUTES, ...extra }} />, status);

  app.get('/apply/contact/verify', { schema: { querystring: Query({ resent: Field(10) }), response: PAGE } }, async (req, reply) => {
    const d = await draftOf(req, 'contact');
    if (!d) return startAgain(reply);
    const info = req.query.resent === '1' ? req.ctx.t(d.data.channel === 'mail' ? 'apply.resend.sentMail' : 'apply.resend.sentSms') : undefined;
    return contactVerifyPage(req, reply, d, { info });
  });

  app.post('/apply/contact/verify', { schema: { body: FormBody({ code: Field(20) }), response: FORM_PAGE } }, async (req, reply) => {
    const d = await draftOf(req, 'contact');
    if (!d) return startAgain(reply);
    const r = await signInContact(deps, d, req.body.code ?? '', clientIp(req));
    if (r.ok) {
      clearDraftCookie(reply);
      reply.setCookie(SESSION_COOKIE, r.sessionToken, cookieOptions(deps));
      return reply.redirect('/', 303);
    }
    if ('refused' in r) {
      clearDraftCookie(reply);
      return page(req, reply, (ctx) => <ContactVerifyPage ctx={ctx} v={{ channel: d.data.channel!, minutes: MINUTES, refused: ctx.t(`apply.contact.refused.${r.refused}`) }} />, 403);
    }
    return contactVerifyPage(req, reply, d, { problem: r.problem }, 422);
  });

  app.post('/apply/contact/resend', { schema: { body: FormBody({}), response: FORM_PAGE } }, async (req, reply) => {
    const d = await draftOf(req, 'contact');
    if (!d) return startAgain(reply);
    const channel = d.data.channel!;
    const r = await resendCode(deps, d, channel, channel === 'mail' ? d.data.email : d.data.mobile, await contactDestination(deps.db, d), 'contact', clientIp(req));
    if (r.ok) return reply.redirect('/apply/contact/verify?resent=1', 303);
    return contactVerifyPage(req, reply, d, { refused: resendError(req, r) }, 429);
  });
}
