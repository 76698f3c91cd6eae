// HTTP for administering single sign-on: each system's OIDC client, its consent report, and the user's own consents (SSO-2, SSO-3).
// Pages under /admin/sso (authorize 'client.manage' in the services: a system the caller may not
// manage is "not found"), /consents for every signed-in user, and the JSON API (admin-api.ts).
// Every route declares its input (OPS-4, issue 10): a malformed system code is a 400 before any query.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import type { MessageKey } from '../platform/web/messages.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requireSession, loadActor } from '../access/actor.ts';
import { notFound } from '../platform/http/errors.ts';
import type { Actor } from '../access/authorize.ts';
import { typed, Type, Field, FieldList, FormBody, Query, NoQuery, PageNo, PAGE, FORM_PAGE, Html, type Static } from '../platform/http/contract.ts';
import { getClient, inputOf, listClients, rotateSecret, saveClient, type ClientSettingsInput } from './admin-clients.ts';
import { lines } from './admin-client-rules.ts';
import { consentReport, CONSENT_STATUSES } from './admin-consents.ts';
import { ownConsents, revokeOwnConsent } from './admin-own-consents.ts';
import { ssoAdminApiRoutes } from './admin-api.ts';
import { systemCodeParams } from './admin-api-schemas.ts';
import { SsoSystemsPage } from './views/admin-systems.tsx';
import { ClientPage, SecretOncePage } from './views/admin-client.tsx';
import { ConsentReportPage } from './views/admin-consents.tsx';
import { OwnConsentsPage } from './views/admin-own-consents.tsx';

/** The client form: text areas hold one URI a line; an unticked check box is absent. */
const clientFormBody = FormBody({
  authMethod: Field(40), redirectUris: Field(50_000), postLogoutRedirectUris: Field(50_000),
  backchannelLogoutUri: Field(4000), initiateLoginUri: Field(4000), grantTypes: FieldList(10, 40),
  certificateRequired: Field(1), enabled: Field(1), jwks: Field(40_000), idTokenAlg: Field(10),
});

/** The client form as the rules' input. */
function clientForm(b: Static<typeof clientFormBody>): ClientSettingsInput {
  return {
    authMethod: b.authMethod ?? '',
    redirectUris: lines(b.redirectUris ?? ''),
    postLogoutRedirectUris: lines(b.postLogoutRedirectUris ?? ''),
    backchannelLogoutUri: b.backchannelLogoutUri ?? '',
    initiateLoginUri: b.initiateLoginUri ?? '',
    grantTypes: b.grantTypes ?? [],
    certificateRequired: b.certificateRequired === '1',
    enabled: b.enabled === '1',
    jwks: b.jwks ?? '',
    idTokenAlg: b.idTokenAlg ?? '',
  };
}

const params = systemCodeParams;
const done = Query({ done: Field(20) });
const actorOf = (deps: Deps, req: FastifyRequest): Promise<Actor> => loadActor(deps, requireSession(req).accountId);
const DONE: Record<string, MessageKey> = { saved: 'sso.admin.saved' };

export async function ssoAdminRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const pages = typed(app);
  pages.get('/admin/sso', { schema: { querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const systems = await listClients(deps, await actorOf(deps, req));
    return page(req, reply, (ctx) => <SsoSystemsPage ctx={ctx} systems={systems} />);
  });

  pages.get('/admin/sso/:code', { schema: { params, querystring: done, response: PAGE } }, async (req, reply) => {
    const system = await getClient(deps, await actorOf(deps, req), req.params.code);
    return page(req, reply, (ctx) => <ClientPage ctx={ctx} v={{ system, values: inputOf(system.client), done: DONE[req.query.done ?? ''] }} />);
  });

  pages.post('/admin/sso/:code', { schema: { params, body: clientFormBody, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    const { code } = req.params;
    const values = clientForm(req.body);
    const r = await saveClient(deps, actor, code, values, clientIp(req));
    // A new secret-based client got its secret now: this answer is the one time it is shown.
    if (r.ok && r.secret) return page(req, reply, (ctx) => <SecretOncePage ctx={ctx} s={r.value} secret={r.secret!} saved />);
    if (r.ok) return reply.redirect(`/admin/sso/${code}?done=saved`, 303);
    const system = await getClient(deps, actor, code);
    return page(req, reply, (ctx) => <ClientPage ctx={ctx} v={{ system, values, errors: r.errors }} />, 422);
  });

  // The answer is the page showing the new secret: no redirect, so it is never in a URL or a later GET.
  pages.post('/admin/sso/:code/secret', { schema: { params, body: FormBody({}), response: { ...PAGE, 409: Html } } }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    const { code } = req.params;
    const { clientSecret } = await rotateSecret(deps, actor, code, clientIp(req));
    const system = await getClient(deps, actor, code);
    return page(req, reply, (ctx) => <SecretOncePage ctx={ctx} s={system} secret={clientSecret} />);
  });

  pages.get('/admin/sso/:code/consents', {
    schema: { params, querystring: Query({ status: Type.Optional(Type.Enum([...CONSENT_STATUSES])), page: Type.Optional(PageNo()) }), response: PAGE },
  }, async (req, reply) => {
    const r = await consentReport(deps, await actorOf(deps, req), req.params.code, { status: req.query.status ?? 'all', page: req.query.page ?? 1 });
    return page(req, reply, (ctx) => <ConsentReportPage ctx={ctx} r={r} />);
  });

  pages.get('/consents', { schema: { querystring: done, response: PAGE } }, async (req, reply) => {
    const s = requireSession(req);
    const consents = await ownConsents(deps, s.accountId);
    return page(req, reply, (ctx) => <OwnConsentsPage ctx={ctx} consents={consents} revoked={req.query.done === 'revoked'} />);
  });

  pages.post('/consents/:code/revoke', { schema: { params, body: FormBody({}), response: PAGE } }, async (req, reply) => {
    const s = requireSession(req);
    await revokeOwnConsent(deps, s, req.params.code, clientIp(req));
    return reply.redirect('/consents?done=revoked', 303);
  });

  ssoAdminApiRoutes(app, deps);
}
