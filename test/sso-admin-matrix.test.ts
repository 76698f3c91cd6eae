// The cross-category and cross-jurisdiction matrix of single-sign-on administration and
// announcements (SSO-2, SSO-3, SSO-5; ARCHITECTURE "Authorization"), the part test/admin-matrix
// leaves to this file (OWN_MATRIX). Walked from the app's route table, every route under /admin/sso,
// /api/v1/sso, /admin/announcements and /api/v1/announcements is called by actors whose categories
// do not cover the target system (another category's administrator, a main-account holder, a unit
// supervisor, a help-desk, a plain user), with input that would succeed if the route did not ask
// `authorize`: each must answer "not found" (or refuse the system), no list may show the target,
// and afterwards clients, consents and announcements are exactly as before. The consent report is
// called by administrators of the system in a sibling, parent, child and look-alike-prefix
// (…9002 vs …90027) jurisdiction: it lists exactly the role holders inside theirs. A route the
// test does not know fails it; the same probes succeed for an allowed actor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from './helpers/app.ts';
import { Client } from './helpers/client.ts';
import { createAccount } from './helpers/accounts.ts';
import { login } from './helpers/login.ts';
import { importOrgs } from '../src/orgs/service.ts';
import { createGrant } from '../src/admin/grants.ts';
import { tokenCommand } from '../src/admin/cli.ts';
import { isWithin } from '../src/orgs/oid.ts';
import { AGENCY, SIBLING, PARENT, CHILD, LOOK_ALIKE, caller, oidToken, routesWithProbes, under, withoutHeader } from './helpers/matrix.ts';
import type { GrantKind } from '../src/admin/authorize.ts';

const PASSWORD = 'Correct-Horse-9';
const ACTOR_UNIT = '2.16.886.101';
/** The system under test; every refused actor's categories leave it out. */
const SYSTEM = 'csm';
const PREFIXES = ['/admin/sso', '/api/v1/sso', '/admin/announcements', '/api/v1/announcements'];

/** Role holders of the system, one per unit, named so each is recognisable in any answer. */
const TARGETS = {
  parent01: PARENT, agency01: AGENCY, child001: CHILD, grandch1: CHILD + '.20033',
  sibling1: SIBLING, lookalk1: LOOK_ALIKE, lookchd1: LOOK_ALIKE + '.20002',
} as const;
type TargetName = keyof typeof TARGETS;
const ALL = Object.keys(TARGETS) as TargetName[];
const nameOf = (u: string) => `授權${u}`;
/** Every other target has consented, so both halves of the report are exercised. */
const CONSENTED = new Set<TargetName>(['parent01', 'child001', 'sibling1', 'lookchd1']);

interface ActorCase { username: string; kind?: GrantKind; oid?: string; categories?: string[] }
/** Categories that do not cover csm, or kinds that may not manage clients and announcements at all. */
const REFUSED: ActorCase[] = [
  { username: 'rabmsagcy', kind: 'registration_admin', oid: AGENCY, categories: ['bms'] },
  { username: 'rabmsprnt', kind: 'registration_admin', oid: PARENT, categories: ['bms', 'fms'] },
  { username: 'mainacct1', kind: 'main_account', oid: CHILD, categories: ['csm'] },
  { username: 'supervsr1', kind: 'unit_supervisor', oid: AGENCY, categories: ['*'] },
  { username: 'helpdesk1', kind: 'helpdesk', oid: AGENCY, categories: ['*'] },
  { username: 'plainuser' },
];
/** Administrators of csm in different jurisdictions: allowed on the system, each sees its own subtree in the report. */
const ALLOWED: ActorCase[] = [
  { username: 'racsmagcy', kind: 'registration_admin', oid: AGENCY, categories: ['csm'] },
  { username: 'racsmsibl', kind: 'registration_admin', oid: SIBLING, categories: ['csm', 'bms'] },
  { username: 'racsmprnt', kind: 'registration_admin', oid: PARENT, categories: ['*'] },
  { username: 'racsmchld', kind: 'registration_admin', oid: CHILD, categories: ['csm'] },
  { username: 'racsmlook', kind: 'registration_admin', oid: LOOK_ALIKE, categories: ['csm'] },
];

let t: TestApp;
const ids = {} as Record<TargetName, number>;
const clients: Record<string, Client> = {};
const tokens: Record<string, string> = {};
/** Announcements the refused actors must not reach: the system's and a platform-wide one. */
const announcements = { system: 0, platform: 0 };
const SYSTEM_TITLE = '公司系統專屬公告';
const PLATFORM_TITLE = '全平臺專屬公告';

