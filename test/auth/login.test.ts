// Password sign-in through HTTP (AUTH-1, AUTH-2, AUTH-3 max age, AUTH-10, ACC-6, GOV-1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client, hiddenFields } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login, alertText } from '../helpers/login.ts';
import { MINUTE, DAY } from '../../src/platform/clock.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

const PASSWORD = 'Correct-Horse-9';

async function auditRows(action: string) {
  return t.deps.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('seq').execute();
}

test('AUTH-1 ACC-6: login answers 303 to /, home shows the previous password login time', async () => {
  await createAccount(t.deps, { username: 'linjianguo', password: PASSWORD, name: '林建國' });
  const c = new Client(t.url);
  const r = await login(t, c, 'linjianguo', PASSWORD);
  assert.equal(r.status, 303);
  assert.equal(r.location, '/');
  const home = await c.get('/');
  assert.equal(home.status, 200);
  assert.match(home.body, /林建國，您好/);
  assert.match(home.body, /data-testid="last-password-login">無紀錄</);
  t.clock.advance(5 * MINUTE);
  const c2 = new Client(t.url);
  await login(t, c2, 'linjianguo', PASSWORD);
  const home2 = await c2.get('/');
  assert.match(home2.body, /data-testid="last-password-login">2026-11-25 10:00:00</, 'shows the first login in Taipei time');
});

test('AUTH-2 issue 9 item 19: three wrong passwords lock for 15 minutes with the count, the third says so; correct password refused until then', async () => {
  await createAccount(t.deps, { username: 'lockme01', password: PASSWORD });
  const c = new Client(t.url);
  for (const n of [1, 2]) {
    const r = await login(t, c, 'lockme01', 'Wrong-Password-' + n);
    assert.equal(r.status, 401);
    assert.equal(alertText(r.body), `帳號或密碼錯誤，次數達 3 次即鎖定，目前【${n}】`);
  }
  // Issue 9 item 19: the locking attempt itself says the account is now locked.
  const third = await login(t, c, 'lockme01', 'Wrong-Password-3');
  assert.equal(alertText(third.body), '帳號或密碼錯誤，次數達 3 次即鎖定，目前【3】。帳號已鎖定 15 分鐘，請稍後再試或洽管理者解鎖。');
  const locked = await login(t, c, 'lockme01', PASSWORD);
  assert.equal(locked.status, 401);
  assert.match(alertText(locked.body)!, /已鎖定 15 分鐘/);
  assert.equal(c.cookie('tessera_sid'), undefined);
  t.clock.advance(14 * MINUTE);
  assert.match(alertText((await login(t, c, 'lockme01', PASSWORD)).body)!, /已鎖定/, 'still locked at 14 minutes');
  t.clock.advance(1 * MINUTE + 1000);
  const ok = await login(t, c, 'lockme01', PASSWORD);
  assert.equal(ok.status, 303, 'unlocked after 15 minutes');
  // Success resets the counter: a new failure counts from 1.
  const c2 = new Client(t.url);
  assert.match(alertText((await login(t, c2, 'lockme01', 'nope-nope-nope')).body)!, /目前【1】/);
});

test('AUTH-2: an unknown username gets exactly the responses a known one gets, lock-out included', async () => {
  await createAccount(t.deps, { username: 'knownuser1', password: PASSWORD });
  const known = new Client(t.url), unknown = new Client(t.url);
  for (let i = 0; i < 4; i++) {
    const a = await login(t, known, 'knownuser1', 'Bad-Guess-' + i);
    const b = await login(t, unknown, 'ghostuser1', 'Bad-Guess-' + i);
    assert.equal(a.status, b.status);
    assert.equal(alertText(a.body), alertText(b.body));
  }
  const failures = await auditRows('auth.login.password');
  assert.ok(failures.some((e) => e.result === 'failed' && e.actor_account_id === null), 'unknown-user attempts are audited too');
  assert.ok(failures.every((e) => !JSON.stringify(e.details).includes('ghostuser1')), 'no full username in the audit details');
});

