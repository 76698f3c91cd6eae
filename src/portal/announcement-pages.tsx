// 公告管理 pages under /admin/announcements (SSO-5): list, publish, edit, delete. HTTP only: read
// the form (as its declared schema shapes it: OPS-4, issue 10), call one service function (which
// authorizes), then redirect or show the form again with its errors. A caller who may manage no
// announcement gets "not found" everywhere here.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import type { MessageKey } from '../platform/web/messages.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requireSession, loadActor } from '../access/actor.ts';
import type { Actor } from '../access/authorize.ts';
import { typed, Type, Id, Closed, Field, FormBody, Query, NoQuery, PageNo, PAGE, FORM_PAGE, type Static } from '../platform/http/contract.ts';
import {
  createAnnouncement, deleteAnnouncement, manageableAnnouncement, manageableAnnouncements, requireManageScope, updateAnnouncement,
} from './announcements.ts';
import { BODY_MAX, TITLE_MAX, type AnnouncementInput } from './announcement-rules.ts';
import { AnnouncementFormPage, DeleteAnnouncementPage, ManageAnnouncementsPage } from './views/announcement-admin.tsx';

/** Over the rules' limits, so an over-long title or body is refused by the rule, with its message, not by a bare 400. */
const announcementForm = FormBody({ audience: Field(20), systemCode: Field(60), title: Field(TITLE_MAX * 5), body: Field(BODY_MAX * 2) });
const formInput = (b: Static<typeof announcementForm>): AnnouncementInput => ({
  audience: b.audience ?? '', systemCode: b.systemCode ?? '', title: b.title ?? '', body: b.body ?? '',
});
const params = Closed({ id: Id() });

const DONE: Record<string, MessageKey> = { created: 'ann.admin.created', updated: 'ann.admin.updated', deleted: 'ann.admin.deleted' };

const actorOf = (deps: Deps, req: FastifyRequest): Promise<Actor> => loadActor(deps, requireSession(req).accountId);

export function announcementAdminPages(app: FastifyInstance, deps: Deps): void {
  const pages = typed(app);
  pages.get('/admin/announcements', {
    schema: { querystring: Query({ page: Type.Optional(PageNo()), done: Field(20) }), response: PAGE },
  }, async (req, reply) => {
    const { result } = await manageableAnnouncements(deps, await actorOf(deps, req), req.query.page ?? 1);
    return page(req, reply, (ctx) => <ManageAnnouncementsPage ctx={ctx} r={result} done={DONE[req.query.done ?? '']} />);
  });

  pages.get('/admin/announcements/new', { schema: { querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const scope = await requireManageScope(deps, await actorOf(deps, req));
    const values: AnnouncementInput = { audience: 'guest', systemCode: scope.platform ? '' : scope.systems[0]?.code ?? '' };
    return page(req, reply, (ctx) => <AnnouncementFormPage ctx={ctx} v={{ scope, values }} />);
  });

  pages.post('/admin/announcements', { schema: { body: announcementForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    const input = formInput(req.body);
    const r = await createAnnouncement(deps, actor, input, clientIp(req));
    if (r.ok) return reply.redirect('/admin/announcements?done=created', 303);
    const scope = await requireManageScope(deps, actor);
    return page(req, reply, (ctx) => <AnnouncementFormPage ctx={ctx} v={{ scope, values: input, errors: r.errors }} />, 422);
  });

  pages.get('/admin/announcements/:id', { schema: { params, querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const { scope, announcement: a } = await manageableAnnouncement(deps, await actorOf(deps, req), req.params.id);
    const values: AnnouncementInput = { audience: a.audience, systemCode: a.systemCode ?? '', title: a.title, body: a.body };
    return page(req, reply, (ctx) => <AnnouncementFormPage ctx={ctx} v={{ scope, values, existing: a }} />);
  });

  pages.post('/admin/announcements/:id', { schema: { params, body: announcementForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    const { id } = req.params;
    const input = formInput(req.body);
    const r = await updateAnnouncement(deps, actor, id, input, clientIp(req));
    if (r.ok) return reply.redirect('/admin/announcements?done=updated', 303);
    const { scope, announcement } = await manageableAnnouncement(deps, actor, id);
    return page(req, reply, (ctx) => <AnnouncementFormPage ctx={ctx} v={{ scope, values: input, errors: r.errors, existing: announcement }} />, 422);
  });

  pages.get('/admin/announcements/:id/delete', { schema: { params, querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const { announcement: a } = await manageableAnnouncement(deps, await actorOf(deps, req), req.params.id);
    return page(req, reply, (ctx) => <DeleteAnnouncementPage ctx={ctx} a={a} />);
  });

  pages.post('/admin/announcements/:id/delete', { schema: { params, body: FormBody({}), response: PAGE } }, async (req, reply) => {
    await deleteAnnouncement(deps, await actorOf(deps, req), req.params.id, clientIp(req));
    return reply.redirect('/admin/announcements?done=deleted', 303);
  });
}
