// 我的申請 (REQ-2..5): the requests of the signed-in user, and the forms to make new ones.
import { Layout, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import type { RequestListItem } from '../queries.ts';
import { PAGE_FORM_TYPES } from '../types/index.ts';
import { RequestTable } from './parts.tsx';

export function MyRequestsPage({ ctx, rows, canReview, notice }: { ctx: PageContext; rows: RequestListItem[]; canReview: boolean; notice?: { key: MessageKey; vars?: Record<string, string> } }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('request.mine.title')}>
      {notice && <Notice kind="info">{t(notice.key, notice.vars)}</Notice>}
      {canReview && <p><a href="/admin/requests">{t('request.queue.link')}</a></p>}
      <section aria-labelledby="new-h">
        <h2 id="new-h">{t('request.new.heading')}</h2>
        <ul>
          <li><a href="/requests/permissions">{t('request.new.permissions')}</a></li>
          {/* The forms with a page of their own (the permission ones live on the permissions page). */}
          {PAGE_FORM_TYPES.map((f) => <li><a href={`/requests/new/${f}`}>{t(`request.type.${f}`)}</a></li>)}
        </ul>
      </section>
      <section aria-labelledby="mine-h">
        <h2 id="mine-h">{t('request.mine.title')}</h2>
        {rows.length === 0 ? <p>{t('request.mine.none')}</p>
          : <RequestTable ctx={ctx} rows={rows} caption={t('request.mine.caption', { n: rows.length })} href={(id) => `/requests/${id}`} who="subject" />}
      </section>
    </Layout>
  );
}
