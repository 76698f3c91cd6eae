// Organisations through HTTP and the service (ORG-1..4): CSV import/export, the prefix parent
// rule, the add form, refusals (anonymous, non-central, CSRF), moves, policy inheritance, look-up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { Client, hiddenFields } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { importOrgs, exportOrgs, setPolicy } from '../../src/orgs/service.ts';
import { effectivePolicyFor } from '../../src/orgs/store.ts';
import { verifyAuditChain } from '../../src/platform/audit.ts';
import { HttpError } from '../../src/platform/http/errors.ts';
import { CSRF_COOKIE, LANG_COOKIE } from '../../src/platform/http/context.ts';
import { POLICY_KEYS } from '../../src/orgs/policy.ts';
import { ownSystems } from '../helpers/systems.ts';
import { giveGrant } from '../helpers/factories.ts';

let t: TestApp;
let admin: Client;
before(async () => {
  t = await startTestApp();
  admin = new Client(t.url);
  assert.equal((await login(t, admin, ADMIN_USERNAME, ADMIN_PASSWORD)).status, 303);
});
after(async () => { await t?.close(); });

const db = () => t.deps.db;
const orgRow = (oid: string) => db().selectFrom('orgs').selectAll().where('oid', '=', oid).executeTakeFirst();
const parentOf = async (oid: string) => (await orgRow(oid))?.parent_oid;
const countOrgs = async () => (await db().selectFrom('orgs').select('oid').execute()).length;
const auditOf = (action: string) => db().selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('seq').execute();
const csv = (...rows: string[]) => ['oid,name,agency_code,tenant_code,kind', ...rows].join('\n') + '\n';
/** The CSRF token the server expects for this client's cookie (what any page's form carries). */
const csrfOf = (c: Client) => t.deps.keyring.mac('csrf', c.cookie(CSRF_COOKIE)!);
/** Posts a form shown on `path` (its hidden fields, CSRF included) with these fields. */
const submitOn = (c: Client, path: string, action: string, fields: Record<string, string>) => c.submit(path, action, fields);
/** The text of the page's error notice, tags removed. */
const alertOf = (html: string) => (html.match(/role="alert">(.*?)<\/div>/)?.[1] ?? '').replace(/<[^>]+>/g, '');

test('ORG-2: CSV import is idempotent; errors name the line and nothing is written', async () => {
  const file = csv(
    '2.16.886.500,示範根節點,,,other',
    '2.16.886.500.1,"名稱, 含逗號與 ""引號""",387000001A,,agency',
    '2.16.886.500.1.7,示範學校,,500107,school',
  );
  const first = await importOrgs(t.deps, null, file, { dryRun: false });
  assert.deepEqual([first.created, first.updated, first.unchanged, first.errors], [3, 0, 0, []]);
  const second = await importOrgs(t.deps, null, file, { dryRun: false });
  assert.deepEqual([second.created, second.updated, second.unchanged, second.errors], [0, 0, 3, []]);
  assert.equal((await orgRow('2.16.886.500.1'))?.name, '名稱, 含逗號與 "引號"');

  const before = await countOrgs();
  const bad = await importOrgs(t.deps, null, csv(
    '2.16.886.501,應寫入的列（但整批拒絕）,,,agency',
    '2.16.886.01.5,前導零,,,agency',
    '2.16.886.502,類型錯誤,,,planet',
    '2.16.886.503,,,,agency',
  ), { dryRun: false });
  assert.deepEqual(bad.errors.map((e) => e.line), [3, 4, 5]);
  assert.match(bad.errors[0].message, /orgs\.invalidOid/);
  assert.match(bad.errors[1].message, /orgs\.invalidKind/);
  assert.match(bad.errors[2].message, /orgs\.nameRequired/);
  assert.equal(await countOrgs(), before, 'nothing written');
  assert.equal(await orgRow('2.16.886.501'), undefined);

  const dup = await importOrgs(t.deps, null, csv('2.16.886.504,甲,,500107,agency'), { dryRun: false });
  assert.equal(dup.errors.length, 1, 'a tenant code already used elsewhere is refused');
  assert.equal(await orgRow('2.16.886.504'), undefined);
});

