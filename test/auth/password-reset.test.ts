// Forgotten password over HTTP (AUTH-5), the code read from mail received by a real SMTP server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startSmtp, resetCode, type TestSmtp, type ReceivedMail } from '../helpers/mail.ts';
import { Client, type Res } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login, alertText } from '../helpers/login.ts';
import { MINUTE } from '../../src/platform/clock.ts';
import { drainOutbox } from '../../src/platform/outbox.ts';

let t: TestApp;
let smtp: TestSmtp;
before(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url } });
});
after(async () => { await t?.close(); await smtp?.close(); });

const OLD = 'Correct-Horse-9';
const NEW = 'Lantern-Orchid-73';

let n = 0;
/** An account with its own mail address, so tests never read each other's mail. */
async function person(opts: { state?: string; kind?: 'password' | 'initial'; unitOid?: string; prefix?: string } = {}) {
  n++;
  const username = `${opts.prefix ?? ''}resetuser${String(n).padStart(2, '0')}`;
  const email = `${username}@mail.example.gov.tw`;
  const id = await createAccount(t.deps, { username, password: OLD, name: '陳美玲', state: opts.state, kind: opts.kind, unitOid: opts.unitOid, profile: { email } });
  return { id, username, email, name: '陳美玲' };
}

function forgot(c: Client, f: { name: string; username: string; email: string }): Promise<Res> {
  return c.submit('/password/forgot', '/password/forgot', () => ({ ...f, captcha: t.lastCaptcha() }));
}

function reset(c: Client, f: { username: string; code: string; next?: string; confirm?: string }): Promise<Res> {
  return c.submit('/password/reset', '/password/reset', () => ({ next: NEW, confirm: f.next ?? NEW, ...f, captcha: t.lastCaptcha() }));
}

const mailsTo = (to: string) => smtp.received.filter((m) => m.to === to);
async function codeMail(to: string, nth = 1): Promise<ReceivedMail> {
  await smtp.waitFor(() => mailsTo(to).filter((m) => /驗證碼/.test(m.subject)).length >= nth);
  return mailsTo(to).filter((m) => /驗證碼/.test(m.subject))[nth - 1];
}
/** The page without what differs on every render anyway (the captcha picture and id). */
const normalise = (html: string) => html.replace(/data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+/g, 'IMG').replace(/name="captchaId" value="[^"]*"/g, 'CAPTCHA');
const errorText = (html: string) => html.match(/role="alert"><ul><li>([^<]*)/)?.[1];

test('AUTH-5: forgot → code by mail → new password; sessions ended, lock-out counter cleared, audited, owner notified', async () => {
  const p = await person();
  const session = new Client(t.url);
  assert.equal((await login(t, session, p.username, OLD)).status, 303);
  await login(t, new Client(t.url), p.username, 'Wrong-Guess-1');
  await login(t, new Client(t.url), p.username, 'Wrong-Guess-2');

  const c = new Client(t.url);
  const login1 = await c.get('/login');
  assert.match(login1.body, /<a href="\/password\/forgot">忘記密碼<\/a>/, 'the login page links to it');
  const sent = await forgot(c, p);
  assert.equal(sent.status, 200);
  assert.match(sent.body, /若您填寫的資料正確，驗證碼已寄至您的信箱/);
  assert.match(sent.body, new RegExp(`name="username"[^>]*value="${p.username}"`), 'the username is carried to step 2');

  const mail = await codeMail(p.email);
  assert.match(mail.text, /「姓名」：陳美玲/);
  assert.match(mail.text, new RegExp(`「帳號」：${p.username}`));
  assert.match(mail.text, new RegExp(`「信箱」：${p.email}`));
  assert.match(mail.text, new RegExp(`${t.url}/password/reset`));
  const code = resetCode(mail);
  const row = await t.deps.db.selectFrom('password_resets').selectAll().where('account_id', '=', p.id).executeTakeFirstOrThrow();
  assert.ok(!row.code_hash.includes(code), 'the code is stored hashed');
  assert.equal(row.expires_at.getTime() - row.created_at.getTime(), 60 * MINUTE);

  const done = await reset(c, { username: p.username, code });
  assert.equal(done.status, 303);
  assert.equal(done.location, '/password/reset?done=1');
  assert.match((await c.get(done.location!)).body, /密碼已重設/);

  assert.equal((await session.get('/')).status, 303, 'the session from before the reset has ended');
  const oldTry = await login(t, new Client(t.url), p.username, OLD);
  assert.equal(oldTry.status, 401, 'the old password no longer works');
  assert.match(alertText(oldTry.body)!, /目前【1】/, 'the two failures before the reset were cleared');
  assert.equal((await login(t, new Client(t.url), p.username, NEW)).status, 303);
  const pw = await t.deps.db.selectFrom('passwords').selectAll().where('account_id', '=', p.id).executeTakeFirstOrThrow();
  assert.equal(pw.kind, 'password');
  assert.equal(pw.must_change, false);

  const events = await t.deps.db.selectFrom('audit_events').selectAll().where('target_id', '=', String(p.id)).where('action', 'like', 'auth.password.reset%').orderBy('seq').execute();
  assert.deepEqual(events.map((e) => [e.action, e.result]), [['auth.password.reset.request', 'ok'], ['auth.password.reset', 'ok']]);
  assert.equal((events[1].details as { sessionsEnded: number }).sessionsEnded, 1);
  assert.ok(events.every((e) => !JSON.stringify(e.details).includes(p.username)), 'usernames masked in the audit trail');

  const notice = await smtp.waitFor((m) => m.to === p.email && m.subject === 'Tessera 密碼已變更通知');
  assert.match(notice.text, new RegExp(`您的帳號 ${p.username} 的密碼已於`));
});

