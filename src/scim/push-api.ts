// SSO-6 ADM-2 ADM-7: the JSON API of SCIM push endpoints, inside the token-checked /api/v1 plugin:
// a system's endpoints with their sync status (inside the caller's reach), set and removed.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { apiActor } from '../access/api-auth.ts';
import { clientIp } from '../platform/http/pages.ts';
import { typed, Type, Text, Closed, Oid, Id, NoQuery, NoBody, OrNull, DateTime, FieldErrors } from '../platform/http/contract.ts';
import { READ_ERRORS, systemCodeParams } from '../admin/api-schemas.ts';
import { listPushTargets, removePushTarget, setPushTarget } from './push-targets.ts';

const pushItem = Type.Object({
  id: Type.Integer(), jurisdictionOid: Type.String(), url: Type.String(), enabled: Type.Boolean(), createdAt: DateTime(),
  lastSuccessAt: OrNull(DateTime()), lastFailureAt: OrNull(DateTime()), lastError: OrNull(Type.String()),
  failures: Type.Integer(), pending: Type.Integer({ description: 'Changes waiting to be pushed' }), givenUp: Type.Integer({ description: 'Changes given up after every retry' }),
});
const pushList = Type.Object({ system: Type.String(), items: Type.Array(pushItem) });
const setBody = Closed({
  jurisdictionOid: Oid({ description: 'The subtree whose people are pushed: inside a grant of the caller that covers the system\'s category' }),
  url: Text(2000, { description: 'The receiver\'s SCIM base URL (https; http only to this machine)' }),
  secret: Text(4000, { description: 'The bearer token the receiver issued; kept encrypted, never shown again' }),
});
const setReply = Type.Object({ id: Type.Integer(), queued: Type.Integer({ description: 'People of the subtree queued for the initial load' }) });
const pushParams = Closed({ code: systemCodeParams.properties.code, id: Id() });

export function scimPushApiRoutes(app: FastifyInstance, deps: Deps): void {
  const api = typed(app);
  api.get('/systems/:code/scim-push', {
    schema: { summary: 'The system\'s SCIM push endpoints inside the caller\'s reach, with their sync status (SSO-6)', params: systemCodeParams, querystring: NoQuery(), response: { 200: pushList, ...READ_ERRORS } },
  }, async (req) => ({ system: req.params.code, items: await listPushTargets(deps, apiActor(req), req.params.code) }));
  api.post('/systems/:code/scim-push', {
    schema: {
      summary: 'Set the system\'s SCIM push endpoint over a subtree (replacing its URL and secret if set); a new one queues the subtree\'s people (SSO-6)',
      params: systemCodeParams, body: setBody, response: { 201: setReply, ...READ_ERRORS, 422: FieldErrors },
    },
  }, async (req, reply) => {
    const r = await setPushTarget(deps, apiActor(req), req.params.code, req.body, clientIp(req));
    if (!r.ok) return reply.status(422).send({ error: 'error.badRequest', message: req.ctx.t('error.badRequest'), errors: { [r.field]: req.ctx.t(r.error) } });
    return reply.status(201).send({ id: r.id, queued: r.queued });
  });
  api.post('/systems/:code/scim-push/:id/remove', {
    schema: { summary: 'Remove a SCIM push endpoint of the system and what waits for it (SSO-6)', params: pushParams, body: NoBody(), response: { 200: Type.Object({ removed: Type.Boolean() }), ...READ_ERRORS } },
  }, async (req) => removePushTarget(deps, apiActor(req), req.params.code, req.params.id, clientIp(req)));
}
