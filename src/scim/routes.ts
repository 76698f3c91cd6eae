// SSO-6: the SCIM 2.0 service provider at /scim/v2 (RFC 7644). HTTP only: application/scim+json in
// and out, the SCIM error schema for every refusal, the discovery documents public, everything
// else behind a SCIM bearer token (tokens.ts) whose narrowed actor the use cases act with.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { isDatabaseUnavailable } from '../db/index.ts';
import { HttpError } from '../platform/http/errors.ts';
import { clientIp } from '../platform/http/pages.ts';
import { typed, NoBody, NoQuery } from '../platform/http/contract.ts';
import { ScimError } from './errors.ts';
import { authenticateScimToken, type ScimCaller } from './tokens.ts';
import { listOf, resourceTypeDocs, schemasDocs, serviceProviderConfig } from './discovery.ts';
import { createUser, deleteUser, getUser, listUsers, patchUser, replaceUser, type Translate } from './users.ts';
import { getGroup, listGroups, patchGroup, replaceGroup } from './groups.ts';
import { createGroup, deleteGroup } from './group-lifecycle.ts';
import { parseAttrList, project } from './projection.ts';
import { CORE_GROUP, CORE_USER, ERROR, SCIM_CONTENT_TYPE, SCIM_PREFIX } from './schemas.ts';
import {
  IdParams, ListQuery, NoContent, PatchBody, ProjectionQuery, ResourceBody, SCIM_ERRORS, SCIM_WRITE_ERRORS, ScimList, ScimResource, SearchBody,
} from './route-schemas.ts';
import { scimTokenPages } from './token-pages.tsx';

declare module 'fastify' {
  interface FastifyRequest { scimCaller: ScimCaller | null }
}

const send = (reply: FastifyReply, status: number, body: unknown) => reply.status(status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(body));

function sendError(reply: FastifyReply, status: number, detail: string, scimType?: string) {
  return send(reply, status, { schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}), detail });
}

const baseUrl = (deps: Deps) => deps.config.baseUrl.replace(/\/$/, '') + SCIM_PREFIX;
const tr = (req: FastifyRequest): Translate => (key, vars) => req.ctx.t(key as never, vars);
const ifMatch = (req: FastifyRequest) => (typeof req.headers['if-match'] === 'string' ? req.headers['if-match'] : undefined);
const caller = (req: FastifyRequest): ScimCaller => {
  if (!req.scimCaller) throw new Error(`${req.routeOptions.url} is not behind the SCIM token`);
  return req.scimCaller;
};

/** A resource with its ETag header, projected by `attributes`/`excludedAttributes`. */
function sendResource(reply: FastifyReply, status: number, r: Record<string, unknown>, core: string, q: { attributes?: string; excludedAttributes?: string } = {}) {
  const version = (r.meta as { version?: string } | undefined)?.version;
  if (version) reply.header('etag', version);
  return send(reply, status, project(r, parseAttrList(q.attributes), parseAttrList(q.excludedAttributes), core));
}

function sendList(reply: FastifyReply, page: { total: number; startIndex: number; resources: Record<string, unknown>[] }, core: string, attributes?: string, excluded?: string) {
  const a = parseAttrList(attributes);
  const x = parseAttrList(excluded);
  return send(reply, 200, listOf(page.resources.map((r) => project(r, a, x, core)), page.total, page.startIndex));
}

function discovery(app: FastifyInstance, deps: Deps) {
  const api = typed(app);
  const schema = (summary: string) => ({ summary, querystring: NoQuery(), response: { 200: ScimResource, 404: SCIM_ERRORS[404] } });
  api.get('/ServiceProviderConfig', { schema: schema('SCIM service provider configuration (RFC 7644 §4)') }, async (_req, reply) => send(reply, 200, serviceProviderConfig(baseUrl(deps))));
  api.get('/ResourceTypes', { schema: schema('SCIM resource types') }, async (_req, reply) => {
    const docs = resourceTypeDocs(baseUrl(deps));
    return send(reply, 200, listOf(docs));
  });
  api.get('/ResourceTypes/:id', { schema: { ...schema('One SCIM resource type'), params: IdParams } }, async (req, reply) => {
    const doc = resourceTypeDocs(baseUrl(deps)).find((d) => d.id === req.params.id);
    return doc ? send(reply, 200, doc) : sendError(reply, 404, 'Resource not found');
  });
  api.get('/Schemas', { schema: schema('SCIM schemas: core User, enterprise and Tessera extensions, Group') }, async (_req, reply) => send(reply, 200, listOf(schemasDocs(baseUrl(deps)))));
  api.get('/Schemas/:id', { schema: { ...schema('One SCIM schema'), params: IdParams } }, async (req, reply) => {
    const doc = schemasDocs(baseUrl(deps)).find((d) => d.id === req.params.id);
    return doc ? send(reply, 200, doc) : sendError(reply, 404, 'Resource not found');
  });
}