test('AUTH-5: wrong details get the very same response as right ones, and no mail', async () => {
  const p = await person();
  const disabled = await person({ state: 'disabled' });
  const c = new Client(t.url);
  const right = await forgot(c, p);
  const wrongName = await forgot(c, { ...p, name: '陳美鈴' });
  const wrongEmail = await forgot(c, { ...p, email: 'someone.else@mail.example.gov.tw' });
  for (const r of [wrongName, wrongEmail]) {
    assert.equal(r.status, right.status);
    assert.equal(normalise(r.body), normalise(right.body));
  }
  const unknown = await forgot(c, { ...p, username: 'nosuchuser99' });
  assert.equal(unknown.status, right.status);
  assert.equal(normalise(unknown.body).replaceAll('nosuchuser99', p.username), normalise(right.body));
  const off = await forgot(c, disabled);
  assert.equal(normalise(off.body).replaceAll(disabled.username, p.username), normalise(right.body), 'a disabled account is not told apart');

  await drainOutbox(t.deps);
  await codeMail(p.email);
  assert.equal(mailsTo(p.email).length, 1, 'one mail, for the matching request only');
  assert.equal(mailsTo(disabled.email).length, 0);
  assert.equal(mailsTo('someone.else@mail.example.gov.tw').length, 0);
  const outbox = await t.deps.db.selectFrom('outbox').select('recipient').where('recipient', 'in', [disabled.email, 'someone.else@mail.example.gov.tw']).execute();
  assert.deepEqual(outbox, [], 'nothing was even queued');
  const denied = await t.deps.db.selectFrom('audit_events').select('details').where('action', '=', 'auth.password.reset.request').where('result', '=', 'denied').execute();
  assert.ok(denied.length >= 4, 'unmatched requests are audited too');
});

test('AUTH-5: a code expires after 60 minutes and works only once', async () => {
  const p = await person();
  const c = new Client(t.url);
  await forgot(c, p);
  const code = resetCode(await codeMail(p.email));
  t.clock.advance(61 * MINUTE);
  const late = await reset(c, { username: p.username, code });
  assert.equal(late.status, 422);
  assert.match(errorText(late.body)!, /驗證碼錯誤，或驗證碼已失效/);

  t.clock.advance(MINUTE);
  await forgot(c, p);
  const code2 = resetCode(await codeMail(p.email, 2));
  t.clock.advance(59 * MINUTE);
  assert.equal((await reset(c, { username: p.username, code: code2 })).status, 303, 'valid at 59 minutes');
  const again = await reset(c, { username: p.username, code: code2, next: 'Another-Harbor-58', confirm: 'Another-Harbor-58' });
  assert.equal(again.status, 422, 'a used code is refused');
  assert.equal((await login(t, new Client(t.url), p.username, NEW)).status, 303, 'the password set by the first use stands');
});

test('AUTH-5: five wrong codes void the code, even for the right code afterwards', async () => {
  const p = await person();
  const c = new Client(t.url);
  await forgot(c, p);
  const code = resetCode(await codeMail(p.email));
  const wrong = code === '00000000' ? '11111111' : '00000000';
  for (let i = 0; i < 5; i++) {
    const r = await reset(c, { username: p.username, code: wrong });
    assert.equal(r.status, 422);
    assert.match(errorText(r.body)!, /驗證碼錯誤/);
  }
  const r = await reset(c, { username: p.username, code });
  assert.equal(r.status, 422, 'the right code no longer works');
  assert.equal((await login(t, new Client(t.url), p.username, OLD)).status, 303, 'the password is unchanged');
});

