// The one job scheduler (issue 14, OPS-2, REQ-6): slots run exactly once whatever the number of
// instances, a run whose instance died is taken over after its lease, failures are recorded without
// personal data, the server starts and stops it, and `requests.due` carries out an approved request
// with an effective date on that day. Time comes from the injected clock; the database is real.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, freshPgDatabase, type TestApp } from '../helpers/app.ts';
import { person, decideOnPage, roles, requestRow, api, AGENCY } from '../helpers/requests.ts';
import { giveRoles } from '../helpers/factories.ts';
import { ManualClock, DAY, MINUTE } from '../../src/platform/clock.ts';
import { runDueJobs, startScheduler, type JobDef } from '../../src/governance/jobs/scheduler.ts';
import { recentRuns, schedules } from '../../src/governance/jobs/store.ts';
import { JOBS, jobNamed } from '../../src/governance/jobs/table.ts';

const pg = process.env.TESSERA_TEST_PG_URL;
let t: TestApp;

before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

/** A job that counts its runs (and can be made to fail or to hang). */
function counter(name: string, every: JobDef['every'], behaviour: () => Promise<void> = async () => {}) {
  const job = { name, every, leaseMs: 5 * MINUTE, runs: 0, run: async () => { job.runs++; await behaviour(); return { done: job.runs }; } };
  return job;
}

const runsOf = async (name: string) => (await recentRuns(t.deps.db, name, 100)).reverse();

test('issue 14 OPS-2: two schedulers on one database run each slot exactly once, then the next slot once', async () => {
  const job = counter('test.twice', { everyMs: 10 * MINUTE });
  const [a, b] = await Promise.all([runDueJobs(t.deps, [job], 'instance-a'), runDueJobs(t.deps, [job], 'instance-b')]);
  assert.equal(a.length + b.length, 1, 'one of the two ran the due slot');
  assert.equal(job.runs, 1);
  assert.deepEqual(await runDueJobs(t.deps, [job], 'instance-b'), [], 'the slot is done: nothing runs again');
  t.clock.advance(9 * MINUTE);
  assert.deepEqual(await runDueJobs(t.deps, [job], 'instance-a'), [], 'the next slot has not come');
  t.clock.advance(1 * MINUTE);
  await Promise.all([runDueJobs(t.deps, [job], 'instance-a'), runDueJobs(t.deps, [job], 'instance-b'), runDueJobs(t.deps, [job], 'instance-c')]);
  assert.equal(job.runs, 2);
  const runs = await runsOf('test.twice');
  assert.deepEqual(runs.map((r) => [r.status, r.attempt, r.trigger]), [['finished', 1, 'schedule'], ['finished', 1, 'schedule']]);
  assert.equal(runs[1].scheduled_for.getTime() - runs[0].scheduled_for.getTime(), 10 * MINUTE, 'consecutive slots');
  assert.deepEqual(runs[1].counts, { done: 2 });
  assert.ok(runs.every((r) => r.finished_at && r.lease_until === null));
});

