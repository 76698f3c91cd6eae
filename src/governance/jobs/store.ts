// SQL of the job scheduler (issue 14, OPS-2): schedules and runs as rows with leases, in the
// outbox's pattern (src/platform/outbox.ts): a slot is claimed by a conditional UPDATE of its
// schedule row, which only one transaction can win, and a claim lapses at lease_until, so a run
// whose instance died is claimed again by another one.
import type { Db } from '../../db/index.ts';

/** Creates the job's schedule row at `slot` unless it exists (any number of instances may ask). */
export async function ensureSchedule(db: Db, name: string, slot: Date, now: Date): Promise<void> {
  await db.insertInto('job_schedules').values({ name, next_run_at: slot, updated_at: now })
    .onConflict((oc) => oc.column('name').doNothing()).execute();
}

/**
 * Claims the job's due slot for `instance` until `leaseUntil`: only when the slot has come and no
 * live lease holds it. Returns the slot, or undefined when there is nothing to do here.
 */
export async function claimSlot(db: Db, name: string, now: Date, leaseUntil: Date, instance: string): Promise<Date | undefined> {
  const row = await db.updateTable('job_schedules')
    .set({ lease_until: leaseUntil, lease_owner: instance, updated_at: now })
    .where('name', '=', name).where('next_run_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .returning('next_run_at').executeTakeFirst();
  return row?.next_run_at;
}

/**
 * Records the start of a scheduled run of `slot`: an earlier attempt at it still marked running
 * (its instance died: the slot's lease lapsed, or this claim could not have been made) becomes
 * 'abandoned', and this run is the next attempt. Returns the run's id and attempt.
 */
export async function startScheduledRun(trx: Db, name: string, slot: Date, instance: string, now: Date, leaseUntil: Date): Promise<{ id: number; attempt: number }> {
  await trx.updateTable('job_runs').set({ status: 'abandoned', finished_at: now, lease_until: null, error: 'lease expired: the instance stopped before the run finished' })
    .where('job_name', '=', name).where('status', '=', 'running').where('lease_until', '<=', now).execute();
  const prev = await trx.selectFrom('job_runs').select((eb) => eb.fn.max('attempt').as('n'))
    .where('job_name', '=', name).where('scheduled_for', '=', slot).where('trigger', '=', 'schedule').executeTakeFirst();
  const attempt = Number(prev?.n ?? 0) + 1;
  const row = await trx.insertInto('job_runs').values({
    job_name: name, scheduled_for: slot, attempt, trigger: 'schedule', instance, status: 'running', started_at: now, lease_until: leaseUntil,
  }).returning('id').executeTakeFirstOrThrow();
  return { id: Number(row.id), attempt };
}

/** Records the start of a run asked for by hand (`tessera inactivity run`); the schedule is untouched. */
export async function startManualRun(db: Db, name: string, instance: string, now: Date, leaseUntil: Date): Promise<number> {
  const row = await db.insertInto('job_runs').values({
    job_name: name, scheduled_for: now, trigger: 'manual', instance, status: 'running', started_at: now, lease_until: leaseUntil,
  }).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Keeps the run's and the slot's leases alive while the run goes on. */
export async function extendLease(db: Db, name: string, runId: number, instance: string, leaseUntil: Date): Promise<void> {
  await db.updateTable('job_runs').set({ lease_until: leaseUntil }).where('id', '=', runId).where('status', '=', 'running').execute();
  await db.updateTable('job_schedules').set({ lease_until: leaseUntil }).where('name', '=', name).where('lease_owner', '=', instance).execute();
}

/**
 * Ends a run (finished or failed) unless another instance abandoned it meanwhile; a scheduled
 * run's slot moves on to `nextRunAt` and its lease is let go, if this instance still holds it.
 * Returns false when the run was no longer this instance's.
 */
export async function finishRun(db: Db, r: {
  name: string; runId: number; instance: string; now: Date; status: 'finished' | 'failed';
  counts: Record<string, number> | null; error: string | null; nextRunAt?: Date;
}): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const done = await trx.updateTable('job_runs')
      .set({ status: r.status, finished_at: r.now, lease_until: null, counts: r.counts ? JSON.stringify(r.counts) : null, error: r.error })
      .where('id', '=', r.runId).where('status', '=', 'running').where('instance', '=', r.instance).executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return false;
    if (r.nextRunAt) {
      await trx.updateTable('job_schedules').set({ next_run_at: r.nextRunAt, lease_until: null, lease_owner: null, updated_at: r.now })
        .where('name', '=', r.name).where('lease_owner', '=', r.instance).execute();
    }
    return true;
  });
}

/** Runs that ended before `before` are deleted (they hold no personal data; this bounds the table). */
export async function purgeRuns(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom('job_runs').where('status', '!=', 'running').where('finished_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export interface JobStatusRow {
  name: string; next_run_at: Date; lease_until: Date | null; lease_owner: string | null;
}

/** Every job's schedule: its next slot and any lease. */
export async function schedules(db: Db): Promise<JobStatusRow[]> {
  return db.selectFrom('job_schedules').select(['name', 'next_run_at', 'lease_until', 'lease_owner']).orderBy('name').execute();
}

/** A job's most recent runs, newest first. */
export async function recentRuns(db: Db, name: string, limit = 20) {
  const rows = await db.selectFrom('job_runs').selectAll().where('job_name', '=', name)
    .orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Moves a job's next slot (tests, and an operator who wants a run now). */
export async function setNextRun(db: Db, name: string, at: Date, now: Date): Promise<void> {
  await db.updateTable('job_schedules').set({ next_run_at: at, updated_at: now }).where('name', '=', name).execute();
}

/** Issue 15 (metrics): every job's next slot, and when each last finished successfully. */
export async function jobTimes(db: Db): Promise<{ name: string; nextRunAt: Date; lastFinishedAt: Date | null }[]> {
  const slots = await db.selectFrom('job_schedules').select(['name', 'next_run_at']).execute();
  const runs = await db.selectFrom('job_runs').where('status', '=', 'finished').groupBy('job_name')
    .select((e) => ['job_name', e.fn.max('finished_at').as('last')]).execute();
  return slots.map((s) => {
    const last = runs.find((r) => r.job_name === s.name)?.last;
    return { name: s.name, nextRunAt: new Date(s.next_run_at), lastFinishedAt: last ? new Date(last as Date) : null };
  });
}

/** Each job's newest run (any status), for the jobs page. */
export async function latestRuns(db: Db) {
  const rows = await db.selectFrom('job_runs').selectAll().distinctOn('job_name')
    .orderBy('job_name').orderBy('started_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Per job: runs that failed or were abandoned since `since`, and when the latest of them started. */
export async function failuresSince(db: Db, since: Date): Promise<{ job_name: string; n: number; last: Date }[]> {
  const rows = await db.selectFrom('job_runs').where('status', 'in', ['failed', 'abandoned']).where('started_at', '>=', since)
    .groupBy('job_name').select((e) => ['job_name', e.fn.countAll<number>().as('n'), e.fn.max('started_at').as('last')]).execute();
  return rows.map((r) => ({ job_name: r.job_name, n: Number(r.n), last: new Date(r.last as Date) }));
}
