// Mail outbox (OPS-3) against a real SMTP server: written in the action's transaction, delivered by
// workers over nodemailer, retried with backoff, never sent twice, shown on the development page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { startSmtp, type TestSmtp } from '../helpers/mail.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { MINUTE } from '../../src/platform/clock.ts';
import { buildApp } from '../../src/server.ts';
import { enqueueMail } from '../../src/mail-templates.ts';
import { drainOutbox, drainWith, MAX_ATTEMPTS, LEASE_MS, type MailSender } from '../../src/platform/outbox.ts';

const SECOND = 1000;
let t: TestApp;
let smtp: TestSmtp;
const logLines: string[] = [];
// Poll interval 0: no background worker, so each test decides when the outbox is drained.
before(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url, TESSERA_OUTBOX_POLL_MS: '0', LOG_LEVEL: 'info' }, logLines });
});
after(async () => { await t?.close(); await smtp?.close(); });

const vars = (code: string) => ({ name: '林建國', username: 'linjianguo', email: 'lin@example.gov.tw', code, minutes: 60, resetUrl: `${t.url}/password/reset` });

function enqueue(to: string, code = '12345678') {
  return t.deps.db.transaction().execute((trx) => enqueueMail(trx, t.deps.clock.now(), { to, template: 'password.resetCode', lang: 'zh-TW', vars: vars(code) }));
}

const row = (id: number) => t.deps.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

