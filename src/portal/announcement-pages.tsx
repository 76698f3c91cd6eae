// 公告管理 pages under /admin/announcements (SSO-5): list, publish, edit, delete. HTTP only: read
// the form, call one service function (which authorizes), then redirect or show the form again
// with its errors. A caller who may manage no announcement gets "not found" everywhere here.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import type { MessageKey } from '../platform/web/messages.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requireSession, loadActor } from '../access/actor.ts';
import type { Actor } from '../access/authorize.ts';
import {
  createAnnouncement, deleteAnnouncement, manageableAnnouncement, manageableAnnouncements, requireManageScope, updateAnnouncement,
} from './announcements.ts';
import type { AnnouncementInput } from './announcement-rules.ts';
import { AnnouncementFormPage, DeleteAnnouncementPage, ManageAnnouncementsPage } from './views/announcement-admin.tsx';
import { idParam, pageParam } from './params.ts';

type Form = Record<string, unknown>;
const str = (v: unknown, max: number): string => (typeof v === 'string' ? v.slice(0, max) : '');
/** Slightly over the rule's limits, so an over-long value is refused by the rule rather than cut silently. */
const formInput = (b: Form): AnnouncementInput => ({
  audience: str(b.audience, 20), systemCode: str(b.systemCode, 60), title: str(b.title, 1000), body: str(b.body, 20_000),
});

const DONE: Record<string, MessageKey> = { created: 'ann.admin.created', updated: 'ann.admin.updated', deleted: 'ann.admin.deleted' };

const actorOf = (deps: Deps, req: FastifyRequest): Promise<Actor> => loadActor(deps, requireSession(req).accountId);

export function announcementAdminPages(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: { page?: string; done?: string } }>('/admin/announcements', async (req, reply) => {
    const { result } = await manageableAnnouncements(deps, await actorOf(deps, req), pageParam(req.query.page));
    return page(req, reply, (ctx) => <ManageAnnouncementsPage ctx={ctx} r={result} done={DONE[req.query.done ?? '']} />);
  });

  app.get('/admin/announcements/new', async (req, reply) => {
    const scope = await requireManageScope(deps, await actorOf(deps, req));
    const values: AnnouncementInput = { audience: 'guest', systemCode: scope.platform ? '' : scope.systems[0]?.code ?? '' };
    return page(req, reply, (ctx) => <AnnouncementFormPage ctx={ctx} v={{ scope, values }} />);
  });

  app.post<{ Body: Form }>('/admin/announcements', async (req, reply) => {
    const actor = await actorOf(deps, req);
    const input = formInput(req.body ?? {});
    const r = await createAnnouncement(deps, actor, input, clientIp(req));
    if (r.ok) return reply.redirect('/admin/announcements?done=created', 303);
    const scope = await requireManageScope(deps, actor);
    return page(req, reply, (ctx) => <AnnouncementFormPage ctx={ctx} v={{ scope, values: input, errors: r.errors }} />, 422);
  });

  app.get<{ Params: { id: string } }>('/admin/announcements/:id', async (req, reply) => {
    const { scope, announcement: a } = await manageableAnnouncement(deps, await actorOf(deps, req), idParam(req.params.id));
    const values: AnnouncementInput = { audience: a.audience, systemCode: a.systemCode ?? '', title: a.title, body: a.body };
    return page(req, reply, (ctx) => <AnnouncementFormPage ctx={ctx} v={{ scope, values, existing: a }} />);
  });

  app.post<{ Params: { id: string }; Body: Form }>('/admin/announcements/:id', async (req, reply) => {
    const actor = await actorOf(deps, req);
    const id = idParam(req.params.id);
    const input = formInput(req.body ?? {});
    const r = await updateAnnouncement(deps, actor, id, input, clientIp(req));
    if (r.ok) return reply.redirect('/admin/announcements?done=updated', 303);
    const { scope, announcement } = await manageableAnnouncement(deps, actor, id);
    return page(req, reply, (ctx) => <AnnouncementFormPage ctx={ctx} v={{ scope, values: input, errors: r.errors, existing: announcement }} />, 422);
  });

  app.get<{ Params: { id: string } }>('/admin/announcements/:id/delete', async (req, reply) => {
    const { announcement: a } = await manageableAnnouncement(deps, await actorOf(deps, req), idParam(req.params.id));
    return page(req, reply, (ctx) => <DeleteAnnouncementPage ctx={ctx} a={a} />);
  });

  app.post<{ Params: { id: string } }>('/admin/announcements/:id/delete', async (req, reply) => {
    await deleteAnnouncement(deps, await actorOf(deps, req), idParam(req.params.id), clientIp(req));
    return reply.redirect('/admin/announcements?done=deleted', 303);
  });
}
