// 我的首頁 through HTTP (SSO-4, ACC-6): user info and the last login times, a tile only for each
// system the user holds a role in (linked to the system's initiate_login_uri with `iss`, or shown
// without a link), announcements the user may read, and the downloads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login, signedIn as signedInAs } from '../helpers/login.ts';
import { HOUR } from '../../src/platform/clock.ts';
import { giveConsent, giveRoles } from '../helpers/factories.ts';

const PASSWORD = 'Correct-Horse-9';
let t: TestApp;
let userId: number;

const main = (html: string) => html.match(/<main[\s\S]*<\/main>/)![0];
const tileCodes = (html: string) => [...html.matchAll(/<li data-system="([^"]+)"/g)].map((m) => m[1]);
const tile = (html: string, code: string) => html.match(new RegExp(`<li data-system="${code}">([\\s\\S]*?)</li>`))?.[1] ?? '';

async function grantRole(accountId: number, role: string) {
  await giveRoles(t.deps, accountId, role);
}

const signedIn = (username: string, password = PASSWORD): Promise<Client> => signedInAs(t, username, password);

before(async () => {
  t = await startTestApp();
  userId = await createAccount(t.deps, { username: 'portaluser', password: PASSWORD, name: '王小明' });
  // Two roles in csm count as one tile; one in bms; none in fms.
  for (const r of ['csm_user', 'csm_admin', 'bms_user']) await grantRole(userId, r);
  const now = t.clock.now();
  await t.deps.db.insertInto('sso_clients').values([
    { system_code: 'csm', auth_method: 'client_secret_basic', initiate_login_uri: 'https://csm.example.gov.tw/login?from=portal', created_at: now, updated_at: now },
    { system_code: 'fms', auth_method: 'client_secret_basic', initiate_login_uri: 'https://fms.example.gov.tw/login', created_at: now, updated_at: now },
  ]).execute();
});
after(async () => { await t?.close(); });

test('SSO-4: the home page needs a session', async () => {
  const r = await new Client(t.url).get('/');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/login?next=%2F');
});

test('ACC-6: the home page shows the user, the previous password login and the last certificate login', async () => {
  let c = await signedIn('portaluser');
  let home = main((await c.get('/')).body);
  assert.match(home, /王小明，您好/);
  assert.match(home, /portaluser/);
  assert.match(home, /data-testid="last-password-login">無紀錄</, 'first login: no previous one');
  assert.match(home, /data-testid="last-certificate-login">無紀錄</);

  t.clock.advance(HOUR);
  await t.deps.db.updateTable('accounts').set({ last_certificate_login_at: new Date('2026-11-20T01:02:03Z') }).where('id', '=', userId).execute();
  c = await signedIn('portaluser');
  home = main((await c.get('/')).body);
  assert.match(home, /data-testid="last-password-login">2026-11-25 10:00:00</, 'the login before this one (Taipei time)');
  assert.match(home, /data-testid="last-certificate-login">2026-11-20 09:02:03</);
  await t.deps.db.updateTable('accounts').set({ last_certificate_login_at: null }).where('id', '=', userId).execute();
});

test('SSO-4: a tile for each system the user holds a role in, and none for the others', async () => {
  const c = await signedIn('portaluser');
  const home = (await c.get('/')).body;
  assert.deepEqual(tileCodes(home), ['bms', 'csm'], 'one tile per system, fms (no role) has none even though its client has a link');
  // csm: the system's own login start, told which issuer to ask (OIDC third-party-initiated login).
  const href = tile(home, 'csm').match(/href="([^"]+)"/)![1].replace(/&amp;/g, '&');
  const u = new URL(href);
  assert.equal(u.origin + u.pathname, 'https://csm.example.gov.tw/login');
  assert.equal(u.searchParams.get('from'), 'portal', 'the configured query is kept');
  assert.equal(u.searchParams.get('iss'), `${t.url}/oidc`);
  assert.match(tile(home, 'csm'), /aria-label="進入公司登記管理系統"/);
  // bms: no client yet, so the name without a link.
  assert.doesNotMatch(tile(home, 'bms'), /<a /);
  assert.match(tile(home, 'bms'), /商業登記資訊系統/);
  assert.match(tile(home, 'bms'), /此系統尚未開放由入口網進入/);
  assert.match(tile(home, 'csm'), /尚未同意授權/);
});

