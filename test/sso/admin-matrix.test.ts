// The cross-jurisdiction and cross-category matrix of single-sign-on administration and
// announcements (SSO-1, SSO-2, SSO-3, SSO-5, ADM-2; ARCHITECTURE "Authorization"), the part
// test/admin/matrix leaves to this file (OWN_MATRIX). Two systems of category csm: the national
// one, owned by the national root (2.16.886), and a local one owned by an agency in 90027. Walked
// from the app's route table, every route under /admin/sso, /api/v1/sso, /admin/announcements and
// /api/v1/announcements (clients, secrets, consent reports, announcements) is called, for each
// system, by every actor who may not manage it — another category's administrator, csm
// administrators of a sibling, a child of the owner, the look-alike prefix …9002 (the attack of
// issue 9 item 1: …9002 covers neither the national client nor …90027), a main-account holder, a
// supervisor, a help-desk, a plain user — with input that would succeed if the route did not ask
// `authorize`: each must answer "not found" (or refuse the system), no list may show the system,
// and afterwards clients, consents and announcements are exactly as before. Who may manage a
// system is restated here independently (jurisdiction over the owner, categories over csm). The
// consent report lists exactly the role holders inside the jurisdiction of each allowed caller. A
// route the test does not know fails it; the same probes succeed for an allowed actor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { apiToken } from '../helpers/api.ts';
import { importOrgs } from '../../src/orgs/service.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { tokenCommand } from '../../src/admin/cli.ts';
import { isWithin } from '../../src/orgs/oid.ts';
import { AGENCY, SIBLING, PARENT, CHILD, LOOK_ALIKE, caller, oidToken, routesWithProbes, under, withoutHeader } from '../helpers/matrix.ts';
import type { GrantKind } from '../../src/access/authorize.ts';
import { addSystem, giveConsent, giveRoles } from '../helpers/factories.ts';

const PASSWORD = 'Correct-Horse-9';
const ACTOR_UNIT = '2.16.886.101';
const NATIONAL_ROOT = '2.16.886';
const CATEGORY = 'csm';
const PREFIXES = ['/admin/sso', '/api/v1/sso', '/admin/announcements', '/api/v1/announcements'];

/** The systems under test, both of category csm; what identifies each in any answer. */
interface SystemCase { code: string; owner: string; name: string; host: string; title: string; role: string }
const SYSTEMS: Record<'national' | 'local', SystemCase> = {
  national: { code: 'csm', owner: NATIONAL_ROOT, name: '公司登記管理系統', host: 'csm.example.gov.tw', title: '公司系統專屬公告', role: 'csm_user' },
  local: { code: 'csmtc', owner: AGENCY, name: '臺中市公司登記便民系統（範例）', host: 'csmtc.example.gov.tw', title: '臺中系統專屬公告', role: 'csmtc_user' },
};
const SYSTEM_LIST = Object.values(SYSTEMS);

/** Role holders of both systems, one per unit, named so each is recognisable in any answer. */
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
const ACTORS: ActorCase[] = [
  { username: 'rabmsagcy', kind: 'registration_admin', oid: AGENCY, categories: ['bms'] },
  { username: 'rabmsprnt', kind: 'registration_admin', oid: PARENT, categories: ['bms', 'fms'] },
  { username: 'mainacct1', kind: 'main_account', oid: AGENCY, categories: ['csm'] },
  { username: 'supervsr1', kind: 'unit_supervisor', oid: AGENCY, categories: ['*'] },
  { username: 'helpdesk1', kind: 'helpdesk', oid: AGENCY, categories: ['*'] },
  { username: 'plainuser' },
  { username: 'racsmagcy', kind: 'registration_admin', oid: AGENCY, categories: ['csm'] },
  { username: 'racsmsibl', kind: 'registration_admin', oid: SIBLING, categories: ['csm', 'bms'] },
  { username: 'racsmprnt', kind: 'registration_admin', oid: PARENT, categories: ['*'] },
  { username: 'racsmchld', kind: 'registration_admin', oid: CHILD, categories: ['csm'] },
  // The attacker of issue 9 item 1.
  { username: 'racsmlook', kind: 'registration_admin', oid: LOOK_ALIKE, categories: ['csm'] },
  { username: 'racsmnatl', kind: 'registration_admin', oid: NATIONAL_ROOT, categories: ['csm'] },
];
/** Oracle (SSO-1): a registration administrator whose jurisdiction covers the owner and whose categories cover csm. */
const manages = (a: ActorCase, s: SystemCase) => a.kind === 'registration_admin' && isWithin(s.owner, a.oid!)
  && (a.categories!.includes('*') || a.categories!.includes(CATEGORY));
