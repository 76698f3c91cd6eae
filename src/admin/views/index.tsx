// 註冊服務首頁: the administrator's tasks, as far as the grants allow.
import { Layout, type PageContext } from '../../platform/web/layout.tsx';

export function AdminIndexPage({ ctx, can }: { ctx: PageContext; can: { create: boolean; view: boolean; tenant?: boolean; decide?: boolean; manageSystems?: boolean; grants?: boolean; operations?: boolean } }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.title')}>
      <p>{t('admin.intro')}</p>
      <ul>
        {can.create && <li><a href="/admin/accounts/new">{t('admin.accounts.new')}</a></li>}
        {can.view && <li><a href="/admin/accounts">{t('admin.accounts.search')}</a></li>}
        {can.create && <li><a href="/admin/accounts/import">{t('admin.accounts.import')}</a></li>}
        {can.view && <li><a href="/admin/dashboard">{t('dashboard.title')}</a></li>}
        {can.view && <li><a href="/admin/inactivity">{t('inactivity.title')}</a></li>}
        {can.view && <li><a href="/admin/campaigns">{t('campaign.title')}</a></li>}
        {can.grants && <li><a href="/admin/grants">{t('grant.manage')}</a></li>}
        {can.tenant && <li><a href="/tenant/accounts">{t('tenant.accountsTitle')}</a></li>}
        {can.decide && <li><a href="/admin/requests">{t('request.queue.title')}</a></li>}
        <li><a href="/admin/systems">{t('admin.systems')}</a></li>
        {can.manageSystems && <li><a href="/admin/sso">{t('sso.admin.title')}</a></li>}
        {can.manageSystems && <li><a href="/admin/announcements">{t('ann.admin.title')}</a></li>}
        {can.operations && <li><a href="/admin/jobs">{t('jobs.title')}</a></li>}
      </ul>
    </Layout>
  );
}