test('OPS-3: a mail is written in its action\'s transaction: a failed action leaves none, a committed one arrives over SMTP', async () => {
  const count = async () => Number((await t.deps.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const before = await count();
  await assert.rejects(t.deps.db.transaction().execute(async (trx) => {
    await enqueueMail(trx, t.deps.clock.now(), { to: 'rollback@example.gov.tw', template: 'password.resetCode', lang: 'zh-TW', vars: vars('11111111') });
    throw new Error('the action failed after writing its mail');
  }));
  assert.equal(await count(), before, 'the rolled-back action left no mail');
  assert.equal(await drainOutbox(t.deps), 0);
  assert.ok(!smtp.received.some((m) => m.to === 'rollback@example.gov.tw'));

  const id = await enqueue('commit@example.gov.tw', '22222222');
  assert.equal(await drainOutbox(t.deps), 1);
  const m = await smtp.waitFor((x) => x.to === 'commit@example.gov.tw');
  assert.equal(m.subject, 'Tessera 忘記密碼驗證碼');
  assert.match(m.from, /^"?Tessera"? <no-reply@localhost>$/, 'the default TESSERA_MAIL_FROM');
  assert.match(m.text, /^22222222$/m);
  assert.match(m.text, /「姓名」：林建國/);
  assert.match(m.html, new RegExp(`<a href="${t.url}/password/reset">`), 'the HTML part has the link clickable');
  const r = await row(id);
  assert.ok(r.sent_at);
  assert.equal(r.attempts, 1);
  assert.equal(r.lease_until, null);
});

test('OPS-3: refused deliveries are retried with exponential backoff (30 s, 1 min) and then delivered; logs name no recipient', async () => {
  smtp.refuseNext(2);
  const id = await enqueue('retry@example.gov.tw', '33333333');
  assert.equal(await drainOutbox(t.deps), 1);
  let r = await row(id);
  assert.equal(r.sent_at, null);
  assert.equal(r.attempts, 1);
  assert.equal(r.next_attempt_at!.getTime() - t.clock.now().getTime(), 30 * SECOND);
  assert.match(r.last_error!, /451/);
  assert.doesNotMatch(r.last_error!, /retry@example/, 'the stored error names no address');

  t.clock.advance(29 * SECOND);
  assert.equal(await drainOutbox(t.deps), 0, 'not due before 30 s');
  t.clock.advance(1 * SECOND);
  assert.equal(await drainOutbox(t.deps), 1);
  r = await row(id);
  assert.equal(r.attempts, 2);
  assert.equal(r.next_attempt_at!.getTime() - t.clock.now().getTime(), 60 * SECOND, 'the second wait doubles');

  t.clock.advance(59 * SECOND);
  assert.equal(await drainOutbox(t.deps), 0);
  t.clock.advance(1 * SECOND);
  assert.equal(await drainOutbox(t.deps), 1);
  r = await row(id);
  assert.ok(r.sent_at, 'delivered at the third attempt');
  assert.equal(r.attempts, 3);
  assert.equal(smtp.received.filter((m) => m.to === 'retry@example.gov.tw').length, 1);
  assert.equal(smtp.refusals >= 2, true);

  const logs = logLines.join('\n');
  assert.match(logs, /mail delivery failed/);
  assert.match(logs, /mail sent/);
  assert.doesNotMatch(logs, /@example\.gov\.tw|33333333|林建國/, 'no recipient, code or name in the logs');
});

test(`OPS-3: after ${MAX_ATTEMPTS} refused attempts delivery is given up and the last error kept`, async () => {
  smtp.refuseNext(100);
  const id = await enqueue('never@example.gov.tw');
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    assert.equal(await drainOutbox(t.deps), 1, `attempt ${i + 1}`);
    t.clock.advance(2 ** i * 30 * SECOND);
  }
  const r = await row(id);
  assert.equal(r.attempts, MAX_ATTEMPTS);
  assert.equal(r.next_attempt_at, null, 'no further attempt is planned');
  assert.match(r.last_error!, /451/);
  t.clock.advance(24 * 60 * MINUTE);
  assert.equal(await drainOutbox(t.deps), 0);
  smtp.refuseNext(0);
});

test('OPS-3: workers draining concurrently send every mail exactly once', async () => {
  const n = 30;
  for (let i = 0; i < n; i++) await enqueue(`bulk${i}@example.gov.tw`, String(40000000 + i));
  const tried = await Promise.all([drainOutbox(t.deps), drainOutbox(t.deps), drainOutbox(t.deps)]);
  assert.equal(tried.reduce((a, b) => a + b, 0), n, 'each row was claimed by one worker only');
  const bulk = smtp.received.filter((m) => m.to.startsWith('bulk'));
  assert.equal(bulk.length, n);
  assert.equal(new Set(bulk.map((m) => m.to)).size, n, 'no mail arrived twice');
});

test('OPS-3: a row claimed by a worker that died is left alone until its lease ends, then sent once', async () => {
  const id = await enqueue('lease@example.gov.tw');
  let release!: () => void;
  const stuck: MailSender = { send: () => new Promise<void>((resolve) => { release = resolve; }), close() {} };
  const dead = drainWith(t.deps, stuck);
  await new Promise((r) => setTimeout(r, 50));
  assert.ok((await row(id)).lease_until, 'claimed');
  assert.equal(await drainOutbox(t.deps), 0, 'another worker does not take a leased row');
  t.clock.advance(LEASE_MS);
  assert.equal(await drainOutbox(t.deps), 1, 'the lease ran out: another worker sends it');
  assert.equal(smtp.received.filter((m) => m.to === 'lease@example.gov.tw').length, 1);
  release();
  await dead;
});

test('OPS-3: the background worker sends right after an enqueue (no waiting for the poll) and stops with the app', async () => {
  const other = await startTestApp({ env: { SMTP_URL: smtp.url, TESSERA_OUTBOX_POLL_MS: '3600000' } });
  try {
    const started = Date.now();
    await other.deps.db.transaction().execute((trx) => enqueueMail(trx, other.deps.clock.now(), { to: 'nudge@example.gov.tw', template: 'password.resetCode', lang: 'en', vars: vars('55555555') }));
    const m = await smtp.waitFor((x) => x.to === 'nudge@example.gov.tw', 3000);
    assert.ok(Date.now() - started < 3000);
    assert.equal(m.subject, 'Tessera password reset code', 'English template');
  } finally {
    await other.close(); // must not hang: the worker stops in the onClose hook
  }
});

test('OPS-3: /dev/outbox shows the mail to the central authority only, newest first, links clickable; not in production', async () => {
  await enqueue('first@example.gov.tw');
  t.clock.advance(SECOND);
  await enqueue('second@example.gov.tw');
  const anon = new Client(t.url);
  assert.equal((await anon.get('/dev/outbox')).status, 303, 'anonymous → login');
  await createAccount(t.deps, { username: 'plainuser01', password: 'Correct-Horse-9' });
  const plain = new Client(t.url);
  await login(t, plain, 'plainuser01', 'Correct-Horse-9');
  assert.equal((await plain.get('/dev/outbox')).status, 404, 'not for an ordinary account');
  const admin = new Client(t.url);
  await login(t, admin, ADMIN_USERNAME, ADMIN_PASSWORD);
  const r = await admin.get('/dev/outbox');
  assert.equal(r.status, 200);
  const second = r.body.indexOf('second@example.gov.tw'), first = r.body.indexOf('first@example.gov.tw');
  assert.ok(second > 0 && first > second, 'newest first');
  assert.match(r.body, new RegExp(`<a href="${t.url}/password/reset">`));

  const prod = await buildApp({ ...t.deps, config: { ...t.deps.config, production: true } });
  try {
    const res = await prod.app.inject({ method: 'GET', url: '/dev/outbox' });
    assert.equal(res.statusCode, 404, 'no such page in production');
  } finally { await prod.app.close(); }
});
