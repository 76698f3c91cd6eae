// The scheduled jobs as the central authority sees them (issue 14, OPS-2): every job by its name,
// schedule, next and last run, last success and the week's failures with the error; one job's runs;
// the same in GET /api/v1/jobs; nobody else sees them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { apiToken, centralAuthority, jsonCall } from '../helpers/api.ts';
import { giveGrant } from '../helpers/factories.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { runDueJobs, type JobDef } from '../../src/governance/jobs/scheduler.ts';
import { JOBS } from '../../src/governance/jobs/table.ts';
import { zh, en } from '../../src/messages.ts';
import { MINUTE } from '../../src/platform/clock.ts';

let t: TestApp;
let central: { client: Client; token: string };

before(async () => {
  t = await startTestApp();
  central = await centralAuthority(t);
});
after(async () => { await t?.close(); });

test('issue 14: every job of the table has a name in both languages (the page never shows a bare code)', () => {
  for (const j of JOBS) {
    const key = `jobs.name.${j.name}`;
    assert.ok(key in zh && key in en, `${key} missing`);
  }
});

test('issue 14 OPS-2: the jobs page names each job with its schedule and last run; a failure shows with its error, and the job\'s runs list it', async () => {
  // A run of every interval job, then a failing run of one of them (its code is the table's, its work fails).
  await runDueJobs(t.deps, JOBS, 'instance-a');
  const due = JOBS.find((j) => j.name === 'requests.due')!;
  const failing: JobDef = { ...due, run: async () => { throw Object.assign(new Error('connection terminated'), { code: '57P01' }); } };
  t.clock.advance(10 * MINUTE);
  const [out] = await runDueJobs(t.deps, [failing], 'instance-a');
  assert.equal(out.status, 'failed');

  const page = await central.client.get('/admin/jobs');
  assert.equal(page.status, 200);
  const row = page.body.match(/<tr data-job="requests\.due">([\s\S]*?)<\/tr>/)![1];
  assert.match(row, /執行已核准且生效日已到的申請/);
  assert.match(row, /每 10 分鐘/);
  assert.match(row, /失敗/);
  assert.match(row, /Error 57P01 connection terminated/);
  assert.match(page.body, /<tr data-job="inactivity\.sweep">[\s\S]*?每日 03:00（臺北時間）[\s\S]*?尚未執行/);
  assert.doesNotMatch(page.body.replace(/data-job="[^"]+"|href="[^"]+"/g, ''), /requests\.due|inactivity\.sweep|sso\.sessions/, 'names, not codes');

  const runs = await central.client.get('/admin/jobs/requests.due');
  assert.equal(runs.status, 200);
  assert.match(runs.body, /執行紀錄：執行已核准且生效日已到的申請/);
  assert.match(runs.body, /<td>失敗<\/td><td>排程<\/td><td><\/td><td>Error 57P01 connection terminated<\/td>/);
  assert.match(runs.body, /<td>完成<\/td><td>排程<\/td><td>完成 0、失敗 0<\/td>/);
  assert.equal((await central.client.get('/admin/jobs/no.such')).status, 404);

  const api = await jsonCall(t, central.token, 'GET', '/api/v1/jobs');
  assert.equal(api.status, 200);
  const item = api.body.items.find((j: { name: string }) => j.name === 'requests.due');
  assert.equal(item.everyMinutes, 10);
  assert.equal(item.failures, 1);
  assert.equal(item.lastRun.status, 'failed');
  assert.equal(item.lastFailure.error, 'Error 57P01 connection terminated');
  assert.deepEqual(api.body.items.map((j: { name: string }) => j.name), JOBS.map((j) => j.name));

  const english = await central.client.request('GET', '/admin/jobs', undefined, { 'accept-language': 'en' });
  assert.match(english.body, /Carry out approved requests whose date has come/);
});

test('issue 14: an administrator who is not the central authority gets "not found" for the jobs, on the page and in the API', async () => {
  const id = await createAccount(t.deps, { username: 'jobsra01', password: 'Correct-Horse-9', unitOid: '2.16.886.101.90027.20002' });
  await giveGrant(t.deps, id, 'registration_admin', '2.16.886.101.90027.20002', ['*']);
  assert.equal((await jsonCall(t, await apiToken(t, 'jobsra01'), 'GET', '/api/v1/jobs')).status, 404);
  const c = new Client(t.url);
  assert.equal((await login(t, c, 'jobsra01', 'Correct-Horse-9')).status, 303);
  assert.equal((await c.get('/admin/jobs')).status, 404);
  assert.doesNotMatch((await c.get('/admin')).body, /排程工作/);
  assert.match((await central.client.get('/admin')).body, /href="\/admin\/jobs"/);
});
