// The single-sign-on administration API under /api/v1/sso (SSO-2, SSO-3, OPS-4): the same service
// functions as the /admin/sso pages, in a plugin behind the bearer token (every route by
// construction); a system the caller may not manage is 404. Each route declares its contract
// (admin-api-schemas.ts), from which the OpenAPI document is generated.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { clientIp } from '../platform/http/pages.ts';
import { API_PREFIX } from '../admin/api-routes.ts';
import { apiActor, bearerAuth } from '../access/api-auth.ts';
import { typed, NoBody, NoQuery } from '../platform/http/contract.ts';
import { getClient, inputOf, listClients, rotateSecret, saveClient, type ClientSettingsInput, type ClientSystem } from './admin-clients.ts';
import { consentReport } from './admin-consents.ts';
import {
  clientPatchBody, clientRefused, clientSaved, clientSystem, clientSystemList, consentQuery, consentReportBody, secretConflict, secretResult,
  SSO_API_ERRORS, systemCodeParams, type ClientPatchBody,
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

async function authenticated(app: FastifyInstance, deps: Deps) {
  const api = typed(app);
  api.decorateRequest('apiActor', null);
  api.addHook('onRequest', bearerAuth(deps));
  const params = systemCodeParams;

  api.get('/sso/clients', {
    schema: {
      summary: 'The systems whose OpenID Connect client the caller may manage, with their settings (SSO-2)',
      querystring: NoQuery(), response: { 200: clientSystemList, ...SSO_API_ERRORS },
    },
  }, async (req) => ({ items: (await listClients(deps, apiActor(req))).map(json) }));

  api.get('/sso/clients/:code', {
    schema: { summary: 'One system\'s client settings (SSO-2)', params, querystring: NoQuery(), response: { 200: clientSystem, ...SSO_API_ERRORS } },
  }, async (req) => json(await getClient(deps, apiActor(req), req.params.code)));

  api.patch('/sso/clients/:code', {
    schema: {
      summary: 'Change the client settings; fields left out keep their value; the first save creates the client (a secret-based one gets its secret in this answer, once). Switching to a method without a shared secret drops the stored secret',
      params, body: clientPatchBody, response: { 200: clientSaved, ...SSO_API_ERRORS, 422: clientRefused },
    },
  }, async (req, reply) => {
    const actor = apiActor(req);
    const current = await getClient(deps, actor, req.params.code);
    const r = await saveClient(deps, actor, req.params.code, merged(inputOf(current.client), req.body), clientIp(req));
    if (r.ok) return { ...json(r.value), ...(r.secret ? { clientSecret: r.secret } : {}) };
    const t = req.ctx.t;
    return reply.status(422).send({ error: 'error.badRequest', message: t('error.badRequest'), errors: Object.fromEntries(Object.entries(r.errors).map(([f, k]) => [f, t(k!)])) });
  });

  api.post('/sso/clients/:code/secret', {
    schema: {
      summary: 'Generate a new client secret (the old one stops working at once); answered this once, stored only encrypted',
      params, body: NoBody(), response: { 200: secretResult, ...SSO_API_ERRORS, 409: secretConflict },
    },
  }, async (req) => rotateSecret(deps, apiActor(req), req.params.code, clientIp(req)));

  api.get('/sso/clients/:code/consents', {
    schema: {
      summary: 'Consent status (SSO-3): accounts inside the caller\'s jurisdiction holding a role in the system, consented or not',
      params, querystring: consentQuery, response: { 200: consentReportBody, ...SSO_API_ERRORS },
    },
  }, async (req) => {
    const { status = 'all', page = 1, pageSize } = req.query;
    const r = await consentReport(deps, apiActor(req), req.params.code, { status, page, pageSize });
    return {
      system: r.system.code, status: r.status, page: r.page, pageSize: r.pageSize, holders: r.holders, consented: r.consented, total: r.total,
      items: r.rows.map((x) => ({ ...x, consentedAt: x.consentedAt?.toISOString() ?? null })),
    };
  });
}

export function ssoAdminApiRoutes(app: FastifyInstance, deps: Deps): void {
  app.register(async (api) => authenticated(api, deps), { prefix: API_PREFIX });
}
