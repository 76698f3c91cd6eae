// 公告 (SSO-5): the public list (guest announcements before login, guest and member after) and
// one announcement with its author, publication and edit times, and its text.
import { Layout, type PageContext } from '../../platform/web/layout.tsx';
import { formatTime } from '../../platform/web/format.ts';
import type { Announcement, AnnouncementPage } from '../announcements.ts';
import { AnnouncementTable, Pager, PlainText, authorLabel, systemLabel } from './announcement-table.tsx';

export function AnnouncementListPage({ ctx, r }: { ctx: PageContext; r: AnnouncementPage }) {
  const { t } = ctx;
  const link = (page: number) => `/announcements?page=${page}`;
  return (
    <Layout ctx={ctx} title={t('ann.title')}>
      <p>{t(ctx.user ? 'ann.intro.member' : 'ann.intro.guest')}</p>
      <Pager ctx={ctx} r={r} link={link} />
      <AnnouncementTable ctx={ctx} r={r} href={(a) => `/announcements/${a.id}`} />
      {r.items.length > 0 && <Pager ctx={ctx} r={r} link={link} below />}
    </Layout>
  );
}

export function AnnouncementMeta({ ctx, a }: { ctx: PageContext; a: Announcement }) {
  const { t } = ctx;
  return (
    <dl>
      <dt>{t('ann.col.audience')}</dt><dd>{t(a.audience === 'guest' ? 'ann.audience.guest' : 'ann.audience.member')}</dd>
      <dt>{t('ann.col.system')}</dt><dd>{systemLabel(ctx, a)}</dd>
      <dt>{t('ann.meta.date')}</dt><dd data-testid="created">{formatTime(a.createdAt, ctx.lang)}{a.updatedAt && <> {t('ann.edited')}</>}</dd>
      <dt>{t('ann.meta.author')}</dt><dd data-testid="author">{authorLabel(ctx, a.authorName)}</dd>
      {a.updatedAt && <><dt>{t('ann.meta.editedAt')}</dt><dd data-testid="edited">{formatTime(a.updatedAt, ctx.lang)}</dd></>}
      {a.updatedAt && <><dt>{t('ann.meta.editor')}</dt><dd>{authorLabel(ctx, a.editorName)}</dd></>}
    </dl>
  );
}

export function AnnouncementPageView({ ctx, a }: { ctx: PageContext; a: Announcement }) {
  return (
    <Layout ctx={ctx} title={a.title}>
      <article>
        <AnnouncementMeta ctx={ctx} a={a} />
        <PlainText text={a.body} />
      </article>
      <p><a href="/announcements">{ctx.t('ann.back')}</a></p>
    </Layout>
  );
}