test('SSO-4: a disabled client shows no link; consent and "certificate required" are marked on the tile', async () => {
  await t.deps.db.updateTable('sso_clients').set({ enabled: false }).where('system_code', '=', 'csm').execute();
  await grantRole(userId, 'pcsc_user'); // seed 003 marks pcsc "必須使用自然人憑證登入"
  await giveConsent(t.deps, userId, 'bms', ['name']);
  const c = await signedIn('portaluser');
  const home = (await c.get('/')).body;
  assert.deepEqual(tileCodes(home), ['bms', 'csm', 'pcsc']);
  assert.doesNotMatch(tile(home, 'csm'), /<a /);
  assert.match(tile(home, 'csm'), /單一簽入目前停用/);
  assert.match(tile(home, 'pcsc'), /須使用憑證登入/);
  assert.match(tile(home, 'bms'), /已同意授權/);
  await t.deps.db.updateTable('sso_clients').set({ enabled: true }).where('system_code', '=', 'csm').execute();
});

test('SSO-4: a user without any role gets no tile and is told whom to ask', async () => {
  await createAccount(t.deps, { username: 'noroleuser', password: PASSWORD, name: '沒有角色' });
  const home = (await (await signedIn('noroleuser')).get('/')).body;
  assert.deepEqual(tileCodes(home), []);
  assert.match(home, /data-testid="no-tiles">您目前沒有任何應用系統的角色/);
  assert.doesNotMatch(home, /csm\.example\.gov\.tw/);
});

test('SSO-4: announcements on the home page: the newest five the user may read, and a link to the rest', async () => {
  const admin = await signedIn(ADMIN_USERNAME, ADMIN_PASSWORD);
  for (let i = 1; i <= 6; i++) {
    t.clock.advance(60_000);
    const r = await admin.submit('/admin/announcements/new', '/admin/announcements', { audience: 'member', systemCode: '', title: `首頁公告${i}`, body: '內文' });
    assert.equal(r.status, 303);
  }
  // A member announcement of a system the user holds no role in is not theirs to read.
  await admin.submit('/admin/announcements/new', '/admin/announcements', { audience: 'member', systemCode: 'fms', title: '工廠系統公告', body: '內文' });
  const home = (await (await signedIn('portaluser')).get('/')).body;
  const titles = [...home.matchAll(/<a href="\/announcements\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);
  assert.deepEqual(titles, ['首頁公告6', '首頁公告5', '首頁公告4', '首頁公告3', '首頁公告2']);
  assert.match(home, /href="\/announcements">查看更多公告</);
});

test('SSO-4: the downloads are listed and served; a name not on the list is not found', async () => {
  const c = await signedIn('portaluser');
  const home = (await c.get('/')).body;
  const links = [...home.matchAll(/href="(\/downloads\/[^"]+)"/g)].map((m) => m[1]);
  assert.ok(links.length >= 3, 'forms and manuals');
  assert.match(home, /帳號申請表/);
  for (const l of links) {
    const r = await new Client(t.url).get(l); // public: no personal data
    assert.equal(r.status, 200, l);
    assert.match(r.headers.get('content-disposition') ?? '', /^attachment/);
    assert.ok(r.body.length > 50, l);
  }
  for (const bad of ['/downloads/missing.txt', '/downloads/..%2F..%2Fpackage.json', '/downloads/%2E%2E%2Fdownloads.ts']) {
    assert.equal((await c.get(bad)).status, 404, bad);
  }
});

test('SSO-4: administrators find their management pages on the home page; users do not', async () => {
  const admin = (await (await signedIn(ADMIN_USERNAME, ADMIN_PASSWORD)).get('/')).body;
  assert.match(admin, /href="\/admin\/announcements"/);
  assert.match(admin, /href="\/admin\/sso"/);
  const user = (await (await signedIn('portaluser')).get('/')).body;
  assert.doesNotMatch(user, /href="\/admin\/(announcements|sso)"/);
  assert.match(user, /href="\/consents"/);
});

test('SSO-4: the home page in English', async () => {
  const c = await signedIn('portaluser');
  await c.get('/lang/en?next=/');
  const home = (await c.get('/')).body;
  assert.match(home, /<h1>My home<\/h1>/);
  assert.match(home, /Application systems/);
  assert.match(home, /Business registration information/);
  assert.match(home, /Downloads/);
});
