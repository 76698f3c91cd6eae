// The announcement list as seed 001 prints it (編號, 類型, 標題, 建立時間 (已編輯), 建立者), with
// the system and the edit time in columns of their own, and the paging line above and below.
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../platform/web/layout.tsx';
import { formatTime } from '../../platform/web/format.ts';
import type { Announcement, AnnouncementPage } from '../announcements.ts';

export const systemLabel = (ctx: PageContext, a: Announcement): string =>
  a.systemCode ? (ctx.lang === 'en' ? a.systemEn : a.systemZh) ?? a.systemCode : ctx.t('ann.platform');

export const authorLabel = (ctx: PageContext, name: string | null): string => name ?? ctx.t('ann.unknownAuthor');

/**
 * "每頁顯示 10 列 1-5 列 (共 5 列)" and previous/next links; `link(n)` is page n's address. The copy
 * below the table is not a second navigation landmark (landmarks must be unique).
 */
export function Pager({ ctx, r, link, below }: { ctx: PageContext; r: AnnouncementPage; link: (page: number) => string; below?: boolean }) {
  const { t } = ctx;
  const pages = Math.max(1, Math.ceil(r.total / r.pageSize));
  const from = r.total === 0 ? 0 : (r.page - 1) * r.pageSize + 1;
  const to = Math.min(r.total, r.page * r.pageSize);
  const content = (
    <>
      <span>{t('ann.paging', { size: r.pageSize, from, to, total: r.total })}</span>
      {r.page > 1 && <>{' '}<a href={link(r.page - 1)} rel="prev">{t('ann.page.prev')}</a></>}
      {r.page < pages && <>{' '}<a href={link(r.page + 1)} rel="next">{t('ann.page.next')}</a></>}
    </>
  );
  return below ? <div class="pager">{content}</div> : <nav aria-label={t('ann.paging.nav', { page: r.page, pages })} class="pager">{content}</nav>;
}

export function AnnouncementTable({ ctx, r, href, actions, caption }: {
  ctx: PageContext; r: AnnouncementPage; href: (a: Announcement) => string;
  actions?: (a: Announcement) => ComponentChildren; caption?: string;
}) {
  const { t } = ctx;
  if (r.items.length === 0) return <p>{t('ann.none')}</p>;
  return (
    <table>
      {caption && <caption>{caption}</caption>}
      <thead><tr>
        <th scope="col">{t('ann.col.no')}</th><th scope="col">{t('ann.col.audience')}</th><th scope="col">{t('ann.col.system')}</th>
        <th scope="col">{t('ann.col.title')}</th><th scope="col">{t('ann.col.created')}</th><th scope="col">{t('ann.col.edited')}</th>
        <th scope="col">{t('ann.col.author')}</th>{actions && <th scope="col">{t('ann.col.actions')}</th>}
      </tr></thead>
      <tbody>
        {r.items.map((a, i) => (
          <tr data-announcement={String(a.id)}>
            <td>{(r.page - 1) * r.pageSize + i + 1}</td>
            <td>{t(a.audience === 'guest' ? 'ann.audience.guest' : 'ann.audience.member')}</td>
            <td>{systemLabel(ctx, a)}</td>
            <th scope="row"><a href={href(a)}>{a.title}</a></th>
            <td>{formatTime(a.createdAt, ctx.lang)}{a.updatedAt && <> {t('ann.edited')}</>}</td>
            <td>{a.updatedAt ? formatTime(a.updatedAt, ctx.lang) : t('ann.notEdited')}</td>
            <td>{authorLabel(ctx, a.authorName)}</td>
            {actions && <td>{actions(a)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Plain text as paragraphs: blank lines separate them, single line breaks become <br>. Text is escaped by preact. */
export function PlainText({ text }: { text: string }) {
  return (
    <div class="announcement-body">
      {text.split(/\n{2,}/).map((para) => (
        <p>{para.split('\n').map((line, i) => <>{i > 0 && <br />}{line}</>)}</p>
      ))}
    </div>
  );
}