test('ORG-2: a non-central actor cannot import', async () => {
  const actor = { accountId: 999, grants: [{ kind: 'registration_admin' as const, jurisdictionOid: '2.16.886', categories: [] }] };
  await assert.rejects(importOrgs(t.deps, actor, csv('2.16.886.505,甲,,,agency'), { dryRun: false }),
    (e: unknown) => e instanceof HttpError && e.status === 404);
  assert.equal(await orgRow('2.16.886.505'), undefined);
});

test('ORG-2: export then import changes nothing, and exports the same text again', async () => {
  const exported = await exportOrgs(t.deps);
  assert.ok(exported.startsWith('\uFEFFoid,name,agency_code,tenant_code,kind'));
  const r = await importOrgs(t.deps, null, exported, { dryRun: false });
  assert.deepEqual([r.created, r.updated, r.errors.length], [0, 0, 0]);
  assert.equal(r.unchanged, await countOrgs());
  assert.equal(await exportOrgs(t.deps), exported);
});

test('ORG-1: the parent is the longest registered prefix, also when a middle node arrives later', async () => {
  await importOrgs(t.deps, null, csv('2.16.886.600,甲,,,agency', '2.16.886.600.1.2.3,丁,,,unit', '2.16.886.6001,相似前綴,,,agency'), { dryRun: false });
  assert.equal(await parentOf('2.16.886.600.1.2.3'), '2.16.886.600');
  assert.equal(await parentOf('2.16.886.6001'), null, 'a look-alike is not a child');

  // Inserted in the middle through the add form: the deeper node is re-parented.
  const r = await submitOn(admin, '/orgs', '/orgs', { oid: '2.16.886.600.1', name: '乙', kind: 'unit' });
  assert.equal(r.status, 303);
  assert.equal(await parentOf('2.16.886.600.1'), '2.16.886.600');
  assert.equal(await parentOf('2.16.886.600.1.2.3'), '2.16.886.600.1');
  await importOrgs(t.deps, null, csv('2.16.886.600.1.2,丙,,,unit'), { dryRun: false });
  assert.equal(await parentOf('2.16.886.600.1.2.3'), '2.16.886.600.1.2');
  assert.equal(await parentOf('2.16.886.600.1.2'), '2.16.886.600.1');
});

test('ORG-1: the central authority adds an organisation through the form; bad input changes nothing', async () => {
  const page = await admin.get('/orgs');
  assert.match(page.body, /<form method="post" action="\/orgs"/, 'the add form is shown to the central authority');
  const r = await submitOn(admin, '/orgs', '/orgs', { oid: '2.16.886.101.90027.30001', name: '臺中市政府新單位', agency_code: '387000002b', tenant_code: '', kind: 'unit' });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/orgs/2.16.886.101.90027.30001?done=created');
  const row = await orgRow('2.16.886.101.90027.30001');
  assert.equal(row?.agency_code, '387000002B');
  assert.equal(row?.parent_oid, '2.16.886.101.90027');
  const shown = await admin.get(r.location!);
  assert.match(shown.body, /role="status">已新增機關\/單位。/);
  assert.match(shown.body, /<a href="\/orgs\/2\.16\.886\.101\.90027">/, 'links to its parent');
  const ev = (await auditOf('org.create')).find((e) => e.target_id === '2.16.886.101.90027.30001');
  assert.ok(ev, 'audited');
  assert.equal((ev.details as { after: { parent_oid: string } }).after.parent_oid, '2.16.886.101.90027');
  assert.equal(ev.actor_account_id !== null, true);

  const before = await countOrgs();
  for (const [fields, message] of [
    [{ oid: '2.16.886.101.090', name: '前導零', kind: 'unit' }, 'OID 格式不正確'],
    [{ oid: '2.16.886.101.90027.30001', name: '重複', kind: 'unit' }, '此 OID 已存在。'],
    [{ oid: '2.16.886.101.90027.30002', name: '', kind: 'unit' }, '請輸入名稱。'],
    [{ oid: '2.16.886.101.90027.30003', name: '校代碼重複', tenant_code: '010300', kind: 'school' }, '此校代碼已被使用。'],
  ] as const) {
    const bad = await submitOn(admin, '/orgs', '/orgs', fields);
    assert.equal(bad.status, 422, message);
    assert.ok(alertOf(bad.body).startsWith(message), alertOf(bad.body));
    assert.match(bad.body, new RegExp(`value="${fields.oid}"`), 'the form keeps what was typed');
  }
  assert.equal(await countOrgs(), before);
});

