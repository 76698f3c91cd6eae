// What the central authority sees of the job scheduler (issue 14, OPS-2, OPS-4): every job of the
// table with its schedule, next slot, the run under way, the last run and its outcome, the last
// success, and the failures of the past week with the newest error (errors hold no personal data:
// rules.ts describeJobError). A job's history is its newest runs.
import type { Deps } from '../../platform/deps.ts';
import { DAY } from '../../platform/clock.ts';
import type { Every } from './rules.ts';
import type { JobDef } from './scheduler.ts';
import { failuresSince, jobTimes, latestRuns, recentRuns, schedules } from './store.ts';

export const FAILURE_WINDOW_MS = 7 * DAY;
export const HISTORY_SIZE = 50;

export type RunStatus = 'running' | 'finished' | 'failed' | 'abandoned';
export interface RunView {
  id: number; trigger: 'schedule' | 'manual'; status: RunStatus; attempt: number;
  scheduledFor: Date; startedAt: Date; finishedAt: Date | null; counts: Record<string, number> | null; error: string | null;
}
export interface JobView {
  name: string;
  every: Every;
  nextRunAt: Date | null;
  /** A live lease: the slot is being run now (by some instance). */
  runningNow: boolean;
  lastRun: RunView | null;
  lastSuccessAt: Date | null;
  failures: number;
  /** The newest failed or abandoned run in the window, with its error. */
  lastFailure: RunView | null;
}

type RunRow = Awaited<ReturnType<typeof recentRuns>>[number];
const runView = (r: RunRow): RunView => ({
  id: r.id, trigger: r.trigger, status: r.status, attempt: Number(r.attempt), scheduledFor: new Date(r.scheduled_for),
  startedAt: new Date(r.started_at), finishedAt: r.finished_at ? new Date(r.finished_at) : null, counts: r.counts, error: r.error,
});

export async function jobsOverview(deps: Deps, jobs: readonly JobDef[]): Promise<JobView[]> {
  const now = deps.clock.now();
  const [slots, latest, times, failures] = await Promise.all([
    schedules(deps.db), latestRuns(deps.db), jobTimes(deps.db), failuresSince(deps.db, new Date(now.getTime() - FAILURE_WINDOW_MS)),
  ]);
  return Promise.all(jobs.map(async (j) => {
    const slot = slots.find((s) => s.name === j.name);
    const f = failures.find((x) => x.job_name === j.name);
    const last = latest.find((r) => r.job_name === j.name);
    const lastFailure = f ? (await recentRuns(deps.db, j.name, HISTORY_SIZE)).find((r) => r.status === 'failed' || r.status === 'abandoned') : undefined;
    return {
      name: j.name, every: j.every,
      nextRunAt: slot ? new Date(slot.next_run_at) : null,
      runningNow: Boolean(slot?.lease_until && new Date(slot.lease_until) > now),
      lastRun: last ? runView(last) : null,
      lastSuccessAt: times.find((x) => x.name === j.name)?.lastFinishedAt ?? null,
      failures: f?.n ?? 0,
      lastFailure: lastFailure ? runView(lastFailure) : null,
    };
  }));
}

export async function jobHistory(deps: Deps, name: string): Promise<RunView[]> {
  return (await recentRuns(deps.db, name, HISTORY_SIZE)).map(runView);
}
