// Announcements through HTTP (SSO-5): guest ones before login, member ones after, a system's member
// ones only to its role holders; 10 a page newest first; author, created and edited times; plain
// text shown safely; managed on /admin/announcements and /api/v1/announcements by the central
// authority (platform-wide) and by administrators whose categories cover the system.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { jsonCall } from '../helpers/api.ts';
import { Client, hiddenFields } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { ownSystems } from '../helpers/systems.ts';
import { tokenCommand } from '../../src/admin/cli.ts';
import { HOUR } from '../../src/platform/clock.ts';
import { giveRoles } from '../helpers/factories.ts';

/** Apart enough to order by creation time; well inside the sessions' idle timeout. */
const SECOND = 1000;

const PASSWORD = 'Correct-Horse-9';
const AGENCY = '2.16.886.101.90027.20002';
let t: TestApp;
const clients: Record<string, Client> = {};
const tokens: Record<string, string> = {};

const main = (html: string) => html.match(/<main[\s\S]*<\/main>/)![0];
const titles = (html: string) => [...main(html).matchAll(/<a href="\/(?:admin\/)?announcements\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);
const fieldError = (html: string, field: string) => html.match(new RegExp(`id="${field}-error" class="field-error">([^<]*)<`))?.[1];

const api = (method: string, path: string, who: string, body?: unknown, lang?: string) => jsonCall(t, tokens[who], method, path, body, lang);

/** Publishes through the page as `who`; answers the response. */
function publish(who: string, fields: Record<string, string>) {
  return clients[who].submit('/admin/announcements/new', '/admin/announcements', { audience: 'guest', systemCode: '', title: 't', body: 'b', ...fields });
}

async function idOf(title: string): Promise<number> {
  return (await t.deps.db.selectFrom('announcements').select('id').where('title', '=', title).executeTakeFirstOrThrow()).id;
}

const liveCount = async () => Number((await t.deps.db.selectFrom('announcements').select((eb) => eb.fn.countAll<number>().as('n')).where('deleted_at', 'is', null).executeTakeFirstOrThrow()).n);

/** Fresh sessions for everyone (after the clock jumps past the idle timeout). */
async function signInAll() {
  for (const username of [ADMIN_USERNAME, 'racsm0001', 'rabms0001', 'helpdesk1', 'csmuser01', 'plainuser']) {
    const c = new Client(t.url);
    assert.equal((await login(t, c, username, username === ADMIN_USERNAME ? ADMIN_PASSWORD : PASSWORD)).status, 303, username);
    clients[username] = c;
  }
}

before(async () => {
  t = await startTestApp();
  // csm and bms owned by the agency: its administrators manage them by category (SSO-1).
  await ownSystems(t, AGENCY, ['csm', 'bms']);
  const people: [string, string, (id: number) => Promise<unknown>][] = [
    ['racsm0001', '資本門管理人員', (id) => createGrant(t.deps, null, { accountId: id, kind: 'registration_admin', jurisdictionOid: AGENCY, categories: ['csm'] }, null)],
    ['rabms0001', '商業管理人員', (id) => createGrant(t.deps, null, { accountId: id, kind: 'registration_admin', jurisdictionOid: AGENCY, categories: ['bms'] }, null)],
    ['helpdesk1', '客服人員', (id) => createGrant(t.deps, null, { accountId: id, kind: 'helpdesk', jurisdictionOid: AGENCY, categories: ['*'] }, null)],
    ['csmuser01', '公司系統使用者', (id) => giveRoles(t.deps, id, 'csm_user')],
    ['plainuser', '一般使用者', async () => {}],
  ];
  for (const [username, name, setup] of people) await setup(await createAccount(t.deps, { username, password: PASSWORD, name, unitOid: AGENCY }));
  await signInAll();
  for (const username of Object.keys(clients)) {
    let out = '';
    assert.equal(await tokenCommand(t.deps, 'create', ['--username', username], { out: (s) => { out += s; }, err: () => {} }), 0);
    tokens[username] = out.trim();
  }
});
after(async () => { await t?.close(); });

test('SSO-5: guests read guest announcements; members also member ones, a system\'s only when they hold a role in it', async () => {
  t.clock.advance(SECOND);
  assert.equal((await publish(ADMIN_USERNAME, { audience: 'guest', title: '平臺訪客公告' })).status, 303);
  t.clock.advance(SECOND);
  assert.equal((await publish(ADMIN_USERNAME, { audience: 'member', title: '平臺會員公告' })).status, 303);
  t.clock.advance(SECOND);
  assert.equal((await publish('racsm0001', { audience: 'member', systemCode: 'csm', title: '公司系統會員公告' })).status, 303);
  t.clock.advance(SECOND);
  assert.equal((await publish('racsm0001', { audience: 'guest', systemCode: 'csm', title: '公司系統訪客公告' })).status, 303);

  const guest = await new Client(t.url).get('/announcements');
  assert.equal(guest.status, 200);
  assert.deepEqual(titles(guest.body), ['公司系統訪客公告', '平臺訪客公告']);
  assert.match(guest.body, /登入後可看到會員公告/);
  assert.deepEqual(titles((await clients.plainuser.get('/announcements')).body), ['公司系統訪客公告', '平臺會員公告', '平臺訪客公告']);
  assert.deepEqual(titles((await clients.csmuser01.get('/announcements')).body), ['公司系統訪客公告', '公司系統會員公告', '平臺會員公告', '平臺訪客公告']);

  // One member announcement, opened directly: "not found" to a guest and to a member without the role.
  const scoped = await idOf('公司系統會員公告');
  assert.equal((await new Client(t.url).get(`/announcements/${scoped}`)).status, 404);
  assert.equal((await clients.plainuser.get(`/announcements/${scoped}`)).status, 404);
  assert.equal((await clients.csmuser01.get(`/announcements/${scoped}`)).status, 200);
  assert.equal((await new Client(t.url).get(`/announcements/${await idOf('平臺會員公告')}`)).status, 404);
  assert.equal((await new Client(t.url).get('/announcements/99999999')).status, 404);
  // Not an id by the route's declared shape (issue 10): refused before any query.
  for (const bad of ['/announcements/0', '/announcements/abc']) assert.equal((await new Client(t.url).get(bad)).status, 400, bad);
});

test('SSO-5: the text is plain: markup is shown as text, line breaks are kept', async () => {
  assert.equal((await publish(ADMIN_USERNAME, { title: '<b>粗體</b>標題', body: '第一行\r\n第二行 <script>alert(1)</script>\n\n第二段 <img src=x onerror=alert(1)>' })).status, 303);
  const id = await idOf('<b>粗體</b>標題');
  const page = main((await new Client(t.url).get(`/announcements/${id}`)).body);
  assert.match(page, /<h1>&lt;b>粗體&lt;\/b>標題<\/h1>/);
  assert.match(page, /<p>第一行<br\/>第二行 &lt;script>alert\(1\)&lt;\/script><\/p><p>第二段 &lt;img src=x onerror=alert\(1\)><\/p>/);
  assert.doesNotMatch(page, /<script|<img|<b>/);
});

test('SSO-5: 10 a page, newest first, with the count line and previous/next links', async () => {
  const before = await liveCount();
  for (let i = 1; i <= 23 - before; i++) {
    t.clock.advance(SECOND);
    assert.equal((await publish(ADMIN_USERNAME, { title: `分頁公告${String(i).padStart(2, '0')}` })).status, 303);
  }
  const guestTotal = Number((await t.deps.db.selectFrom('announcements').select((eb) => eb.fn.countAll<number>().as('n')).where('audience', '=', 'guest').where('deleted_at', 'is', null).executeTakeFirstOrThrow()).n);
  const p1 = (await new Client(t.url).get('/announcements')).body;
  assert.equal(titles(p1).length, 10);
  assert.equal(titles(p1)[0], `分頁公告${String(23 - before).padStart(2, '0')}`, 'newest first');
  assert.match(p1, new RegExp(`每頁顯示 10 列 1-10 列 \\(共 ${guestTotal} 列\\)`));
  assert.match(p1, /href="\/announcements\?page=2" rel="next"/);
  assert.doesNotMatch(p1, /rel="prev"/);
  const lastPage = Math.ceil(guestTotal / 10);
  const pl = (await new Client(t.url).get(`/announcements?page=${lastPage}`)).body;
  assert.equal(titles(pl).length, guestTotal - (lastPage - 1) * 10);
  assert.match(pl, new RegExp(`href="/announcements\\?page=${lastPage - 1}" rel="prev"`));
  assert.doesNotMatch(pl, /rel="next"/);
  // Every title appears exactly once across the pages.
  const all: string[] = [];
  for (let p = 1; p <= lastPage; p++) all.push(...titles((await new Client(t.url).get(`/announcements?page=${p}`)).body));
  assert.equal(new Set(all).size, guestTotal);
  assert.equal((await new Client(t.url).get('/announcements?page=abc')).status, 400, 'not a page number by the declared query (issue 10)');
});

test('SSO-5: author, created and edited times; "(已編輯)" only after an edit', async () => {
  assert.equal((await publish('racsm0001', { systemCode: 'csm', title: '待編輯公告', body: '原文' })).status, 303);
  const id = await idOf('待編輯公告');
  let page = main((await new Client(t.url).get(`/announcements/${id}`)).body);
  const created = page.match(/data-testid="created">([^<]+)</)![1];
  assert.match(page, /data-testid="author">資本門管理人員</);
  assert.doesNotMatch(page, /已編輯|data-testid="edited"/);

  t.clock.advance(2 * HOUR);
  await signInAll();
  const r = await clients[ADMIN_USERNAME].submit(`/admin/announcements/${id}`, `/admin/announcements/${id}`, { audience: 'guest', systemCode: 'csm', title: '已編輯公告', body: '新的內文' });
  assert.equal(r.status, 303);
  page = main((await new Client(t.url).get(`/announcements/${id}`)).body);
  assert.equal(page.match(/data-testid="created">([^<]+)</)![1], created + ' (已編輯)', 'the creation time stays');
  assert.match(page, /data-testid="author">資本門管理人員</, 'the author stays');
  const edited = page.match(/data-testid="edited">([^<]+)</)![1];
  assert.notEqual(edited, created);
  assert.match(page, /<dt>編輯者<\/dt><dd>中央管理者<\/dd>/);
  assert.match(page, /新的內文/);
  const row = (await new Client(t.url).get('/announcements')).body.match(new RegExp(`<tr data-announcement="${id}">([\\s\\S]*?)</tr>`))![1];
  assert.match(row, /\(已編輯\)/);
  assert.match(row, new RegExp(edited));
  assert.match(row, /資本門管理人員/);
  assert.match(row, /公司登記管理系統/);
});

test('SSO-5: who manages which: the central authority all; a system administrator only its categories; help-desk and users none', async () => {
  // racsm0001 sees only csm announcements in its list.
  const list = (await clients.racsm0001.get('/admin/announcements')).body;
  const rows = [...list.matchAll(/<tr data-announcement="(\d+)">/g)].map((m) => Number(m[1]));
  const csmIds = (await t.deps.db.selectFrom('announcements').select('id').where('system_code', '=', 'csm').where('deleted_at', 'is', null).execute()).map((r) => r.id);
  assert.ok(rows.length > 0 && rows.every((id) => csmIds.includes(id)), 'csm ones only');
  assert.equal(rows.length, Math.min(10, csmIds.length), 'all of them, a page at a time');
  // The form offers exactly the systems it may manage, and no platform-wide choice.
  const form = (await clients.racsm0001.get('/admin/announcements/new')).body;
  assert.deepEqual([...form.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]), ['csm']);

  const n = await liveCount();
  let r = await publish('racsm0001', { systemCode: '', title: '越權平臺公告' });
  assert.equal(r.status, 422);
  assert.equal(fieldError(r.body, 'systemCode'), '全平臺公告只能由中央管理者發布，請選擇您管理的系統。');
  r = await publish('racsm0001', { systemCode: 'bms', title: '越權系統公告' });
  assert.equal(r.status, 422);
  assert.equal(fieldError(r.body, 'systemCode'), '您不能發布這個系統的公告。');
  r = await publish('racsm0001', { systemCode: 'nosuchsystem', title: '未知系統公告' });
  assert.equal(r.status, 422);

  // Another system's or a platform-wide announcement: not found, whatever the verb.
  const platform = await idOf('平臺會員公告');
  for (const who of ['racsm0001', 'rabms0001']) {
    const c = clients[who];
    assert.equal((await c.get(`/admin/announcements/${platform}`)).status, 404, who);
    assert.equal((await c.submit('/admin/announcements', `/admin/announcements/${platform}`, { audience: 'guest', systemCode: 'csm', title: '改掉', body: 'x' })).status, 404, who);
    assert.equal((await c.submit('/admin/announcements', `/admin/announcements/${platform}/delete`, {})).status, 404, who);
  }
  const csmOne = await idOf('已編輯公告');
  assert.equal((await clients.rabms0001.get(`/admin/announcements/${csmOne}`)).status, 404, 'bms administrator, csm announcement');
  assert.equal((await clients.rabms0001.submit('/admin/announcements', `/admin/announcements/${csmOne}/delete`, {})).status, 404);
  // Moving one's own system's announcement to a system one does not manage is refused too.
  r = await clients.racsm0001.submit(`/admin/announcements/${csmOne}`, `/admin/announcements/${csmOne}`, { audience: 'guest', systemCode: 'bms', title: '搬走', body: 'x' });
  assert.equal(r.status, 422);

  for (const who of ['helpdesk1', 'csmuser01', 'plainuser']) {
    for (const path of ['/admin/announcements', '/admin/announcements/new', `/admin/announcements/${csmOne}`, `/admin/announcements/${csmOne}/delete`]) {
      assert.equal((await clients[who].get(path)).status, 404, `${who} ${path}`);
    }
    assert.equal((await clients[who].submit('/announcements', '/admin/announcements', { audience: 'guest', systemCode: 'csm', title: '越權', body: 'x' })).status, 404, who);
  }
  assert.equal((await new Client(t.url).get('/admin/announcements')).status, 303, 'anonymous: to the login page');
  assert.equal(await liveCount(), n, 'nothing was published');
  const unchanged = await t.deps.db.selectFrom('announcements').select(['title', 'system_code', 'deleted_at']).where('id', 'in', [platform, csmOne]).orderBy('id').execute();
  assert.deepEqual(unchanged.map((x) => [x.title, x.system_code, x.deleted_at]), [['平臺會員公告', null, null], ['已編輯公告', 'csm', null]]);
});

test('SSO-5: bad input gets a clear message in the user\'s language and changes nothing', async () => {
  const n = await liveCount();
  let r = await publish(ADMIN_USERNAME, { audience: 'everyone', title: '  ', body: '' });
  assert.equal(r.status, 422);
  assert.equal(fieldError(r.body, 'audience'), '請選擇公告類型（訪客公告或會員公告）。');
  assert.equal(fieldError(r.body, 'title'), '請輸入標題。');
  assert.equal(fieldError(r.body, 'body'), '請輸入內文。');
  r = await publish(ADMIN_USERNAME, { title: '長'.repeat(201), body: 'x' });
  assert.equal(fieldError(r.body, 'title'), '標題最多 200 個字。');
  assert.match(r.body, /value="長{201}"/, 'what was typed is kept');
  r = await publish(ADMIN_USERNAME, { title: 'ok', body: 'bell\u0007' });
  assert.equal(fieldError(r.body, 'body'), '含有不允許的控制字元。');

  const en = new Client(t.url);
  await login(t, en, ADMIN_USERNAME, ADMIN_PASSWORD);
  await en.get('/lang/en?next=/');
  r = await en.submit('/admin/announcements/new', '/admin/announcements', { audience: 'guest', systemCode: '', title: '', body: 'x' });
  assert.equal(r.status, 422);
  assert.equal(fieldError(r.body, 'title'), 'Enter a title.');
  assert.equal(await liveCount(), n);
});

test('SSO-5: a form without the CSRF token is refused', async () => {
  const n = await liveCount();
  const fields = hiddenFields((await clients[ADMIN_USERNAME].get('/admin/announcements/new')).body);
  const r = await clients[ADMIN_USERNAME].post('/admin/announcements', { audience: 'guest', systemCode: '', title: '無權杖', body: 'x', _csrf: fields._csrf + 'x' });
  assert.equal(r.status, 403);
  assert.equal(await liveCount(), n);
});

test('SSO-5: delete asks first, then hides the announcement everywhere and keeps the record', async () => {
  assert.equal((await publish('racsm0001', { systemCode: 'csm', title: '將刪除公告' })).status, 303);
  const id = await idOf('將刪除公告');
  const confirm = await clients.racsm0001.get(`/admin/announcements/${id}/delete`);
  assert.equal(confirm.status, 200);
  assert.match(confirm.body, /刪除後此公告將不再顯示於任何頁面/);
  assert.equal((await t.deps.db.selectFrom('announcements').select('deleted_at').where('id', '=', id).executeTakeFirstOrThrow()).deleted_at, null, 'the confirmation page deletes nothing');
  const r = await clients.racsm0001.submit(`/admin/announcements/${id}/delete`, `/admin/announcements/${id}/delete`, {});
  assert.equal(r.status, 303);
  assert.equal(r.location, '/admin/announcements?done=deleted');
  assert.equal((await new Client(t.url).get(`/announcements/${id}`)).status, 404);
  assert.equal((await clients.racsm0001.get(`/admin/announcements/${id}`)).status, 404);
  assert.doesNotMatch((await new Client(t.url).get('/announcements')).body, /將刪除公告/);
  const row = await t.deps.db.selectFrom('announcements').select(['deleted_at', 'title']).where('id', '=', id).executeTakeFirstOrThrow();
  assert.ok(row.deleted_at !== null && row.title === '將刪除公告', 'kept for the audit trail');
  const events = await t.deps.db.selectFrom('audit_events').select(['action', 'target_id']).where('action', 'like', 'announcement.%').where('target_id', '=', String(id)).orderBy('seq').execute();
  assert.deepEqual(events.map((e) => e.action), ['announcement.create', 'announcement.delete']);
});

test('SSO-5: the API: list, publish, read, edit in part, delete — limited like the pages', async () => {
  let r = await api('POST', '/api/v1/announcements', 'racsm0001', { audience: 'member', systemCode: 'csm', title: 'API 公告', body: '一\n二' });
  assert.equal(r.status, 201);
  const id = r.body.id;
  assert.equal(r.body.authorName, '資本門管理人員');
  assert.equal(r.body.updatedAt, null);
  assert.equal(r.body.body, '一\n二');

  t.clock.advance(SECOND);
  r = await api('PATCH', `/api/v1/announcements/${id}`, 'racsm0001', { title: 'API 公告（更正）' });
  assert.equal(r.status, 200);
  assert.equal(r.body.title, 'API 公告（更正）');
  assert.equal(r.body.audience, 'member', 'fields left out keep their value');
  assert.equal(r.body.systemCode, 'csm');
  assert.ok(r.body.updatedAt > r.body.createdAt);

  r = await api('GET', '/api/v1/announcements?pageSize=100', 'racsm0001');
  assert.equal(r.status, 200);
  assert.ok(r.body.items.every((a: { systemCode: string }) => a.systemCode === 'csm'));
  assert.ok(r.body.items.some((a: { id: number }) => a.id === id));
  assert.equal((await api('GET', '/api/v1/announcements', ADMIN_USERNAME)).body.pageSize, 10);

  // Refusals: another system's, platform-wide, bad input (422 with the field, localised).
  r = await api('POST', '/api/v1/announcements', 'racsm0001', { audience: 'guest', systemCode: null, title: 'x', body: 'y' });
  assert.equal(r.status, 422);
  assert.match(r.body.errors.systemCode, /全平臺公告只能由中央管理者發布/);
  r = await api('POST', '/api/v1/announcements', 'racsm0001', { audience: 'guest', systemCode: 'bms', title: 'x', body: 'y' }, 'en');
  assert.equal(r.status, 422);
  assert.equal(r.body.errors.systemCode, 'You may not publish announcements for this system.');
  r = await api('POST', '/api/v1/announcements', ADMIN_USERNAME, { audience: 'all', title: 'x', body: 'y' });
  assert.equal(r.status, 400, 'schema: audience enum');
  r = await api('PATCH', `/api/v1/announcements/${id}`, 'racsm0001', { title: ' ' });
  assert.equal(r.status, 422);
  assert.equal(r.body.errors.title, '請輸入標題。');
  for (const who of ['rabms0001', 'helpdesk1', 'plainuser']) {
    assert.equal((await api('GET', `/api/v1/announcements/${id}`, who)).status, 404, who);
    assert.equal((await api('PATCH', `/api/v1/announcements/${id}`, who, { title: '改' })).status, 404, who);
    assert.equal((await api('DELETE', `/api/v1/announcements/${id}`, who)).status, 404, who);
  }
  assert.equal((await api('GET', '/api/v1/announcements', 'plainuser')).status, 404);
  assert.equal((await api('GET', `/api/v1/announcements/${id}`, 'racsm0001')).body.title, 'API 公告（更正）', 'unchanged by the refused calls');
  assert.equal((await fetch(`${t.url}/api/v1/announcements`)).status, 401);

  r = await api('DELETE', `/api/v1/announcements/${id}`, 'racsm0001');
  assert.equal(r.status, 204);
  assert.equal((await api('GET', `/api/v1/announcements/${id}`, 'racsm0001')).status, 404);
  assert.equal((await api('DELETE', `/api/v1/announcements/${id}`, 'racsm0001')).status, 404, 'twice is not found');
});
