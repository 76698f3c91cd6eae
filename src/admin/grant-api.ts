// The administration-grant operations of the JSON API (ADM-1, ADM-2, ADM-7): the same service
// functions as the 管理授權 pages, registered inside the token-checked /api/v1 plugin
// (api-routes.ts), so each is behind the bearer token by construction and decides through
// `authorize` in the service.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { clientIp } from '../platform/http/pages.ts';
import { apiActor } from '../access/api-auth.ts';
import { createGrant, GrantInputError, revokeGrant } from './grants.ts';
import { grantInScope, listGrants, type GrantRow } from './grant-directory.ts';
import { typed, NoBody, Type } from '../platform/http/contract.ts';
import { grant, grantCreateBody, grantCreateErrors, grantErrors, grantIdParams, grantList, grantListQuery, grantRevokeErrors } from './grant-schemas.ts';

const json = (g: GrantRow) => ({
  id: g.id, accountId: g.accountId, username: g.username, name: g.name, kind: g.kind, jurisdictionOid: g.jurisdictionOid,
  jurisdictionName: g.orgName, categories: g.categories, createdAt: g.createdAt.toISOString(),
});

export function grantApiRoutes(app: FastifyInstance, deps: Deps): void {
  const api = typed(app);
  api.get('/grants', {
    schema: {
      summary: 'Administration grants whose jurisdiction lies inside the caller\'s (ADM-1, ADM-2); 404 for a caller who may give none',
      querystring: grantListQuery, response: { 200: grantList, ...grantErrors },
    },
  }, async (req) => {
    const { kind, jurisdiction, account, page, pageSize } = req.query;
    const r = await listGrants(deps, apiActor(req), { kind, jurisdiction, accountId: account, page, pageSize });
    return { total: r.total, page, pageSize, items: r.items.map(json) };
  });

  api.post('/grants', {
    schema: {
      summary: 'Give an administration grant (ADM-7): never beyond the caller\'s own kind, jurisdiction or categories; audited; the holder is mailed',
      body: grantCreateBody, response: { 201: grant, ...grantCreateErrors },
    },
  }, async (req, reply) => {
    const actor = apiActor(req);
    try {
      const id = await createGrant(deps, actor, req.body, clientIp(req), req.ctx.lang);
      return reply.status(201).send(json(await grantInScope(deps, actor, id)));
    } catch (e) {
      if (!(e instanceof GrantInputError)) throw e;
      const t = req.ctx.t;
      return reply.status(422).send({ error: e.key, message: t('error.badRequest'), errors: { [e.field]: t(e.key, e.vars) } });
    }
  });

  api.delete('/grants/:id', {
    schema: {
      summary: 'Revoke an administration grant, judged as its giving would be; audited; the holder is mailed',
      params: grantIdParams, body: NoBody(), response: { 204: Type.Null({ description: 'Revoked' }), ...grantRevokeErrors },
    },
  }, async (req, reply) => {
    await revokeGrant(deps, apiActor(req), req.params.id, clientIp(req), req.ctx.lang);
    return reply.status(204).send(null);
  });
}