test('AUTH-2 issue 9 item 2: with a threshold of 5, known and unknown usernames get byte-identical answers to the end of the lock-out', async () => {
  const t5 = await startTestApp({ env: { TESSERA_LOCKOUT_THRESHOLD: '5', TESSERA_LOCKOUT_MINUTES: '30', TESSERA_CAPTCHA: 'off' } });
  try {
    const unit = '2.16.886.101.90027.20002';
    // A policy stored on the account's unit (as an agency might have set before) must not show through.
    await t5.deps.db.insertInto('policies').values({ oid: unit, settings: JSON.stringify({ 'lockout.threshold': 5, 'lockout.minutes': 30 }), updated_at: t5.clock.now() }).execute();
    await createAccount(t5.deps, { username: 'knownuser5', password: PASSWORD, unitOid: unit });
    // One client, so both forms carry the same CSRF token; names of equal length, so equal lengths.
    const c = new Client(t5.url);
    const answer = async (username: string, password: string) => {
      const r = await c.submit('/login', '/login', { username, password });
      const headers = [...r.headers].filter(([k]) => k !== 'date');
      return { status: r.status, headers, body: r.body.replaceAll(username, 'USERNAME') };
    };
    const seen: string[] = [];
    for (let i = 1; i <= 6; i++) {
      const known = await answer('knownuser5', 'Bad-Guess-' + i);
      const unknown = await answer('ghostuser5', 'Bad-Guess-' + i);
      assert.deepEqual(unknown, known, `attempt ${i}`);
      seen.push(alertText(known.body)!);
    }
    assert.deepEqual(seen.slice(0, 4), [1, 2, 3, 4].map((n) => `帳號或密碼錯誤，次數達 5 次即鎖定，目前【${n}】`));
    assert.equal(seen[4], '帳號或密碼錯誤，次數達 5 次即鎖定，目前【5】。帳號已鎖定 30 分鐘，請稍後再試或洽管理者解鎖。');
    assert.match(seen[5], /已鎖定 30 分鐘/);
    // The right password during the lock reads the same as a guess at an unknown name.
    assert.deepEqual(await answer('ghostuser5', PASSWORD), await answer('knownuser5', PASSWORD));
  } finally { await t5.close(); }
});

test('AUTH-1: a captcha is single use, and a wrong captcha is refused without counting a password failure', async () => {
  await createAccount(t.deps, { username: 'captcha01', password: PASSWORD });
  const c = new Client(t.url);
  const page = await c.get('/login');
  const fields = { ...hiddenFields(page.body), username: 'captcha01', password: 'Wrong-1-Wrong', captcha: t.lastCaptcha() };
  assert.match(alertText((await c.post('/login', fields)).body)!, /目前【1】/);
  const reuse = await c.post('/login', { ...fields, password: PASSWORD });
  assert.equal(reuse.status, 401);
  assert.equal(alertText(reuse.body), '驗證碼錯誤或已失效，請重新輸入。');
  const wrong = await login(t, c, 'captcha01', PASSWORD, { captcha: '000000' === t.lastCaptcha() ? '111111' : '000000' });
  assert.equal(alertText(wrong.body), '驗證碼錯誤或已失效，請重新輸入。');
  assert.match(alertText((await login(t, c, 'captcha01', 'Wrong-2-Wrong')).body)!, /目前【2】/, 'captcha errors did not count');
  // Expired captcha (10 minutes).
  const p2 = await c.get('/login');
  const answer = t.lastCaptcha();
  t.clock.advance(11 * MINUTE);
  const late = await c.post('/login', { ...hiddenFields(p2.body), username: 'captcha01', password: PASSWORD, captcha: answer });
  assert.equal(alertText(late.body), '驗證碼錯誤或已失效，請重新輸入。');
});

test('CSRF: a login form without or with a wrong _csrf is refused and signs nobody in', async () => {
  await createAccount(t.deps, { username: 'csrfuser1', password: PASSWORD });
  const c = new Client(t.url);
  await c.get('/login');
  const missing = await c.post('/login', { username: 'csrfuser1', password: PASSWORD, captcha: t.lastCaptcha() });
  assert.equal(missing.status, 403);
  assert.match(missing.body, /表單已過期或來源不明/);
  const page = await c.get('/login');
  const forged = await c.post('/login', { ...hiddenFields(page.body), _csrf: 'forged', username: 'csrfuser1', password: PASSWORD, captcha: t.lastCaptcha() });
  assert.equal(forged.status, 403);
  // A token from another visitor's cookie does not fit this visitor's cookie.
  const other = new Client(t.url);
  const otherPage = await other.get('/login');
  const page2 = await c.get('/login');
  const crossed = await c.post('/login', { ...hiddenFields(page2.body), _csrf: hiddenFields(otherPage.body)._csrf, username: 'csrfuser1', password: PASSWORD, captcha: t.lastCaptcha() });
  assert.equal(crossed.status, 403);
  assert.equal(c.cookie('tessera_sid'), undefined);
  // And a signed-in user's logout form needs it too.
  await login(t, c, 'csrfuser1', PASSWORD);
  assert.equal((await c.post('/logout', {})).status, 403);
  assert.equal((await c.get('/')).status, 200, 'still signed in');
});

