// HTTP for citizen certificates (AUTH-8, ADM-5): the sign-in page and its JSON calls (challenge,
// signed answer; made by /static/cert.js, which talks to HiPKI's local service), sign-in by a TLS
// client certificate the reverse proxy forwards, the user's 自然人憑證 page (register, remove),
// the administrator's removal within the jurisdiction, and the central authority's trust
// configuration (page and API).
import net from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import type { Metrics } from '../../platform/http/health.ts';
import { cookieOptions, safeNext } from '../../platform/http/context.ts';
import { page, clientIp } from '../../platform/http/pages.ts';
import { HttpError, notFound } from '../../platform/http/errors.ts';
import { requirePermission, requireSession } from '../../access/actor.ts';
import { apiActor, bearerAuth } from '../../access/api-auth.ts';
import { authorize } from '../../access/authorize.ts';
import { effectivePolicyFor } from '../../orgs/store.ts';
import { pageActor } from '../../admin/account-pages.tsx';
import { accountFor } from '../../admin/accounts.ts';
import { API_PREFIX } from '../../admin/api-routes.ts';
import { READ_ERRORS } from '../../admin/api-schemas.ts';
import type { MessageKey } from '../../messages.ts';
import { typed, Type, Text, Closed, Id, Field, FormBody, Query, ErrorBody, PAGE, FORM_PAGE, DateTime, OneOf, NoQuery, NoBody } from '../../platform/http/contract.ts';
import { SESSION_COOKIE } from '../sessions.ts';
import { NEXT } from '../routes.tsx';
import { CHALLENGE_TTL_MS } from '../challenges.ts';
import { certificateBytes } from './certificate.ts';
import {
  CERT_LOGIN_COOKIE, NEUTRAL, certificateAllowed, certificateLogin, issueChallenge, listCertificates, registerCertificate, removeCertificate,
} from './service.ts';
import { addTrust, listTrustItems, removeTrust, type TrustItem } from './trust.ts';
import { CertificateLoginPage, CertificatesPage, TrustPage } from './views.tsx';
import type { SignedAnswer } from './proof.ts';
import { certificateApiRoutes } from './api-routes.ts';

const B64 = (max: number) => Text(max, { pattern: '^[A-Za-z0-9+/=\\s]*$' });
const Answer = {
  _csrf: Type.Optional(Text(200)),
  format: OneOf(['pkcs7', 'pkcs1'], { description: 'What HiPKI\'s local service returned: CMS SignedData (PKCS#7) or a PKCS#1 signature' }),
  signature: B64(40_000),
  certificate: Type.Optional(B64(20_000)),
  tbs: Type.Optional(Text(500)),
};
const Challenge = Type.Object({ tbs: Text(500, { description: 'The text the card signs (origin and a one-time 256-bit nonce)' }) }, { description: 'A one-time challenge, valid 5 minutes' });
const Redirect = Type.Object({ redirect: Text(8000) }, { description: 'Done: where the browser goes next' });
const JSON_ERRORS = { 400: PAGE[400], 401: ErrorBody, 403: PAGE[403], 404: ErrorBody, 422: ErrorBody, 429: ErrorBody } as const;
const CertParams = Closed({ certId: Id() });
const AdminCertParams = Closed({ id: Id(), certId: Id() });
const TrustParams = Closed({ id: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }) });

const answerOf = (b: { format: string; signature: string; certificate?: string; tbs?: string }): SignedAnswer =>
  ({ format: b.format === 'pkcs1' ? 'pkcs1' : 'pkcs7', signature: b.signature, certificate: b.certificate, tbs: b.tbs });

/** Whether the request came straight from one of the proxies TESSERA_TRUST_PROXY lists (addresses/CIDRs). */
export function fromTrustedProxy(deps: Deps, peer: string | undefined): boolean {
  const list = deps.config.trustProxy;
  if (!peer || !Array.isArray(list)) return false;
  const bl = new net.BlockList();
  const addr = peer.replace(/^::ffff:/, '');
  for (const item of list) {
    const [a, bits] = item.split('/');
    const type = net.isIP(a) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) bl.addAddress(a, type); else bl.addSubnet(a, Number(bits), type);
  }
  return bl.check(addr, net.isIP(addr) === 6 ? 'ipv6' : 'ipv4');
}

