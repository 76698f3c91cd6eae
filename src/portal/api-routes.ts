// The announcement API under /api/v1/announcements (SSO-5): the same service functions as the
// 公告管理 pages, in a plugin behind the bearer token (every route by construction), each call
// deciding through `authorize` in the service. Announcements outside the caller's systems are 404.
// Each route declares its contract (api-schemas.ts), from which the OpenAPI document is generated.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { clientIp } from '../platform/http/pages.ts';
import { API_PREFIX } from '../admin/api-routes.ts';
import { apiActor, bearerAuth } from '../access/api-auth.ts';
import { typed, Type, NoBody, NoQuery } from '../platform/http/contract.ts';
import {
  createAnnouncement, deleteAnnouncement, manageableAnnouncement, manageableAnnouncements, updateAnnouncement,
  type Announcement, type AnnouncementOutcome,
} from './announcements.ts';
import type { AnnouncementInput } from './announcement-rules.ts';
import {
  announcement, announcementCreateBody, announcementIdParams, announcementList, announcementListQuery, announcementPatchBody, announcementRefused,
  ANNOUNCEMENT_API_ERRORS, type AnnouncementBody,
} from './api-schemas.ts';

const json = (a: Announcement) => ({ ...a, createdAt: a.createdAt.toISOString(), updatedAt: a.updatedAt?.toISOString() ?? null });
const writeErrors = { ...ANNOUNCEMENT_API_ERRORS, 422: announcementRefused } as const;

/** The JSON body as the service's input: a key left out stays out (PATCH keeps that field). */
const toInput = (b: AnnouncementBody): AnnouncementInput => ({ ...b });

function answer(req: FastifyRequest, reply: FastifyReply, r: AnnouncementOutcome, status: number) {
  if (r.ok) return reply.status(status).send(json(r.value));
  const t = req.ctx.t;
  const errors = Object.fromEntries(Object.entries(r.errors).map(([f, k]) => [f, t(k!)]));
  return reply.status(422).send({ error: 'error.badRequest', message: t('error.badRequest'), errors });
}

async function authenticated(app: FastifyInstance, deps: Deps) {
  const api = typed(app);
  api.decorateRequest('apiActor', null);
  api.addHook('onRequest', bearerAuth(deps));
  const params = announcementIdParams;

  api.get('/announcements', {
    schema: {
      summary: 'Announcements the caller may manage, newest first (SSO-5): platform-wide ones for the central authority, a system\'s for administrators whose categories cover it',
      querystring: announcementListQuery, response: { 200: announcementList, ...ANNOUNCEMENT_API_ERRORS },
    },
  }, async (req) => {
    const { page = 1, pageSize = 10 } = req.query;
    const { result } = await manageableAnnouncements(deps, apiActor(req), page, pageSize);
    return { ...result, items: result.items.map(json) };
  });

  api.post('/announcements', {
    schema: {
      summary: 'Publish an announcement (guest or member; platform-wide or for one system the caller administers)',
      body: announcementCreateBody, response: { 201: announcement, ...writeErrors },
    },
  }, async (req, reply) => answer(req, reply, await createAnnouncement(deps, apiActor(req), toInput(req.body), clientIp(req)), 201));

  api.get('/announcements/:id', {
    schema: { summary: 'One announcement the caller may manage', params, querystring: NoQuery(), response: { 200: announcement, ...ANNOUNCEMENT_API_ERRORS } },
  }, async (req) => json((await manageableAnnouncement(deps, apiActor(req), req.params.id)).announcement));

  api.patch('/announcements/:id', {
    schema: {
      summary: 'Edit an announcement; fields left out keep their value; moving it to another system needs the right to manage both',
      params, body: announcementPatchBody, response: { 200: announcement, ...writeErrors },
    },
  }, async (req, reply) => answer(req, reply, await updateAnnouncement(deps, apiActor(req), req.params.id, toInput(req.body), clientIp(req)), 200));

  api.delete('/announcements/:id', {
    schema: {
      summary: 'Delete an announcement (hidden everywhere; the audit trail keeps the record)',
      params, body: NoBody(), response: { 204: Type.Null({ description: 'Deleted' }), ...ANNOUNCEMENT_API_ERRORS },
    },
  }, async (req, reply) => {
    await deleteAnnouncement(deps, apiActor(req), req.params.id, clientIp(req));
    return reply.status(204).send(null);
  });
}

export function announcementApiRoutes(app: FastifyInstance, deps: Deps): void {
  app.register(async (api) => authenticated(api, deps), { prefix: API_PREFIX });
}
