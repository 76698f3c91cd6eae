// The jurisdiction matrix of account-review campaigns (GOV-3, ADM-2), walked from the app's route
// table: every /admin/campaigns and /api/v1/campaigns route is called by actors outside the
// agency's jurisdiction (a sibling, a look-alike OID prefix …9002 vs …90027, a help desk of the
// sibling, a plain user) against the agency's definition and run, with input that would succeed
// if the route did not ask for the jurisdiction: each answers "not found" (or refuses the scope),
// no page or answer shows the agency's accounts, and nothing changes. The same calls by the
// agency's administrator succeed, so the probes are real. A route the test does not know fails it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { apiToken } from '../helpers/api.ts';
import { giveRoles } from '../helpers/factories.ts';
import { AGENCY, SIBLING, CHILD, LOOK_ALIKE, caller, oidToken, routesWithProbes, under, withoutHeader } from '../helpers/matrix.ts';
import { importOrgs } from '../../src/orgs/service.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { loadActor } from '../../src/access/actor.ts';
import { defineCampaign, startNow } from '../../src/governance/campaigns/definitions.ts';
import type { GrantKind } from '../../src/access/authorize.ts';

const PASSWORD = 'Correct-Horse-9';
const TARGETS = { camptgt01: CHILD, camptgt02: CHILD + '.20033', camptgt03: AGENCY } as const;
const nameOf = (u: string) => `清查對象${u}`;
const OUTSIDE: { username: string; kind?: GrantKind; oid?: string }[] = [
  { username: 'rasibling', kind: 'registration_admin', oid: SIBLING },
  { username: 'ralookalk', kind: 'registration_admin', oid: LOOK_ALIKE },
  { username: 'hdsibling', kind: 'helpdesk', oid: SIBLING },
  { username: 'plainuser' },
];
const OWNER = 'raagency1';

let t: TestApp;
const ids: Record<string, number> = {};
const clients: Record<string, Client> = {};
const tokens: Record<string, string> = {};
let defId = 0, runId = 0;

before(async () => {
  t = await startTestApp();
  const r = await importOrgs(t.deps, null, `oid,name,agency_code,tenant_code,kind\n${LOOK_ALIKE},相似前綴機關（範例）,,,agency\n${LOOK_ALIKE}.20002,相似前綴單位（範例）,,,unit\n`, { dryRun: false });
  assert.deepEqual(r.errors, []);
  for (const [u, unit] of Object.entries(TARGETS)) {
    ids[u] = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: unit, name: nameOf(u) });
    await giveRoles(t.deps, ids[u], 'csm_user');
  }
  await t.deps.db.updateTable('accounts').set({ last_password_login_at: new Date(t.clock.now().getTime() - 200 * 86_400_000) })
    .where('id', 'in', Object.values(ids)).execute();
  for (const a of [...OUTSIDE, { username: OWNER, kind: 'registration_admin' as const, oid: AGENCY }]) {
    ids[a.username] = await createAccount(t.deps, { username: a.username, password: PASSWORD, unitOid: '2.16.886.101', name: `管理${a.username}` });
    if (a.kind) await createGrant(t.deps, null, { accountId: ids[a.username], kind: a.kind, jurisdictionOid: a.oid!, categories: ['csm'] }, null);
    const c = new Client(t.url);
    assert.equal((await login(t, c, a.username, PASSWORD)).status, 303, a.username);
    clients[a.username] = c;
    tokens[a.username] = await apiToken(t, a.username);
  }
  const owner = await loadActor(t.deps, ids[OWNER]);
  defId = await defineCampaign(t.deps, owner, { name: '機關帳號清查', scopeOid: AGENCY, recurrence: 'half_yearly', deadlineDays: 14, defaultAction: 'no_change' }, null);
  runId = (await startNow(t.deps, owner, defId, null)).runId;
});
after(async () => { await t?.close(); });

type Probe = { about: 'list' } | { about: 'definition' | 'run'; body?: () => Record<string, unknown> } | { about: 'scope'; body: (oid: string) => Record<string, unknown> };
const PROBES: Record<string, Probe> = {
  'GET /admin/campaigns': { about: 'list' },
  'POST /admin/campaigns': { about: 'scope', body: (oid) => ({ name: '越權清查', scopeOid: oid, recurrence: 'one_off', deadlineDays: '7', defaultAction: 'disable' }) },
  'POST /admin/campaigns/:id/start': { about: 'definition' },
  'GET /admin/campaigns/runs/:id': { about: 'run' },
  'POST /admin/campaigns/runs/:id/decide': { about: 'run', body: () => ({ decision: 'disable', bulk: '1' }) },
  'POST /admin/campaigns/runs/:id/sign-off': { about: 'run', body: () => ({ password: PASSWORD }) },
  'GET /admin/campaigns/runs/:id/report.csv': { about: 'run' },
  'GET /admin/campaigns/runs/:id/report.pdf': { about: 'run' },
  'GET /admin/campaigns/runs/:id/form.pdf': { about: 'run' },
  'POST /admin/campaigns/runs/:id/sign-off/certificate': { about: 'run', body: () => ({ tbs: 'tessera-certificate:sign:http://x:campaign-run-1:' + '0'.repeat(64), format: 'pkcs7', signature: 'AAAA' }) },
  'GET /api/v1/campaigns': { about: 'list' },
  'POST /api/v1/campaigns': { about: 'scope', body: (oid) => ({ name: '越權清查', scopeOid: oid, recurrence: 'one_off', deadlineDays: 7, defaultAction: 'disable' }) },
  'POST /api/v1/campaigns/:id/runs': { about: 'definition' },
  'GET /api/v1/campaigns/runs/:id': { about: 'run' },
  'GET /api/v1/campaigns/runs/:id/items': { about: 'run' },
  'POST /api/v1/campaigns/runs/:id/decisions': { about: 'run', body: () => ({ decision: 'disable', filter: {} }) },
  'POST /api/v1/campaigns/runs/:id/sign-off': { about: 'run', body: () => ({ password: PASSWORD }) },
  'GET /api/v1/campaigns/runs/:id/report.csv': { about: 'run' },
  'GET /api/v1/campaigns/runs/:id/report.pdf': { about: 'run' },
  'GET /api/v1/campaigns/runs/:id/form.pdf': { about: 'run' },
  'GET /api/v1/campaigns/runs/:id/sign-off/certificate': { about: 'run' },
  'POST /api/v1/campaigns/runs/:id/sign-off/certificate': { about: 'run', body: () => ({ tbs: 'tessera-certificate:sign:http://x:campaign-run-1:' + '0'.repeat(64), format: 'pkcs7', signature: 'AAAA' }) },
};
const routes = () => routesWithProbes(t.app, under(['/admin/campaigns', '/api/v1/campaigns']), PROBES, 'test/governance/campaigns-matrix.test.ts');
const call = (...args: Parameters<ReturnType<typeof caller>>) => caller(t, clients, tokens)(...args);

