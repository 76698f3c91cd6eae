// HTTP for passkeys (AUTH-11, ADM-5): the user's 登入方式 page (register, rename, remove), the
// usernameless sign-in of the login page (JSON calls made by /static/passkeys.js), and the
// administrator's removal on the account page, within their jurisdiction.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Deps } from '../platform/deps.ts';
import type { Metrics } from '../platform/http/health.ts';
import { cookieOptions, safeNext } from '../platform/http/context.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requireSession } from '../access/actor.ts';
import { effectivePolicyFor } from '../orgs/store.ts';
import { pageActor } from '../admin/account-pages.tsx';
import { accountFor } from '../admin/accounts.ts';
import type { MessageKey } from '../messages.ts';
import {
  typed, Type, Text, Closed, Id, Field, FormBody, Query, ErrorBody, PAGE, FORM_PAGE,
} from '../platform/http/contract.ts';
import { SESSION_COOKIE } from './sessions.ts';
import { NEXT } from './routes.tsx';
import {
  authenticationOptions, finishRegistration, listPasskeys, passkeyLogin, registrationOptions, removePasskey, renameOwnPasskey,
  PASSKEY_LOGIN_COOKIE, CHALLENGE_TTL_MS, NAME_MAX,
} from './passkeys.ts';
import { PasskeysPage } from './views/passkeys.tsx';

/** The browser bundle of @simplewebauthn/browser, served as /static/webauthn.js. */
export const WEBAUTHN_BROWSER_BUNDLE = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle', 'index.umd.min.js');

// What a browser's WebAuthn answer carries (base64url strings), closed and bounded like every input.
const B64 = (max: number) => Text(max, { pattern: '^[A-Za-z0-9_-]*={0,2}$' });
const ExtensionResults = Closed({
  credProps: Type.Optional(Closed({ rk: Type.Optional(Type.Boolean()) })),
  appid: Type.Optional(Type.Boolean()),
});
const CredentialBase = {
  id: B64(1400), rawId: B64(1400), type: Text(20),
  authenticatorAttachment: Type.Optional(Text(30)),
  clientExtensionResults: ExtensionResults,
};
const RegistrationCredential = Closed({
  ...CredentialBase,
  response: Closed({
    clientDataJSON: B64(10_000), attestationObject: B64(40_000),
    authenticatorData: Type.Optional(B64(40_000)),
    transports: Type.Optional(Type.Array(Text(30), { maxItems: 10 })),
    publicKeyAlgorithm: Type.Optional(Type.Integer({ minimum: -65_536, maximum: 65_536 })),
    publicKey: Type.Optional(B64(10_000)),
  }),
}, { description: 'The authenticator\'s answer to navigator.credentials.create(), as @simplewebauthn/browser encodes it' });
const AuthenticationCredential = Closed({
  ...CredentialBase,
  response: Closed({
    clientDataJSON: B64(10_000), authenticatorData: B64(40_000), signature: B64(20_000),
    userHandle: Type.Optional(B64(200)),
  }),
}, { description: 'The authenticator\'s answer to navigator.credentials.get(), as @simplewebauthn/browser encodes it' });

const JsonBody = <P extends Record<string, ReturnType<typeof Type.Optional> | ReturnType<typeof Closed>>>(props: P) =>
  Closed({ _csrf: Type.Optional(Text(200)), ...props });
const Options = Type.Object({
  options: Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, description: 'PublicKeyCredential options (WebAuthn JSON)' }),
}, { description: 'Options for the browser\'s WebAuthn call' });
const Redirect = Type.Object({ redirect: Text(8000) }, { description: 'Done: where the browser goes next' });
const JSON_ERRORS = { 400: PAGE[400], 401: ErrorBody, 403: PAGE[403], 404: ErrorBody, 422: ErrorBody, 429: ErrorBody } as const;

const PasskeyParams = Closed({ passkeyId: Id() });
const AdminPasskeyParams = Closed({ id: Id(), passkeyId: Id() });
const DONE: Record<string, MessageKey> = { registered: 'passkey.registered', removed: 'passkey.removed', renamed: 'passkey.renamed' };