const refusedFor = (s: SystemCase) => ACTORS.filter((a) => !manages(a, s));
const allowedFor = (s: SystemCase) => ACTORS.filter((a) => manages(a, s));

let t: TestApp;
const ids = {} as Record<TargetName, number>;
const clients: Record<string, Client> = {};
const tokens: Record<string, string> = {};
/** Announcements the refused actors must not reach: each system's and a platform-wide one. */
const announcements = { csm: 0, csmtc: 0, platform: 0 } as Record<string, number>;
const PLATFORM_TITLE = '全平臺專屬公告';

before(async () => {
  t = await startTestApp();
  const r = await importOrgs(t.deps, null, `oid,name,agency_code,tenant_code,kind\n${LOOK_ALIKE},相似前綴機關（範例）,,,agency\n${LOOK_ALIKE}.20002,相似前綴單位（範例）,,,unit\n`, { dryRun: false });
  assert.deepEqual(r.errors, []);
  const local = SYSTEMS.local;
  await addSystem(t.deps, { code: local.code, name: local.name, nameEn: 'Taichung company services', category: CATEGORY, ownerOid: local.owner, roles: { [local.role]: `${local.name}使用者` } });
  for (const u of ALL) {
    ids[u] = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: TARGETS[u], name: nameOf(u) });
    for (const s of SYSTEM_LIST) {
      await giveRoles(t.deps, ids[u], s.role);
      if (CONSENTED.has(u)) await giveConsent(t.deps, ids[u], s.code, ['sub', 'name']);
    }
  }
  for (const a of ACTORS) {
    const id = await createAccount(t.deps, { username: a.username, password: PASSWORD, unitOid: ACTOR_UNIT, name: nameOf(a.username) });
    if (a.kind) await createGrant(t.deps, null, { accountId: id, kind: a.kind, jurisdictionOid: a.oid!, categories: a.categories! }, null);
  }
  for (const username of [ADMIN_USERNAME, ...ACTORS.map((a) => a.username)]) {
    const c = new Client(t.url);
    assert.equal((await login(t, c, username, username === ADMIN_USERNAME ? ADMIN_PASSWORD : PASSWORD)).status, 303, username);
    clients[username] = c;
    tokens[username] = await apiToken(t, username);
  }
  // Each system's client exists (so a refusal is not merely "nothing to show"), and the announcements.
  for (const s of SYSTEM_LIST) {
    let res = await call(ADMIN_USERNAME, 'PATCH', `/api/v1/sso/clients/${s.code}`, clientBody(s));
    assert.equal(res.status, 200, res.text);
    res = await call(ADMIN_USERNAME, 'POST', '/api/v1/announcements', { audience: 'member', systemCode: s.code, title: s.title, body: 'x' });
    announcements[s.code] = JSON.parse(res.text).id;
  }
  const res = await call(ADMIN_USERNAME, 'POST', '/api/v1/announcements', { audience: 'guest', systemCode: null, title: PLATFORM_TITLE, body: 'x' });
  announcements.platform = JSON.parse(res.text).id;
});
after(async () => { await t?.close(); });

const clientBody = (s: SystemCase) => ({ authMethod: 'client_secret_basic', grantTypes: ['authorization_code', 'refresh_token'], redirectUris: [`https://${s.host}/cb`], enabled: true });
const clientForm = (s: SystemCase): [string, string][] => [
  ['authMethod', 'client_secret_basic'], ['grantTypes', 'authorization_code'], ['grantTypes', 'refresh_token'],
  ['redirectUris', `https://${s.host}/cb2`], ['idTokenAlg', 'ES256'], ['enabled', '1'],
];
const annForm = (n: number, s: SystemCase) => ({ audience: 'guest', systemCode: s.code, title: `矩陣公告${n}`, body: '內文' });

/** What a route is about, and input that succeeds when the caller is allowed. */
type Probe =
  | { about: 'system'; body?: (s: SystemCase) => Record<string, unknown> | [string, string][] }
  | { about: 'announcement'; body?: (n: number, s: SystemCase) => Record<string, unknown> }
  | { about: 'create'; body: (n: number, s: SystemCase | null) => Record<string, unknown> }
  | { about: 'list' };

