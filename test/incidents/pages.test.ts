// INC-1, INC-2, INC-3, INC-6 on the pages, without JavaScript (HTTP, forms with their CSRF token,
// injected clock, real database): the contacts page flags missing minimums; a security contact
// reports through the form (bad input → 422 with field messages, nothing stored); the reviewer
// sees every open clock with its exact due time and the timeline, reviews and raises the level;
// another agency gets "not found"; the centre records a phone report on its form and the agency
// back-fills it on the report form; a draft is edited on the report form; the timers carry a
// countdown that the optional script keeps counting, with exact times without it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { giveRoles } from '../helpers/factories.ts';
import { AGENCY, SIBLING, PARENT, caller } from '../helpers/matrix.ts';
import { setAuthority } from '../../src/incidents/contacts.ts';
import { loadActor } from '../../src/access/actor.ts';
import { findAccountByUsername } from '../../src/accounts/store.ts';
import { ADMIN_USERNAME } from '../helpers/app.ts';
import { centralAuthority } from '../helpers/api.ts';

const PASSWORD = 'Correct-Horse-9';
let t: TestApp;
const clients: Record<string, Client> = {};
let call: ReturnType<typeof caller>;

before(async () => {
  t = await startTestApp();
  const central = await loadActor(t.deps, (await findAccountByUsername(t.deps.db, ADMIN_USERNAME))!.id);
  await setAuthority(t.deps, central, PARENT, { isCompetentAuthority: true, explicitAuthority: null }, null);
  const people = { pgsc1: [AGENCY, 'incident_security_contact'], pgrev1: [PARENT, 'incident_reviewer'], pgsib1: [SIBLING, 'incident_security_contact'], pgcentre1: ['2.16.886.101', 'incident_centre_analyst'] } as const;
  for (const [u, [unit, role]] of Object.entries(people)) {
    const id = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: unit, name: `頁面${u}`, profile: { email: `${u}@example.gov.tw` } });
    await giveRoles(t.deps, id, role);
    clients[u] = new Client(t.url);
    assert.equal((await login(t, clients[u], u, PASSWORD)).status, 303);
  }
  call = caller(t, clients, {});
});
after(async () => { await t?.close(); });

const taipei = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

