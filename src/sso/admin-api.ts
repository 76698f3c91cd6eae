// The single-sign-on administration API under /api/v1/sso (SSO-2, SSO-3): the same service
// functions as the /admin/sso pages, in a plugin behind the bearer token (every route by
// construction); a system the caller may not manage is 404.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { clientIp } from '../platform/http/pages.ts';
import { API_PREFIX } from '../admin/api-routes.ts';
import { apiActor, bearerAuth } from '../access/api-auth.ts';
import { authErrors, errorBody, fieldErrorBody } from '../admin/api-schemas.ts';
import { getClient, inputOf, listClients, rotateSecret, saveClient, type ClientSettingsInput, type ClientSystem } from './admin-clients.ts';
import { consentReport, type ConsentStatus } from './admin-consents.ts';
import {
  clientPatchBody, clientSaved, clientSystem, clientSystemList, consentQuery, consentReportBody, secretResult, systemCodeParams, type ClientPatchBody,
} from './admin-api-schemas.ts';

const json = (s: ClientSystem) => ({ ...s, client: { ...s.client, updatedAt: s.client.updatedAt?.toISOString() ?? null } });

/** The stored settings with the body's fields over them: a field left out keeps its value. */
function merged(current: ClientSettingsInput, b: ClientPatchBody): ClientSettingsInput {
  return {
    authMethod: b.authMethod ?? current.authMethod,
    redirectUris: b.redirectUris ?? current.redirectUris,
    postLogoutRedirectUris: b.postLogoutRedirectUris ?? current.postLogoutRedirectUris,
    backchannelLogoutUri: b.backchannelLogoutUri === undefined ? current.backchannelLogoutUri : b.backchannelLogoutUri ?? '',
    initiateLoginUri: b.initiateLoginUri === undefined ? current.initiateLoginUri : b.initiateLoginUri ?? '',
    grantTypes: b.grantTypes ?? current.grantTypes,
    certificateRequired: b.certificateRequired ?? current.certificateRequired,
    enabled: b.enabled ?? current.enabled,
    jwks: b.jwks === undefined ? current.jwks : b.jwks === null ? '' : JSON.stringify(b.jwks),
    idTokenAlg: b.idTokenAlg ?? current.idTokenAlg,
  };
}

async function authenticated(api: FastifyInstance, deps: Deps) {
  api.decorateRequest('apiActor', null);
  api.addHook('onRequest', bearerAuth(deps));
  const byCode = { params: systemCodeParams };

  api.get('/sso/clients', {
    schema: { response: { 200: clientSystemList, ...authErrors } },
  }, async (req) => ({ items: (await listClients(deps, apiActor(req))).map(json) }));

  api.get<{ Params: { code: string } }>('/sso/clients/:code', {
    schema: { ...byCode, response: { 200: clientSystem, ...authErrors } },
  }, async (req) => json(await getClient(deps, apiActor(req), req.params.code)));

  api.patch<{ Params: { code: string }; Body: ClientPatchBody }>('/sso/clients/:code', {
    schema: { ...byCode, body: clientPatchBody, response: { 200: clientSaved, ...authErrors, 422: fieldErrorBody } },
  }, async (req, reply) => {
    const actor = apiActor(req);
    const current = await getClient(deps, actor, req.params.code);
    const r = await saveClient(deps, actor, req.params.code, merged(inputOf(current.client), req.body), clientIp(req));
    if (r.ok) return { ...json(r.value), ...(r.secret ? { clientSecret: r.secret } : {}) };
    const t = req.ctx.t;
    return reply.status(422).send({ error: 'error.badRequest', message: t('error.badRequest'), errors: Object.fromEntries(Object.entries(r.errors).map(([f, k]) => [f, t(k!)])) });
  });

  api.post<{ Params: { code: string } }>('/sso/clients/:code/secret', {
    schema: { ...byCode, response: { 200: secretResult, ...authErrors, 409: errorBody } },
  }, async (req) => rotateSecret(deps, apiActor(req), req.params.code, clientIp(req)));

  api.get<{ Params: { code: string }; Querystring: { status: ConsentStatus; page: number; pageSize: number } }>('/sso/clients/:code/consents', {
    schema: { ...byCode, querystring: consentQuery, response: { 200: consentReportBody, ...authErrors } },
  }, async (req) => {
    const r = await consentReport(deps, apiActor(req), req.params.code, req.query);
    return {
      system: r.system.code, status: r.status, page: r.page, pageSize: r.pageSize, holders: r.holders, consented: r.consented, total: r.total,
      items: r.rows.map((x) => ({ ...x, consentedAt: x.consentedAt?.toISOString() ?? null })),
    };
  });
}

export function ssoAdminApiRoutes(app: FastifyInstance, deps: Deps): void {
  app.register(async (api) => authenticated(api, deps), { prefix: API_PREFIX });
}
