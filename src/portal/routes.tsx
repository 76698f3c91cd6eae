// HTTP for the portal home and announcements (SSO-4, SSO-5, ACC-6): 我的首頁, the public
// announcement list, the downloads, and the announcement pages and API for administrators.
// Every route declares its input (OPS-4, issue 10): a malformed id or page number is a 400.
import { attestationsOwed as owedAttestations } from '../governance/attest/service.ts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page } from '../platform/http/pages.ts';
import { requireSession, loadActor } from '../access/actor.ts';
import { notFound } from '../platform/http/errors.ts';
import { typed, Type, Text, Id, Closed, Field, Query, NoQuery, PageNo, PAGE, Html } from '../platform/http/contract.ts';
import { readableAnnouncement, readableAnnouncements, manageScope } from './announcements.ts';
import { tilesFor } from './home.ts';
import { DOWNLOADS, readDownload } from './downloads.ts';
import { HomePage } from './views/home.tsx';
import { AnnouncementListPage, AnnouncementPageView } from './views/announcements.tsx';
import { announcementAdminPages } from './announcement-pages.tsx';
import { announcementApiRoutes } from './api-routes.ts';
import { clientManageScope } from '../sso/admin-clients.ts';
import { issuerOf } from '../sso/provider.ts';
import { certificateDueBy } from '../auth/cert/service.ts';

/** Announcements on the home page: the newest few, the rest one link away. */
const HOME_ANNOUNCEMENTS = 5;

export async function portalRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const pages = typed(app);
  pages.get('/', { schema: { querystring: Query({ changed: Field(10) }), response: PAGE } }, async (req, reply) => {
    const s = requireSession(req);
    const actor = await loadActor(deps, s.accountId);
    const [tiles, announcements, annScope, ssoScope, certificateDue, attestationsOwed] = await Promise.all([
      tilesFor(deps, s.accountId, issuerOf(deps)),
      readableAnnouncements(deps, s.accountId, 1, HOME_ANNOUNCEMENTS),
      actor.grants.length ? manageScope(deps, actor) : undefined,
      actor.grants.length ? clientManageScope(deps, actor) : undefined,
      certificateDueBy(deps, s.accountId, s.unitOid),
      owedAttestations(deps, s.accountId),
    ]);
    const changed = req.query.changed;
    const info = changed === '1' ? req.ctx.t('home.passwordChanged') : changed === 'first' ? req.ctx.t('home.passwordChangedFirst') : undefined;
    return page(req, reply, (ctx) => <HomePage ctx={ctx} v={{
      s, info, tiles, announcements, downloads: DOWNLOADS, certificateDue, attestationsOwed,
      manage: { announcements: Boolean(annScope && (annScope.platform || annScope.systems.length)), sso: Boolean(ssoScope?.length) },
    }} />);
  });

  pages.get('/announcements', { schema: { querystring: Query({ page: Type.Optional(PageNo()) }), response: PAGE } }, async (req, reply) => {
    const r = await readableAnnouncements(deps, req.ctx.session?.accountId ?? null, req.query.page ?? 1);
    return page(req, reply, (ctx) => <AnnouncementListPage ctx={ctx} r={r} />);
  });

  pages.get('/announcements/:id', { schema: { params: Closed({ id: Id() }), querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const a = await readableAnnouncement(deps, req.ctx.session?.accountId ?? null, req.params.id);
    return page(req, reply, (ctx) => <AnnouncementPageView ctx={ctx} a={a} />);
  });

  // Public like the login page's links: forms and manuals hold no personal data.
  pages.get('/downloads/:file', {
    schema: { params: Closed({ file: Text(100) }), querystring: NoQuery(), response: { 200: Type.Unsafe<Buffer>(Type.String({ description: 'The file, as an attachment' })), 404: Html } },
  }, async (req, reply) => {
    const d = readDownload(req.params.file);
    if (!d) throw notFound();
    return reply.type(d.download.type)
      .header('content-disposition', `attachment; filename="${d.download.file}"`)
      .header('cache-control', 'public, max-age=3600')
      .send(d.content);
  });

  announcementAdminPages(app, deps);
  announcementApiRoutes(app, deps);
}