before(async () => {
  t = await startTestApp();
  const r = await importOrgs(t.deps, null, `oid,name,agency_code,tenant_code,kind\n${LOOK_ALIKE},相似前綴機關（範例）,,,agency\n${LOOK_ALIKE}.20002,相似前綴單位（範例）,,,unit\n`, { dryRun: false });
  assert.deepEqual(r.errors, []);
  for (const u of ALL) {
    ids[u] = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: TARGETS[u], name: nameOf(u) });
    await t.deps.db.insertInto('role_grants').values({ account_id: ids[u], role_code: 'csm_user', granted_by: null, granted_at: t.clock.now() }).execute();
    if (CONSENTED.has(u)) await t.deps.db.insertInto('sso_consents').values({ account_id: ids[u], system_code: SYSTEM, claims: ['sub', 'name'], granted_at: t.clock.now() }).execute();
  }
  for (const a of [...REFUSED, ...ALLOWED]) {
    const id = await createAccount(t.deps, { username: a.username, password: PASSWORD, unitOid: ACTOR_UNIT, name: nameOf(a.username) });
    if (a.kind) await createGrant(t.deps, null, { accountId: id, kind: a.kind, jurisdictionOid: a.oid!, categories: a.categories! }, null);
  }
  for (const username of [ADMIN_USERNAME, ...REFUSED.map((a) => a.username), ...ALLOWED.map((a) => a.username)]) {
    const c = new Client(t.url);
    assert.equal((await login(t, c, username, username === ADMIN_USERNAME ? ADMIN_PASSWORD : PASSWORD)).status, 303, username);
    clients[username] = c;
    let out = '';
    assert.equal(await tokenCommand(t.deps, 'create', ['--username', username], { out: (s) => { out += s; }, err: () => {} }), 0);
    tokens[username] = out.trim();
  }
  // The system's client exists (so a refusal is not merely "nothing to show"), and the two announcements.
  let res = await call(ADMIN_USERNAME, 'PATCH', `/api/v1/sso/clients/${SYSTEM}`, clientBody());
  assert.equal(res.status, 200, res.text);
  res = await call(ADMIN_USERNAME, 'POST', '/api/v1/announcements', { audience: 'member', systemCode: SYSTEM, title: SYSTEM_TITLE, body: 'x' });
  announcements.system = JSON.parse(res.text).id;
  res = await call(ADMIN_USERNAME, 'POST', '/api/v1/announcements', { audience: 'guest', systemCode: null, title: PLATFORM_TITLE, body: 'x' });
  announcements.platform = JSON.parse(res.text).id;
});
after(async () => { await t?.close(); });

const clientBody = () => ({ authMethod: 'client_secret_basic', grantTypes: ['authorization_code', 'refresh_token'], redirectUris: ['https://csm.example.gov.tw/cb'], enabled: true });
const clientForm = (): [string, string][] => [
  ['authMethod', 'client_secret_basic'], ['grantTypes', 'authorization_code'], ['grantTypes', 'refresh_token'],
  ['redirectUris', 'https://csm.example.gov.tw/cb2'], ['idTokenAlg', 'ES256'], ['enabled', '1'],
];
const annForm = (n: number) => ({ audience: 'guest', systemCode: SYSTEM, title: `矩陣公告${n}`, body: '內文' });

/** What a route is about, and input that succeeds when the caller is allowed. */
type Probe =
  | { about: 'system'; body?: () => Record<string, unknown> | [string, string][] }
  | { about: 'announcement'; body?: (n: number) => Record<string, unknown> }
  | { about: 'create'; body: (n: number, systemCode: string | null) => Record<string, unknown> }
  | { about: 'list' };