test('AUTH-10: idle timeout from policy (15 minutes) ends the session; activity keeps it alive', async () => {
  await createAccount(t.deps, { username: 'idleuser1', password: PASSWORD });
  const c = new Client(t.url);
  await login(t, c, 'idleuser1', PASSWORD);
  for (let i = 0; i < 3; i++) {
    t.clock.advance(10 * MINUTE);
    assert.equal((await c.get('/')).status, 200, 'active within the idle timeout');
  }
  t.clock.advance(15 * MINUTE + 1000);
  const r = await c.get('/');
  assert.equal(r.status, 303);
  assert.match(r.location!, /^\/login/);
  const again = await c.get('/login');
  assert.doesNotMatch(again.body, /idleuser1/);
});

test('AUTH-10: the absolute timeout ends a session however active it is', async () => {
  await createAccount(t.deps, { username: 'absuser01', password: PASSWORD });
  const c = new Client(t.url);
  await login(t, c, 'absuser01', PASSWORD);
  for (let i = 0; i < 12 * 6; i++) {
    t.clock.advance(10 * MINUTE);
    const r = await c.get('/');
    if (i < 12 * 6 - 1) assert.equal(r.status, 200);
    else assert.equal(r.status, 303, 'ended at 12 hours');
  }
});

test('AUTH-10: logout ends this session; log-out-everywhere ends the others too', async () => {
  await createAccount(t.deps, { username: 'multidev1', password: PASSWORD });
  const a = new Client(t.url), b = new Client(t.url), c = new Client(t.url);
  for (const x of [a, b, c]) assert.equal((await login(t, x, 'multidev1', PASSWORD)).status, 303);
  const out = await a.submit('/', '/logout', {});
  assert.equal(out.location, '/login?done=logout');
  assert.equal((await a.get('/')).status, 303);
  assert.equal((await b.get('/')).status, 200);
  await b.submit('/', '/logout-everywhere', {});
  assert.equal((await b.get('/')).status, 303);
  assert.equal((await c.get('/')).status, 303, 'the third device was signed out too');
});

test('AUTH-3: a password older than the policy maximum (90 days) must be changed before anything else', async () => {
  await createAccount(t.deps, { username: 'olduser01', password: PASSWORD, setAt: new Date(t.clock.now().getTime() - 91 * DAY) });
  const c = new Client(t.url);
  const r = await login(t, c, 'olduser01', PASSWORD);
  assert.equal(r.location, '/password/change');
  const home = await c.get('/');
  assert.equal(home.status, 303);
  assert.equal(home.location, '/password/change');
  const form = await c.get('/password/change');
  assert.match(form.body, /您的密碼已超過使用期限/);
  const changed = await c.post('/password/change', { ...hiddenFields(form.body), current: PASSWORD, next: 'Fresh-Lantern-77', confirm: 'Fresh-Lantern-77' });
  assert.equal(changed.status, 303);
  assert.equal((await c.get('/')).status, 200);
  // A password set 89 days ago is still fine.
  await createAccount(t.deps, { username: 'newuser01', password: PASSWORD, setAt: new Date(t.clock.now().getTime() - 89 * DAY) });
  assert.equal((await login(t, new Client(t.url), 'newuser01', PASSWORD)).location, '/');
});