const PROBES: Record<string, Probe> = {
  'GET /admin/sso': { about: 'list' },
  'GET /admin/sso/:code': { about: 'system' },
  'POST /admin/sso/:code': { about: 'system', body: clientForm },
  'POST /admin/sso/:code/secret': { about: 'system' },
  'GET /admin/sso/:code/consents': { about: 'system' },
  'GET /api/v1/sso/clients': { about: 'list' },
  'GET /api/v1/sso/clients/:code': { about: 'system' },
  'PATCH /api/v1/sso/clients/:code': { about: 'system', body: (s) => ({ ...clientBody(s), redirectUris: [`https://${s.host}/cb3`] }) },
  'POST /api/v1/sso/clients/:code/secret': { about: 'system' },
  'GET /api/v1/sso/clients/:code/consents': { about: 'system' },
  'GET /admin/announcements': { about: 'list' },
  'GET /admin/announcements/new': { about: 'list' },
  'POST /admin/announcements': { about: 'create', body: (n, s) => ({ ...annForm(n, SYSTEMS.national), systemCode: s?.code ?? '' }) },
  'GET /admin/announcements/:id': { about: 'announcement' },
  'POST /admin/announcements/:id': { about: 'announcement', body: annForm },
  'GET /admin/announcements/:id/delete': { about: 'announcement' },
  'POST /admin/announcements/:id/delete': { about: 'announcement' },
  'GET /api/v1/announcements': { about: 'list' },
  'POST /api/v1/announcements': { about: 'create', body: (n, s) => ({ ...annForm(n, SYSTEMS.national), systemCode: s?.code ?? null }) },
  'GET /api/v1/announcements/:id': { about: 'announcement' },
  'PATCH /api/v1/announcements/:id': { about: 'announcement', body: (n) => ({ title: `矩陣改名${n}` }) },
  'DELETE /api/v1/announcements/:id': { about: 'announcement' },
};

/** Every route under the four prefixes; an unknown one fails here until the test learns to call it. */
const ownRoutes = () => routesWithProbes(t.app, under(PREFIXES), PROBES, 'test/sso/admin-matrix.test.ts');

const call = (...args: Parameters<ReturnType<typeof caller>>) => caller(t, clients, tokens)(...args);

const fill = (url: string, code: string, id: number) => url.replace(':code', code).replace(':id', String(id));
const body = withoutHeader;

/** Signs of a system or its data in an answer. */
const marksOf = (s: SystemCase) => [`data-system="${s.code}"`, `"code":"${s.code}"`, `<option value="${s.code}"`, s.title, s.name, s.host];

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

test('SSO-1 SSO-2 SSO-3 SSO-5 ADM-2 (issue 9 item 1): every route refuses or hides a system, its client, secret, consents and announcements from actors whose jurisdiction does not cover its owner or whose categories do not cover it, and changes nothing', async () => {
  const routes = ownRoutes();
  assert.ok(routes.length >= 22, `the route table lists the routes (${routes.length})`);
  // The attack of the issue is in the matrix: …9002 with csm may manage neither system.
  for (const s of SYSTEM_LIST) assert.ok(refusedFor(s).some((a) => a.username === 'racsmlook'), s.code);
  assert.ok(allowedFor(SYSTEMS.national).length >= 1 && allowedFor(SYSTEMS.local).length >= 3);
  const before = await snapshot();
  let calls = 0, n = 0;
  for (const s of SYSTEM_LIST) {
    for (const a of refusedFor(s)) {
      for (const r of routes) {
        const p = r.probe;
        const label = `${a.username} ${r.key} (${s.code})`;
        let res;
        if (p.about === 'system') {
          res = await call(a.username, r.method, fill(r.url, s.code, 0), p.body?.(s));
          assert.equal(res.status, 404, `${label}: ${res.status}`);
        } else if (p.about === 'announcement') {
          res = await call(a.username, r.method, fill(r.url, s.code, announcements[s.code]), p.body?.(++n, s));
          assert.equal(res.status, 404, `${label}: ${res.status}`);
        } else if (p.about === 'create') {
          res = await call(a.username, r.method, r.url, p.body(++n, s));
          assert.ok([404, 422].includes(res.status), `${label}: ${res.status}`);
        } else {
          res = await call(a.username, r.method, r.url);
          assert.ok([200, 404].includes(res.status), `${label}: ${res.status}`);
          for (const m of marksOf(s)) assert.ok(!body(res.text).includes(m), `${label} shows ${m}`);
        }
        calls++;
        for (const u of ALL) assert.ok(!res.text.includes(nameOf(u)), `${label} shows ${u}`);
      }
    }
  }
  // Platform-wide announcements are the central authority's: every other actor is refused them.
  for (const a of ACTORS) {
    for (const r of routes) {
      const p = r.probe;
      const label = `${a.username} ${r.key} (platform)`;
      if (p.about === 'announcement') {
        const res = await call(a.username, r.method, fill(r.url, '', announcements.platform), p.body?.(++n, SYSTEMS.national));
        assert.equal(res.status, 404, `${label}: ${res.status}`);
      } else if (p.about === 'create') {
        const res = await call(a.username, r.method, r.url, p.body(++n, null));
        assert.ok([404, 422].includes(res.status), `${label}: ${res.status}`);
      } else if (p.about === 'list') {
        const res = await call(a.username, r.method, r.url);
        assert.ok(!res.text.includes(PLATFORM_TITLE), `${label} lists the platform-wide announcement`);
      } else continue;
      calls++;
    }
  }
  assert.ok(calls > 300, `${calls} calls`);
  assert.equal(await snapshot(), before, 'no client, consent or announcement changed, none created');
});

