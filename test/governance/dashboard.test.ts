// The administrators' dashboard (OPS-7): every number is the jurisdiction's own, equal to a plain
// SQL count over the same rows; the page's data tables show the API's numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, type TestApp } from '../helpers/app.ts';
import { AGENCY, UNIT, api as requestApi, person, type Person } from '../helpers/requests.ts';
import { apiToken, jsonCall } from '../helpers/api.ts';
import { createAccount } from '../helpers/accounts.ts';
import { Client } from '../helpers/client.ts';
import { login } from '../helpers/login.ts';
import { DAY } from '../../src/platform/clock.ts';

const SIBLING = '2.16.886.101.90029.20002';
const PASSWORD = 'Correct-Horse-9';
let t: TestApp;
let agencyAdmin: Person, siblingAdmin: Person;

before(async () => {
  t = await startTestApp();
  agencyAdmin = await person(t, { username: 'dashadmin', name: '儀表板管理者', unit: AGENCY, grants: [{ kind: 'registration_admin', oid: AGENCY, categories: ['*'] }] });
  siblingAdmin = await person(t, { username: 'dashsibl1', name: '鄰近管理者', unit: SIBLING, grants: [{ kind: 'registration_admin', oid: SIBLING, categories: ['*'] }] });
  // The agency: three clerks who sign in, one disabled, one never used for 100 days; the sibling: two clerks.
  for (const [u, unit] of [['dashclk01', UNIT], ['dashclk02', UNIT], ['dashclk03', UNIT], ['dashsib01', SIBLING], ['dashsib02', SIBLING]] as const) {
    await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: unit, name: `職員${u}` });
    assert.equal((await login(t, new Client(t.url), u, PASSWORD)).status, 303);
  }
  const off = await createAccount(t.deps, { username: 'dashoff01', password: PASSWORD, unitOid: UNIT, name: '已停用' });
  await t.deps.db.updateTable('accounts').set({ state: 'disabled' }).where('id', '=', off).execute();
  const idle = await createAccount(t.deps, { username: 'dashidle1', password: PASSWORD, unitOid: UNIT, name: '閒置者' });
  await t.deps.db.updateTable('accounts').set({ activated_at: new Date(t.clock.now().getTime() - 100 * DAY) }).where('id', '=', idle).execute();
  // Requests waiting: one submitted 10 days ago, one now.
  const requester = await person(t, { username: 'dashreq01', name: '申請人' });
  assert.equal((await requestApi(t, requester, 'POST', '', { type: 'permission_add', role: 'bms_user' })).status, 201);
  t.clock.advance(10 * DAY);
  assert.equal((await requestApi(t, requester, 'POST', '', { type: 'permission_add', role: 'csm_user' })).status, 201);
});
after(async () => { await t?.close(); });

const within = (root: string) => (oid: string | null) => oid !== null && (oid === root || oid.startsWith(root + '.'));

async function expected(root: string | null) {
  const inScope = root ? within(root) : () => true;
  const accounts = (await t.deps.db.selectFrom('accounts').select(['state', 'unit_oid']).execute()).filter((a) => inScope(a.unit_oid));
  const logins = (await t.deps.db.selectFrom('audit_events').select(['org_oid']).where('action', '=', 'auth.login.password').where('result', '=', 'ok').execute())
    .filter((e) => e.org_oid !== null && inScope(e.org_oid));
  const pending = (await t.deps.db.selectFrom('requests').select(['org_oid', 'submitted_at']).where('status', '=', 'pending').execute()).filter((r) => inScope(r.org_oid));
  const byState = (s: string) => accounts.filter((a) => a.state === s).length;
  return { byState, logins: logins.length, pending: pending.length, old: pending.filter((r) => t.clock.now().getTime() - new Date(r.submitted_at).getTime() > 7 * DAY).length };
}

test('OPS-7: the dashboard\'s numbers equal the SQL counts of the jurisdiction, for the central authority and for two agencies', async () => {
  for (const [who, root] of [[ADMIN_USERNAME, null], ['dashadmin', AGENCY], ['dashsibl1', SIBLING]] as const) {
    const r = await jsonCall(t, await apiToken(t, who), 'GET', '/api/v1/dashboard');
    assert.equal(r.status, 200);
    const e = await expected(root);
    for (const s of ['enabled', 'not_activated', 'pending', 'disabled', 'deleted']) {
      assert.equal(r.body.accountsByState.find((x: { state: string }) => x.state === s).n, e.byState(s), `${who}: ${s}`);
    }
    const logins = (r.body.signIns.byMethod.password as number[]).reduce((a, b) => a + b, 0);
    assert.equal(logins, e.logins, `${who}: password sign-ins`);
    assert.deepEqual([...r.body.signIns.byMethod.certificate, ...r.body.signIns.byMethod.passkey].filter((n: number) => n > 0), []);
    const ages = r.body.pendingByAge;
    assert.equal(ages.lt1 + ages['1to3'] + ages['3to7'] + ages.gt7, e.pending, `${who}: pending`);
    assert.equal(ages.gt7, e.old, `${who}: waiting over 7 days`);
  }
  const agency = (await jsonCall(t, agencyAdmin.token, 'GET', '/api/v1/dashboard')).body;
  assert.equal(agency.accountsByState.find((x: { state: string }) => x.state === 'disabled').n, 1);
  assert.ok(agency.signIns.byMethod.password.at(-11) >= 3, 'the clerks signed in ten days ago (Taipei day)');
  assert.deepEqual([agency.pendingByAge.lt1, agency.pendingByAge.gt7], [1, 1]);
  assert.deepEqual(agency.inactiveByUnit.map((u: { unitOid: string }) => u.unitOid), [UNIT], 'the idle clerk\'s unit');
  const sibling = (await jsonCall(t, siblingAdmin.token, 'GET', '/api/v1/dashboard')).body;
  assert.deepEqual(sibling.inactiveByUnit, [], 'nothing of the agency');
  assert.equal(sibling.pendingByAge.gt7 + sibling.pendingByAge.lt1, 0);
});

