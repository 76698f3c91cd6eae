// SSO-6 ADM-2 ADM-7: the JSON API of SCIM tokens, inside the token-checked /api/v1 plugin: a
// system's SCIM tokens listed (inside the caller's reach), issued (shown once) and revoked.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { apiActor } from '../access/api-auth.ts';
import { clientIp } from '../platform/http/pages.ts';
import { typed, Type, Text, Closed, Oid, Id, NoQuery, NoBody, OrNull, DateTime, FieldErrors } from '../platform/http/contract.ts';
import { READ_ERRORS, systemCodeParams } from '../admin/api-schemas.ts';
import { issueScimToken, listScimTokens, revokeScimToken, MAX_SCIM_TOKEN_DAYS } from './tokens.ts';

const tokenItem = Type.Object({
  id: Type.Integer(), jurisdictionOid: Type.String(), label: OrNull(Type.String()), issuerName: Type.String(),
  createdAt: DateTime(), expiresAt: DateTime(), revokedAt: OrNull(DateTime()), lastUsedAt: OrNull(DateTime()),
});
const tokenList = Type.Object({ system: Type.String(), items: Type.Array(tokenItem) });
const issueBody = Closed({
  jurisdictionOid: Oid({ description: 'The subtree the token reaches: inside a grant of the caller that covers the system\'s category' }),
  label: Type.Optional(Text(100)),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SCIM_TOKEN_DAYS })),
});
const issued = Type.Object({ id: Type.Integer(), token: Type.String({ description: 'Shown once; only its hash is kept' }), expiresAt: DateTime(), scimBaseUrl: Type.String() });
const tokenParams = Closed({ code: systemCodeParams.properties.code, id: Id() });

export function scimTokenApiRoutes(app: FastifyInstance, deps: Deps): void {
  const api = typed(app);
  api.get('/systems/:code/scim-tokens', {
    schema: { summary: 'The system\'s SCIM tokens inside the caller\'s reach (SSO-6)', params: systemCodeParams, querystring: NoQuery(), response: { 200: tokenList, ...READ_ERRORS } },
  }, async (req) => {
    const r = await listScimTokens(deps, apiActor(req), req.params.code);
    return { system: r.system.code, items: r.tokens };
  });
  api.post('/systems/:code/scim-tokens', {
    schema: {
      summary: 'Issue a SCIM token for the system, bound to a subtree inside the caller\'s grant and to the system\'s category (SSO-6, ADM-7)',
      params: systemCodeParams, body: issueBody, response: { 201: issued, ...READ_ERRORS, 422: FieldErrors },
    },
  }, async (req, reply) => {
    const r = await issueScimToken(deps, apiActor(req), req.params.code, req.body, clientIp(req));
    if (!r.ok) return reply.status(422).send({ error: 'error.badRequest', message: req.ctx.t('error.badRequest'), errors: { jurisdictionOid: req.ctx.t(r.error) } });
    return reply.status(201).send({ id: r.id, token: r.token, expiresAt: r.expiresAt, scimBaseUrl: deps.config.baseUrl.replace(/\/$/, '') + '/scim/v2' });
  });
  api.post('/systems/:code/scim-tokens/:id/revoke', {
    schema: { summary: 'Revoke a SCIM token of the system (SSO-6)', params: tokenParams, body: NoBody(), response: { 200: Type.Object({ revoked: Type.Boolean() }), ...READ_ERRORS } },
  }, async (req) => revokeScimToken(deps, apiActor(req), req.params.code, req.params.id, clientIp(req)));
}