function resources(app: FastifyInstance, deps: Deps) {
  app.decorateRequest('scimCaller', null);
  app.addHook('onRequest', async (req, reply) => {
    const m = /^Bearer ([^\s]+)$/i.exec(String(req.headers.authorization ?? ''));
    const who = m ? await authenticateScimToken(deps.db, deps.clock.now(), m[1]) : null;
    if (!who) {
      reply.header('www-authenticate', m ? 'Bearer realm="tessera-scim", error="invalid_token"' : 'Bearer realm="tessera-scim"');
      return sendError(reply, 401, 'A valid SCIM bearer token is required');
    }
    req.scimCaller = who;
  });
  const api = typed(app);
  const base = () => baseUrl(deps);

  api.get('/Users', { schema: { summary: 'Users inside the token\'s subtree: filter, sort, page, project', querystring: ListQuery, response: { 200: ScimList, ...SCIM_ERRORS } } },
    async (req, reply) => sendList(reply, await listUsers(deps, caller(req), base(), req.query), CORE_USER, req.query.attributes, req.query.excludedAttributes));
  api.post('/Users/.search', { schema: { summary: 'Search Users by POST (RFC 7644 §3.4.3)', body: SearchBody, response: { 200: ScimList, ...SCIM_ERRORS } } },
    async (req, reply) => sendList(reply, await listUsers(deps, caller(req), base(), req.body), CORE_USER, req.body.attributes?.join(','), req.body.excludedAttributes?.join(',')));
  api.get('/Users/:id', { schema: { summary: 'One User', params: IdParams, querystring: ProjectionQuery, response: { 200: ScimResource, ...SCIM_ERRORS } } },
    async (req, reply) => sendResource(reply, 200, await getUser(deps, caller(req), base(), req.params.id), CORE_USER, req.query));
  api.post('/Users', { schema: { summary: 'Create a User (the admin API\'s add-account rules)', body: ResourceBody, response: { 201: ScimResource, ...SCIM_WRITE_ERRORS } } }, async (req, reply) => {
    const r = await createUser(deps, caller(req), base(), req.body, clientIp(req), req.ctx.lang, tr(req));
    reply.header('location', (r.meta as { location: string }).location);
    return sendResource(reply, 201, r, CORE_USER);
  });
  api.put('/Users/:id', { schema: { summary: 'Replace a User', params: IdParams, body: ResourceBody, response: { 200: ScimResource, ...SCIM_WRITE_ERRORS } } },
    async (req, reply) => sendResource(reply, 200, await replaceUser(deps, caller(req), base(), req.params.id, req.body, ifMatch(req), clientIp(req), tr(req)), CORE_USER));
  api.patch('/Users/:id', { schema: { summary: 'Modify a User (add, remove, replace)', params: IdParams, body: PatchBody, response: { 200: ScimResource, ...SCIM_WRITE_ERRORS } } },
    async (req, reply) => sendResource(reply, 200, await patchUser(deps, caller(req), base(), req.params.id, req.body.Operations, ifMatch(req), clientIp(req), tr(req)), CORE_USER));
  api.delete('/Users/:id', { schema: { summary: 'Delete a User, irreversibly (ADM-5)', params: IdParams, body: NoBody(), response: { 204: NoContent, ...SCIM_WRITE_ERRORS } } }, async (req, reply) => {
    await deleteUser(deps, caller(req), base(), req.params.id, ifMatch(req), clientIp(req), tr(req));
    return reply.status(204).send(null);
  });

  api.get('/Groups', { schema: { summary: 'The system\'s roles as groups; members inside the token\'s subtree', querystring: ListQuery, response: { 200: ScimList, ...SCIM_ERRORS } } },
    async (req, reply) => sendList(reply, await listGroups(deps, caller(req), base(), req.query), CORE_GROUP, req.query.attributes, req.query.excludedAttributes));
  api.post('/Groups/.search', { schema: { summary: 'Search Groups by POST', body: SearchBody, response: { 200: ScimList, ...SCIM_ERRORS } } },
    async (req, reply) => sendList(reply, await listGroups(deps, caller(req), base(), req.body), CORE_GROUP, req.body.attributes?.join(','), req.body.excludedAttributes?.join(',')));
  api.get('/Groups/:id', { schema: { summary: 'One group (a role of the system)', params: IdParams, querystring: ProjectionQuery, response: { 200: ScimResource, ...SCIM_ERRORS } } },
    async (req, reply) => sendResource(reply, 200, await getGroup(deps, caller(req), base(), req.params.id), CORE_GROUP, req.query));
  api.patch('/Groups/:id', { schema: { summary: 'Add or remove members (role assignment within the token\'s category)', params: IdParams, body: PatchBody, response: { 200: ScimResource, ...SCIM_WRITE_ERRORS } } },
    async (req, reply) => sendResource(reply, 200, await patchGroup(deps, caller(req), base(), req.params.id, req.body.Operations, ifMatch(req), clientIp(req)), CORE_GROUP));
  api.post('/Groups', { schema: { summary: 'Create a group: a new role of the token\'s system, owned by its subtree', body: ResourceBody, response: { 201: ScimResource, ...SCIM_WRITE_ERRORS } } }, async (req, reply) => {
    const g = await createGroup(deps, caller(req), base(), req.body, clientIp(req));
    reply.header('location', (g.meta as { location: string }).location);
    return sendResource(reply, 201, g, CORE_GROUP);
  });
  api.delete('/Groups/:id', { schema: { summary: 'Delete a group created through SCIM under the token\'s subtree and held by nobody outside it', params: IdParams, body: NoBody(), response: { 204: NoContent, ...SCIM_WRITE_ERRORS } } }, async (req, reply) => {
    await deleteGroup(deps, caller(req), base(), req.params.id, ifMatch(req), clientIp(req));
    return reply.status(204).send(null);
  });
  api.put('/Groups/:id', { schema: { summary: 'Replace the members of a group', params: IdParams, body: ResourceBody, response: { 200: ScimResource, ...SCIM_WRITE_ERRORS } } },
    async (req, reply) => sendResource(reply, 200, await replaceGroup(deps, caller(req), base(), req.params.id, req.body, ifMatch(req), clientIp(req)), CORE_GROUP));
}

