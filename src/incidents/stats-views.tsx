// INC-6, INC-7: the statistics page — a filter form (period, dates, drills), accessible SVG charts
// (per period, level, type, agency) each with its numbers in a table, the competent authorities and
// the on-time rate of every clock as tables, and the CSV download. Works without JavaScript.
import { Layout, Notice, type PageContext } from '../platform/web/layout.tsx';
import type { MessageKey } from '../platform/web/messages.ts';
import { BarChart, ColumnChart } from '../platform/web/charts.tsx';
import { Field, FieldShell } from '../admin/views/fields.tsx';
import { BUILT_IN_PROFILES } from './clocks/index.ts';
import type { IncidentStatistics } from './stats-queries.ts';
import type { StatsRange } from './stats.ts';

const pct = (a: number, b: number) => (b === 0 ? '—' : `${Math.round((a / b) * 1000) / 10} %`);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function durationText(ctx: PageContext, minutes: number | null): string {
  if (minutes === null) return '—';
  const d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
  return ctx.t('incidents.duration', { d, h, m });
}

export function StatsPage({ ctx, r, s, query, error }: { ctx: PageContext; r: StatsRange; s?: IncidentStatistics; query: string; error?: boolean }) {
  const { t } = ctx;
  const lang = ctx.lang === 'en' ? 'en' : 'zh-TW';
  const title = t(r.drill ? 'incidents.stats.drillTitle' : 'incidents.stats.title');
  const levelName = (n: number) => (n ? t('incidents.level.n', { n }) : t('incidents.level.none'));
  return (
    <Layout ctx={ctx} title={title}>
      {error && <Notice kind="error">{t('incidents.stats.badDate')}</Notice>}
      <form method="get" action="/incidents/statistics" class="stack" novalidate>
        <Field ctx={ctx} name="from" label={t('incidents.stats.from')} value={r.from} maxLength={10} />
        <Field ctx={ctx} name="to" label={t('incidents.stats.to')} value={r.to} maxLength={10} />
        <FieldShell ctx={ctx} name="period" label={t('incidents.stats.period')}>
          <select id="period" name="period">{(['month', 'quarter', 'year'] as const).map((p) => <option value={p} selected={p === r.period}>{t(`incidents.stats.period.${p}`)}</option>)}</select>
        </FieldShell>
        <div><input type="checkbox" id="drill" name="drill" value="1" checked={r.drill} /> <label for="drill">{t('incidents.stats.drill')}</label></div>
        <div><button type="submit">{t('incidents.stats.show')}</button></div>
      </form>
      {s && (
        <>
          <p data-total={String(s.total)}>{t('incidents.stats.summary', { from: r.from, to: r.to, n: s.total, closed: s.closed })}</p>
          <p>{t('incidents.stats.drillNote')} <a href={`/incidents/statistics.csv?${query}`}>{t('incidents.stats.csv')}</a></p>
          {s.total === 0 ? <p>{t('incidents.stats.none')}</p> : (
            <>
              <ColumnChart d={{
                id: 'by-period', title: t('incidents.stats.byPeriod'), categoryHeader: t('incidents.stats.col.period'),
                description: t('incidents.stats.byPeriod.desc', { n: s.total, major: sum(s.byPeriod.map((p) => p.major)) }),
                categories: s.byPeriod.map((p) => p.period),
                series: [{ name: t('incidents.stats.minor'), values: s.byPeriod.map((p) => p.n - p.major) }, { name: t('incidents.stats.major'), values: s.byPeriod.map((p) => p.major) }],
              }} />
              <BarChart d={{
                id: 'by-level', title: t('incidents.stats.byLevel'), categoryHeader: t('incidents.stats.col.level'),
                description: t('incidents.stats.byLevel.desc', { n: s.total }),
                categories: s.byLevel.map((l) => levelName(l.level)), series: [{ name: t('incidents.stats.count'), values: s.byLevel.map((l) => l.n) }],
              }} />
              <BarChart d={{
                id: 'by-type', title: t('incidents.stats.byType'), categoryHeader: t('incidents.stats.col.type'),
                description: t('incidents.stats.byType.desc', { n: s.total }),
                categories: s.byType.map((x) => t(`incidents.category.${x.category}` as MessageKey)), series: [{ name: t('incidents.stats.count'), values: s.byType.map((x) => x.n) }],
              }} />
              <BarChart d={{
                id: 'by-agency', title: t('incidents.stats.byAgency'), categoryHeader: t('incidents.stats.col.agency'),
                description: t('incidents.stats.byAgency.desc', { k: s.byAgency.length, n: sum(s.byAgency.map((a) => a.n)) }),
                categories: s.byAgency.map((a) => a.name),
                series: [{ name: t('incidents.stats.minor'), values: s.byAgency.map((a) => a.n - a.major) }, { name: t('incidents.stats.major'), values: s.byAgency.map((a) => a.major) }],
              }} />
              <table>
                <caption>{t('incidents.stats.byAuthority')}</caption>
                <thead><tr><th scope="col">{t('incidents.stats.col.authority')}</th><th scope="col">{t('incidents.stats.col.total')}</th></tr></thead>
                <tbody>{s.byAuthority.map((a) => <tr><th scope="row">{a.name ?? t('incidents.detail.noAuthority')}</th><td>{a.n}</td></tr>)}</tbody>
              </table>
              <table>
                <caption>{t('incidents.stats.clocks')}</caption>
                <thead><tr>
                  <th scope="col">{t('incidents.stats.col.clock')}</th><th scope="col">{t('incidents.stats.col.total')}</th>
                  <th scope="col">{t('clocks.state.met')}</th><th scope="col">{t('clocks.state.late')}</th><th scope="col">{t('clocks.state.overdue')}</th>
                  <th scope="col">{t('clocks.state.running')}</th><th scope="col">{t('incidents.stats.col.rate')}</th>
                  <th scope="col">{t('incidents.stats.col.median')}</th><th scope="col">{t('incidents.stats.col.p90')}</th>
                </tr></thead>
                <tbody>{s.clocks.map((c) => (
                  <tr data-clock={`${c.profileId}/${c.ruleId}`}>
                    <th scope="row">{BUILT_IN_PROFILES[c.profileId]?.rules.find((x) => x.id === c.ruleId)?.label[lang] ?? c.ruleId}</th>
                    <td>{c.n}</td><td>{c.met}</td><td>{c.late}</td><td>{c.overdue}</td><td>{c.running}</td>
                    <td>{pct(c.met, c.met + c.late + c.overdue)}</td><td>{durationText(ctx, c.medianMinutes)}</td><td>{durationText(ctx, c.p90Minutes)}</td>
                  </tr>
                ))}</tbody>
              </table>
            </>
          )}
        </>
      )}
    </Layout>
  );
}
