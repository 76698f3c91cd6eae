// Cross-cutting behaviour through HTTP: health, metrics, security headers, language, audit page,
// masked national ID, encryption at rest, logs without personal data (OPS-4, OPS-5, ACC-1, GOV-1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { LANG_COOKIE } from '../../src/platform/http/context.ts';

let t: TestApp;
const logLines: string[] = [];
before(async () => { t = await startTestApp({ env: { LOG_LEVEL: 'info' }, logLines }); });
after(async () => { await t?.close(); });

test('OPS-4: /healthz, /readyz and /metrics answer', async () => {
  const c = new Client(t.url);
  assert.deepEqual(JSON.parse((await c.get('/healthz')).body), { status: 'ok' });
  // With the audit seal lag (GOV-1, issue 15): the bootstrap's events wait for the sealer, off in tests.
  const ready = JSON.parse((await c.get('/readyz')).body) as { status: string; audit: { unsealed: number; oldestUnsealedSeconds: number } };
  assert.equal(ready.status, 'ready');
  assert.ok(Number.isInteger(ready.audit.unsealed) && ready.audit.unsealed > 0 && ready.audit.oldestUnsealedSeconds >= 0);
  await login(t, c, 'nobody123', 'Wrong-Guess-1');
  const m = await c.get('/metrics');
  assert.equal(m.status, 200);
  assert.match(m.body, /tessera_login_attempts_total\{result="failed"\} 1/);
  assert.match(m.body, /tessera_http_requests_total\{method="GET",route="\/login",status="200"\}/);
  assert.match(m.body, /^tessera_audit_unsealed_events \d+$/m);
  assert.match(m.body, /^tessera_audit_seal_lag_seconds [\d.]+$/m);
});

test('OPS-4 (issue 9 item 6): /metrics needs TESSERA_METRICS_TOKEN as a bearer token when set, and is absent in production without one', async (ctx) => {
  const config = t.deps.config;
  ctx.after(() => { config.metricsToken = undefined; config.production = false; });
  const metrics = (auth?: string) => fetch(t.url + '/metrics', { headers: auth ? { authorization: auth } : {} });
  config.production = true;
  assert.equal((await metrics()).status, 404, 'production without a token: as if absent');
  assert.equal((await metrics('Bearer anything-at-all-here')).status, 404);
  config.metricsToken = 'metrics-token-0123456789';
  assert.equal((await metrics()).status, 404);
  assert.equal((await metrics('Bearer metrics-token-012345678')).status, 404, 'a prefix of the token');
  assert.equal((await metrics('Basic metrics-token-0123456789')).status, 404);
  const ok = await metrics('Bearer metrics-token-0123456789');
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /tessera_http_requests_total/);
  config.production = false;
  assert.equal((await metrics()).status, 404, 'a configured token is required outside production too');
});