test('ORG-1: anonymous and non-central POSTs are refused and change nothing', async () => {
  await createAccount(t.deps, { username: 'regadmin01', password: 'Correct-Horse-9', unitOid: '2.16.886.101.90027' });
  const id = (await db().selectFrom('accounts').select('id').where('username', '=', 'regadmin01').executeTakeFirstOrThrow()).id;
  await giveGrant(t.deps, id, 'registration_admin', '2.16.886.101.90027', ['csm']);
  // Logging in is audited too; only organisation and policy events must stay as they were.
  const orgEvents = async () => (await db().selectFrom('audit_events').select('seq').where((eb) => eb.or([eb('action', 'like', 'org.%'), eb('action', 'like', 'policy.%')])).execute()).length;
  const before = { orgs: await countOrgs(), policies: (await db().selectFrom('policies').select('oid').execute()).length, audit: await orgEvents() };

  const anon = new Client(t.url);
  await anon.get('/orgs');
  const anonPage = await anon.get('/orgs/2.16.886.101.90027');
  assert.doesNotMatch(anonPage.body, /action="\/orgs\/2\.16\.886\.101\.90027\/policy"/, 'no forms for anonymous visitors');
  const csrf = csrfOf(anon);
  for (const [action, body] of [
    ['/orgs', { oid: '2.16.886.101.90027.40001', name: '匿名', kind: 'unit' }],
    ['/orgs/2.16.886.101.90027/policy', { 'password.minLength': '20' }],
    ['/orgs/2.16.886.101.90027.20002/move', { parent: '2.16.886.111' }],
  ] as const) {
    const r = await anon.post(action, { _csrf: csrf, ...body });
    assert.equal(r.status, 303, `${action}: anonymous is sent to log in`);
    assert.match(r.location ?? '', /^\/login\?next=/);
  }

  const reg = new Client(t.url);
  assert.equal((await login(t, reg, 'regadmin01', 'Correct-Horse-9')).status, 303);
  const regPage = await reg.get('/orgs/2.16.886.101.90027');
  assert.doesNotMatch(regPage.body, /\/policy"|\/move"/, 'no policy or move form for a non-central administrator');
  assert.doesNotMatch((await reg.get('/orgs')).body, /action="\/orgs"/);
  const token = hiddenFields(regPage.body)._csrf;
  for (const [action, body] of [
    ['/orgs', { oid: '2.16.886.101.90027.40002', name: '非中央', kind: 'unit' }],
    ['/orgs/2.16.886.101.90027/policy', { 'password.minLength': '20' }],
    ['/orgs/2.16.886.101.90027.20002/move', { parent: '2.16.886.111' }],
  ] as const) {
    const r = await reg.post(action, { _csrf: token, ...body });
    assert.equal(r.status, 404, `${action}: a denied change looks like "not found"`);
  }
  assert.deepEqual({
    orgs: await countOrgs(), policies: (await db().selectFrom('policies').select('oid').execute()).length,
    audit: await orgEvents(),
  }, before);
  assert.ok(await orgRow('2.16.886.101.90027.20002'), 'not moved');
});

test('ORG-1: a form POST without a valid CSRF token is refused with 403', async () => {
  const noToken = await admin.post('/orgs', { oid: '2.16.886.101.90027.40003', name: '無權杖', kind: 'unit' });
  assert.equal(noToken.status, 403);
  const wrong = await admin.post('/orgs', { _csrf: 'x'.repeat(43), oid: '2.16.886.101.90027.40003', name: '錯誤權杖', kind: 'unit' });
  assert.equal(wrong.status, 403);
  const policy = await admin.post('/orgs/2.16.886.101.90027/policy', { 'password.minLength': '20' });
  assert.equal(policy.status, 403);
  assert.equal(await orgRow('2.16.886.101.90027.40003'), undefined);
  assert.equal((await effectivePolicyFor(db(), '2.16.886.101.90027')).policy['password.minLength'], 12);
});