const trustJson = (i: TrustItem) => ({ ...i, notAfter: i.notAfter.toISOString() });
const TrustJson = Type.Object({
  id: Id(), kind: OneOf(['anchor', 'intermediate']), label: Text(200), subject: Text(2000), subjectKeyId: Text(200), authorityKeyId: Text(200),
  notAfter: DateTime(), crlUrl: Type.Union([Text(500), Type.Null()]),
}, { description: 'A trusted certificate authority' });

export function certificateRoutes(fastify: FastifyInstance, deps: Deps, metrics: Metrics): void {
  const app = typed(fastify);
  certificateApiRoutes(fastify, deps);

  const refusal = (req: FastifyRequest, reply: FastifyReply, reason: string, status: number) => {
    const key = (NEUTRAL.has(reason) ? 'cert.loginFailed' : reason === 'ip_limited' ? 'login.ipLimited' : reason) as MessageKey;
    return reply.status(status).send({ error: key, message: req.ctx.t(key) });
  };

  app.get('/login/certificate', { schema: { querystring: Query({ next: NEXT() }), response: PAGE } }, async (req, reply) => {
    // Signed in already: only a step-up (SSO-2) — on the way somewhere that needs the card — shows the page.
    if (req.ctx.session && !req.query.next) return reply.redirect('/', 303);
    return page(req, reply, (ctx) => <CertificateLoginPage ctx={ctx} next={req.query.next ? safeNext(req.query.next) : undefined} />);
  });

  app.post('/login/certificate/challenge', {
    schema: { body: Closed({ _csrf: Type.Optional(Text(200)) }), response: { 200: Challenge, ...JSON_ERRORS } },
  }, async (_req, reply) => {
    const { tbs, cookie } = await issueChallenge(deps, 'login');
    reply.setCookie(CERT_LOGIN_COOKIE, cookie, { ...cookieOptions(deps, CHALLENGE_TTL_MS / 1000), path: '/login/certificate' });
    return { tbs };
  });

  app.post('/login/certificate', {
    schema: { body: Closed({ ...Answer, next: NEXT() }), response: { 200: Redirect, ...JSON_ERRORS } },
  }, async (req, reply) => {
    const outcome = await certificateLogin(deps, { cookie: req.cookies[CERT_LOGIN_COOKIE], answer: answerOf(req.body), ip: clientIp(req), replaces: req.ctx.session?.idHash });
    metrics.loginAttempts.inc({ result: outcome.ok ? 'ok' : `certificate_${outcome.reason}` });
    reply.clearCookie(CERT_LOGIN_COOKIE, { path: '/login/certificate' });
    if (!outcome.ok) return refusal(req, reply, outcome.reason, outcome.reason === 'ip_limited' ? 429 : 401);
    reply.setCookie(SESSION_COOKIE, outcome.sessionToken, cookieOptions(deps));
    return { redirect: req.body.next ? safeNext(req.body.next) : '/' };
  });

  // A TLS client certificate the reverse proxy verified the possession of, forwarded in the
  // configured header: believed only from a listed proxy address (else 403, audited).
  app.post('/login/certificate/tls', {
    schema: { body: FormBody({ next: NEXT() }), response: { ...FORM_PAGE, 401: PAGE[400] } },
  }, async (req, reply) => {
    const header = deps.config.certTlsHeader;
    if (!header) throw notFound();
    const raw = req.headers[header];
    const next = req.body.next ? safeNext(req.body.next) : undefined;
    const show = (key: MessageKey, status: number) => page(req, reply, (ctx) => <CertificateLoginPage ctx={ctx} next={next} error={ctx.t(key)} />, status);
    if (!fromTrustedProxy(deps, req.socket.remoteAddress)) {
      metrics.loginAttempts.inc({ result: 'certificate_cert.untrustedProxy' });
      await certificateLogin(deps, { untrustedProxy: true, ip: clientIp(req) });
      return show('cert.untrustedProxy', 403);
    }
    let der: Uint8Array | undefined;
    try { der = typeof raw === 'string' && raw ? certificateBytes(decodeURIComponent(raw)) : undefined; } catch { der = undefined; }
    const outcome = await certificateLogin(deps, { tlsCertificate: der ?? new Uint8Array([0]), ip: clientIp(req), replaces: req.ctx.session?.idHash });
    metrics.loginAttempts.inc({ result: outcome.ok ? 'ok' : `certificate_${outcome.reason}` });
    if (!outcome.ok) {
      const key = (NEUTRAL.has(outcome.reason) ? 'cert.loginFailed' : outcome.reason === 'ip_limited' ? 'login.ipLimited' : outcome.reason) as MessageKey;
      return show(key, outcome.reason === 'ip_limited' ? 429 : 401);
    }
    reply.setCookie(SESSION_COOKIE, outcome.sessionToken, cookieOptions(deps));
    return reply.redirect(next ?? '/', 303);
  });

  // 自然人憑證: the user's registered certificates.
  const ownPage = async (req: FastifyRequest, reply: FastifyReply, extra: { info?: string; error?: string } = {}, status = 200) => {
    const s = requireSession(req);
    const [items, { policy }] = await Promise.all([listCertificates(deps, s.accountId), effectivePolicyFor(deps.db, s.unitOid)]);
    return page(req, reply, (ctx) => <CertificatesPage ctx={ctx} items={items} allowed={certificateAllowed(policy)} {...extra} />, status);
  };
  const DONE: Record<string, MessageKey> = { registered: 'cert.registered', removed: 'cert.removed' };

  app.get('/account/certificates', { schema: { querystring: Query({ done: Field(20) }), response: PAGE } }, async (req, reply) => {
    const done = DONE[req.query.done ?? ''];
    return ownPage(req, reply, { info: done ? req.ctx.t(done) : undefined });
  });

  app.post('/account/certificates/challenge', {
    schema: { body: Closed({ _csrf: Type.Optional(Text(200)) }), response: { 200: Challenge, ...JSON_ERRORS } },
  }, async (req) => {
    const s = requireSession(req);
    return { tbs: (await issueChallenge(deps, 'register', s)).tbs };
  });

  app.post('/account/certificates', {
    schema: { body: Closed(Answer), response: { 200: Redirect, ...JSON_ERRORS } },
  }, async (req, reply) => {
    const s = requireSession(req);
    const r = await registerCertificate(deps, s, answerOf(req.body), clientIp(req));
    if (!r.ok) return reply.status(422).send({ error: r.reason, message: req.ctx.t(r.reason) });
    return { redirect: '/account/certificates?done=registered' };
  });

  app.post('/account/certificates/:certId/remove', {
    schema: { params: CertParams, body: FormBody({}), response: FORM_PAGE },
  }, async (req, reply) => {
    const s = requireSession(req);
    const gone = await removeCertificate(deps, s.accountId, { id: s.accountId, unit_oid: s.unitOid }, req.params.certId, clientIp(req));
    if (!gone) return ownPage(req, reply, { error: req.ctx.t('error.notFound') }, 404);
    return reply.redirect('/account/certificates?done=removed', 303);
  });

  // ADM-5: an administrator removes a user's certificate, within the jurisdiction (else 404).
  app.post('/admin/accounts/:id/certificates/:certId/remove', {
    schema: { params: AdminCertParams, body: FormBody({}), response: FORM_PAGE },
  }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const a = await accountFor(deps, actor, req.params.id, 'account.update');
    const gone = await removeCertificate(deps, actor.accountId, a, req.params.certId, clientIp(req));
    return reply.redirect(`/admin/accounts/${a.id}?done=${gone ? 'certificate-removed' : 'certificate-gone'}`, 303);
  });

  // The trust configuration: the central authority's alone (others: not found).
  const trustPage = async (req: FastifyRequest, reply: FastifyReply, extra: { info?: string; error?: string } = {}, status = 200) => {
    const items = await listTrustItems(deps);
    return page(req, reply, (ctx) => <TrustPage ctx={ctx} items={items} {...extra} />, status);
  };
  const TRUST_DONE: Record<string, MessageKey> = { added: 'cert.trust.added', removed: 'cert.trust.removed' };

  app.get('/admin/certificates/trust', { schema: { querystring: Query({ done: Field(20) }), response: PAGE } }, async (req, reply) => {
    await requirePermission(deps, req, 'trust.manage');
    const done = TRUST_DONE[req.query.done ?? ''];
    return trustPage(req, reply, { info: done ? req.ctx.t(done) : undefined });
  });

  app.post('/admin/certificates/trust', {
    schema: { body: FormBody({ certificate: Field(20_000), label: Field(200), crlUrl: Field(500) }), response: FORM_PAGE },
  }, async (req, reply) => {
    const actor = await requirePermission(deps, req, 'trust.manage');
    try {
      await addTrust(deps, actor.accountId, { certificate: req.body.certificate ?? '', label: req.body.label, crlUrl: req.body.crlUrl }, clientIp(req));
    } catch (e) {
      if (e instanceof HttpError) return trustPage(req, reply, { error: req.ctx.t(e.messageKey) }, e.status);
      throw e;
    }
    return reply.redirect('/admin/certificates/trust?done=added', 303);
  });

  app.post('/admin/certificates/trust/:id/remove', {
    schema: { params: TrustParams, body: FormBody({}), response: FORM_PAGE },
  }, async (req, reply) => {
    const actor = await requirePermission(deps, req, 'trust.manage');
    await removeTrust(deps, actor.accountId, req.params.id, clientIp(req));
    return reply.redirect('/admin/certificates/trust?done=removed', 303);
  });

  fastify.register(async (api) => {
    api.decorateRequest('apiActor', null);
    api.addHook('onRequest', bearerAuth(deps));
    const central = (req: FastifyRequest) => { if (!authorize(apiActor(req), 'trust.manage')) throw notFound(); return apiActor(req); };
    typed(api).get('/certificates/trust', {
      schema: { summary: 'Trusted certificate authorities for citizen-certificate sign-in; central authority only (AUTH-8)', querystring: NoQuery(), response: { 200: Type.Object({ items: Type.Array(TrustJson, { maxItems: 10_000 }) }), ...READ_ERRORS } },
    }, async (req) => { central(req); return { items: (await listTrustItems(deps)).map(trustJson) }; });
    typed(api).post('/certificates/trust', {
      schema: {
        summary: 'Trust a certificate authority (PEM or base64 DER); central authority only (AUTH-8)',
        body: Closed({ certificate: Text(20_000), label: Type.Optional(Text(200)), crlUrl: Type.Optional(Text(500)) }),
        response: { 201: TrustJson, 409: ErrorBody, 422: ErrorBody, ...READ_ERRORS },
      },
    }, async (req, reply) => {
      const actor = central(req);
      const item = await addTrust(deps, actor.accountId, req.body, clientIp(req));
      return reply.status(201).send(trustJson(item));
    });
    typed(api).delete('/certificates/trust/:id', {
      schema: { summary: 'Stop trusting a certificate authority; central authority only (AUTH-8)', params: TrustParams, body: NoBody(), response: { 200: Type.Object({ removed: Type.Boolean() }), ...READ_ERRORS } },
    }, async (req) => {
      const actor = central(req);
      return { removed: await removeTrust(deps, actor.accountId, req.params.id, clientIp(req)) };
    });
  }, { prefix: API_PREFIX });
}
