// The announcement API under /api/v1/announcements (SSO-5): the same service functions as the
// 公告管理 pages, in a plugin behind the bearer token (every route by construction), each call
// deciding through `authorize` in the service. Announcements outside the caller's systems are 404.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { clientIp } from '../platform/http/pages.ts';
import { API_PREFIX } from '../admin/api-routes.ts';
import { apiActor, bearerAuth } from '../access/api-auth.ts';
import { authErrors, errorBody, fieldErrorBody } from '../admin/api-schemas.ts';
import {
  createAnnouncement, deleteAnnouncement, manageableAnnouncement, manageableAnnouncements, updateAnnouncement,
  type Announcement, type AnnouncementOutcome,
} from './announcements.ts';
import type { AnnouncementInput } from './announcement-rules.ts';
import {
  announcement, announcementCreateBody, announcementIdParams, announcementList, announcementListQuery, announcementPatchBody, type AnnouncementBody,
} from './api-schemas.ts';

const json = (a: Announcement) => ({ ...a, createdAt: a.createdAt.toISOString(), updatedAt: a.updatedAt?.toISOString() ?? null });
const writeErrors = { ...authErrors, 422: fieldErrorBody } as const;

/** The JSON body as the service's input: a key left out stays out (PATCH keeps that field). */
const toInput = (b: AnnouncementBody): AnnouncementInput => ({ ...b });

function answer(req: FastifyRequest, reply: FastifyReply, r: AnnouncementOutcome, status: number) {
  if (r.ok) return reply.status(status).send(json(r.value));
  const t = req.ctx.t;
  const errors = Object.fromEntries(Object.entries(r.errors).map(([f, k]) => [f, t(k!)]));
  return reply.status(422).send({ error: 'error.badRequest', message: t('error.badRequest'), errors });
}

async function authenticated(api: FastifyInstance, deps: Deps) {
  api.decorateRequest('apiActor', null);
  api.addHook('onRequest', bearerAuth(deps));

  api.get<{ Querystring: { page: number; pageSize: number } }>('/announcements', {
    schema: { querystring: announcementListQuery, response: { 200: announcementList, ...authErrors } },
  }, async (req) => {
    const { result } = await manageableAnnouncements(deps, apiActor(req), req.query.page, req.query.pageSize);
    return { ...result, items: result.items.map(json) };
  });

  api.post<{ Body: AnnouncementBody }>('/announcements', {
    schema: { body: announcementCreateBody, response: { 201: announcement, ...writeErrors } },
  }, async (req, reply) => answer(req, reply, await createAnnouncement(deps, apiActor(req), toInput(req.body), clientIp(req)), 201));

  api.get<{ Params: { id: number } }>('/announcements/:id', {
    schema: { params: announcementIdParams, response: { 200: announcement, ...authErrors } },
  }, async (req) => json((await manageableAnnouncement(deps, apiActor(req), req.params.id)).announcement));

  api.patch<{ Params: { id: number }; Body: AnnouncementBody }>('/announcements/:id', {
    schema: { params: announcementIdParams, body: announcementPatchBody, response: { 200: announcement, ...writeErrors } },
  }, async (req, reply) => answer(req, reply, await updateAnnouncement(deps, apiActor(req), req.params.id, toInput(req.body), clientIp(req)), 200));

  api.delete<{ Params: { id: number } }>('/announcements/:id', {
    schema: { params: announcementIdParams, response: { 204: { type: 'null' }, ...authErrors, 400: errorBody } },
  }, async (req, reply) => {
    await deleteAnnouncement(deps, apiActor(req), req.params.id, clientIp(req));
    return reply.status(204).send();
  });
}

export function announcementApiRoutes(app: FastifyInstance, deps: Deps): void {
  app.register(async (api) => authenticated(api, deps), { prefix: API_PREFIX });
}