async function scimPlugin(app: FastifyInstance, deps: Deps) {
  app.addContentTypeParser(['application/scim+json'], { parseAs: 'string' }, (_req, body, done) => {
    try { done(null, body === '' ? undefined : JSON.parse(body as string)); } catch { done(new ScimError(400, 'invalidSyntax', 'The body is not JSON')); }
  });
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof ScimError) return sendError(reply, err.status, err.detail, err.scimType);
    const e = err as { validation?: unknown; statusCode?: number; message?: string };
    if (e.validation) return sendError(reply, 400, `Invalid request: ${e.message ?? ''}`.slice(0, 500), 'invalidValue');
    if (err instanceof HttpError) return sendError(reply, err.status, req.ctx ? req.ctx.t(err.messageKey) : err.messageKey, err.status === 400 ? 'invalidValue' : undefined);
    if (isDatabaseUnavailable(err)) { reply.header('retry-after', '5'); return sendError(reply, 503, 'Service unavailable'); }
    if (e.statusCode && e.statusCode < 500) return sendError(reply, e.statusCode, e.statusCode === 415 ? 'Unsupported content type' : 'Bad request', e.statusCode === 400 ? 'invalidSyntax' : undefined);
    req.log.error({ err }, 'scim request failed');
    return sendError(reply, 500, 'Internal error');
  });
  app.setNotFoundHandler((_req, reply) => sendError(reply, 404, 'Resource not found'));
  await app.register(async (d) => discovery(d, deps));
  await app.register(async (r) => resources(r, deps));
}

export function scimRoutes(app: FastifyInstance, deps: Deps): void {
  scimTokenPages(app, deps);
  app.register(async (s) => scimPlugin(s, deps), { prefix: SCIM_PREFIX });
}
