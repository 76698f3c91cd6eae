// 排程工作 (issue 14, OPS-2): the central authority's view of the job scheduler — each job by its
// name, schedule, next run, last run, last success and failures of the week — and one job's runs.
import { Layout, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { formatTime } from '../../platform/web/format.ts';
import { HOUR, MINUTE } from '../../platform/clock.ts';
import { jobMessages } from './messages.ts';
import type { Every } from './rules.ts';
import type { JobView, RunView } from './overview.ts';

const known = (key: string): key is MessageKey => key in jobMessages.zh;
/** A job's name in the reader's language (every job of the table has one: test/governance/jobs-page). */
export const jobLabel = (ctx: PageContext, name: string): string => {
  const key = `jobs.name.${name}`;
  return known(key) ? ctx.t(key) : name;
};

export function scheduleText(ctx: PageContext, every: Every): string {
  if ('dailyAt' in every) return ctx.t('jobs.daily', { at: every.dailyAt });
  return every.everyMs % HOUR === 0 ? ctx.t('jobs.every.hours', { n: every.everyMs / HOUR }) : ctx.t('jobs.every.minutes', { n: Math.round(every.everyMs / MINUTE) });
}

const countsText = (ctx: PageContext, counts: Record<string, number> | null) => counts
  ? Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${known(`jobs.count.${k}`) ? ctx.t(`jobs.count.${k}` as MessageKey) : k} ${n}`).join('、')
  : '';
const statusText = (ctx: PageContext, r: RunView) => ctx.t(`jobs.status.${r.status}`);

export function JobsPage({ ctx, jobs }: { ctx: PageContext; jobs: JobView[] }) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('jobs.title')}>
      <p>{t('jobs.intro')}</p>
      <table>
        <caption>{t('jobs.title')}</caption>
        <thead><tr>
          <th scope="col">{t('jobs.col.job')}</th><th scope="col">{t('jobs.col.schedule')}</th><th scope="col">{t('jobs.col.next')}</th>
          <th scope="col">{t('jobs.col.last')}</th><th scope="col">{t('jobs.col.lastSuccess')}</th><th scope="col">{t('jobs.col.failures')}</th>
        </tr></thead>
        <tbody>
          {jobs.map((j) => (
            <tr data-job={j.name}>
              <th scope="row"><a href={`/admin/jobs/${encodeURIComponent(j.name)}`}>{jobLabel(ctx, j.name)}</a></th>
              <td>{scheduleText(ctx, j.every)}</td>
              <td>{j.runningNow ? t('jobs.runningNow') : j.nextRunAt ? formatTime(j.nextRunAt, lang) : t('jobs.notScheduled')}</td>
              <td>{j.lastRun ? `${formatTime(j.lastRun.startedAt, lang)} ${statusText(ctx, j.lastRun)}` : t('jobs.never')}</td>
              <td>{j.lastSuccessAt ? formatTime(j.lastSuccessAt, lang) : t('jobs.never')}</td>
              <td>
                {j.failures}
                {j.lastFailure && <p class="error">{t('jobs.lastError', { at: formatTime(j.lastFailure.startedAt, lang), error: j.lastFailure.error ?? statusText(ctx, j.lastFailure) })}</p>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

export function JobRunsPage({ ctx, name, runs }: { ctx: PageContext; name: string; runs: RunView[] }) {
  const { t, lang } = ctx;
  const title = t('jobs.history.title', { job: jobLabel(ctx, name) });
  return (
    <Layout ctx={ctx} title={title}>
      <p><a href="/admin/jobs">{t('jobs.back')}</a></p>
      {runs.length === 0 ? <p>{t('jobs.history.none')}</p> : (
        <table>
          <caption>{t('jobs.history')}</caption>
          <thead><tr>
            <th scope="col">{t('jobs.col.started')}</th><th scope="col">{t('jobs.col.finished')}</th><th scope="col">{t('jobs.col.status')}</th>
            <th scope="col">{t('jobs.col.trigger')}</th><th scope="col">{t('jobs.col.counts')}</th><th scope="col">{t('jobs.col.error')}</th>
          </tr></thead>
          <tbody>
            {runs.map((r) => (
              <tr>
                <td>{formatTime(r.startedAt, lang)}</td>
                <td>{r.finishedAt ? formatTime(r.finishedAt, lang) : ''}</td>
                <td>{statusText(ctx, r)}</td>
                <td>{t(`jobs.trigger.${r.trigger}`)}</td>
                <td>{countsText(ctx, r.counts)}</td>
                <td>{r.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