test('INC-1: the contacts page flags the missing IT chief and the second security contact', async () => {
  const r = await call('pgsc1', 'GET', `/incidents/contacts?agency=${AGENCY}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /未達最低人數：資訊主管 需 1 人，目前 0 人/);
  assert.match(r.text, /未達最低人數：資安聯絡人 需 2 人，目前 1 人/);
  assert.match(r.text, /頁面pgsc1/);
  assert.equal((await call('pgsib1', 'GET', `/incidents/contacts?agency=${AGENCY}`)).status, 404);
});

test('INC-2, INC-3, INC-6: report through the form; the reviewer sees the timers with exact due times and the timeline, and raises the level', async () => {
  const form = await call('pgsc1', 'GET', '/incidents/new');
  assert.equal(form.status, 200);
  assert.match(form.text, /第 3 級：/, 'the level criteria are shown as help');
  const before = await t.deps.db.selectFrom('incidents').select('id').execute();
  const bad = await call('pgsc1', 'POST', '/incidents/new', { agencyOid: AGENCY, title: '主機異常', awareAt: '2026-13-40 99:00', level: '2', do: 'submit' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /格式或數值不正確/);
  assert.deepEqual(await t.deps.db.selectFrom('incidents').select('id').execute(), before, 'nothing stored');
  const aware = new Date(t.clock.now().getTime() - 20 * 60_000);
  const ok = await call('pgsc1', 'POST', '/incidents/new', {
    agencyOid: AGENCY, title: '主機異常連線', description: '偵測到異常對外連線', awareAt: taipei(aware), level: '2', systems: 'csm',
    contactName: '陳大文', contactPhone: '04-22289111', do: 'submit',
  });
  assert.equal(ok.status, 303, ok.text.slice(0, 300));
  const id = (await t.deps.db.selectFrom('incidents').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
  assert.equal((await call('pgsib1', 'GET', `/incidents/${id}`)).status, 404, 'another agency: not found');
  const page = await call('pgrev1', 'GET', `/incidents/${id}`);
  assert.equal(page.status, 200);
  const due = new Date(t.clock.now().getTime() + 8 * 3_600_000);
  assert.match(page.text, new RegExp(`data-clock="tw-cs/review" data-state="running">.*?<time datetime="${due.toISOString()}">`), 'the review timer with its exact due time');
  assert.match(page.text, /data-event="reported"/);
  assert.match(page.text, /頁面pgsc1/, 'who reported');
  assert.match(page.text, /知悉後 1 小時內通報（如期完成）/, 'which clock the report met');
  // Review without a reason for the level change: 422, the page again; then with one.
  const noReason = await call('pgrev1', 'POST', `/incidents/${id}/review`, { level: '3', reason: '', note: '' });
  assert.equal(noReason.status, 422);
  assert.match(noReason.text, /變更等級須填寫理由/);
  const reviewed = await call('pgrev1', 'POST', `/incidents/${id}/review`, { level: '3', reason: '影響核心業務', note: '' });
  assert.equal(reviewed.status, 303);
  const after = await call('pgsc1', 'GET', `/incidents/${id}`);
  assert.match(after.text, /等級 2 → 3/);
  assert.match(after.text, /影響核心業務/);
  assert.match(after.text, /data-clock="tw-cs\/centre-review" data-state="running"/);
});

test('INC-8: the central authority sets the competent authority on the registry page; a bad OID is refused; nobody else may', async () => {
  const { client } = await centralAuthority(t);
  clients.central = client;
  const page = await call('central', 'GET', `/incidents/contacts?agency=${SIBLING}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /主管機關設定/);
  assert.match(page.text, /主管機關：無（由技術服務中心審核）/);
  assert.equal((await call('central', 'POST', `/incidents/authority?agency=${SIBLING}`, { isAuthority: '', explicitAuthority: '2.16.886.999999' })).status, 422);
  assert.equal((await call('pgsib1', 'POST', `/incidents/authority?agency=${SIBLING}`, { isAuthority: '1', explicitAuthority: '' })).status, 404);
  assert.doesNotMatch((await call('pgsib1', 'GET', `/incidents/contacts?agency=${SIBLING}`)).text, /主管機關設定/);
  assert.equal((await call('central', 'POST', `/incidents/authority?agency=${SIBLING}`, { isAuthority: '', explicitAuthority: PARENT })).status, 303);
  assert.match((await call('central', 'GET', `/incidents/contacts?agency=${SIBLING}`)).text, /主管機關：臺中市政府/);
});