test('ORG-4: moving a node re-keys its subtree with accounts, policies and grants, and is audited', async () => {
  await importOrgs(t.deps, null, csv(
    '2.16.886.700,舊上層,,,agency', '2.16.886.700.5,搬移節點,,,unit', '2.16.886.700.5.1,下層,,,unit',
    '2.16.886.700.5.1.9,更下層,,,unit', '2.16.886.700.55,相似前綴（不搬）,,,unit', '2.16.886.800,新上層,,,agency',
    '2.16.886.900,另一上層,,,agency', '2.16.886.900.5,已占用,,,unit',
  ), { dryRun: false });
  const accountId = await createAccount(t.deps, { username: 'moveduser1', password: 'Correct-Horse-9', unitOid: '2.16.886.700.5.1' });
  const lookAlikeUser = await createAccount(t.deps, { username: 'staysput01', password: 'Correct-Horse-9', unitOid: '2.16.886.700.55' });
  await giveGrant(t.deps, accountId, 'registration_admin', '2.16.886.700.5.1', []);
  // Systems owned inside the subtree follow it, the look-alike's does not (SSO-1, issue 9 item 1).
  await ownSystems(t, '2.16.886.700.5.1', ['csm']);
  await ownSystems(t, '2.16.886.700.55', ['bms']);
  const central = { accountId: 1, grants: [{ kind: 'central' as const, jurisdictionOid: '2.16.886', categories: ['*'] }] };
  assert.ok((await setPolicy(t.deps, central, '2.16.886.700.5', { 'session.idleMinutes': '240' }, null)).ok);
  assert.ok((await setPolicy(t.deps, central, '2.16.886.700.5.1.9', { 'password.minLength': '16' }, null)).ok);

  const page = '/orgs/2.16.886.700.5';
  const r = await submitOn(admin, page, '/orgs/2.16.886.700.5/move', { parent: '2.16.886.800' });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/orgs/2.16.886.800.5?done=moved');
  assert.match((await admin.get(r.location!)).body, /role="status">已搬移，新的 OID 為 2\.16\.886\.800\.5。/);

  for (const old of ['2.16.886.700.5', '2.16.886.700.5.1', '2.16.886.700.5.1.9']) assert.equal(await orgRow(old), undefined, old);
  assert.equal(await parentOf('2.16.886.800.5'), '2.16.886.800');
  assert.equal(await parentOf('2.16.886.800.5.1'), '2.16.886.800.5');
  assert.equal(await parentOf('2.16.886.800.5.1.9'), '2.16.886.800.5.1');
  assert.equal(await parentOf('2.16.886.700.55'), '2.16.886.700', 'the look-alike sibling stays');
  const unit = async (id: number) => (await db().selectFrom('accounts').select('unit_oid').where('id', '=', id).executeTakeFirstOrThrow()).unit_oid;
  assert.equal(await unit(accountId), '2.16.886.800.5.1');
  assert.equal(await unit(lookAlikeUser), '2.16.886.700.55');
  const policyOids = (await db().selectFrom('policies').select('oid').where('oid', 'like', '2.16.886.%00.5%').execute()).map((p) => p.oid).sort();
  assert.deepEqual(policyOids, ['2.16.886.800.5', '2.16.886.800.5.1.9']);
  const eff = await effectivePolicyFor(db(), '2.16.886.800.5.1.9');
  assert.equal(eff.policy['session.idleMinutes'], 240);
  assert.equal(eff.sources['session.idleMinutes'], '2.16.886.800.5');
  const grant = await db().selectFrom('admin_grants').select('jurisdiction_oid').where('account_id', '=', accountId).executeTakeFirstOrThrow();
  assert.equal(grant.jurisdiction_oid, '2.16.886.800.5.1');
  const owners = await db().selectFrom('application_systems').select(['code', 'owner_oid']).where('code', 'in', ['csm', 'bms']).orderBy('code').execute();
  assert.deepEqual(owners, [{ code: 'bms', owner_oid: '2.16.886.700.55' }, { code: 'csm', owner_oid: '2.16.886.800.5.1' }]);

  const ev = (await auditOf('org.move')).at(-1)!;
  assert.equal(ev.target_id, '2.16.886.800.5');
  assert.deepEqual(ev.details, {
    before: { oid: '2.16.886.700.5', parent_oid: '2.16.886.700' }, after: { oid: '2.16.886.800.5', parent_oid: '2.16.886.800' },
    nodes: 3, accounts: 1, policies: 2, grants: 1,
  });
  assert.equal((await verifyAuditChain(db())).broken, null);

  // Refusals: into its own subtree, unknown parent, occupied target, malformed OID, same parent.
  const before = await exportOrgs(t.deps);
  for (const [parent, message] of [
    ['2.16.886.800.5.1', '不可搬移至自己或自己的下層。'],
    ['2.16.886.800.5', '不可搬移至自己或自己的下層。'],
    ['2.16.886.999', '找不到指定的上層。'],
    ['2.16.886.900', '此 OID 已存在。'],
    ['2.16.886.08', 'OID 格式不正確'],
    ['2.16.886.800', '此節點已在指定的上層之下。'],
  ]) {
    const bad = await submitOn(admin, '/orgs/2.16.886.800.5', '/orgs/2.16.886.800.5/move', { parent });
    assert.equal(bad.status, 422, parent);
    assert.ok(alertOf(bad.body).startsWith(message), `${parent}: ${alertOf(bad.body)}`);
  }
  assert.equal(await exportOrgs(t.deps), before, 'refused moves change nothing');

  // Moving up onto its own OIDs: 950.5.5 under 950 becomes 950.5, its child 950.5.5.5 becomes 950.5.5.
  await importOrgs(t.deps, null, csv('2.16.886.950,甲,,,agency', '2.16.886.950.5.5,乙,,,unit', '2.16.886.950.5.5.5,丙,,,unit'), { dryRun: false });
  const up = await submitOn(admin, '/orgs/2.16.886.950.5.5', '/orgs/2.16.886.950.5.5/move', { parent: '2.16.886.950' });
  assert.equal(up.status, 303, alertOf(up.body));
  assert.deepEqual(
    (await db().selectFrom('orgs').select(['oid', 'name', 'parent_oid']).where('oid', 'like', '2.16.886.950%').orderBy('oid').execute()),
    [{ oid: '2.16.886.950', name: '甲', parent_oid: null }, { oid: '2.16.886.950.5', name: '乙', parent_oid: '2.16.886.950' },
      { oid: '2.16.886.950.5.5', name: '丙', parent_oid: '2.16.886.950.5' }],
  );
  assert.equal((await admin.post('/orgs/2.16.886.123456/move', { _csrf: csrfOf(admin), parent: '2.16.886.800' })).status, 404);
});