const PROBES: Record<string, Probe> = {
  'GET /admin/sso': { about: 'list' },
  'GET /admin/sso/:code': { about: 'system' },
  'POST /admin/sso/:code': { about: 'system', body: clientForm },
  'POST /admin/sso/:code/secret': { about: 'system' },
  'GET /admin/sso/:code/consents': { about: 'system' },
  'GET /api/v1/sso/clients': { about: 'list' },
  'GET /api/v1/sso/clients/:code': { about: 'system' },
  'PATCH /api/v1/sso/clients/:code': { about: 'system', body: () => ({ ...clientBody(), redirectUris: ['https://csm.example.gov.tw/cb3'] }) },
  'POST /api/v1/sso/clients/:code/secret': { about: 'system' },
  'GET /api/v1/sso/clients/:code/consents': { about: 'system' },
  'GET /admin/announcements': { about: 'list' },
  'GET /admin/announcements/new': { about: 'list' },
  'POST /admin/announcements': { about: 'create', body: (n, s) => ({ ...annForm(n), systemCode: s ?? '' }) },
  'GET /admin/announcements/:id': { about: 'announcement' },
  'POST /admin/announcements/:id': { about: 'announcement', body: (n) => annForm(n) },
  'GET /admin/announcements/:id/delete': { about: 'announcement' },
  'POST /admin/announcements/:id/delete': { about: 'announcement' },
  'GET /api/v1/announcements': { about: 'list' },
  'POST /api/v1/announcements': { about: 'create', body: (n, s) => ({ ...annForm(n), systemCode: s }) },
  'GET /api/v1/announcements/:id': { about: 'announcement' },
  'PATCH /api/v1/announcements/:id': { about: 'announcement', body: (n) => ({ title: `矩陣改名${n}` }) },
  'DELETE /api/v1/announcements/:id': { about: 'announcement' },
};

/** Every route under the four prefixes; an unknown one fails here until the test learns to call it. */
const ownRoutes = () => routesWithProbes(t.app, under(PREFIXES), PROBES, 'test/sso-admin-matrix.test.ts');

const call = (...args: Parameters<ReturnType<typeof caller>>) => caller(t, clients, tokens)(...args);

const fill = (url: string, id: number) => url.replace(':code', SYSTEM).replace(':id', String(id));
const body = withoutHeader;

/** Signs of the target system or its data in an answer. */
const SYSTEM_MARKS = [`data-system="${SYSTEM}"`, `"code":"${SYSTEM}"`, `<option value="${SYSTEM}"`, SYSTEM_TITLE, '公司登記管理系統', 'csm.example.gov.tw'];

async function snapshot() {
  const db = t.deps.db;
  const [clientsRows, consents, anns, roles] = await Promise.all([
    db.selectFrom('sso_clients').selectAll().orderBy('system_code').execute(),
    db.selectFrom('sso_consents').selectAll().orderBy('account_id').orderBy('system_code').execute(),
    db.selectFrom('announcements').selectAll().orderBy('id').execute(),
    db.selectFrom('role_grants').select(['account_id', 'role_code']).orderBy('account_id').orderBy('role_code').execute(),
  ]);
  return JSON.stringify({ clientsRows, consents, anns, roles });
}

test('SSO-2 SSO-3 SSO-5: every route refuses or hides the system, its client, its consents and its announcements from actors whose categories do not cover it, and changes nothing', async () => {
  const routes = ownRoutes();
  assert.ok(routes.length >= 22, `the route table lists the routes (${routes.length})`);
  const before = await snapshot();
  let calls = 0, n = 0;
  // Administrators of csm are refused the platform-wide announcement: that one is the central authority's.
  const cases: [ActorCase, 'system' | 'platform'][] = [...REFUSED.map((a) => [a, 'system'] as [ActorCase, 'system']), ...[...REFUSED, ...ALLOWED].map((a) => [a, 'platform'] as [ActorCase, 'platform'])];
  for (const [a, what] of cases) {
    for (const r of routes) {
      const p = r.probe;
      const label = `${a.username} ${r.key} (${what})`;
      if (p.about === 'system') {
        if (what === 'platform') continue;
        const res = await call(a.username, r.method, fill(r.url, 0), p.body?.());
        calls++;
        assert.equal(res.status, 404, `${label}: ${res.status}`);
      } else if (p.about === 'announcement') {
        const id = what === 'system' ? announcements.system : announcements.platform;
        const res = await call(a.username, r.method, fill(r.url, id), p.body?.(++n));
        calls++;
        assert.equal(res.status, 404, `${label}: ${res.status}`);
      } else if (p.about === 'create') {
        const res = await call(a.username, r.method, r.url, p.body(++n, what === 'system' ? SYSTEM : null));
        calls++;
        assert.ok([404, 422].includes(res.status), `${label}: ${res.status}`);
      } else {
        if (what === 'platform' && ALLOWED.includes(a)) {
          const res = await call(a.username, r.method, r.url);
          calls++;
          assert.ok(!res.text.includes(PLATFORM_TITLE), `${label} lists the platform-wide announcement`);
          continue;
        }
        if (what === 'platform') continue;
        const res = await call(a.username, r.method, r.url);
        calls++;
        assert.ok([200, 404].includes(res.status), `${label}: ${res.status}`);
        for (const m of [...SYSTEM_MARKS, PLATFORM_TITLE]) assert.ok(!body(res.text).includes(m), `${label} shows ${m}`);
        for (const u of ALL) assert.ok(!res.text.includes(nameOf(u)), `${label} shows ${u}`);
      }
    }
  }
  assert.ok(calls > 150, `${calls} calls`);
  assert.equal(await snapshot(), before, 'no client, consent or announcement changed, none created');
});

