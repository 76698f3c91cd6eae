// JSON API of delegated administration under /api/v1 (ADM-2, ADM-4, SSO-1). HTTP only: schema-
// validated input, one service call, the answer. Every route in `authenticated` sits behind the
// bearer token; only the OpenAPI document is public.
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
import {
  accountDetail, accountIdParams, accountList, applyScopeBody, applyScopeResult, authErrors, fieldErrorBody, searchAccountsQuery, systemCodeParams, systemItem, systemList, systemPatchBody,
  type SearchAccountsQuery,
} from './api-schemas.ts';

export const API_PREFIX = '/api/v1';

async function authenticated(api: FastifyInstance, deps: Deps) {
  api.decorateRequest('apiActor', null);
  api.addHook('onRequest', bearerAuth(deps));

  api.get<{ Querystring: SearchAccountsQuery }>('/accounts', {
    schema: { querystring: searchAccountsQuery, response: { 200: accountList, ...authErrors } },
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

  api.get<{ Params: { id: number } }>('/accounts/:id', {
    schema: { params: accountIdParams, response: { 200: accountDetail, ...authErrors } },
  }, async (req) => getAccount(deps, apiActor(req), req.params.id));

  api.get('/systems', {
    schema: { response: { 200: systemList, ...authErrors } },
  }, async (req) => ({ items: await listSystems(deps, apiActor(req)) }));

  // The central authority names a system's owning organisation (SSO-1); anyone else: "not found".
  api.patch<{ Params: { code: string }; Body: { ownerOid: string } }>('/systems/:code', {
    schema: { params: systemCodeParams, body: systemPatchBody, response: { 200: systemItem, ...authErrors, 422: fieldErrorBody } },
  }, async (req, reply) => {
    const actor = apiActor(req);
    const r = await setSystemOwner(deps, actor, req.params.code, req.body.ownerOid, clientIp(req));
    if (!r.ok) return reply.status(422).send({ error: 'error.badRequest', message: req.ctx.t('error.badRequest'), errors: { ownerOid: req.ctx.t(r.error) } });
    return getSystem(deps, actor, req.params.code);
  });

  // Who may apply for the system's roles (issue 9 item 14): the central authority's to set.
  api.put<{ Params: { code: string }; Body: { subtrees: string[] } }>('/systems/:code/apply-scope', {
    schema: { params: systemCodeParams, body: applyScopeBody, response: { 200: applyScopeResult, ...authErrors } },
  }, async (req, reply) => {
    const r = await setApplyScope(deps, apiActor(req), req.params.code, req.body.subtrees, clientIp(req));
    if (!r.ok) return reply.status(400).send({ error: 'error.badRequest', message: apiMessage(req.ctx.lang, 'api.invalidOid'), fields: ['body.subtrees'] });
    return { code: req.params.code, applyScope: r.subtrees };
  });

  accountWriteRoutes(api, deps);
  grantApiRoutes(api, deps);
}

export function adminApiRoutes(app: FastifyInstance, deps: Deps): void {
  app.register(async (api) => authenticated(api, deps), { prefix: API_PREFIX });
}