async function snapshot() {
  const db = t.deps.db;
  const [accounts, roles, items, runs, defs] = await Promise.all([
    db.selectFrom('accounts').select(['id', 'state']).orderBy('id').execute(),
    db.selectFrom('role_grants').select(['account_id', 'role_code']).orderBy('account_id').execute(),
    db.selectFrom('campaign_items').select(['account_id', 'decision', 'outcome']).orderBy('account_id').execute(),
    db.selectFrom('campaign_runs').select(['id', 'state']).orderBy('id').execute(),
    db.selectFrom('campaign_definitions').select(['id', 'next_run_at']).orderBy('id').execute(),
  ]);
  return JSON.stringify({ accounts, roles, items, runs, defs });
}

test('GOV-3, ADM-2: every campaign route refuses, or hides, the agency\'s review from actors outside its jurisdiction (sibling, look-alike prefix, help desk, plain user), and changes nothing', async () => {
  const before = await snapshot();
  let calls = 0;
  for (const a of OUTSIDE) {
    for (const r of routes()) {
      const p = r.probe;
      if (p.about === 'list') {
        const res = await call(a.username, r.method, r.url);
        assert.ok([200, 404].includes(res.status), `${a.username} ${r.key}: ${res.status}`);
        const text = withoutHeader(res.text);
        for (const u of Object.keys(TARGETS)) assert.ok(!text.includes(nameOf(u)) && !text.includes(u), `${a.username} ${r.key} shows ${u}`);
        assert.ok(!text.includes('機關帳號清查'), `${a.username} ${r.key} shows the agency's review`);
        assert.doesNotMatch(text, oidToken(AGENCY));
      } else if (p.about === 'scope') {
        for (const oid of [AGENCY, CHILD]) {
          const res = await call(a.username, r.method, r.url, p.body(oid));
          assert.ok([404, 422].includes(res.status), `${a.username} ${r.key} over ${oid}: ${res.status}`);
        }
      } else {
        const res = await call(a.username, r.method, r.url.replace(':id', String(p.about === 'run' ? runId : defId)), p.body?.());
        assert.equal(res.status, 404, `${a.username} ${r.key}: ${res.status}`);
        for (const u of Object.keys(TARGETS)) assert.ok(!res.text.includes(nameOf(u)), `${a.username} ${r.key} names ${u}`);
      }
      calls++;
    }
  }
  assert.ok(calls >= 50, `${calls} calls`);
  assert.equal(await snapshot(), before, 'nothing changed');
});

test('GOV-3: the probes are real — the agency\'s administrator gets the same calls through', async () => {
  // The sign-off ends the review, so it comes after the decisions, and the report after it.
  // The certificate sign-off (text, then a signature the owner's missing card cannot make) comes before the password's.
  const rank = (k: string) => (k.includes('report') || k.endsWith('.pdf') ? 2 : k.includes('sign-off/certificate') ? 0.5 : k.includes('sign-off') ? 1 : 0);
  const order = routes().sort((x, y) => rank(x.key) - rank(y.key));
  let signed = false;
  for (const r of order) {
    const p = r.probe;
    const url = r.url.replace(':id', String(p.about === 'run' ? runId : defId));
    const body = p.about === 'scope' ? p.body(CHILD) : p.about === 'list' ? undefined : p.body?.();
    if (r.key.endsWith('/sign-off') && signed) continue;
    if (r.key.startsWith('POST') && r.key.includes('sign-off/certificate')) {
      const res = await call(OWNER, r.method, url, body);
      assert.equal(res.status, 422, `${r.key}: the owner is let through to the signature check (${res.status})`);
      continue;
    }
    if (r.key.includes('start') || r.key.endsWith('/runs')) {
      const res = await call(OWNER, r.method, url, body);
      assert.ok([201, 303].includes(res.status), `${r.key}: ${res.status}`);
      continue;
    }
    const res = await call(OWNER, r.method, url, body);
    assert.ok([200, 201, 303].includes(res.status), `${r.key}: ${res.status} ${res.text.slice(0, 300)}`);
    if (r.key.endsWith('/sign-off')) signed = true;
  }
  const page = await call(OWNER, 'GET', `/admin/campaigns/runs/${runId}`);
  assert.deepEqual([...page.text.matchAll(/data-item="([^"]+)"/g)].map((m) => m[1]).sort(), Object.keys(TARGETS).sort());
});