test('SSO-3: the consent report lists exactly the role holders inside the caller\'s jurisdiction (sibling, parent, child, look-alike prefix)', async () => {
  for (const a of [...ALLOWED, { username: ADMIN_USERNAME } as ActorCase]) {
    const inside = ALL.filter((u) => !a.oid || isWithin(TARGETS[u], a.oid));
    const outside = ALL.filter((u) => !inside.includes(u));
    for (const status of ['all', 'consented', 'pending']) {
      const want = inside.filter((u) => status === 'all' || (status === 'consented') === CONSENTED.has(u)).sort();
      const page = await call(a.username, 'GET', `/admin/sso/${SYSTEM}/consents?status=${status}`);
      assert.equal(page.status, 200, a.username);
      assert.deepEqual([...page.text.matchAll(/data-account="([^"]+)"/g)].map((m) => m[1]).sort(), want, `${a.username} page ${status}`);
      const api = await call(a.username, 'GET', `/api/v1/sso/clients/${SYSTEM}/consents?status=${status}&pageSize=200`);
      assert.equal(api.status, 200, a.username);
      const j = JSON.parse(api.text);
      assert.deepEqual(j.items.map((i: { username: string }) => i.username).sort(), want, `${a.username} API ${status}`);
      assert.equal(j.holders, inside.length, `${a.username}: counts only inside`);
      assert.equal(j.consented, inside.filter((u) => CONSENTED.has(u)).length);
      for (const text of [body(page.text), api.text]) {
        for (const o of outside) {
          assert.ok(!text.includes(nameOf(o)) && !text.includes(`"${o}"`) && !text.includes(`>${o}<`), `${a.username} ${status} shows ${o}`);
          assert.doesNotMatch(text, oidToken(TARGETS[o]), `${a.username} ${status} shows the unit ${TARGETS[o]}`);
        }
      }
    }
  }
});

test('the probes are real: the same calls succeed for an administrator of the system (so a route that skipped authorize would have failed above)', async () => {
  let n = 1000;
  for (const r of ownRoutes()) {
    const p = r.probe;
    const who = 'racsmsibl'; // another jurisdiction than the targets' agency: jurisdiction does not limit the client
    if (p.about === 'system') {
      const res = await call(who, r.method, fill(r.url, 0), p.body?.());
      assert.ok([200, 303].includes(res.status), `${r.key}: ${res.status} ${res.text.slice(0, 200)}`);
    } else if (p.about === 'announcement') {
      const created = await call(who, 'POST', '/api/v1/announcements', { audience: 'member', systemCode: SYSTEM, title: `對照公告${++n}`, body: 'x' });
      assert.equal(created.status, 201);
      const res = await call(who, r.method, fill(r.url, JSON.parse(created.text).id), p.body?.(++n));
      assert.ok([200, 204, 303].includes(res.status), `${r.key}: ${res.status} ${res.text.slice(0, 200)}`);
    } else if (p.about === 'create') {
      const res = await call(who, r.method, r.url, p.body(++n, SYSTEM));
      assert.ok([201, 303].includes(res.status), `${r.key}: ${res.status} ${res.text.slice(0, 200)}`);
    } else {
      const res = await call(who, r.method, r.url);
      assert.equal(res.status, 200, r.key);
      assert.ok(SYSTEM_MARKS.some((m) => res.text.includes(m)), `${r.key} shows the system to its administrator`);
    }
  }
  // And the central authority reaches the platform-wide announcement the others could not.
  assert.equal((await call(ADMIN_USERNAME, 'GET', `/api/v1/announcements/${announcements.platform}`)).status, 200);
});
