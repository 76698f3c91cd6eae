// The cross-jurisdiction matrix of the request pages and API (REQ-4, ADM-2; the /admin/requests
// and /api/v1/requests part of test/admin/matrix's OWN_MATRIX, and the requester's /requests).
// Walked from the app's route table: each route is called by approvers whose grant is a sibling,
// the parent (a parent supervisor decides supervisor steps there, nothing else), a child, a
// look-alike prefix (…9002 vs …90027), the right agency with other categories, a help-desk and a
// plain user, against requests at every organisation, at supervisor, administrator and central
// steps. An approver none of whose steps is covered neither sees the request (no row in any list,
// no name, no count) nor reaches it (404); one who may see it but not decide its current step is
// refused (403); nothing changes. The same calls succeed for the proper approver, and a route the
// test does not know fails it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { importOrgs } from '../../src/orgs/service.ts';
import { checkDigitFor } from '../../src/accounts/national-id.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { tokenCommand } from '../../src/admin/cli.ts';
import { isWithin } from '../../src/orgs/oid.ts';
import { AGENCY, SIBLING, PARENT, CHILD, LOOK_ALIKE, caller } from '../helpers/matrix.ts';
import type { GrantKind, RequestStepKind } from '../../src/access/authorize.ts';
import { submitRequest, type RequestTypeCode } from '../../src/requests/engine.ts';
import { REQUEST_TYPES } from '../../src/requests/types/index.ts';
import { requestNumber } from '../../src/requests/format.ts';

const PASSWORD = 'Correct-Horse-9';
// Not above any organisation of the test: a user files D-06-09 requests only about accounts of their own unit's subtree.
const ACTOR_UNIT = '2.16.886.111';

const ORGS = { parent01: PARENT, agency01: AGENCY, child001: CHILD, grandch1: CHILD + '.20033', sibling1: SIBLING, lookalk1: LOOK_ALIKE, lookchd1: LOOK_ALIKE + '.20002' } as const;
type OrgName = keyof typeof ORGS;
const nationalIdOf = (i: number) => { const first9 = `B1${String(5550000 + i).padStart(7, '0')}`; return first9 + checkDigitFor(first9); };
const nameOf = (s: string) => `矩陣${s}`;

interface ActorCase { username: string; kind?: GrantKind; oid?: string; categories?: string[] }
const ACTORS: ActorCase[] = [
  { username: 'raagency1', kind: 'registration_admin', oid: AGENCY, categories: ['csm', 'bms'] },
  { username: 'rasibling', kind: 'registration_admin', oid: SIBLING, categories: ['*'] },
  { username: 'raparent1', kind: 'registration_admin', oid: PARENT, categories: ['csm'] },
  { username: 'rachild01', kind: 'registration_admin', oid: CHILD, categories: ['*'] },
  { username: 'ralookalk', kind: 'registration_admin', oid: LOOK_ALIKE, categories: ['*'] },
  { username: 'rafmsonly', kind: 'registration_admin', oid: AGENCY, categories: ['fms'] },
  { username: 'mainacct1', kind: 'main_account', oid: CHILD, categories: ['csm'] },
  { username: 'supagency', kind: 'unit_supervisor', oid: AGENCY },
  { username: 'supsiblng', kind: 'unit_supervisor', oid: SIBLING },
  { username: 'supparent', kind: 'unit_supervisor', oid: PARENT },
  { username: 'supchild1', kind: 'unit_supervisor', oid: CHILD },
  { username: 'suplookal', kind: 'unit_supervisor', oid: LOOK_ALIKE },
  { username: 'helpdesk1', kind: 'helpdesk', oid: AGENCY },
  { username: 'plainuser' },
];

/** The test's own oracle (not `authorize`): does this grant cover `step` of a request at `org` with `categories`? */
function covers(a: ActorCase, org: string, step: RequestStepKind, categories: string[]): boolean {
  if (!a.kind || !a.oid || !isWithin(org, a.oid)) return false;
  if (step === 'supervisor') return a.kind === 'unit_supervisor';
  if (step === 'administrator') return (a.kind === 'registration_admin' || a.kind === 'main_account') && (a.categories!.includes('*') || categories.every((c) => a.categories!.includes(c)));
  return false;
}

interface Target { id: number; org: OrgName; type: RequestTypeCode; step: RequestStepKind; categories: string[]; requester: string }
const targets: Target[] = [];
const mayView = (a: ActorCase, r: Target) => REQUEST_TYPES[r.type].steps.some((k) => covers(a, ORGS[r.org], k, r.categories));
const mayDecide = (a: ActorCase, r: Target) => covers(a, ORGS[r.org], r.step, r.categories);

let t: TestApp;
const clients: Record<string, Client> = {};
const tokens: Record<string, string> = {};
const accountIds: Record<string, number> = {};

