// The input guard (issue 9 item 7; OPS-4, OPS-5, AUTH-1, GOV-1): a NUL, a lone surrogate or JSON
// nested too deep is a localised 400 on every kind of route (pages, forms, the JSON API, the
// OpenID provider), before any handler runs, and changes nothing; every login attempt is audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client, hiddenFields } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { centralAuthority, type Api } from '../helpers/api.ts';
import { inputProblem, MAX_INPUT_DEPTH } from '../../src/platform/http/input-guard.ts';

const UNIT = '2.16.886.101.90027.20002.20011';
const PASSWORD = 'Correct-Horse-9';

let t: TestApp;
let api: Api;
let admin: Client;
let userId = 0;
before(async () => {
  t = await startTestApp();
  userId = await createAccount(t.deps, { username: 'guarduser', password: PASSWORD, unitOid: UNIT, name: '守門測試' });
  ({ client: admin, api } = await centralAuthority(t));
});
after(async () => { await t?.close(); });

/** Rows of every table that a refused request could have touched. */
async function snapshot(): Promise<string> {
  const tables = ['accounts', 'audit_events', 'requests', 'password_resets', 'sessions', 'login_throttle', 'outbox', 'captchas'];
  const counts: string[] = [];
  for (const name of tables) {
    const r = await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(name)}`.execute(t.deps.db);
    counts.push(`${name}=${r.rows[0].n}`);
  }
  const u = await t.deps.db.selectFrom('accounts').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  return counts.join(' ') + JSON.stringify(u);
}


/** 400, in the visitor's language, and nothing written. */
async function assertRefused(what: string, send: () => Promise<{ status: number; body: string; type: string }>, json = false) {
  const before = await snapshot();
  const r = await send();
  assert.equal(r.status, 400, `${what}: ${r.body.slice(0, 300)}`);
  if (json) {
    const b = JSON.parse(r.body);
    assert.deepEqual(Object.keys(b).sort(), ['error', 'message'], what);
    assert.equal(b.error, 'error.badInput', what);
    assert.match(b.message, /無法處理的字元/, what);
  }
  else { assert.match(r.type, /^text\/html/, what); assert.match(r.body, /輸入資料含有無法處理的字元/, what); }
  assert.equal(await snapshot(), before, `${what} changed nothing`);
}
const viaFetch = async (res: Promise<Response>) => { const r = await res; return { status: r.status, body: await r.text(), type: r.headers.get('content-type') ?? '' }; };
const viaClient = async (res: Promise<{ status: number; body: string; headers: Headers }>) => { const r = await res; return { status: r.status, body: r.body, type: r.headers.get('content-type') ?? '' }; };

test('OPS-4 (issue 9 item 7): a NUL in a query string is a 400 on pages, the JSON API and the OpenID provider', async () => {
  await assertRefused('/orgs/lookup', () => viaFetch(fetch(t.url + '/orgs/lookup?q=%00')));
  await assertRefused('/apply', () => viaFetch(fetch(t.url + '/apply?q=%00')));
  await assertRefused('/oidc/auth', () => viaFetch(fetch(t.url + '/oidc/auth?client_id=%00&response_type=code&scope=openid', { redirect: 'manual' })));
  await assertRefused('/admin/accounts', () => viaClient(admin.get('/admin/accounts?q=%00')));
  await assertRefused('/api/v1/orgs', () => viaFetch(fetch(t.url + '/api/v1/orgs?q=%00')), true);
  await assertRefused('/api/v1/accounts search', () => viaFetch(api('GET', '/accounts?q=a%00b')), true);
  await assertRefused('a NUL in a path parameter', () => viaFetch(api('GET', '/accounts/1%00')), true);
});

test('OPS-4 (issue 10): a number too large to be finite (1e400) is a 400, in a query and in a JSON body, never a 500', async () => {
  for (const path of ['/grants?page=1e400', '/announcements?pageSize=-1e400', '/accounts?page=1e400']) {
    const r = await api('GET', path);
    assert.equal(r.status, 400, path);
    assert.equal((await r.json()).error, 'error.badRequest', path);
  }
  const before = await snapshot();
  const r = await api('POST', '/accounts/delete', '{"ids":[1e400],"confirm":true}');
  assert.equal(r.status, 400);
  assert.equal(await snapshot(), before, 'nothing changed');
});

test('SSO-2 (issue 9 item 7): a NUL in a body the OpenID provider reads itself is its own 4xx, never a 500', async () => {
  const token = (body: string) => viaFetch(fetch(t.url + '/oidc/token', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
  for (const body of ['grant_type=client_credentials&client_id=a%00b&client_secret=x', 'grant_type=client_credentials&client_id=a%ED%A0%80b&client_secret=x',
    'grant_type=authorization_code&code=a%00b&client_id=x&client_secret=y&redirect_uri=http%3A%2F%2Fx', 'grant_type=refresh_token&refresh_token=a%00b&client_id=x&client_secret=y']) {
    const before = await snapshot();
    const r = await token(body);
    assert.ok(r.status >= 400 && r.status < 500, `${body}: ${r.status} ${r.body}`);
    assert.equal(await snapshot(), before);
  }
});

test('OPS-5 (issue 9 item 7): the refusal is in English for an English visitor', async () => {
  const r = await fetch(t.url + '/api/v1/orgs?q=%00', { headers: { 'accept-language': 'en' } });
  assert.equal(r.status, 400);
  assert.match((await r.json()).message, /cannot be processed/);
});

test('ACC-1 (issue 9 item 7): a NUL or a lone surrogate in a JSON body is a 400 on account create and PATCH', async () => {
  // JSON.stringify would escape a lone surrogate's backslash: the JSON text is put together by hand.
  const create = (name: string) => JSON.stringify({ username: 'guardnew01', name: 'NAME', unitOid: UNIT, nationalId: 'A123456789', birthMonth: 4, birthDay: 9 }).replace('NAME', name);
  await assertRefused('create with NUL', () => viaFetch(api('POST', '/accounts', create('陳\\u0000大文'))), true);
  await assertRefused('create with a lone surrogate', () => viaFetch(api('POST', '/accounts', create('陳\\ud800大文'))), true);
  await assertRefused('a NUL in a key', () => viaFetch(api('PATCH', `/accounts/${userId}`, '{"title\\u0000":"x"}')), true);
  await assertRefused('PATCH with NUL', () => viaFetch(api('PATCH', `/accounts/${userId}`, JSON.stringify({ title: 'a\u0000b' }))), true);
});

test('AUTH-1, GOV-1 (issue 9 item 7): username=a%00b is a 400 on login, forgot, resend and reset; the login attempt is audited without the username', async () => {
  const forms: [string, string, Record<string, string>][] = [
    ['/login', '/login', { username: 'a\u0000b', password: 'x', captcha: '000000' }],
    ['/password/forgot', '/password/forgot', { name: '林建國', username: 'a\u0000b', email: 'a@example.gov.tw' }],
    ['/password/forgot?resend=1', '/password/forgot', { resend: '1', name: '林建國', username: 'a\u0000b', email: 'a@example.gov.tw' }],
    ['/password/reset', '/password/reset', { username: 'a\u0000b', code: '123456', next: PASSWORD, confirm: PASSWORD }],
    ['/activate/resend', '/activate/resend', { username: 'a\u0000b' }],
  ];
  for (const [pagePath, action, fields] of forms) {
    const c = new Client(t.url);
    const form = hiddenFields((await c.get(pagePath)).body);
    const auditBefore = await t.deps.db.selectFrom('audit_events').select(['seq', 'details']).where('action', '=', 'auth.login.password').execute();
    const throttles = (await t.deps.db.selectFrom('login_throttle').select('key').execute()).length;
    const r = await c.post(action, { ...form, ...fields });
    assert.equal(r.status, 400, `${action}: ${r.body.slice(0, 200)}`);
    assert.match(r.body, /輸入資料含有無法處理的字元/);
    const auditAfter = await t.deps.db.selectFrom('audit_events').select(['seq', 'details', 'result']).where('action', '=', 'auth.login.password').execute();
    if (action === '/login') {
      assert.equal(auditAfter.length, auditBefore.length + 1, 'the refused login is audited');
      assert.deepEqual(auditAfter.at(-1)!.details, { reason: 'bad_input' });
      assert.equal(auditAfter.at(-1)!.result, 'failed');
    } else assert.equal(auditAfter.length, auditBefore.length);
    assert.equal((await t.deps.db.selectFrom('login_throttle').select('key').execute()).length, throttles, 'counts towards no lock-out');
  }
  assert.match(await (await fetch(t.url + '/metrics')).text(), /tessera_login_attempts_total\{result="bad_input"\} 1/);
});

test('AUTH-1, GOV-1 (issue 9 item 7): a username with an emoji is an ordinary failed login, audited with a mask that keeps whole characters', async () => {
  const c = new Client(t.url);
  const r = await login(t, c, 'a😀', 'Wrong-Guess-1');
  assert.equal(r.status, 401, r.body.slice(0, 300));
  const e = await t.deps.db.selectFrom('audit_events').select(['details', 'result']).where('action', '=', 'auth.login.password').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
  assert.deepEqual(e.details, { reason: 'failed', username: '**', failures: 1 }, 'two characters, both masked');
  for (const [username, masked] of [['a😀b', 'a😀*'], ['😀😀😀', '😀😀*']]) {
    assert.equal((await login(t, c, username, 'Wrong-Guess-1')).status, 401);
    const e2 = await t.deps.db.selectFrom('audit_events').select('details').where('action', '=', 'auth.login.password').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.equal((e2.details as { username: string }).username, masked);
  }
});

test('REQ-1 (issue 9 item 7): deeply nested JSON to the request forms is a 400 and submits nothing', async () => {
  const c = new Client(t.url);
  assert.equal((await login(t, c, 'guarduser', PASSWORD)).status, 303);
  const csrf = hiddenFields((await c.get('/requests/new/profile_change')).body)._csrf;
  const deep = (n: number) => '['.repeat(n) + '"x"' + ']'.repeat(n);
  for (const type of ['profile_change', 'user_change']) {
    for (const depth of [MAX_INPUT_DEPTH + 1, 100_000]) {
      const body = `{"_csrf":"${csrf}","reason":"r","action":"add","name":${deep(depth)},"roles":${deep(depth)}}`;
      await assertRefused(`${type} at depth ${depth}`, () => viaClient(c.request('POST', `/requests/new/${type}`, body, { 'content-type': 'application/json' })));
    }
  }
  // Just inside the limit, a nested value where text is declared is the route's schema 400 (issue 10), not a crash.
  const shallow = `{"_csrf":"${csrf}","reason":${deep(MAX_INPUT_DEPTH - 2)},"name":${deep(MAX_INPUT_DEPTH - 2)}}`;
  const r = await c.request('POST', '/requests/new/profile_change', shallow, { 'content-type': 'application/json' });
  assert.equal(r.status, 400);
});

test('OPS-4 (issue 9 item 7): inputProblem names the first problem, and walks 100 000 levels without recursion', () => {
  assert.equal(inputProblem({ a: ['ok', { b: 'x\u0000' }] }), 'nul');
  assert.equal(inputProblem({ a: 'x\ud800' }), 'surrogate');
  assert.equal(inputProblem({ a: '😀 臺中' }), null);
  let v: unknown = 'x';
  for (let i = 0; i < 100_000; i++) v = [v];
  assert.equal(inputProblem(v), 'depth');
  assert.equal(inputProblem([[['x']]], 2), 'depth');
  assert.equal(inputProblem([[['x']]], 3), null);
});
