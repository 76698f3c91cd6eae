// HTTP for administering single sign-on: each system's OIDC client, its consent report, and the user's own consents (SSO-2, SSO-3).
// Pages under /admin/sso (authorize 'client.manage' in the services: a system the caller may not
// manage is "not found"), /consents for every signed-in user, and the JSON API (admin-api.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import type { MessageKey } from '../platform/web/messages.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requireSession, loadActor } from '../access/actor.ts';
import { notFound } from '../platform/http/errors.ts';
import type { Actor } from '../access/authorize.ts';
import { getClient, inputOf, listClients, rotateSecret, saveClient, type ClientSettingsInput } from './admin-clients.ts';
import { lines } from './admin-client-rules.ts';
import { consentReport, CONSENT_STATUSES, type ConsentStatus } from './admin-consents.ts';
import { ownConsents, revokeOwnConsent } from './admin-own-consents.ts';
import { ssoAdminApiRoutes } from './admin-api.ts';
import { SsoSystemsPage } from './views/admin-systems.tsx';
import { ClientPage, SecretOncePage } from './views/admin-client.tsx';
import { ConsentReportPage } from './views/admin-consents.tsx';
import { OwnConsentsPage } from './views/admin-own-consents.tsx';

type Form = Record<string, unknown>;
const str = (v: unknown, max: number): string => (typeof v === 'string' ? v.slice(0, max) : '');
/** Check-box groups arrive as one string or an array. */
const list = (v: unknown): string[] => [v].flat().filter((x): x is string => typeof x === 'string').map((x) => x.slice(0, 40)).slice(0, 10);

/** The client form as the rules' input; an unticked check box is absent from the form. */
export function clientForm(b: Form): ClientSettingsInput {
  return {
    authMethod: str(b.authMethod, 40),
    redirectUris: lines(str(b.redirectUris, 50_000)),
    postLogoutRedirectUris: lines(str(b.postLogoutRedirectUris, 50_000)),
    backchannelLogoutUri: str(b.backchannelLogoutUri, 4000),
    initiateLoginUri: str(b.initiateLoginUri, 4000),
    grantTypes: list(b.grantTypes),
    certificateRequired: b.certificateRequired === '1',
    enabled: b.enabled === '1',
    jwks: str(b.jwks, 40_000),
    idTokenAlg: str(b.idTokenAlg, 10),
  };
}

/** System codes as the registry writes them; anything else is "not found" before any query. */
export function systemCodeParam(raw: string): string {
  if (!/^[a-z0-9_]{1,40}$/.test(raw)) throw notFound();
  return raw;
}

export const consentStatusParam = (raw: unknown): ConsentStatus =>
  (CONSENT_STATUSES as readonly string[]).includes(String(raw)) ? raw as ConsentStatus : 'all';

const pageParam = (raw: unknown): number => (typeof raw === 'string' && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1);

const actorOf = (deps: Deps, req: FastifyRequest): Promise<Actor> => loadActor(deps, requireSession(req).accountId);
const DONE: Record<string, MessageKey> = { saved: 'sso.admin.saved' };

export async function ssoAdminRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get('/admin/sso', async (req, reply) => {
    const systems = await listClients(deps, await actorOf(deps, req));
    return page(req, reply, (ctx) => <SsoSystemsPage ctx={ctx} systems={systems} />);
  });

  app.get<{ Params: { code: string }; Querystring: { done?: string } }>('/admin/sso/:code', async (req, reply) => {
    const system = await getClient(deps, await actorOf(deps, req), systemCodeParam(req.params.code));
    return page(req, reply, (ctx) => <ClientPage ctx={ctx} v={{ system, values: inputOf(system.client), done: DONE[req.query.done ?? ''] }} />);
  });

  app.post<{ Params: { code: string }; Body: Form }>('/admin/sso/:code', async (req, reply) => {
    const actor = await actorOf(deps, req);
    const code = systemCodeParam(req.params.code);
    const values = clientForm(req.body ?? {});
    const r = await saveClient(deps, actor, code, values, clientIp(req));
    // A new secret-based client got its secret now: this answer is the one time it is shown.
    if (r.ok && r.secret) return page(req, reply, (ctx) => <SecretOncePage ctx={ctx} s={r.value} secret={r.secret!} saved />);
    if (r.ok) return reply.redirect(`/admin/sso/${code}?done=saved`, 303);
    const system = await getClient(deps, actor, code);
    return page(req, reply, (ctx) => <ClientPage ctx={ctx} v={{ system, values, errors: r.errors }} />, 422);
  });

  // The answer is the page showing the new secret: no redirect, so it is never in a URL or a later GET.
  app.post<{ Params: { code: string } }>('/admin/sso/:code/secret', async (req, reply) => {
    const actor = await actorOf(deps, req);
    const code = systemCodeParam(req.params.code);
    const { clientSecret } = await rotateSecret(deps, actor, code, clientIp(req));
    const system = await getClient(deps, actor, code);
    return page(req, reply, (ctx) => <SecretOncePage ctx={ctx} s={system} secret={clientSecret} />);
  });

  app.get<{ Params: { code: string }; Querystring: { status?: string; page?: string } }>('/admin/sso/:code/consents', async (req, reply) => {
    const r = await consentReport(deps, await actorOf(deps, req), systemCodeParam(req.params.code), {
      status: consentStatusParam(req.query.status), page: pageParam(req.query.page),
    });
    return page(req, reply, (ctx) => <ConsentReportPage ctx={ctx} r={r} />);
  });

  app.get<{ Querystring: { done?: string } }>('/consents', async (req, reply) => {
    const s = requireSession(req);
    const consents = await ownConsents(deps, s.accountId);
    return page(req, reply, (ctx) => <OwnConsentsPage ctx={ctx} consents={consents} revoked={req.query.done === 'revoked'} />);
  });

  app.post<{ Params: { code: string } }>('/consents/:code/revoke', async (req, reply) => {
    const s = requireSession(req);
    await revokeOwnConsent(deps, s, systemCodeParam(req.params.code), clientIp(req));
    return reply.redirect('/consents?done=revoked', 303);
  });

  ssoAdminApiRoutes(app, deps);
}