export function passkeyRoutes(fastify: FastifyInstance, deps: Deps, metrics: Metrics): void {
  const app = typed(fastify);

  const ownPage = async (req: FastifyRequest, reply: FastifyReply, extra: { info?: string; error?: string } = {}, status = 200) => {
    const s = requireSession(req);
    const [passkeys, { policy }] = await Promise.all([listPasskeys(deps, s.accountId), effectivePolicyFor(deps.db, s.unitOid)]);
    return page(req, reply, (ctx) => <PasskeysPage ctx={ctx} v={{ passkeys, allowed: policy['login.passkey'], ...extra }} />, status);
  };

  app.get('/account/passkeys', { schema: { querystring: Query({ done: Field(20), name: Field(NAME_MAX) }), response: PAGE } }, async (req, reply) => {
    const done = DONE[req.query.done ?? ''];
    return ownPage(req, reply, { info: done ? req.ctx.t(done, { name: req.query.name ?? '' }) : undefined });
  });

  app.post('/account/passkeys/options', {
    schema: { body: JsonBody({}), response: { 200: Options, ...JSON_ERRORS } },
  }, async (req, reply) => {
    const s = requireSession(req);
    const r = await registrationOptions(deps, s);
    if (!r.ok) return reply.status(422).send({ error: r.error, message: req.ctx.t(r.error) });
    return { options: r.options as unknown as Record<string, unknown> };
  });

  app.post('/account/passkeys', {
    schema: { body: JsonBody({ credential: RegistrationCredential }), response: { 200: Redirect, ...JSON_ERRORS } },
  }, async (req, reply) => {
    const s = requireSession(req);
    const r = await finishRegistration(deps, s, req.body.credential as unknown as RegistrationResponseJSON, clientIp(req));
    if (!r.ok) return reply.status(422).send({ error: r.error, message: req.ctx.t(r.error) });
    return { redirect: `/account/passkeys?done=registered&name=${encodeURIComponent(r.passkey.name)}` };
  });

  app.post('/account/passkeys/:passkeyId/rename', {
    schema: { params: PasskeyParams, body: FormBody({ name: Field(200) }), response: FORM_PAGE },
  }, async (req, reply) => {
    const s = requireSession(req);
    const r = await renameOwnPasskey(deps, s, req.params.passkeyId, req.body.name ?? '', clientIp(req));
    if (!r.ok) return ownPage(req, reply, { error: req.ctx.t(r.error) }, r.error === 'error.notFound' ? 404 : 422);
    return reply.redirect('/account/passkeys?done=renamed', 303);
  });

  app.post('/account/passkeys/:passkeyId/remove', {
    schema: { params: PasskeyParams, body: FormBody({}), response: FORM_PAGE },
  }, async (req, reply) => {
    const s = requireSession(req);
    const gone = await removePasskey(deps, s.accountId, { id: s.accountId, unit_oid: s.unitOid }, req.params.passkeyId, clientIp(req));
    if (!gone) return ownPage(req, reply, { error: req.ctx.t('error.notFound') }, 404);
    return reply.redirect('/account/passkeys?done=removed', 303);
  });

  // Usernameless sign-in. The options come with a cookie that binds the ceremony to this browser.
  app.post('/login/passkey/options', {
    schema: { body: JsonBody({}), response: { 200: Options, ...JSON_ERRORS } },
  }, async (_req, reply) => {
    const { options, cookie } = await authenticationOptions(deps);
    reply.setCookie(PASSKEY_LOGIN_COOKIE, cookie, { ...cookieOptions(deps, CHALLENGE_TTL_MS / 1000), path: '/login/passkey' });
    return { options: options as unknown as Record<string, unknown> };
  });

  app.post('/login/passkey', {
    schema: { body: JsonBody({ credential: AuthenticationCredential, next: NEXT() }), response: { 200: Redirect, ...JSON_ERRORS } },
  }, async (req, reply) => {
    const outcome = await passkeyLogin(deps, req.cookies[PASSKEY_LOGIN_COOKIE], req.body.credential as unknown as AuthenticationResponseJSON, clientIp(req));
    metrics.loginAttempts.inc({ result: outcome.ok ? 'ok' : `passkey_${outcome.reason}` });
    reply.clearCookie(PASSKEY_LOGIN_COOKIE, { path: '/login/passkey' });
    // One message for every refusal: which credential, account or state it was is the audit trail's.
    if (!outcome.ok) {
      const status = outcome.reason === 'ip_limited' ? 429 : 401;
      const key = outcome.reason === 'ip_limited' ? 'login.ipLimited' : 'passkey.loginFailed';
      return reply.status(status).send({ error: key, message: req.ctx.t(key) });
    }
    reply.setCookie(SESSION_COOKIE, outcome.sessionToken, cookieOptions(deps));
    return { redirect: req.body.next ? safeNext(req.body.next) : '/' };
  });

  // ADM-5: an administrator removes a user's passkey, within the jurisdiction (else 404).
  app.post('/admin/accounts/:id/passkeys/:passkeyId/remove', {
    schema: { params: AdminPasskeyParams, body: FormBody({}), response: FORM_PAGE },
  }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const a = await accountFor(deps, actor, req.params.id, 'account.update');
    const gone = await removePasskey(deps, actor.accountId, a, req.params.passkeyId, clientIp(req));
    return reply.redirect(`/admin/accounts/${a.id}?done=${gone ? 'passkey-removed' : 'passkey-gone'}`, 303);
  });
}
