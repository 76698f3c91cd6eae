// GOV-5 certificate-expiry reminders (AUTH-8) through the job scheduler, the outbox and the policy
// per subtree: the holder of a registered card is mailed once, N days before it expires
// (reminder.certificateExpiryDays, default 30); a card further off waits its turn; a subtree that
// sets 0 sends none; the reminder is audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { signedIn } from '../../helpers/login.ts';
import { DAY } from '../../../src/platform/clock.ts';
import { runDueJobs } from '../../../src/governance/jobs/scheduler.ts';
import { jobNamed } from '../../../src/governance/jobs/table.ts';
import { setNextRun } from '../../../src/governance/jobs/store.ts';
import { taipeiDate } from '../../../src/requests/format.ts';
import { certWorld, setPolicy, type CertWorld } from './world.ts';

const UNIT = '2.16.886.101.90027.20002.20011';
const QUIET = '2.16.886.101.90029.20002';

let t: TestApp;
let w: CertWorld;

before(async () => {
  t = await startTestApp();
  w = await certWorld(t, 'E5');
  await setPolicy(t, '2.16.886.101', { 'login.certificate': true });
  await setPolicy(t, QUIET, { 'reminder.certificateExpiryDays': 0 });
});
after(async () => { await w?.close(); await t?.close(); });

async function run(name: string) {
  const job = jobNamed(name)!;
  await runDueJobs(t.deps, [job], 'instance-a');
  await setNextRun(t.deps.db, name, t.clock.now(), t.clock.now());
  const [out] = await runDueJobs(t.deps, [job], 'instance-a');
  assert.equal(out?.status, 'finished', JSON.stringify(out));
  return out.counts!;
}
const mailTo = async (to: string) => (await t.deps.db.selectFrom('outbox').select(['subject', 'body_text']).where('recipient', '=', to).execute())
  .filter((m) => /自然人憑證將於/.test(m.subject));

/** A user who registered a card that expires `days` from now. */
async function holder(days: number, unit = UNIT) {
  const u = await w.citizen({ unit, notAfter: new Date(t.clock.now().getTime() + days * DAY) });
  const c = await signedIn(t, u.username, 'Correct-Horse-9');
  const r = await w.register(c, u.card);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { ...u, email: `${u.username}@example.gov.tw`, notAfter: new Date(t.clock.now().getTime() + days * DAY) };
}

test('GOV-5 AUTH-8: a registered certificate is reminded of once, 30 days before it expires; one further off waits its turn; a subtree that sets 0 gets none', async () => {
  const soon = await holder(20);
  const later = await holder(45);
  const quiet = await holder(10, QUIET);

  const first = await run('reminders.certificate');
  assert.equal(first.reminded, 1);
  const mails = await mailTo(soon.email);
  assert.equal(mails.length, 1);
  assert.match(mails[0].subject, new RegExp(taipeiDate(soon.notAfter)));
  assert.match(mails[0].body_text, new RegExp(soon.username));
  assert.match(mails[0].body_text, /戶政事務所/);
  assert.match(mails[0].body_text, /\/account\/certificates/);
  assert.equal((await mailTo(later.email)).length, 0, 'expires in 45 days: not yet');
  assert.equal((await mailTo(quiet.email)).length, 0, 'its subtree sends none');
  const e = await t.deps.db.selectFrom('audit_events').select(['target_id', 'details']).where('action', '=', 'auth.certificate.expiryReminder').execute();
  assert.deepEqual(e.map((x) => x.target_id), [String(soon.accountId)]);

  t.clock.advance(DAY);
  assert.equal((await run('reminders.certificate')).reminded, 0, 'once per certificate');
  assert.equal((await mailTo(soon.email)).length, 1);

  t.clock.advance(15 * DAY);
  await run('reminders.certificate');
  assert.equal((await mailTo(later.email)).length, 1, 'its turn came');
  // An expired certificate is not reminded of (the quiet one expired meanwhile, and its subtree says 0 anyway).
  assert.equal((await mailTo(quiet.email)).length, 0);
});