test('issue 14: a run whose instance died (lease taken, never finished) is taken over after its lease, not before', async () => {
  let release!: () => void;
  const hung = new Promise<void>((r) => { release = r; });
  const dying = counter('test.takeover', { everyMs: DAY }, () => hung);
  const healthy = counter('test.takeover', { everyMs: DAY });
  // Instance A claims the slot and never comes back (its promise is left hanging: a killed process).
  void runDueJobs(t.deps, [dying], 'instance-dead');
  for (let i = 0; i < 50 && (await runsOf('test.takeover')).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  const [first] = await runsOf('test.takeover');
  assert.equal(first.status, 'running');
  assert.equal(first.instance, 'instance-dead');

  t.clock.advance(5 * MINUTE - 1);
  assert.deepEqual(await runDueJobs(t.deps, [healthy], 'instance-b'), [], 'the lease still holds');
  t.clock.advance(1);
  const [taken] = await runDueJobs(t.deps, [healthy], 'instance-b');
  assert.equal(taken.status, 'finished');
  assert.equal(taken.attempt, 2);
  assert.equal(healthy.runs, 1);
  const runs = await runsOf('test.takeover');
  assert.deepEqual(runs.map((r) => [r.instance, r.status, r.attempt]), [['instance-dead', 'abandoned', 1], ['instance-b', 'finished', 2]]);
  assert.equal(runs[0].scheduled_for.getTime(), runs[1].scheduled_for.getTime(), 'the same slot');
  const s = (await schedules(t.deps.db)).find((x) => x.name === 'test.takeover')!;
  assert.ok(s.next_run_at > t.clock.now() && s.lease_until === null, 'the slot moved on and its lease was let go');

  // The dead instance's late finish changes nothing.
  release();
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual((await runsOf('test.takeover')).map((r) => r.status), ['abandoned', 'finished']);
});

test('issue 14: a failed run is recorded with its error, without personal data, and the job runs again at its next slot', async () => {
  let fail = true;
  const job = counter('test.failing', { dailyAt: '03:00' }, async () => { if (fail) throw Object.assign(new Error('could not mail lin@example.gov.tw (A123456789)'), { code: 'EMAIL' }); });
  assert.deepEqual(await runDueJobs(t.deps, [job], 'instance-a'), [], 'a daily job waits for its time of day');
  t.clock.advance(DAY);
  const [r] = await runDueJobs(t.deps, [job], 'instance-a');
  assert.equal(r.status, 'failed');
  const [row] = await runsOf('test.failing');
  assert.equal(row.status, 'failed');
  assert.equal(row.error, 'Error EMAIL could not mail <address> (<id>)');
  assert.ok(row.finished_at);
  fail = false;
  t.clock.advance(DAY);
  assert.equal((await runDueJobs(t.deps, [job], 'instance-a'))[0].status, 'finished');
  // The daily slot is 03:00 in Taipei: 19:00 UTC.
  assert.ok((await runsOf('test.failing')).every((x) => x.scheduled_for.toISOString().endsWith('T19:00:00.000Z')));
});

test('REQ-6 issue 14: the requests.due job carries out an approved request with an effective date on that day, once', async () => {
  // Signed in now: the tests before moved the clock past any earlier session.
  const admin = await person(t, { username: 'jobadmin1', name: '排程管理', unit: AGENCY, grants: [{ kind: 'registration_admin', oid: AGENCY, categories: ['csm', 'bms'] }] });
  const p = await person(t, { username: 'leaving02', name: '吳離職', unit: AGENCY + '.20011' });
  await giveRoles(t.deps, p.id, 'bms_user');
  const tomorrow = new Date(t.clock.now().getTime() + 8 * 3_600_000 + DAY).toISOString().slice(0, 10);
  const r = await api(t, p, 'POST', '', { type: 'permission_remove', role: 'bms_user', effectiveDate: tomorrow });
  assert.equal(r.status, 201);
  assert.equal((await decideOnPage(admin, r.json.id, 'approved', '離職日移除')).status, 303);
  assert.equal((await requestRow(t, r.json.id)).status, 'approved');
  const due = [jobNamed('requests.due')!];
  await runDueJobs(t.deps, due, 'instance-a');
  assert.deepEqual(await roles(t, p.id), ['bms_user'], 'kept until the day');
  // The first slot of the effective day (midnight in Taipei) and after.
  const midnight = new Date(`${tomorrow}T00:00:00+08:00`);
  t.clock.set(new Date(midnight.getTime() - 1));
  await runDueJobs(t.deps, due, 'instance-a');
  assert.deepEqual(await roles(t, p.id), ['bms_user'], 'not a moment before that day');
  t.clock.set(midnight);
  const [a, b] = await Promise.all([runDueJobs(t.deps, due, 'instance-a'), runDueJobs(t.deps, due, 'instance-b')]);
  const ran = [...a, ...b];
  assert.equal(ran.length, 1, 'one instance ran the slot');
  assert.deepEqual(ran[0].counts, { completed: 1, failed: 0 });
  assert.deepEqual(await roles(t, p.id), []);
  assert.equal((await requestRow(t, r.json.id)).status, 'completed');
  t.clock.advance(10 * MINUTE);
  assert.deepEqual((await runDueJobs(t.deps, due, 'instance-b'))[0].counts, { completed: 0, failed: 0 }, 'carried out once');
});

test('issue 14: the server starts the scheduler with TESSERA_JOBS_POLL_MS and stops it cleanly on close; 0 runs nothing', async () => {
  const clock = new ManualClock('2026-11-25T02:00:00Z');
  const off = await startTestApp({ clock, bootstrap: false, env: { TESSERA_JOBS_POLL_MS: '0' } });
  try {
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await off.deps.db.selectFrom('job_runs').select('id').execute()).length, 0, 'poll 0: this instance runs no jobs');
  } finally { await off.close(); }
  const on = await startTestApp({ clock, bootstrap: false, env: { TESSERA_JOBS_POLL_MS: '50' } });
  let closed = false;
  try {
    // The first pass goes through the whole table: wait until it has scheduled every job and
    // finished the interval job's run (polling for the run alone raced the next job's schedule).
    const interval = JOBS.filter((j) => 'everyMs' in j.every).map((j) => j.name).sort();
    const firstPassDone = async () => (await schedules(on.deps.db)).length === JOBS.length
      && (await on.deps.db.selectFrom('job_runs').select('id').where('job_name', 'in', interval).where('status', '=', 'finished').execute()).length === interval.length;
    for (let i = 0; i < 400 && !(await firstPassDone()); i++) await new Promise((r) => setTimeout(r, 25));
    const names = (await schedules(on.deps.db)).map((s) => s.name);
    assert.deepEqual(names, JOBS.map((j) => j.name).sort(), 'every job of the table is scheduled');
    const runs = await on.deps.db.selectFrom('job_runs').selectAll().execute();
    assert.ok(interval.includes('requests.due') && JOBS.some((j) => !('everyMs' in j.every)), 'the table has both kinds');
    assert.deepEqual(runs.map((r) => [r.job_name, r.status]).sort(), interval.map((n) => [n, 'finished']), 'the interval jobs ran at start; the daily ones wait for their time');
    await on.app.close();
    closed = true;
    const db = on.deps.db;
    assert.equal((await db.selectFrom('job_runs').select('id').where('status', '=', 'running').execute()).length, 0, 'no run left half-recorded');
  } finally {
    if (closed) await on.deps.db.destroy(); else await on.close();
  }
});

