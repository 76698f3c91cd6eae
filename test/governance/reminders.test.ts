// Reminders (GOV-5) through the job scheduler, the outbox and the policy per subtree: a password
// about to expire is reminded of once; a request that reaches a step is announced to that step's
// approvers (the agency's own, not the central authority, while the agency has some); approvers get
// one digest a day of what waits; a subtree that turns them off gets none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, type TestApp } from '../helpers/app.ts';
import { AGENCY, UNIT, api, person, type Person } from '../helpers/requests.ts';
import { createAccount } from '../helpers/accounts.ts';
import { runDueJobs } from '../../src/governance/jobs/scheduler.ts';
import { jobNamed } from '../../src/governance/jobs/table.ts';
import { setNextRun } from '../../src/governance/jobs/store.ts';
import { loadActor } from '../../src/access/actor.ts';
import { setPolicy } from '../../src/orgs/service.ts';
import { findAccountByUsername } from '../../src/accounts/store.ts';
import { requestNumber } from '../../src/requests/format.ts';
import { DAY } from '../../src/platform/clock.ts';

const SIBLING = '2.16.886.101.90029.20002';
let t: TestApp;
let user: Person, supervisor: Person, admin: Person, quietAdmin: Person;

before(async () => {
  t = await startTestApp();
  user = await person(t, { username: 'remuser01', name: '提醒使用者' });
  supervisor = await person(t, { username: 'remsuper1', name: '單位主管', grants: [{ kind: 'unit_supervisor', oid: UNIT }] });
  admin = await person(t, { username: 'remadmin1', name: '機關管理者', unit: AGENCY, grants: [{ kind: 'registration_admin', oid: AGENCY, categories: ['*'] }] });
  // A sibling agency's administrator, whose subtree turns reminders off.
  quietAdmin = await person(t, { username: 'remquiet1', name: '安靜管理者', unit: SIBLING, grants: [{ kind: 'registration_admin', oid: SIBLING, categories: ['*'] }] });
  const centralId = (await findAccountByUsername(t.deps.db, ADMIN_USERNAME))!.id;
  // With an address, so that a mail to the central authority would be seen.
  await t.deps.db.updateTable('accounts').set({ email: 'central@example.gov.tw' }).where('id', '=', centralId).execute();
  const central = await loadActor(t.deps, centralId);
  assert.ok((await setPolicy(t.deps, central, SIBLING, { 'reminder.passwordExpiryDays': '0', 'reminder.approvals': 'false' }, null)).ok);
});
after(async () => { await t?.close(); });

/** Runs a job now, as the scheduler does at its slot. */
async function run(name: string) {
  const job = jobNamed(name)!;
  await runDueJobs(t.deps, [job], 'instance-a'); // schedules it the first time
  await setNextRun(t.deps.db, name, t.clock.now(), t.clock.now());
  const [out] = await runDueJobs(t.deps, [job], 'instance-a');
  assert.equal(out?.status, 'finished', JSON.stringify(out));
  return out.counts!;
}
const mailTo = async (to: string, subject: RegExp) => (await t.deps.db.selectFrom('outbox').select(['subject', 'body_text']).where('recipient', '=', to).execute())
  .filter((m) => subject.test(m.subject));