test('OPS-7: the page shows each chart with its numbers in a table, the same as the API; a user without an administration grant gets "not found"', async () => {
  const api = (await jsonCall(t, agencyAdmin.token, 'GET', '/api/v1/dashboard')).body;
  const c = new Client(t.url); // signed in now: the clock moved past the first session's lifetime
  assert.equal((await login(t, c, 'dashadmin', PASSWORD)).status, 303);
  const page = await c.get('/admin/dashboard');
  assert.equal(page.status, 200);
  const table = page.body.match(/<table class="chart-data" data-chart="states">([\s\S]*?)<\/table>/)![1];
  const cells = [...table.matchAll(/<tr><th scope="row">([^<]+)<\/th><td>(\d+)<\/td><\/tr>/g)].map((m) => [m[1], Number(m[2])]);
  assert.deepEqual(cells, [['啟用', api.accountsByState[0].n], ['未開帳', api.accountsByState[1].n], ['待審核', api.accountsByState[2].n], ['停用', api.accountsByState[3].n], ['已刪除', api.accountsByState[4].n]]);
  assert.match(page.body, /<svg[^>]*role="img" aria-labelledby="states-title states-desc"/);
  assert.match(page.body, /<table class="chart-data" data-chart="pending">[\s\S]*?超過 7 日<\/th><td>1<\/td>/);
  assert.match(page.body, /<table class="chart-data" data-chart="inactive">[\s\S]*?商業科登記股（範例）<\/th><td>1<\/td>/);
  const clerk = new Client(t.url);
  assert.equal((await login(t, clerk, 'dashclk01', PASSWORD)).status, 303);
  assert.equal((await clerk.get('/admin/dashboard')).status, 404);
  assert.equal((await jsonCall(t, await apiToken(t, 'dashclk01'), 'GET', '/api/v1/dashboard')).status, 404);
});

test('OPS-7, GOV-3: review completion per open review equals the SQL counts of the jurisdiction\'s items; the sibling sees none; the page\'s table shows the same', async () => {
  const token = await apiToken(t, 'dashadmin');
  const def = await jsonCall(t, token, 'POST', '/api/v1/campaigns', { name: '儀表板清查', scopeOid: AGENCY, recurrence: 'one_off', deadlineDays: 14, defaultAction: 'no_change' });
  assert.equal(def.status, 201, JSON.stringify(def.body));
  const run = await jsonCall(t, token, 'POST', `/api/v1/campaigns/${def.body.id}/runs`);
  assert.equal(run.status, 201);
  assert.equal((await jsonCall(t, token, 'POST', `/api/v1/campaigns/runs/${run.body.runId}/decisions`, { decision: 'disable', filter: { recommendation: 'disable' } })).status, 200);
  const items = await t.deps.db.selectFrom('campaign_items').select(['decision', 'unit_oid']).where('run_id', '=', run.body.runId).execute();
  const agency = (await jsonCall(t, token, 'GET', '/api/v1/dashboard')).body;
  assert.deepEqual(agency.reviewCompletion.map((r: { runId: number; decided: number; total: number }) => [r.runId, r.decided, r.total]),
    [[run.body.runId, items.filter((i) => i.decision !== null).length, items.filter((i) => within(AGENCY)(i.unit_oid)).length]]);
  assert.ok(agency.reviewCompletion[0].decided >= 1 && agency.reviewCompletion[0].decided < agency.reviewCompletion[0].total);
  assert.deepEqual((await jsonCall(t, siblingAdmin.token, 'GET', '/api/v1/dashboard')).body.reviewCompletion, [], 'nothing of the agency');
  const c = new Client(t.url);
  assert.equal((await login(t, c, 'dashadmin', PASSWORD)).status, 303);
  const page = await c.get('/admin/dashboard');
  const table = page.body.match(/<table class="chart-data" data-chart="reviews">([\s\S]*?)<\/table>/)![1];
  const r = agency.reviewCompletion[0];
  assert.match(table, new RegExp(`儀表板清查</th><td>${r.decided}</td><td>${r.total - r.decided}</td>`));
});