test('AUTH-3: change password enforces the policy and the last 3 passwords', async () => {
  await createAccount(t.deps, { username: 'histuser1', password: PASSWORD });
  const c = new Client(t.url);
  await login(t, c, 'histuser1', PASSWORD);
  const change = async (current: string, next: string, confirm = next) => {
    const form = await c.get('/password/change');
    return c.post('/password/change', { ...hiddenFields(form.body), current, next, confirm });
  };
  const cases: [string, RegExp][] = [
    ['Short-1a', /密碼長度不足/],
    ['alllowercaseletters', /3 種以上/],
    ['Histuser1-Extra', /不可與帳號相同或包含帳號/],
    ['Qwer-Tyui-7788', /鍵盤順序鍵/],
    ['Password123!', /過於常見|鍵盤順序鍵/],
    [PASSWORD, /前幾次設定的密碼/],
  ];
  for (const [pw, msg] of cases) {
    const r = await change(PASSWORD, pw);
    assert.equal(r.status, 422, pw);
    assert.match(r.body, msg, pw);
  }
  assert.match((await change('not-my-password', 'Brave-Otter-551')).body, /目前密碼不正確/);
  assert.match((await change(PASSWORD, 'Brave-Otter-551', 'Brave-Otter-552')).body, /兩次輸入的新密碼不一致/);
  const seq = ['Brave-Otter-551', 'Calm-Heron-662', 'Dusty-Maple-773'];
  let current = PASSWORD;
  for (const next of seq) { assert.equal((await change(current, next)).status, 303); current = next; }
  // History 3: the last three (current included) are refused, the fourth-last is allowed again.
  for (const old of ['Calm-Heron-662', 'Brave-Otter-551']) assert.match((await change(current, old)).body, /前幾次設定的密碼/);
  assert.equal((await change(current, PASSWORD)).status, 303);
  const rows = await auditRows('auth.password.change');
  assert.ok(rows.filter((r) => r.result === 'ok').length >= 4);
});

test('AUTH-3 issue 9 item 17: the rules shown fit the account — no "not one of the last 3" for a brand-new account, which appears once it has chosen one', async () => {
  await createAccount(t.deps, { username: 'brandnew01', password: 'Initial-Pass-0312', kind: 'initial' });
  const c = new Client(t.url);
  assert.equal((await login(t, c, 'brandnew01', 'Initial-Pass-0312')).location, '/password/change');
  const rulesOf = (html: string) => html.match(/<section aria-labelledby="rules-h">([^]*?)<\/section>/)?.[1] ?? '';
  const first = rulesOf((await c.get('/password/change')).body);
  assert.match(first, /長度至少 12 個字元。/);
  assert.doesNotMatch(first, /不可與前 3 次設定的密碼相同/);
  const r = await c.submit('/password/change', '/password/change', { current: 'Initial-Pass-0312', next: 'Quiet-Harbour-Maple-58', confirm: 'Quiet-Harbour-Maple-58' });
  assert.equal(r.status, 303);
  assert.match(rulesOf((await c.get('/password/change')).body), /不可與前 3 次設定的密碼相同/);
});

test('AUTH-2: the per-IP limit refuses an address after too many failures, whatever the username', async () => {
  const t2 = await startTestApp({ env: { TESSERA_IP_LOGIN_LIMIT: '4' } });
  try {
    await createAccount(t2.deps, { username: 'ipvictim1', password: PASSWORD });
    const c = new Client(t2.url);
    for (let i = 0; i < 4; i++) assert.equal((await login(t2, c, `spray${i}user`, 'Spray-Guess-1')).status, 401);
    const r = await login(t2, c, 'ipvictim1', PASSWORD);
    assert.equal(r.status, 429);
    assert.match(alertText(r.body)!, /此來源登入嘗試次數過多/);
  } finally { await t2.close(); }
});

test('ACC-3 issue 9 item 19: disabled and pending accounts cannot sign in; an applicant with the right password is told it is under review', async () => {
  await createAccount(t.deps, { username: 'disabled1', password: PASSWORD, state: 'disabled' });
  await createAccount(t.deps, { username: 'pending01', password: PASSWORD, state: 'pending' });
  const d = await login(t, new Client(t.url), 'disabled1', PASSWORD);
  assert.equal(d.status, 401);
  assert.match(alertText(d.body)!, /已停用/);
  const p = await login(t, new Client(t.url), 'pending01', PASSWORD);
  assert.equal(p.status, 401);
  // Issue 9 item 19: an applicant who knows the password is told the application is under review.
  assert.equal(alertText(p.body), '您的帳號申請審核中，審核通過後會以電子郵件通知您，之後即可登入。');
  const guess = await login(t, new Client(t.url), 'pending01', 'Not-The-Password-1');
  assert.match(alertText(guess.body)!, /帳號或密碼錯誤/, 'a wrong password learns nothing about the application');
});

test('GOV-1: every login attempt and password change is in the chained audit trail', async () => {
  const rows = await t.deps.db.selectFrom('audit_events').select(['seq', 'action', 'result', 'details']).orderBy('seq').execute();
  assert.ok(rows.length > 20);
  rows.forEach((r, i) => assert.equal(Number(r.seq), i + 1, 'no gaps'));
  const results = new Set(rows.filter((r) => r.action === 'auth.login.password').map((r) => r.result));
  assert.deepEqual([...results].sort(), ['denied', 'failed', 'ok']);
});
