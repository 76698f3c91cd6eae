// The one job scheduler of the platform (issue 14, OPS-2): named jobs run every interval or daily
// at a Taipei time of day. Schedules and runs are rows (store.ts) with leases, so with any number
// of instances each slot runs once, and a run whose instance died is taken over by another
// instance once its lease lapses. Time comes from deps.clock, so tests drive it; the poll period is
// TESSERA_JOBS_POLL_MS (0: this instance runs no jobs). Logs name jobs, runs and counts only.
import os from 'node:os';
import crypto from 'node:crypto';
import type { Deps } from '../../platform/deps.ts';
import { MINUTE } from '../../platform/clock.ts';
import { describeJobError, firstSlot, nextSlot, type Every } from './rules.ts';
import { claimSlot, ensureSchedule, extendLease, finishRun, purgeRuns, startManualRun, startScheduledRun } from './store.ts';

/** What a job reports: counts of what it did ({ completed: 2, failed: 0 }), no personal data. */
export type JobCounts = Record<string, number>;

export interface JobDef {
  /** `area.what`, e.g. `requests.due`, `inactivity.sweep`. */
  name: string;
  every: Every;
  /** Longer than one run can take; renewed while the run goes on. Default 10 minutes. */
  leaseMs?: number;
  run(deps: Deps): Promise<JobCounts>;
}

export const DEFAULT_LEASE_MS = 10 * MINUTE;
/** Runs are kept this long, then deleted. */
export const RUN_RETENTION_MS = 90 * 24 * 60 * MINUTE;

export interface RunOutcome { job: string; runId: number; status: 'finished' | 'failed'; attempt: number; counts: JobCounts | null; error: string | null }

/** A name for this process in the runs it records (host, process id, a random suffix). */
export const instanceName = (): string => `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;

async function execute(deps: Deps, job: JobDef, runId: number, instance: string, leaseMs: number, nextRunAt: ((now: Date) => Date) | null): Promise<Omit<RunOutcome, 'attempt'>> {
  // The lease is renewed at a third of its length, in real time, while the job works.
  const heartbeat = setInterval(() => {
    extendLease(deps.db, job.name, runId, instance, new Date(deps.clock.now().getTime() + leaseMs))
      .catch((err) => deps.log.warn({ job: job.name, runId, err: describeJobError(err) }, 'job lease renewal failed'));
  }, Math.max(1000, Math.floor(leaseMs / 3)));
  heartbeat.unref();
  let counts: JobCounts | null = null, error: string | null = null;
  try {
    counts = await job.run(deps);
  } catch (err) {
    error = describeJobError(err);
  } finally {
    clearInterval(heartbeat);
  }
  const now = deps.clock.now();
  const status = error ? 'failed' : 'finished';
  const mine = await finishRun(deps.db, { name: job.name, runId, instance, now, status, counts, error, nextRunAt: nextRunAt?.(now) });
  if (!mine) deps.log.warn({ job: job.name, runId }, 'job run was taken over by another instance before it finished');
  else if (error) deps.log.error({ job: job.name, runId, error }, 'job run failed');
  else deps.log.info({ job: job.name, runId, counts }, 'job run finished');
  return { job: job.name, runId, status, counts, error };
}

/**
 * One pass: every job whose slot has come and is not held by a live lease runs here, once, in
 * turn. Returns what ran (nothing, when other instances hold or have done the due slots).
 */
export async function runDueJobs(deps: Deps, jobs: readonly JobDef[], instance: string): Promise<RunOutcome[]> {
  const out: RunOutcome[] = [];
  for (const job of jobs) {
    const now = deps.clock.now();
    await ensureSchedule(deps.db, job.name, firstSlot(job.every, now), now);
    const leaseMs = job.leaseMs ?? DEFAULT_LEASE_MS;
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const slot = await claimSlot(deps.db, job.name, now, leaseUntil, instance);
    if (!slot) continue;
    const run = await deps.db.transaction().execute((trx) => startScheduledRun(trx, job.name, slot, instance, now, leaseUntil));
    deps.log.info({ job: job.name, runId: run.id, attempt: run.attempt }, 'job run started');
    out.push({ ...await execute(deps, job, run.id, instance, leaseMs, (at) => nextSlot(job.every, at)), attempt: run.attempt });
  }
  return out;
}

/** Runs one job now, outside its schedule (the CLI): recorded as a 'manual' run; the schedule is untouched. */
export async function runJobNow(deps: Deps, job: JobDef, instance = instanceName()): Promise<RunOutcome> {
  const now = deps.clock.now();
  const leaseMs = job.leaseMs ?? DEFAULT_LEASE_MS;
  const runId = await startManualRun(deps.db, job.name, instance, now, new Date(now.getTime() + leaseMs));
  return { ...await execute(deps, job, runId, instance, leaseMs, null), attempt: 1 };
}

export interface Scheduler { readonly instance: string; stop(): Promise<void> }

/**
 * Looks for due jobs every `jobsPollMs` (and once at start); 0 → a scheduler that runs nothing.
 * stop() waits for a run under way to finish, so shutdown never leaves a half-recorded run.
 */
export function startScheduler(deps: Deps, jobs: readonly JobDef[], instance = instanceName()): Scheduler {
  const pollMs = deps.config.jobsPollMs;
  if (pollMs === 0) return { instance, stop: async () => {} };
  let stopped = false, lastPurge = 0;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  const cycle = async () => {
    await runDueJobs(deps, jobs, instance);
    const now = deps.clock.now().getTime();
    if (now - lastPurge > 60 * MINUTE) { lastPurge = now; await purgeRuns(deps.db, new Date(now - RUN_RETENTION_MS)); }
  };
  const tick = () => {
    if (stopped) return;
    running = cycle().catch((err) => deps.log.error({ err: describeJobError(err) }, 'job scheduler cycle failed')).finally(() => {
      running = null;
      if (!stopped) timer = setTimeout(tick, pollMs);
    });
  };
  tick();
  return {
    instance,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