async function signIn(username: string) {
  const c = new Client(t.url);
  assert.equal((await login(t, c, username, PASSWORD)).status, 303, username);
  clients[username] = c;
  let out = '';
  assert.equal(await tokenCommand(t.deps, 'create', ['--username', username], { out: (s) => { out += s; }, err: () => {} }), 0);
  tokens[username] = out.trim();
}

let seq = 0;
/** A request at `org` whose current step is `step`: earlier steps are recorded as decided. */
async function makeRequest(org: OrgName, requester: string, type: RequestTypeCode, payload: Record<string, unknown>, step: RequestStepKind): Promise<Target> {
  const { id } = await t.deps.db.transaction().execute((trx) => submitRequest(trx, t.deps, { type, orgOid: ORGS[org], requesterAccountId: accountIds[requester], payload }));
  const stepNo = REQUEST_TYPES[type].steps.indexOf(step) + 1;
  for (let n = 1; n < stepNo; n++) {
    await t.deps.db.insertInto('request_decisions').values({ request_id: id, step_no: n, step_kind: REQUEST_TYPES[type].steps[n - 1], decision: 'approved', decided_by: null, decider_name: '前一關', comment: '', decided_at: t.clock.now() }).execute();
  }
  await t.deps.db.updateTable('requests').set({ step_no: stepNo, step_kind: step }).where('id', '=', id).execute();
  const row = await t.deps.db.selectFrom('requests').select('categories').where('id', '=', id).executeTakeFirstOrThrow();
  return { id, org, type, step, categories: row.categories, requester };
}

/** The three kinds of step at one organisation, each the request of that organisation's requester. */
async function requestsAt(org: OrgName, requester: string) {
  return [
    await makeRequest(org, requester, 'permission_add', { role: 'csm_user' }, 'administrator'),
    await makeRequest(org, requester, 'one_day_password', { reason: '未帶卡' }, 'supervisor'),
    await makeRequest(org, requester, 'user_change', { action: 'add', account: { name: '新人', username: `mx${++seq}newuser` }, roles: ['bms_user'], reason: '新進' }, 'administrator'),
    await makeRequest(org, requester, 'registration_admin', { action: 'designate', jurisdictionOid: ORGS[org], categories: ['csm'], reason: '指派' }, 'central'),
  ];
}

before(async () => {
  t = await startTestApp();
  const r = await importOrgs(t.deps, null, `oid,name,agency_code,tenant_code,kind\n${LOOK_ALIKE},相似前綴機關（範例）,,,agency\n${LOOK_ALIKE}.20002,相似前綴單位（範例）,,,unit\n`, { dryRun: false });
  assert.deepEqual(r.errors, []);
  for (const [i, o] of (Object.keys(ORGS) as OrgName[]).entries()) {
    const username = `rq${o}`;
    accountIds[username] = await createAccount(t.deps, { username, password: PASSWORD, unitOid: ORGS[o], name: nameOf(o), profile: { nationalId: nationalIdOf(i), birthMonth: 2, birthDay: 3, email: `${username}@example.gov.tw` } });
    targets.push(...await requestsAt(o, username));
  }
  for (const a of ACTORS) {
    accountIds[a.username] = await createAccount(t.deps, { username: a.username, password: PASSWORD, unitOid: ACTOR_UNIT, name: nameOf(a.username) });
    if (a.kind) await createGrant(t.deps, null, { accountId: accountIds[a.username], kind: a.kind, jurisdictionOid: a.oid!, categories: a.categories ?? [] }, null);
    await signIn(a.username);
  }
});
after(async () => { await t?.close(); });

type Probe =
  | { about: 'request'; body?: () => Record<string, unknown> }
  | { about: 'list'; query?: string }
  | { about: 'own'; body?: (requester: string) => Record<string, unknown> };

/** user_change about another organisation's account: refused on the form (the subject must be in the requester's unit). */
const foreignChange = (requester: string) => ({ type: 'user_change', action: 'delete', username: requester, reason: '矩陣' });

const PROBES: Record<string, Probe> = {
  'GET /admin/requests': { about: 'list' },
  'GET /admin/requests/:id': { about: 'request' },
  'POST /admin/requests/:id/decision': { about: 'request', body: () => ({ decision: 'approved', comment: '矩陣' }) },
  'GET /api/v1/requests': { about: 'list' },
  'GET /api/v1/requests/queue': { about: 'list' },
  'GET /api/v1/requests/:id': { about: 'request' },
  'POST /api/v1/requests': { about: 'own', body: foreignChange },
  'POST /api/v1/requests/:id/decision': { about: 'request', body: () => ({ decision: 'rejected', comment: '矩陣' }) },
  'POST /api/v1/requests/:id/withdraw': { about: 'request' },
  'GET /requests': { about: 'list' },
  'GET /requests/permissions': { about: 'list' },
  'POST /requests/permissions': { about: 'own' },
  'GET /requests/new/:type': { about: 'list' },
  'POST /requests/new/:type': { about: 'own', body: (requester) => { const { type: _t, ...rest } = foreignChange(requester); return rest; } },
  'GET /requests/:id': { about: 'request' },
  'POST /requests/:id/withdraw': { about: 'request' },
  'GET /requests/:id/form.pdf': { about: 'request' },
};
const PREFIXES = ['/admin/requests', '/api/v1/requests', '/requests'];

