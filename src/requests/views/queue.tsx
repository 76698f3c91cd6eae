// 待審核列表 (REQ-4, seed 000 三): the requests the approver may decide now.
import { Layout, type PageContext } from '../../platform/web/layout.tsx';
import type { RequestListItem } from '../queries.ts';
import { RequestTable } from './parts.tsx';

export function QueuePage({ ctx, rows }: { ctx: PageContext; rows: RequestListItem[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('request.queue.title')}>
      {rows.length === 0 ? <p>{t('request.queue.none')}</p>
        : <RequestTable ctx={ctx} rows={rows} caption={t('request.queue.caption', { n: rows.length })} href={(id) => `/admin/requests/${id}`} who="requester" />}
    </Layout>
  );
}