test('issue 14 OPS-2: two app instances on one PostgreSQL, polling, run each slot of requests.due once', { skip: !pg && 'runs in the PostgreSQL pass (PGlite is one process)' }, async () => {
  const env = { DATABASE_URL: await freshPgDatabase(pg!), TESSERA_SECRET_KEY: '42'.repeat(32), TESSERA_JOBS_POLL_MS: '20' };
  const clock = new ManualClock('2026-11-25T02:00:00Z');
  const a = await startTestApp({ env, clock, bootstrap: false });
  const b = await startTestApp({ env, clock, bootstrap: false });
  try {
    const db = a.deps.db;
    const slots = async () => (await db.selectFrom('job_runs').select(['scheduled_for', 'instance']).where('job_name', '=', 'requests.due').execute());
    const waitFor = async (n: number) => { for (let i = 0; i < 400 && (await slots()).length < n; i++) await new Promise((r) => setTimeout(r, 10)); };
    await waitFor(1);
    await new Promise((r) => setTimeout(r, 200)); // both instances polled several times
    assert.equal((await slots()).length, 1);
    clock.advance(10 * MINUTE);
    await waitFor(2);
    await new Promise((r) => setTimeout(r, 200));
    const runs = await slots();
    assert.equal(runs.length, 2, 'each slot once, whichever instance');
    assert.equal(new Set(runs.map((r) => r.scheduled_for.getTime())).size, 2);
  } finally {
    await a.close();
    await b.close();
  }
});