function routes() {
  const list = t.app.routeTable.filter((r) => r.method !== 'HEAD' && PREFIXES.some((p) => r.url === p || r.url.startsWith(p + '/')))
    .map((r) => ({ ...r, key: `${r.method} ${r.url.replace(/\/$/, '')}` }));
  const unknown = [...new Set(list.filter((r) => !PROBES[r.key]).map((r) => r.key))];
  assert.deepEqual(unknown, [], 'teach test/requests/matrix.test.ts how to call these routes (and check they authorize)');
  return [...new Map(list.map((r) => [r.key, { ...r, probe: PROBES[r.key] }])).values()];
}

const call = (who: string, method: string, url: string, body?: Record<string, unknown>) => caller(t, clients, tokens)(who, method, url, body);
const fill = (url: string, id: number) => url.replace(':id', String(id)).replace(':type', 'user_change');

async function snapshot() {
  const db = t.deps.db;
  const ids = targets.map((x) => x.id);
  const requesters = Object.keys(ORGS).map((o) => accountIds[`rq${o}`]);
  const [requests, decisions, grants, roles, passwords, accounts] = await Promise.all([
    db.selectFrom('requests').selectAll().where('id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('request_decisions').selectAll().where('request_id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('admin_grants').select(['account_id', 'kind', 'jurisdiction_oid']).where('account_id', 'in', requesters).execute(),
    db.selectFrom('role_grants').select(['account_id', 'role_code']).where('account_id', 'in', requesters).execute(),
    db.selectFrom('passwords').selectAll().where('account_id', 'in', requesters).orderBy('account_id').execute(),
    db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return JSON.stringify({ requests, decisions, grants, roles, passwords, accounts: Number(accounts.n) });
}

/** What would betray a request in a list: its requester's name, its number, its id as a row or a JSON item. */
const leaks = (r: Target) => [nameOf(r.org), requestNumber(r.id), `data-request="${r.id}"`, `"id":${r.id},`];

test('REQ-4 ADM-2: an approver outside the jurisdiction or the categories neither sees nor decides a request, on every /admin/requests, /api/v1/requests and /requests route; nothing changes', async () => {
  const all = routes();
  assert.ok(all.length >= 17, `${all.length} routes`);
  const before = await snapshot();
  let calls = 0, outsidePairs = 0, viewOnly = 0;
  for (const a of ACTORS) {
    for (const r of all) {
      const p = r.probe;
      if (p.about === 'list' || p.about === 'own') {
        const res = p.about === 'list' ? await call(a.username, 'GET', fill(r.url, 0)) : await call(a.username, r.method, fill(r.url, 0), p.body?.(`rq${'agency01'}`));
        calls++;
        if (p.about === 'own') {
          assert.ok([303, 201, 404, 422].includes(res.status), `${a.username} ${r.key}: ${res.status}`);
          assert.ok(![303, 201].includes(res.status) || r.key.includes('permissions'), `${a.username} ${r.key} may not file a request about another organisation's account`);
          continue;
        }
        assert.ok([200, 404].includes(res.status), `${a.username} ${r.key}: ${res.status}`);
        const text = res.text.replace(/<header>[\s\S]*?<\/header>/, '');
        // A queue lists what its owner decides now; "mine" lists nothing of others.
        const listed = (x: Target) => (r.key.endsWith('/queue') || r.key === 'GET /admin/requests') && mayDecide(a, x);
        for (const x of targets) {
          if (listed(x)) continue;
          // The requester's name may appear for another request of theirs that is listed.
          const named = targets.some((y) => y.requester === x.requester && listed(y));
          for (const leak of leaks(x).filter((l) => !named || l !== nameOf(x.org))) assert.ok(!text.includes(leak), `${a.username} ${r.key} shows request ${x.id} (${x.type} at ${x.org}, ${x.step}): ${leak}`);
        }
        continue;
      }
      for (const x of targets) {
        const view = mayView(a, x), decide = mayDecide(a, x);
        if (decide) continue; // the proper approver's calls are in the next test
        const res = await call(a.username, r.method, fill(r.url, x.id), p.body?.());
        calls++;
        const partyOnly = r.url.startsWith('/requests/:id') && r.key !== 'GET /requests/:id/form.pdf' || r.key.endsWith('/withdraw');
        if (!view || partyOnly) {
          outsidePairs++;
          assert.equal(res.status, 404, `${a.username} ${r.key} → request ${x.id} (${x.type} at ${ORGS[x.org]}, step ${x.step}) must be "not found": ${res.status}`);
        } else {
          viewOnly++;
          // Sees it (a later or earlier step is theirs) but may not decide the step waiting now.
          assert.ok(r.method === 'GET' ? res.status === 200 : res.status === 403, `${a.username} ${r.key} → request ${x.id} (${x.type}, step ${x.step}): ${res.status}`);
        }
      }
    }
  }
  assert.ok(calls > 1500, `${calls} calls`);
  assert.ok(outsidePairs > 1000 && viewOnly > 10, `${outsidePairs} outside, ${viewOnly} view-only`);
  assert.equal(await snapshot(), before, 'no request, decision, grant, role or password changed, no account created');
});

test('REQ-4: each approver\'s queue (page and API) lists exactly the requests whose current step its grant covers', async () => {
  for (const a of ACTORS) {
    const expected = targets.filter((x) => mayDecide(a, x)).map((x) => x.id).sort((m, n) => m - n);
    const page = await call(a.username, 'GET', '/admin/requests');
    const ids = [...page.text.matchAll(/data-request="(\d+)"/g)].map((m) => Number(m[1])).filter((id) => targets.some((x) => x.id === id)).sort((m, n) => m - n);
    if (expected.length === 0 && page.status === 404) continue;
    assert.deepEqual(ids, expected, `${a.username} page`);
    const apiIds = JSON.parse((await call(a.username, 'GET', '/api/v1/requests/queue')).text).items.map((i: { id: number }) => i.id).filter((id: number) => targets.some((x) => x.id === id)).sort((m: number, n: number) => m - n);
    assert.deepEqual(apiIds, expected, `${a.username} API`);
  }
  // The parent's supervisor decides the supervisor steps of the whole subtree and nothing else.
  const supparent = targets.filter((x) => mayDecide(ACTORS.find((a) => a.username === 'supparent')!, x));
  assert.ok(supparent.length > 0 && supparent.every((x) => x.step === 'supervisor'));
  assert.ok(!targets.some((x) => x.org === 'lookalk1' || x.org === 'lookchd1') || !targets.filter((x) => x.org.startsWith('look')).some((x) => mayDecide(ACTORS[0], x)));
});

test('the probes are real: the same calls succeed for the proper approver and the requester', async () => {
  const fresh = async (type: RequestTypeCode, payload: Record<string, unknown>, step: RequestStepKind) => {
    const requester = `fresh${++seq}`;
    accountIds[requester] = await createAccount(t.deps, { username: requester, password: PASSWORD, unitOid: CHILD, name: '對照組', profile: { nationalId: nationalIdOf(100 + seq), birthMonth: 2, birthDay: 3 } });
    await signIn(requester);
    return makeRequest('child001', requester, type, payload, step);
  };
  for (const r of routes()) {
    const p = r.probe;
    if (p.about === 'list') {
      assert.equal((await call('raagency1', 'GET', fill(r.url, 0))).status, 200, r.key);
      continue;
    }
    if (p.about === 'own') {
      const requester = `fresh${++seq}`;
      accountIds[requester] = await createAccount(t.deps, { username: requester, password: PASSWORD, unitOid: CHILD, name: '對照組' });
      await signIn(requester);
      const colleague = `colle${seq}`;
      await createAccount(t.deps, { username: colleague, password: PASSWORD, unitOid: CHILD, name: '同事' });
      const body = r.key.includes('permissions') ? { role: 'csm_user', change: 'add' } : p.body?.(colleague);
      const res = await call(requester, r.method, fill(r.url, 0), body);
      assert.ok([201, 303].includes(res.status), `${r.key}: ${res.status} ${res.text.slice(0, 300)}`);
      continue;
    }
    const x = await fresh('permission_add', { role: 'csm_user' }, 'administrator');
    const who = r.key.endsWith('/withdraw') || r.url.startsWith('/requests/:id') && !r.key.endsWith('form.pdf') ? x.requester : 'raagency1';
    const res = await call(who, r.method, fill(r.url, x.id), p.body?.());
    assert.ok([200, 303].includes(res.status), `${r.key} as ${who}: ${res.status} ${res.text.slice(0, 300)}`);
  }
  // And a supervisor step for the supervisor of the parent (the whole subtree is theirs).
  const s = await fresh('one_day_password', { reason: '未帶卡' }, 'supervisor');
  assert.equal((await call('supparent', 'POST', `/admin/requests/${s.id}/decision`, { decision: 'approved', comment: '' })).status, 303);
});