test('ORG-3: a parent policy is inherited, the child overrides it, and the node page names the source', async () => {
  const parent = '2.16.886.101.90027', child = '2.16.886.101.90027.20002';
  const p = await submitOn(admin, `/orgs/${parent}`, `/orgs/${parent}/policy`, { 'password.minLength': '10', 'session.idleMinutes': '240', 'login.passkey': 'true' });
  assert.equal(p.status, 303);
  assert.equal(p.location, `/orgs/${parent}?done=policy`);
  const c = await submitOn(admin, `/orgs/${child}`, `/orgs/${child}/policy`, { 'password.minLength': '14' });
  assert.equal(c.status, 303);

  const eff = await effectivePolicyFor(db(), `${child}.20011`);
  assert.equal(eff.policy['password.minLength'], 14);
  assert.equal(eff.sources['password.minLength'], child);
  assert.equal(eff.policy['session.idleMinutes'], 240);
  assert.equal(eff.sources['session.idleMinutes'], parent);
  assert.equal(eff.policy['login.passkey'], true);

  const html = (await admin.get(`/orgs/${child}`)).body;
  const row = (key: string) => html.match(new RegExp(`<tr data-key="${key.replace('.', '\\.')}">(.*?)</tr>`))?.[1] ?? '';
  assert.match(row('password.minLength'), new RegExp(`<td>14</td><td data-source="${child}">`));
  assert.match(row('session.idleMinutes'), new RegExp(`<td>240</td><td data-source="${parent}"><a href="/orgs/${parent}"`));
  assert.match(row('inactivity.days'), /data-source="default">預設值</);
  assert.match(html, /NIST SP 800-63B rev 4/);

  // Clearing the child's own value (empty = inherit) brings the parent's back.
  assert.equal((await submitOn(admin, `/orgs/${child}`, `/orgs/${child}/policy`, { 'password.minLength': '' })).status, 303);
  assert.equal((await effectivePolicyFor(db(), child)).policy['password.minLength'], 10);
  assert.equal(await db().selectFrom('policies').select('oid').where('oid', '=', child).executeTakeFirst(), undefined, 'an empty node policy is removed');

  const events = (await auditOf('policy.set')).filter((e) => e.target_id === child);
  assert.deepEqual(events.map((e) => e.details), [
    { before: {}, after: { 'password.minLength': 14 } },
    { before: { 'password.minLength': 14 }, after: {} },
  ]);
});