test('INC-2: the centre records a phone report on its form (bad times: 422, nothing stored); the agency back-fills it on the report form; both times shown', async () => {
  assert.equal((await call('pgsc1', 'GET', '/incidents/phone')).status, 404, 'only the technical centre');
  assert.match((await call('pgcentre1', 'GET', '/incidents')).text, /href="\/incidents\/phone"/);
  const form = await call('pgcentre1', 'GET', '/incidents/phone');
  assert.equal(form.status, 200);
  const count = async () => (await t.deps.db.selectFrom('incidents').select('id').execute()).length;
  const n = await count();
  const bad = await call('pgcentre1', 'POST', '/incidents/phone', { agencyOid: AGENCY, title: '機房停電', level: '2', awareAt: 'yesterday', phoneAt: '' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /id="awareAt-error"/);
  assert.match(bad.text, /id="phoneAt-error"/);
  assert.equal(await count(), n, 'nothing stored');
  const aware = new Date(t.clock.now().getTime() - 40 * 60_000), phone = new Date(t.clock.now().getTime() - 30 * 60_000);
  const ok = await call('pgcentre1', 'POST', '/incidents/phone', { agencyOid: AGENCY, title: '機房停電，電話通報', level: '2', awareAt: taipei(aware), phoneAt: taipei(phone), description: '全機關斷網' });
  assert.equal(ok.status, 303, ok.text.slice(0, 300));
  const id = (await t.deps.db.selectFrom('incidents').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
  let page = await call('pgsc1', 'GET', `/incidents/${id}`);
  assert.match(page.text, /電話通報，待機關補登/);
  assert.match(page.text, new RegExp(`href="/incidents/${id}/backfill"`));
  assert.equal((await call('pgsib1', 'GET', `/incidents/${id}/backfill`)).status, 404);
  const fill = await call('pgsc1', 'GET', `/incidents/${id}/backfill`);
  assert.equal(fill.status, 200);
  assert.match(fill.text, /機房停電，電話通報/, 'the form is filled with what the centre recorded');
  const missing = await call('pgsc1', 'POST', `/incidents/${id}/backfill`, { title: '機房停電', description: '全機關斷網 30 分鐘', awareAt: taipei(aware), level: '2', contactName: '', contactPhone: '04-1', do: 'submit' });
  assert.equal(missing.status, 422);
  assert.equal((await call('pgsc1', 'POST', `/incidents/${id}/backfill`, { title: '機房停電', description: '全機關斷網 30 分鐘', awareAt: taipei(aware), level: '2', contactName: '陳大文', contactPhone: '04-1', do: 'submit' })).status, 303);
  page = await call('pgsc1', 'GET', `/incidents/${id}`);
  assert.match(page.text, new RegExp(`電話通報時間</dt><dd>${taipei(phone)}`));
  assert.match(page.text, /網站補登時間<\/dt><dd>\d{4}-/);
  assert.doesNotMatch(page.text, /href="\/incidents\/\d+\/backfill"/, 'back-filled once');
});

test('INC-2, INC-6: a draft is edited on the report form and submitted; the open timers carry the countdown script and their exact times', async () => {
  const created = await call('pgsc1', 'POST', '/incidents/new', { agencyOid: AGENCY, title: '草稿事件', do: 'draft' });
  assert.equal(created.status, 303);
  const id = (await t.deps.db.selectFrom('incidents').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
  assert.equal((await call('pgrev1', 'GET', `/incidents/${id}/edit`)).status, 404, 'a draft is the agency\'s alone');
  const edit = await call('pgsc1', 'GET', `/incidents/${id}/edit`);
  assert.equal(edit.status, 200);
  assert.match(edit.text, /value="草稿事件"/);
  const aware = new Date(t.clock.now().getTime() - 5 * 60_000);
  assert.equal((await call('pgsc1', 'POST', `/incidents/${id}/edit`, { title: '草稿事件（已補充）', description: '補充說明', awareAt: taipei(aware), level: '1', category: 'dos', contactName: '陳大文', contactPhone: '04-1', do: 'draft' })).status, 303);
  let page = await call('pgsc1', 'GET', `/incidents/${id}`);
  assert.match(page.text, /草稿事件（已補充）/);
  assert.match(page.text, /阻斷服務/);
  assert.equal((await call('pgsc1', 'POST', `/incidents/${id}/edit`, { title: '草稿事件（已補充）', description: '補充說明', awareAt: taipei(aware), level: '1', category: 'dos', contactName: '陳大文', contactPhone: '04-1', do: 'submit' })).status, 303);
  page = await call('pgsc1', 'GET', `/incidents/${id}`);
  assert.match(page.text, /處理中/);
  assert.match(page.text, /<script src="\/static\/countdown.js" defer><\/script>/);
  assert.match(page.text, new RegExp(`data-countdown-now="${t.clock.now().toISOString()}"`));
  assert.match(page.text, /data-countdown="[^"]+">剩餘 <span data-left="true">0 天 8 小時 0 分<\/span>/, 'the exact time left without the script');
  const js = await call('pgsc1', 'GET', '/static/countdown.js');
  assert.equal(js.status, 200);
  assert.match(js.text, /data-countdown-now/);
  assert.equal((await call('pgsc1', 'GET', `/incidents/${id}/edit`)).status, 404, 'submitted: no longer a draft');
});