test('SSO-3 (issue 9 item 1): the consent report lists exactly the role holders inside the jurisdiction of each caller who may manage the system (parent, agency, national; not sibling, child or look-alike)', async () => {
  for (const s of SYSTEM_LIST) {
    for (const a of [...allowedFor(s), { username: ADMIN_USERNAME } as ActorCase]) {
      const inside = ALL.filter((u) => !a.oid || isWithin(TARGETS[u], a.oid));
      const outside = ALL.filter((u) => !inside.includes(u));
      for (const status of ['all', 'consented', 'pending']) {
        const want = inside.filter((u) => status === 'all' || (status === 'consented') === CONSENTED.has(u)).sort();
        const label = `${a.username} ${s.code} ${status}`;
        const page = await call(a.username, 'GET', `/admin/sso/${s.code}/consents?status=${status}`);
        assert.equal(page.status, 200, label);
        assert.deepEqual([...page.text.matchAll(/data-account="([^"]+)"/g)].map((m) => m[1]).sort(), want, `${label} page`);
        const api = await call(a.username, 'GET', `/api/v1/sso/clients/${s.code}/consents?status=${status}&pageSize=200`);
        assert.equal(api.status, 200, label);
        const j = JSON.parse(api.text);
        assert.deepEqual(j.items.map((i: { username: string }) => i.username).sort(), want, `${label} API`);
        assert.equal(j.holders, inside.length, `${label}: counts only inside`);
        assert.equal(j.consented, inside.filter((u) => CONSENTED.has(u)).length);
        for (const text of [body(page.text), api.text]) {
          for (const o of outside) {
            assert.ok(!text.includes(nameOf(o)) && !text.includes(`"${o}"`) && !text.includes(`>${o}<`), `${label} shows ${o}`);
            assert.doesNotMatch(text, oidToken(TARGETS[o]), `${label} shows the unit ${TARGETS[o]}`);
          }
        }
      }
    }
  }
});

test('the probes are real: the same calls succeed for an administrator of each system (so a route that skipped authorize would have failed above)', async () => {
  let n = 1000;
  // The national system by a grant explicitly over the national root; the local one from the owner's parent.
  for (const [s, who] of [[SYSTEMS.national, 'racsmnatl'], [SYSTEMS.local, 'racsmprnt']] as const) {
    for (const r of ownRoutes()) {
      const p = r.probe;
      const label = `${who} ${r.key} (${s.code})`;
      if (p.about === 'system') {
        const res = await call(who, r.method, fill(r.url, s.code, 0), p.body?.(s));
        assert.ok([200, 303].includes(res.status), `${label}: ${res.status} ${res.text.slice(0, 200)}`);
      } else if (p.about === 'announcement') {
        const created = await call(who, 'POST', '/api/v1/announcements', { audience: 'member', systemCode: s.code, title: `對照公告${++n}`, body: 'x' });
        assert.equal(created.status, 201);
        const res = await call(who, r.method, fill(r.url, s.code, JSON.parse(created.text).id), p.body?.(++n, s));
        assert.ok([200, 204, 303].includes(res.status), `${label}: ${res.status} ${res.text.slice(0, 200)}`);
      } else if (p.about === 'create') {
        const res = await call(who, r.method, r.url, p.body(++n, s));
        assert.ok([201, 303].includes(res.status), `${label}: ${res.status} ${res.text.slice(0, 200)}`);
      } else {
        const res = await call(who, r.method, r.url);
        assert.equal(res.status, 200, label);
        assert.ok(marksOf(s).some((m) => res.text.includes(m)), `${label} shows the system to its administrator`);
      }
    }
  }
  // And the central authority reaches the platform-wide announcement the others could not.
  assert.equal((await call(ADMIN_USERNAME, 'GET', `/api/v1/announcements/${announcements.platform}`)).status, 200);
});