test('ORG-3 OPS-5 (issue 9 item 18): the policy page in Chinese shows setting and choice names only — no setting keys, choice codes or English seed notes', async () => {
  const zh = (await admin.get('/orgs/2.16.886.111')).body;
  const visible = zh.replace(/<[^>]+>/g, ' ');
  for (const key of POLICY_KEYS) assert.ok(!visible.includes(key), `no setting key ${key} as text`);
  for (const code of ['three_of_four', 'upper_lower_digit_only', 'tenant_prefixed', 'email_link', 'birthday_national_id', 'alnum']) assert.ok(!visible.includes(code), `no choice code ${code}`);
  assert.doesNotMatch(visible, /failures lock|characters|seed|\b00[0-3]:/, 'no English seed notes');
  assert.match(visible, /帳號命名規則\s+校代碼_名稱/);
  admin.setCookie(LANG_COOKIE, 'en');
  const en = (await admin.get('/orgs/2.16.886.111')).body;
  admin.setCookie(LANG_COOKIE, 'zh-TW');
  assert.match(en, /Default \(002: 3 months without login\)/, 'the English page keeps where a default comes from');
});

test('ORG-3: an invalid policy value is refused, names every bad key, and stores nothing', async () => {
  const oid = '2.16.886.111';
  const before = await db().selectFrom('policies').selectAll().where('oid', '=', oid).executeTakeFirst();
  const auditBefore = (await auditOf('policy.set')).length;
  const r = await submitOn(admin, `/orgs/${oid}`, `/orgs/${oid}/policy`, {
    'password.minLength': '7', 'username.scheme': 'whatever', 'session.idleMinutes': '30', 'email.allowedDomains': 'gov.tw, not a domain!',
  });
  assert.equal(r.status, 422);
  const alert = alertOf(r.body);
  assert.match(alert, /政策設定有誤：/);
  assert.match(alert, /密碼最短長度（超出允許範圍）/);
  assert.match(alert, /帳號命名規則（不是可選擇的值）/);
  assert.match(alert, /允許的公務信箱網域（格式不正確）/);
  assert.doesNotMatch(alert, /閒置自動登出/, 'the valid value is not named');
  assert.match(r.body, /name="password\.minLength" aria-describedby="[^"]+" aria-invalid="true"[^>]*value="7"/);
  assert.deepEqual(await db().selectFrom('policies').selectAll().where('oid', '=', oid).executeTakeFirst(), before);
  assert.equal((await auditOf('policy.set')).length, auditBefore);

  const en = new Client(t.url);
  en.setCookie('tessera_lang', 'en');
  assert.equal((await login(t, en, ADMIN_USERNAME, ADMIN_PASSWORD)).status, 303);
  const r2 = await submitOn(en, `/orgs/${oid}`, `/orgs/${oid}/policy`, { 'session.idleMinutes': '0' });
  assert.equal(r2.status, 422);
  assert.equal(alertOf(r2.body), 'Invalid policy settings: Idle logout (minutes) (out of range)');
});

