// 管理儀表板 (OPS-7): five charts drawn on the server, each with its numbers in a table beside it.
import { Layout, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { BarChart, ColumnChart } from '../../platform/web/charts.tsx';
import { AGE_BUCKETS, SIGN_IN_DAYS, type Dashboard } from './service.ts';
import type { SignInMethod } from './queries.ts';

const METHODS: SignInMethod[] = ['password', 'certificate', 'passkey'];
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function DashboardPage({ ctx, d }: { ctx: PageContext; d: Dashboard }) {
  const { t } = ctx;
  const stateTotal = sum(d.accountsByState.map((s) => s.n));
  const perMethod = Object.fromEntries(METHODS.map((m) => [m, sum(d.signIns.byMethod[m])])) as Record<SignInMethod, number>;
  const ages = AGE_BUCKETS.map((b) => d.pendingByAge[b]);
  return (
    <Layout ctx={ctx} title={t('dashboard.title')}>
      <p>{t('dashboard.intro')}</p>
      <BarChart d={{
        id: 'states', title: t('dashboard.states.title'), categoryHeader: t('dashboard.states.header'),
        description: t('dashboard.states.desc', { total: stateTotal, enabled: d.accountsByState.find((s) => s.state === 'enabled')?.n ?? 0 }),
        categories: d.accountsByState.map((s) => t(`state.${s.state}` as MessageKey)),
        series: [{ name: t('dashboard.count'), values: d.accountsByState.map((s) => s.n) }],
      }} />
      <ColumnChart d={{
        id: 'signins', title: t('dashboard.signIns.title', { days: SIGN_IN_DAYS }), categoryHeader: t('dashboard.signIns.header'),
        description: t('dashboard.signIns.desc', { days: SIGN_IN_DAYS, total: sum(Object.values(perMethod)), ...perMethod }),
        categories: d.signIns.days.map((day) => day.slice(5)),
        series: METHODS.map((m) => ({ name: t(`dashboard.method.${m}`), values: d.signIns.byMethod[m] })),
      }} />
      <BarChart d={{
        id: 'pending', title: t('dashboard.pending.title'), categoryHeader: t('dashboard.pending.header'),
        description: t('dashboard.pending.desc', { total: sum(ages), old: d.pendingByAge.gt7 }),
        categories: AGE_BUCKETS.map((b) => t(`dashboard.age.${b}`)),
        series: [{ name: t('dashboard.pending.count'), values: ages }],
      }} />
      {d.inactiveByUnit.length === 0 ? <p>{t('dashboard.inactive.none')}</p> : (
        <BarChart d={{
          id: 'inactive', title: t('dashboard.inactive.title'), categoryHeader: t('dashboard.inactive.header'),
          description: t('dashboard.inactive.desc', { n: d.inactiveByUnit.length, total: sum(d.inactiveByUnit.map((u) => u.n)) }),
          categories: d.inactiveByUnit.map((u) => u.unitName ?? u.unitOid),
          series: [{ name: t('dashboard.count'), values: d.inactiveByUnit.map((u) => u.n) }],
        }} />
      )}
      <p><a href="/admin/inactivity">{t('dashboard.inactive.list')}</a></p>
      {d.reviewCompletion.length === 0 ? <p>{t('dashboard.reviews.none')}</p> : (
        <BarChart d={{
          id: 'reviews', title: t('dashboard.reviews.title'), categoryHeader: t('dashboard.reviews.header'),
          description: t('dashboard.reviews.desc', { n: d.reviewCompletion.length, decided: sum(d.reviewCompletion.map((r) => r.decided)), total: sum(d.reviewCompletion.map((r) => r.total)) }),
          categories: d.reviewCompletion.map((r) => r.name),
          series: [
            { name: t('dashboard.reviews.decided'), values: d.reviewCompletion.map((r) => r.decided) },
            { name: t('dashboard.reviews.open'), values: d.reviewCompletion.map((r) => r.total - r.decided) },
          ],
        }} />
      )}
      {d.reviewCompletion.length > 0 && <p><a href="/admin/campaigns">{t('dashboard.reviews.list')}</a></p>}
    </Layout>
  );
}