test('security headers on pages', async () => {
  const r = await new Client(t.url).get('/login');
  assert.match(r.headers.get('content-security-policy')!, /default-src 'self'/);
  assert.match(r.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const cookies = r.headers.getSetCookie().join('\n');
  assert.match(cookies, /tessera_csrf=[^;]+;.*HttpOnly/);
  assert.match(cookies, /SameSite=Lax/);
});

test('OPS-5: Traditional Chinese by default, English on request and by switch', async () => {
  const c = new Client(t.url);
  const zh = await c.get('/login');
  assert.match(zh.body, /<html lang="zh-Hant-TW">/);
  assert.match(zh.body, /<h1>會員登入<\/h1>/);
  const sw = await c.get('/lang/en?next=/login');
  assert.equal(sw.status, 303);
  assert.equal(sw.location, '/login');
  const en = await c.get('/login');
  assert.match(en.body, /<html lang="en">/);
  assert.match(en.body, /<h1>Log in<\/h1>/);
  assert.equal((await c.get('/lang/en?next=https://evil.example/')).location, '/', 'no open redirect');
  assert.equal((await c.get('/lang/en?next=//evil.example/')).location, '/', 'no protocol-relative redirect');
  const raw = await c.request('GET', '/lang/en?next=/orgs/lookup?q=' + encodeURIComponent('臺中'));
  assert.equal(raw.status, 303);
  assert.equal(raw.location, '/orgs/lookup?q=' + encodeURIComponent('臺中'));
  const unencoded = await fetch(t.url + '/lang/en?next=/orgs/lookup%3Fq%3D臺中', { redirect: 'manual' });
  assert.equal(unencoded.status, 303, 'a raw non-ASCII next does not crash the redirect');
  assert.equal(unencoded.headers.get('location'), '/orgs/lookup?q=' + encodeURIComponent('臺中'));
  const browserEn = await new Client(t.url).request('GET', '/login', undefined, { 'accept-language': 'en-GB,en;q=0.9' });
  assert.match(browserEn.body, /<h1>Log in<\/h1>/);
});

test('ACC-1: the national ID is encrypted at rest, indexed by HMAC and shown masked', async () => {
  const id = await createAccount(t.deps, { username: 'maskuser01', password: 'Correct-Horse-9', profile: { nationalId: 'A123456789' } });
  const row = await t.deps.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.ok(row.national_id_enc && !row.national_id_enc.includes('A123456789'));
  assert.equal(t.deps.keyring.decrypt(row.national_id_enc), 'A123456789');
  assert.equal(row.national_id_hmac, t.deps.keyring.mac('national-id', 'A123456789'));
  const c = new Client(t.url);
  await login(t, c, 'maskuser01', 'Correct-Horse-9');
  const p = await c.get('/profile');
  assert.equal(p.status, 200);
  assert.match(p.body, /data-testid="national-id">A12\*\*\*\*789</);
  assert.doesNotMatch(p.body, /A123456789/);
});

test('GOV-1 (issue 9 item 18): the audit page is for the central authority only; it shows names, not codes, and filters by username and action name', async () => {
  await createAccount(t.deps, { username: 'plainuser1', password: 'Correct-Horse-9', name: '王大明' });
  const anon = await new Client(t.url).get('/admin/audit');
  assert.equal(anon.status, 303);
  assert.match(anon.location!, /^\/login\?next=/);
  const plain = new Client(t.url);
  await login(t, plain, 'plainuser1', 'Correct-Horse-9');
  await login(t, new Client(t.url), 'plainuser1', 'Wrong-Guess-1');
  assert.equal((await plain.get('/admin/audit')).status, 404, 'a denied read looks like not found');
  assert.equal((await plain.get('/admin/audit/export.csv')).status, 404);
  const admin = new Client(t.url);
  assert.equal((await login(t, admin, ADMIN_USERNAME, ADMIN_PASSWORD)).status, 303);
  const all = await admin.get('/admin/audit');
  assert.equal(all.status, 200);
  const table = all.body.slice(all.body.indexOf('<table'));
  // Names everywhere: no action codes, outcome codes, "account 1" or JSON in the table.
  assert.doesNotMatch(table, /auth\.login\.password|account\.bootstrap|<td[^>]*>(ok|failed)<\/td>|account \d|\{"/);
  assert.match(table, /<td data-col="action">以帳號密碼登入<\/td><td data-col="result">成功<\/td><td data-col="actor">王大明（plainuser1）<\/td>/);
  assert.match(table, /<td data-col="result">失敗<\/td>/);
  assert.match(table, /<td data-col="target">帳號：中央管理者（centraladmin）<\/td>/);
  assert.match(table, /<dt>帳號（遮罩）<\/dt><dd>[^<]+<\/dd>/, 'details are labelled fields');
  // The action filter is a select of names, grouped; the username filters take usernames.
  assert.match(all.body, /<optgroup label="登入與密碼"><option value="auth.login.otp">以驗證碼登入<\/option><option value="auth.login.passkey">以通行密鑰登入<\/option><option value="auth.login.password">以帳號密碼登入<\/option>/);
  assert.match(all.body, /<label for="f-actor">操作者帳號<\/label>/);

  const failed = await admin.get('/admin/audit?action=auth.login.password&result=failed');
  assert.match(failed.body, /<td data-col="result">失敗<\/td>/);
  assert.doesNotMatch(failed.body, /<td data-col="result">成功<\/td>/);
  assert.match(failed.body, /<option value="auth.login.password" selected>以帳號密碼登入<\/option>/);
  const byActor = await admin.get('/admin/audit?actor=plainuser1');
  const actors = [...byActor.body.matchAll(/<td data-col="actor">([^<]*)<\/td>/g)].map((m) => m[1]);
  assert.ok(actors.length >= 1 && actors.every((a) => a === '王大明（plainuser1）'), actors.join(' / '));
  const byTarget = await admin.get('/admin/audit?target=centraladmin&action=account.bootstrap');
  assert.match(byTarget.body, /<td data-col="action">建立中央管理者帳號<\/td>/);
  assert.doesNotMatch(byTarget.body, /以帳號密碼登入<\/td>/);
  assert.match((await admin.get('/admin/audit?actor=nosuchuser9')).body, /沒有符合條件的紀錄/);

  admin.setCookie(LANG_COOKIE, 'en');
  const en = await admin.get('/admin/audit?action=auth.login.password');
  assert.match(en.body, /<td data-col="action">Sign-in with password<\/td><td data-col="result">(Succeeded|Failed)<\/td>/);
  assert.match(en.body, /<dt>Username \(masked\)<\/dt>/);
  admin.setCookie(LANG_COOKIE, 'zh-TW');

  const csv = await admin.get('/admin/audit/export.csv?action=auth.login.password&result=failed');
  assert.equal(csv.status, 200);
  assert.match(csv.body, /^\uFEFF?seq,at,actor_account_id,action,result/); // fetch strips the BOM when decoding
  const lines = csv.body.trim().split('\n').slice(1);
  assert.ok(lines.length >= 1 && lines.every((l) => l.includes(',failed,')));
});

test('OPS-4: logs carry no usernames, passwords, query strings or cookies', async () => {
  const c = new Client(t.url);
  await login(t, c, 'secretperson', 'Very-Secret-Password-1');
  await c.get('/orgs/lookup?q=%E6%9E%97%E5%BB%BA%E5%9C%8B');
  const log = logLines.join('');
  assert.ok(log.length > 0, 'requests were logged');
  for (const leak of ['secretperson', 'Very-Secret-Password-1', 'q=', '林建國', 'tessera_csrf=', 'A123456789']) assert.ok(!log.includes(leak), leak);
});

test('OPS-4: one access-log line per request, when it ends: method, path, status and time', async () => {
  const before = logLines.length;
  const r = await fetch(`${t.url}/orgs/lookup?q=${encodeURIComponent('某機關')}`);
  assert.equal(r.status, 200);
  await new Promise((resolve) => setTimeout(resolve, 50)); // the line is written after the response
  const lines = logLines.slice(before).map((l) => JSON.parse(l) as { msg: string; req?: { method: string; path: string }; res?: { statusCode: number }; responseTime?: number });
  const access = lines.filter((l) => l.req?.path === '/orgs/lookup');
  assert.equal(access.length, 1, 'one line, not an "incoming" and a "completed" one');
  assert.equal(access[0].msg, 'request completed');
  assert.deepEqual([access[0].req!.method, access[0].res!.statusCode], ['GET', 200]);
  assert.equal(typeof access[0].responseTime, 'number');
});

test('OPS-5 (issue 9 item 19): dates print year first (2026-11-25 10:00:00, Taipei time) in both languages, never 25/11/2026', async () => {
  const admin = new Client(t.url);
  assert.equal((await login(t, admin, ADMIN_USERNAME, ADMIN_PASSWORD)).status, 303);
  const at = (html: string) => html.match(/<tr data-seq="\d+"><td>\d+<\/td><td>([^<]*)<\/td>/)?.[1];
  assert.equal(at((await admin.get('/admin/audit?action=account.bootstrap')).body), '2026-11-25 10:00:00');
  admin.setCookie(LANG_COOKIE, 'en');
  assert.equal(at((await admin.get('/admin/audit?action=account.bootstrap')).body), '2026-11-25 10:00:00');
});