test('ORG-2: look-up by name fragment, agency code, tenant code and OID prefix (page and JSON)', async () => {
  const api = async (q: string) => {
    const r = await admin.get('/api/v1/orgs?q=' + encodeURIComponent(q));
    assert.equal(r.status, 200);
    return (JSON.parse(r.body) as { items: { oid: string }[] }).items;
  };
  const oids = async (q: string) => (await api(q)).map((i) => i.oid);

  const byName = await oids('臺中');
  assert.ok(byName.includes('2.16.886.101.90027') && byName.includes('2.16.886.101.90027.20002'), byName.join());
  const byAgency = await api('387000000a');
  assert.deepEqual(byAgency[0], {
    oid: '2.16.886.101.90027.20002', name: '臺中市政府經濟發展局商業科', agencyCode: '387000000A', tenantCode: null, kind: 'agency', parentOid: '2.16.886.101.90027',
  });
  assert.deepEqual(await oids('010300'), ['2.16.886.111.90001.10300']);

  const subtree = await oids('2.16.886.101.90027');
  assert.equal(subtree[0], '2.16.886.101.90027');
  assert.ok(subtree.every((o) => o === '2.16.886.101.90027' || o.startsWith('2.16.886.101.90027.')), subtree.join());
  assert.ok(subtree.includes('2.16.886.101.90027.20002.20011.20033'));
  // A whole-arc query respects arc boundaries once a node is registered there.
  await importOrgs(t.deps, null, csv('2.16.886.101.9002,相似前綴機關,,,agency'), { dryRun: false });
  assert.deepEqual(await oids('2.16.886.101.9002'), ['2.16.886.101.9002']);
  // Where no node lies on a whole arc, the last arc is read as typed so far.
  assert.deepEqual(await oids('2.16.886.101.9003'), [], 'nothing starts with it');
  const startsWith = await oids('2.16.886.101.900');
  assert.ok(startsWith.includes('2.16.886.101.90027') && startsWith.includes('2.16.886.101.90029.20002') && startsWith.includes('2.16.886.101.9002'), startsWith.join());

  assert.deepEqual(await oids('%'), [], 'LIKE wildcards are literal');
  assert.deepEqual(await oids(''), []);
  assert.equal((await admin.get('/api/v1/orgs?q=' + '1'.repeat(201))).status, 400);

  const pageHit = await new Client(t.url).get('/orgs/lookup?q=010300');
  assert.equal(pageHit.status, 200);
  assert.match(pageHit.body, /<caption>查詢結果：1 筆<\/caption>/);
  assert.match(pageHit.body, /<a href="\/orgs\/2\.16\.886\.111\.90001\.10300">2\.16\.886\.111\.90001\.10300<\/a>/);
  assert.match(pageHit.body, /範例高級中學/);
  assert.match(pageHit.body, /<label for="lookup-q">/);
  const pageMiss = await new Client(t.url).get('/orgs/lookup?q=' + encodeURIComponent('不存在的機關'));
  assert.match(pageMiss.body, /role="status">查無符合的機關\/單位。/);
  const blank = await new Client(t.url).get('/orgs/lookup');
  assert.doesNotMatch(blank.body, /<table/);
});

test('ORG-1: the tree page nests children under parents; unknown or malformed OIDs are not found', async () => {
  const r = await new Client(t.url).get('/orgs');
  assert.equal(r.status, 200);
  assert.match(r.body, /<html lang="zh-Hant-TW">/);
  const li = r.body.match(/<li><a href="\/orgs\/2\.16\.886\.101\.90027"><span class="oid">2\.16\.886\.101\.90027<\/span> 臺中市政府<\/a><ul class="tree">(.*)/)?.[1] ?? '';
  assert.match(li, /^<li><a href="\/orgs\/2\.16\.886\.101\.90027\.20002">/, 'the first child sits in the nested list');
  assert.match(r.body, /機關代碼 <span class="oid">387000000A<\/span>/);
  assert.doesNotMatch(r.body, /action="\/orgs"/, 'no add form for anonymous visitors');
  assert.equal((await new Client(t.url).get('/orgs/2.16.886.424242')).status, 404);
  assert.equal((await new Client(t.url).get('/orgs/2.16.abc')).status, 404);
});

test('ORG-3 AUTH-3 issue 9 item 17: sample schools inherit seed 001 policy from 2.16.886.111; seed 000\'s agency has seed 000\'s password rule; other agencies keep the seed 002/003 defaults', async () => {
  const school = await new Client(t.url).get('/orgs/2.16.886.111.90001.10300');
  const row = (body: string, key: string) => body.match(new RegExp(`<tr data-key="${key.replace('.', '\\.')}">(.*?)</tr>`))?.[1] ?? '';
  assert.match(row(school.body, 'password.minLength'), /<td>8<\/td><td data-source="2\.16\.886\.111">/);
  assert.match(row(school.body, 'username.scheme'), /data-source="2\.16\.886\.111"/);
  const post = '2\\.16\\.886\\.101\\.20003\\.20008\\.20074';
  const agency = await new Client(t.url).get('/orgs/2.16.886.101.20003.20008.20074'); // no test above sets policy here
  assert.match(row(agency.body, 'password.minLength'), new RegExp(`<td>12</td><td data-source="${post}">`));
  assert.match(row(agency.body, 'password.classes'), new RegExp(`<td>[^<]+</td><td data-source="${post}">`));
  assert.equal((await effectivePolicyFor(db(), '2.16.886.101.20003.20008.20074')).policy['password.classes'], 'upper_lower_digit_only');
  const seed003 = await new Client(t.url).get('/orgs/2.16.886.101.90029.20002');
  assert.match(row(seed003.body, 'password.classes'), /data-source="default"/);
});
