// Account usage rules (seed 002 五(七)): the central authority publishes a subtree's rules; every
// account under it reads and accepts them at its next sign-in before anything else, and again after a
// new version; acceptances are recorded and audited; other subtrees are not asked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { giveGrant } from '../helpers/factories.ts';
import { Client } from '../helpers/client.ts';
import { login } from '../helpers/login.ts';

const AGENCY = '2.16.886.101.90027.20002';
const UNIT = AGENCY + '.20011';
const SIBLING = '2.16.886.101.90029.20002';
const PASSWORD = 'Correct-Horse-9';
let t: TestApp;
let central: Client;
let clerk: number;

before(async () => {
  t = await startTestApp();
  central = new Client(t.url);
  assert.equal((await login(t, central, ADMIN_USERNAME, ADMIN_PASSWORD)).status, 303);
  clerk = await createAccount(t.deps, { username: 'rulesclk1', password: PASSWORD, unitOid: UNIT, name: '規則職員' });
  await createAccount(t.deps, { username: 'rulessib1', password: PASSWORD, unitOid: SIBLING, name: '鄰近職員' });
  const ra = await createAccount(t.deps, { username: 'rulesadm1', password: PASSWORD, unitOid: AGENCY, name: '機關管理者' });
  await giveGrant(t.deps, ra, 'registration_admin', AGENCY, ['*']);
});
after(async () => { await t?.close(); });

const signIn = async (u: string) => { const c = new Client(t.url); assert.equal((await login(t, c, u, PASSWORD)).status, 303); return c; };
const publish = (fields: Record<string, string>) => central.submit(`/orgs/${AGENCY}/usage-rules`, `/orgs/${AGENCY}/usage-rules`, fields);

test('seed 002 五(七): the central authority publishes usage rules for a subtree; empty input is refused and publishes nothing; others get "not found"', async () => {
  const bad = await publish({ title: '', body: '' });
  assert.equal(bad.status, 422);
  assert.match(bad.body, /請輸入標題。/);
  assert.equal((await t.deps.db.selectFrom('usage_rules').select('id').execute()).length, 0);
  const ok = await publish({ title: '商工e網通帳號使用規則', body: '一、帳號限本人使用，不得轉借。\n\n二、離職或調職時應辦理帳號異動。' });
  assert.equal(ok.status, 303);
  assert.equal(ok.location, `/orgs/${AGENCY}/usage-rules?done=1`);
  const page = await central.get(ok.location!);
  assert.match(page.body, /已發布第 1 版。/);
  assert.match(page.body, /一、帳號限本人使用，不得轉借。/);
  const admin = await signIn('rulesadm1');
  // The administrator owes the rules too (their unit is under the agency): accept first.
  assert.equal((await admin.get(`/orgs/${AGENCY}/usage-rules`)).status, 303);
  await admin.submit('/account/usage-rules', '/account/usage-rules', {});
  assert.equal((await admin.get(`/orgs/${AGENCY}/usage-rules`)).status, 404, 'publishing is the central authority\'s');
});

test('seed 002 五(七): an account under the subtree reads and accepts the rules at sign-in before anything else; the acceptance is recorded and audited; another subtree is not asked', async () => {
  const c = await signIn('rulesclk1');
  const home = await c.get('/');
  assert.equal(home.status, 303);
  assert.equal(home.location, '/account/usage-rules?next=%2F');
  assert.equal((await c.get('/requests')).location, '/account/usage-rules?next=%2Frequests');
  const rules = await c.get('/account/usage-rules?next=%2Frequests');
  assert.match(rules.body, /請先閱讀並同意下列帳號使用規則/);
  assert.match(rules.body, /商工e網通帳號使用規則/);
  const done = await c.submit('/account/usage-rules?next=%2Frequests', '/account/usage-rules', {});
  assert.equal(done.status, 303);
  assert.equal(done.location, '/requests');
  assert.equal((await c.get('/')).status, 200, 'free to go on');
  const rows = await t.deps.db.selectFrom('usage_rule_acceptances').select('rule_id').where('account_id', '=', clerk).execute();
  assert.equal(rows.length, 1);
  const ev = await t.deps.db.selectFrom('audit_events').select(['details']).where('action', '=', 'account.usageRules.accept').where('actor_account_id', '=', clerk).execute();
  assert.deepEqual(ev.map((e) => e.details), [{ rules: [{ oid: AGENCY, version: 1 }] }]);
  assert.match((await c.get('/account/usage-rules')).body, /已於 .* 同意/);
  // Signing in again: nothing owed.
  assert.equal((await (await signIn('rulesclk1')).get('/')).status, 200);
  const sibling = await signIn('rulessib1');
  assert.equal((await sibling.get('/')).status, 200, 'the sibling agency published no rules');
});

test('seed 002 五(七): a new version is owed again at the next sign-in; the node\'s page counts who accepted the current version', async () => {
  const before = await signIn('rulesclk1');
  assert.equal((await publish({ title: '商工e網通帳號使用規則（修正）', body: '一、帳號限本人使用。\n\n三、每半年配合帳號清查。' })).status, 303);
  assert.equal((await before.get('/')).status, 200, 'a session already signed in is not interrupted');
  const after = await signIn('rulesclk1');
  assert.equal((await after.get('/')).location, '/account/usage-rules?next=%2F');
  const page = await central.get(`/orgs/${AGENCY}/usage-rules`);
  assert.match(page.body, /已有 0 個同意目前版本/);
  await after.submit('/account/usage-rules', '/account/usage-rules', {});
  assert.match((await central.get(`/orgs/${AGENCY}/usage-rules`)).body, /已有 1 個同意目前版本/);
  assert.match((await central.get(`/orgs/${AGENCY}/usage-rules`)).body, /第 1 版/, 'the first version in the history');
});