test('GOV-5: a password is reminded of once, 14 days before it expires (policy 90 days); one further off, or in a subtree that turns it off, is not', async () => {
  const now = t.clock.now().getTime();
  const soon = await createAccount(t.deps, { username: 'pwsoon001', password: 'Correct-Horse-9', unitOid: UNIT, name: '快到期', profile: { email: 'pwsoon001@example.gov.tw' } });
  const later = await createAccount(t.deps, { username: 'pwlater01', password: 'Correct-Horse-9', unitOid: UNIT, name: '還很久', profile: { email: 'pwlater01@example.gov.tw' } });
  const quiet = await createAccount(t.deps, { username: 'pwquiet01', password: 'Correct-Horse-9', unitOid: SIBLING, name: '不提醒', profile: { email: 'pwquiet01@example.gov.tw' } });
  const setAt = (id: number, daysAgo: number) => t.deps.db.updateTable('passwords').set({ set_at: new Date(now - daysAgo * DAY) }).where('account_id', '=', id).execute();
  await setAt(soon, 80); await setAt(later, 70); await setAt(quiet, 80);
  await t.deps.db.updateTable('accounts').set({ state: 'enabled' }).where('id', 'in', [soon, later, quiet]).execute();

  await run('reminders.password');
  const mails = await mailTo('pwsoon001@example.gov.tw', /密碼將於/);
  assert.equal(mails.length, 1);
  const expiresOn = new Date(now - 80 * DAY + 90 * DAY + 8 * 3_600_000).toISOString().slice(0, 10);
  assert.match(mails[0].subject, new RegExp(expiresOn));
  assert.match(mails[0].body_text, /pwsoon001/);
  assert.match(mails[0].body_text, /\/password\/change/);
  assert.equal((await mailTo('pwlater01@example.gov.tw', /密碼/)).length, 0, 'expires in 20 days: not yet');
  assert.equal((await mailTo('pwquiet01@example.gov.tw', /密碼/)).length, 0, 'its subtree sends no reminder');

  t.clock.advance(DAY);
  await run('reminders.password');
  assert.equal((await mailTo('pwsoon001@example.gov.tw', /密碼將於/)).length, 1, 'once per password');
  t.clock.advance(5 * DAY);
  await run('reminders.password');
  assert.equal((await mailTo('pwlater01@example.gov.tw', /密碼將於/)).length, 1, 'its turn came');
});

test('GOV-5: a request reaching a step is announced once to that step\'s approvers — the supervisor, then the agency\'s administrator, never the central authority while the agency has its own', async () => {
  const s = await api(t, user, 'POST', '', { type: 'one_day_password', reason: '未帶卡' });
  assert.equal(s.status, 201);
  const number = requestNumber(s.json.id);
  await run('reminders.steps');
  const toSupervisor = await mailTo(supervisor.email, new RegExp(number));
  assert.equal(toSupervisor.length, 1);
  assert.match(toSupervisor[0].body_text, /單位主管審核/);
  assert.match(toSupervisor[0].body_text, new RegExp(`/admin/requests/${s.json.id}`));
  assert.equal((await mailTo(admin.email, new RegExp(number))).length, 0, 'not their step yet');
  await run('reminders.steps');
  assert.equal((await mailTo(supervisor.email, new RegExp(number))).length, 1, 'announced once');

  assert.equal((await api(t, supervisor, 'POST', `/${s.json.id}/decision`, { decision: 'approved', comment: '', step: 1 })).status, 200);
  await run('reminders.steps');
  const toAdmin = await mailTo(admin.email, new RegExp(number));
  assert.equal(toAdmin.length, 1);
  assert.match(toAdmin[0].body_text, /機關管理者審核/);
  const announced = (await t.deps.db.selectFrom('outbox').select('recipient').where('subject', 'like', `%待審核：%${number}%`).execute()).map((m) => m.recipient).sort();
  assert.deepEqual(announced, [admin.email, supervisor.email].sort(), 'nobody else: the central authority could decide, but the agency has its own administrator');
  assert.equal((await mailTo(user.email, /待審核/)).length, 0, 'never the requester');
});

test('GOV-5: approvers get one digest a day of the requests waiting for them; a subtree that turns reminders off gets none', async () => {
  const sibUser = await person(t, { username: 'remsibu01', name: '鄰近機關使用者', unit: SIBLING });
  assert.equal((await api(t, sibUser, 'POST', '', { type: 'permission_add', role: 'bms_user' })).status, 201);
  await run('reminders.steps');
  assert.equal((await mailTo(quietAdmin.email, /待審核/)).length, 0, 'the sibling agency turned step mails off');

  await run('reminders.digest');
  const digest = await mailTo(admin.email, /待審核彙整/);
  assert.equal(digest.length, 1);
  assert.match(digest[0].subject, /1 件/, 'the one-day password at the administrator step');
  assert.equal((await mailTo(quietAdmin.email, /待審核彙整/)).length, 0);
  await run('reminders.digest');
  assert.equal((await mailTo(admin.email, /待審核彙整/)).length, 1, 'one a day');
  t.clock.advance(DAY);
  await run('reminders.digest');
  assert.equal((await mailTo(admin.email, /待審核彙整/)).length, 2, 'and again the next day while it waits');
});
