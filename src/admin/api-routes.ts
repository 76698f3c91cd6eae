// JSON API of delegated administration under /api/v1 (ADM-2, ADM-4, SSO-1). HTTP only: input
// validated by the route's declared contract (api-schemas.ts), one service call, the answer. Every
// route in `authenticated` sits behind the bearer token; only the OpenAPI document, generated from
// these declarations (platform/http/openapi.ts), is public.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { isValidOid } from '../orgs/oid.ts';
import { bearerAuth, apiActor } from '../access/api-auth.ts';
import { apiMessage } from './messages.ts';
import { isValidNationalId, normaliseNationalId } from '../accounts/national-id.ts';
import { searchAccounts, getAccount } from './account-directory.ts';
import { getSystem, listSystems } from '../sso/systems/registry.ts';
import { setSystemOwner } from '../sso/systems/owner.ts';
import { setApplyScope } from '../sso/systems/apply-scope.ts';
import { clientIp } from '../platform/http/pages.ts';
import { accountWriteRoutes } from './api-account-routes.ts';
import { grantApiRoutes } from './grant-api.ts';
import { scimTokenApiRoutes } from '../scim/token-api.ts';
import { scimPushApiRoutes } from '../scim/push-api.ts';
import { typed, NoQuery } from '../platform/http/contract.ts';
import {
  accountDetail, accountIdParams, accountList, applyScopeBody, applyScopeResult, fieldErrors, READ_ERRORS, searchAccountsQuery, systemCodeParams, systemItem, systemList, systemPatchBody,
} from './api-schemas.ts';

export const API_PREFIX = '/api/v1';

async function authenticated(app: FastifyInstance, deps: Deps) {
  app.decorateRequest('apiActor', null);
  app.addHook('onRequest', bearerAuth(deps));
  const api = typed(app);

  api.get('/accounts', {
    schema: {
      summary: 'Search accounts inside the caller\'s jurisdiction (ADM-4)',
      querystring: searchAccountsQuery, response: { 200: accountList, ...READ_ERRORS },
    },
  }, async (req, reply) => {
    const { unit, q, nationalId, page, pageSize } = req.query;
    // The pattern admits arcs the OID rules do not (length, first arcs): one check, the registry's.
    if (unit !== undefined && !isValidOid(unit)) {
      return reply.status(400).send({ error: 'error.badRequest', message: apiMessage(req.ctx.lang, 'api.invalidOid'), fields: ['querystring.unit'] });
    }
    // Typed as people type it (spaces, lower case): the one normalisation, then the checksum.
    if (nationalId !== undefined && !isValidNationalId(normaliseNationalId(nationalId))) {
      return reply.status(400).send({ error: 'error.badRequest', message: apiMessage(req.ctx.lang, 'api.invalidInput', { fields: 'querystring.nationalId' }), fields: ['querystring.nationalId'] });
    }
    const r = await searchAccounts(deps, apiActor(req), { unit, q: q?.trim() || undefined, nationalId, page, pageSize });
    return { total: r.total, totalExact: r.totalExact, page, pageSize, items: r.items };
  });

  api.get('/accounts/:id', {
    schema: { summary: 'One account (ADM-4)', params: accountIdParams, querystring: NoQuery(), response: { 200: accountDetail, ...READ_ERRORS } },
  }, async (req) => getAccount(deps, apiActor(req), req.params.id));

  api.get('/systems', {
    schema: {
      summary: 'Application systems, their owning organisations and roles (SSO-1)',
      querystring: NoQuery(), response: { 200: systemList, 401: READ_ERRORS[401] },
    },
  }, async (req) => ({ items: await listSystems(deps, apiActor(req)) }));

  // The central authority names a system's owning organisation (SSO-1); anyone else: "not found".
  api.patch('/systems/:code', {
    schema: {
      summary: 'Set a system\'s owning organisation (central authority only; SSO-1)',
      params: systemCodeParams, body: systemPatchBody,
      response: { 200: systemItem, ...READ_ERRORS, 422: fieldErrors('Not a valid OID, or neither a registered organisation nor the national root') },
    },
  }, async (req, reply) => {
    const actor = apiActor(req);
    const r = await setSystemOwner(deps, actor, req.params.code, req.body.ownerOid, clientIp(req));
    if (!r.ok) return reply.status(422).send({ error: 'error.badRequest', message: req.ctx.t('error.badRequest'), errors: { ownerOid: req.ctx.t(r.error) } });
    return getSystem(deps, actor, req.params.code);
  });

  // Who may apply for the system's roles (issue 9 item 14): the central authority's to set.
  api.put('/systems/:code/apply-scope', {
    schema: {
      summary: 'Set which subtrees may apply for the system\'s roles; central authority only (REQ-1, SSO-1)',
      params: systemCodeParams, body: applyScopeBody, response: { 200: applyScopeResult, ...READ_ERRORS },
    },
  }, async (req, reply) => {
    const r = await setApplyScope(deps, apiActor(req), req.params.code, req.body.subtrees, clientIp(req));
    if (!r.ok) return reply.status(400).send({ error: 'error.badRequest', message: apiMessage(req.ctx.lang, 'api.invalidOid'), fields: ['body.subtrees'] });
    return { code: req.params.code, applyScope: r.subtrees };
  });

  accountWriteRoutes(app, deps);
  grantApiRoutes(app, deps);
  scimTokenApiRoutes(app, deps);
  scimPushApiRoutes(app, deps);
}

export function adminApiRoutes(app: FastifyInstance, deps: Deps): void {
  app.register(async (api) => authenticated(api, deps), { prefix: API_PREFIX });
}