test('AUTH-5: resend issues a new code and voids the old one; within 60 s it sends nothing new', async () => {
  const p = await person();
  const c = new Client(t.url);
  const page = await c.get('/password/reset');
  assert.match(page.body, /<a href="\/password\/forgot\?resend=1">重新寄送驗證碼<\/a>/);
  assert.match((await c.get('/password/forgot?resend=1')).body, /<h1>重新寄送驗證碼<\/h1>/);
  await forgot(c, p);
  const first = resetCode(await codeMail(p.email));
  t.clock.advance(30_000);
  const soon = await forgot(c, p);
  assert.equal(soon.status, 200);
  t.clock.advance(31_000);
  await forgot(c, p);
  const second = resetCode(await codeMail(p.email, 2));
  await drainOutbox(t.deps);
  assert.equal(mailsTo(p.email).length, 2, 'the request inside the cool-down sent no mail');
  if (first !== second) {
    assert.equal((await reset(c, { username: p.username, code: first })).status, 422, 'the old code is void');
  }
  assert.equal((await reset(c, { username: p.username, code: second })).status, 303, 'the new code works');
});

test('AUTH-3 AUTH-5: the new password meets the policy and history; after a rule error the same code still works', async () => {
  const p = await person();
  const c = new Client(t.url);
  await forgot(c, p);
  const code = resetCode(await codeMail(p.email));
  const reused = await reset(c, { username: p.username, code, next: OLD, confirm: OLD });
  assert.equal(reused.status, 422);
  assert.equal(errorText(reused.body), '新密碼不可與前幾次設定的密碼相同。');
  assert.match(reused.body, new RegExp(`name="code"[^>]*value="${code}"`), 'the right code is kept in the form');
  const weak = await reset(c, { username: p.username, code, next: 'qwer1234', confirm: 'qwer1234' });
  assert.equal(weak.status, 422);
  const mismatch = await reset(c, { username: p.username, code, next: NEW, confirm: NEW + 'x' });
  assert.equal(errorText(mismatch.body), '兩次輸入的新密碼不一致。');
  for (let i = 0; i < 3; i++) await reset(c, { username: p.username, code, next: OLD, confirm: OLD });
  assert.equal((await reset(c, { username: p.username, code })).status, 303, 'rule errors did not use up the five tries');
});

test('AUTH-4 AUTH-5: a not-yet-activated account may reset; the chosen password activates it', async () => {
  const p = await person({ state: 'not_activated', kind: 'initial' });
  const c = new Client(t.url);
  await forgot(c, p);
  const code = resetCode(await codeMail(p.email));
  assert.equal((await reset(c, { username: p.username, code })).status, 303);
  const a = await t.deps.db.selectFrom('accounts').select('state').where('id', '=', p.id).executeTakeFirstOrThrow();
  assert.equal(a.state, 'enabled');
  const r = await login(t, new Client(t.url), p.username, NEW);
  assert.equal(r.location, '/', 'no forced change after a reset');
});

test('AUTH-3 AUTH-5 issue 9 item 11: the reset page shows no one unit\'s rule until a right code names the account; then the account\'s own', async () => {
  // A teacher of the sample school, whose rule (seed 001) is 8 characters, not the agencies' 12.
  const p = await person({ unitOid: '2.16.886.111.90001.10300', prefix: '010300_' });
  const c = new Client(t.url);
  const sent = await forgot(c, p);
  assert.doesNotMatch(sent.body, /長度至少 \d+ 個字元/, 'before the code, no rule with a number');
  assert.match(sent.body, /data-testid="rules-neutral"/);
  const mail = await codeMail(p.email);
  assert.match(mail.text, /您帳號適用的密碼規則：長度至少 8 個字元/, 'the mail to the owner names the account\'s rule');
  const code = resetCode(mail);
  const wrong = await reset(c, { username: p.username, code: code === '00000000' ? '11111111' : '00000000', next: 'x', confirm: 'x' });
  assert.doesNotMatch(wrong.body, /長度至少 \d+ 個字元/, 'a wrong code does not reveal the account\'s rule');
  const short = await reset(c, { username: p.username, code, next: 'Ab1xyz', confirm: 'Ab1xyz' });
  assert.equal(short.status, 422);
  assert.match(short.body, /長度至少 8 個字元。/, 'a right code shows the account\'s own rule');
  assert.doesNotMatch(short.body, /長度至少 12 個字元/);
  // An unknown username looks like a known one with a wrong code.
  const unknown = await reset(new Client(t.url), { username: 'nosuchuser77', code: '12345678', next: 'Ab1xyz', confirm: 'Ab1xyz' });
  assert.equal(unknown.status, wrong.status);
  assert.doesNotMatch(unknown.body, /長度至少 \d+ 個字元/);
  assert.equal((await reset(c, { username: p.username, code, next: 'Pine-Ridge-8', confirm: 'Pine-Ridge-8' })).status, 303, 'an 11-character password is enough under the school rule');
});
