// The administrator's account screens through HTTP (ADM-3, ADM-4, ADM-5, ADM-6, AUTH-4, AUTH-7,
// ACC-3): a registration administrator of one agency adds, finds, modifies, disables, unlocks,
// resets, deletes and gives roles; the users log in with what was issued. The JSON API is checked
// for the same operations at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login, alertText, signedIn as signedInAs } from '../helpers/login.ts';
import { checkDigitFor } from '../../src/accounts/national-id.ts';
import { initialPassword, endOfTaipeiDay } from '../../src/auth/issued-passwords.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { setPolicy } from '../../src/orgs/service.ts';
import { loadActor } from '../../src/access/actor.ts';
import { verifyAuditChain } from '../../src/platform/audit.ts';
import { tokenCommand } from '../../src/admin/cli.ts';
import { DAY } from '../../src/platform/clock.ts';
import { giveRoles } from '../helpers/factories.ts';

const AGENCY = '2.16.886.101.90027.20002';
const CHILD = AGENCY + '.20011';
const SIBLING = '2.16.886.101.90029.20002';
const PASSWORD = 'Correct-Horse-9';

let t: TestApp;
let raId: number;
let serial = 0;
/** A fresh valid national ID for each call (one person, one account). */
const newNationalId = () => { const first9 = `A1${String(5550000 + ++serial).padStart(7, '0')}`; return first9 + checkDigitFor(first9); };

before(async () => {
  t = await startTestApp();
  raId = await createAccount(t.deps, { username: 'raagency1', password: PASSWORD, unitOid: '2.16.886.101', name: '註冊管理者' });
  await createGrant(t.deps, null, { accountId: raId, kind: 'registration_admin', jurisdictionOid: AGENCY, categories: ['csm', 'bms'] }, null);
});
after(async () => { await t?.close(); });

const db = () => t.deps.db;
const accountBy = (username: string) => db().selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
const passwordOf = (id: number) => db().selectFrom('passwords').selectAll().where('account_id', '=', id).executeTakeFirst();
const auditOf = (action: string, id: number) => db().selectFrom('audit_events').selectAll().where('action', '=', action).where('target_id', '=', String(id)).execute();

const signedIn = (username: string, password: string): Promise<Client> => signedInAs(t, username, password);
const asAdmin = () => signedIn('raagency1', PASSWORD);

interface NewUser { username: string; name: string; nationalId: string; birthMonth: string; birthDay: string; unitOid: string; email?: string }
function newUser(extra: Partial<NewUser> = {}): NewUser {
  const n = ++serial;
  return { username: `user${String(n).padStart(4, '0')}`, name: '王小明', nationalId: newNationalId(), birthMonth: '3', birthDay: '7', unitOid: CHILD, ...extra };
}
async function add(c: Client, u: Partial<NewUser> & Record<string, string>) {
  return c.submit('/admin/accounts/new', '/admin/accounts', u as Record<string, string>);
}
const initialOf = (u: NewUser) => initialPassword(Number(u.birthMonth), Number(u.birthDay), u.nationalId);

const chosen = (html: string) => [...html.matchAll(/href="\/admin\/accounts\/new\?unit=([0-9.]+)"/g)].map((m) => m[1]);

test('ADM-3: the add form shows the jurisdiction and agency from the grant, only units inside it, required marks and the scheme', async () => {
  const c = await asAdmin();
  const pick = await c.get('/admin/accounts/new');
  assert.equal(pick.status, 200);
  assert.match(pick.body, /管轄範圍起始OID<\/dt><dd class="oid">2\.16\.886\.101\.90027\.20002</);
  assert.match(pick.body, /臺中市政府經濟發展局商業科/);
  assert.match(pick.body, /387000000A/);
  assert.deepEqual(chosen(pick.body), [AGENCY, CHILD, CHILD + '.20033'], 'only units inside the jurisdiction');
  const r = await c.get(`/admin/accounts/new?unit=${CHILD}`);
  assert.equal(r.status, 200);
  assert.match(r.body, new RegExp(`<input type="hidden" id="unitOid" name="unitOid" value="${CHILD.replace(/\./g, '\\.')}"`));
  assert.match(r.body, /data-scheme="birthday_national_id"/);
  assert.match(r.body, /開帳密碼為 MmDd＋出生月日四碼＋身分證字號後四碼/);
  assert.match(r.body, /<label for="name">姓名<span class="req" aria-hidden="true"/);
  assert.match(r.body, /id="name" name="name"[^>]*aria-required="true"/);
  assert.match(r.body, /\*表示必填欄位/);
});

test('ADM-3 AUTH-4: an added account is not activated, has the MmDd initial password until midnight, and the first login only changes it', async () => {
  const c = await asAdmin();
  const u = newUser();
  const r = await add(c, { ...u });
  assert.equal(r.status, 303, alertText(r.body) ?? '');
  assert.match(r.location!, /^\/admin\/accounts\/\d+\?done=created-birthday$/);
  const shown = await c.get(r.location!);
  assert.match(shown.body, /role="status">已新增帳號 user\d+。開帳密碼當日有效/);

  const a = await accountBy(u.username);
  assert.equal(a.state, 'not_activated');
  assert.equal(a.unit_oid, CHILD);
  assert.equal(t.deps.keyring.decrypt(a.national_id_enc!), u.nationalId);
  const p = (await passwordOf(a.id))!;
  assert.equal(p.kind, 'initial');
  assert.equal(p.must_change, true);
  assert.equal(p.expires_at!.toISOString(), endOfTaipeiDay(t.clock.now()).toISOString());
  assert.equal(p.expires_at!.toISOString(), '2026-11-25T16:00:00.000Z', 'midnight in Taipei');
  assert.ok(await t.deps.hasher.verify(p.hash, `MmDd0307${u.nationalId.slice(-4)}`), 'seed 003: MmDd + 0307 + last 4 of the ID');
  assert.equal((await auditOf('account.create', a.id)).length, 1);

  const user = new Client(t.url);
  const li = await login(t, user, u.username, initialOf(u));
  assert.equal(li.location, '/password/change');
  assert.equal((await user.get('/profile')).location, '/password/change', 'nothing else until the password is changed');
  const changed = await user.submit('/password/change', '/password/change', { current: initialOf(u), next: 'Quiet-Harbour-Maple-58', confirm: 'Quiet-Harbour-Maple-58' });
  assert.equal(changed.location, '/?changed=first', 'the first own password: 開帳 done');
  assert.equal((await accountBy(u.username)).state, 'enabled');
});

test('ADM-3: every field is validated, with localised messages beside the fields and an alert; nothing is written', async () => {
  const c = await asAdmin();
  const taken = newUser();
  assert.equal((await add(c, { ...taken })).status, 303);
  const before = await db().selectFrom('accounts').select('id').execute();

  const r = await add(c, { ...newUser(), name: 'R2-D2', nationalId: 'A123456788', birthMonth: '2', birthDay: '30', email: 'x@gmail.com', mobile: '0912' });
  assert.equal(r.status, 422);
  assert.match(r.body, /role="alert">輸入資料有誤/);
  for (const m of [/姓名須為中文或英文字母/, /檢查碼不正確/, /出生月日不正確/, /請使用公務信箱（允許的網域：gov\.tw、edu\.tw）/, /行動電話須為 09 開頭的 10 位數字/]) assert.match(r.body, m);
  assert.match(r.body, /id="nationalId" name="nationalId"[^>]*aria-invalid="true"[^>]*aria-describedby="nationalId-error"/);
  assert.match(r.body, /value="R2-D2"/, 'what was typed is kept');

  const dup = await add(c, { ...newUser(), username: taken.username.toUpperCase(), nationalId: taken.nationalId });
  assert.equal(dup.status, 422);
  assert.match(dup.body, /此帳號已被使用/);
  assert.match(dup.body, /已有帳號使用此身分證字號/);

  const short = await add(c, { ...newUser(), username: 'ab', birthMonth: '', birthDay: '' });
  assert.match(short.body, /帳號須為 6 到 30 個英文字母或數字/);
  assert.match(short.body, /<span id="birthMonth-error" class="field-error">此欄位為必填。/, 'the birthday builds the initial password: required');

  const en = new Client(t.url);
  en.setCookie('tessera_lang', 'en');
  assert.equal((await login(t, en, 'raagency1', PASSWORD)).status, 303);
  const enr = await add(en, { ...newUser(), nationalId: 'A123456788' });
  assert.equal(enr.status, 422);
  assert.match(enr.body, /role="alert">Some input is not valid/);
  assert.match(enr.body, /check digit is wrong/);

  assert.equal((await db().selectFrom('accounts').select('id').execute()).length, before.length, 'nothing written');
});

test('ADM-2 ADM-3: a unit outside the jurisdiction is refused even when posted by hand', async () => {
  const c = await asAdmin();
  for (const unitOid of [SIBLING, '2.16.886.101.90027', '2.16.886.101.9002', '2.16.886.101.99999']) {
    const u = newUser({ unitOid });
    const r = await add(c, { ...u });
    assert.equal(r.status, 422, unitOid);
    assert.match(r.body, /此單位不在您的管轄範圍內|找不到此單位 OID/);
    assert.equal(await db().selectFrom('accounts').select('id').where('username', '=', u.username).executeTakeFirst(), undefined);
  }
});

test('AUTH-4: under the e-mail scheme the account gets no password but a set-password link in the outbox, in the same transaction', async () => {
  const central = await loadActor(t.deps, (await accountBy(ADMIN_USERNAME)).id);
  const p = await setPolicy(t.deps, central, CHILD + '.20033', { 'initialPassword.scheme': 'email_link' }, null);
  assert.ok(p.ok);
  const c = await asAdmin();
  const form = await c.get(`/admin/accounts/new?unit=${CHILD}.20033`);
  assert.match(form.body, /data-scheme="email_link"/);
  assert.doesNotMatch(form.body, /開帳密碼為 MmDd/);
  const noMail = await add(c, { ...newUser({ unitOid: CHILD + '.20033' }), birthMonth: '', birthDay: '' });
  assert.equal(noMail.status, 422);
  assert.match(noMail.body, /id="email"[^>]*aria-invalid="true"/);

  const u = newUser({ unitOid: CHILD + '.20033', email: 'wang@taichung.gov.tw' });
  const r = await add(c, { ...u, birthMonth: '', birthDay: '' });
  assert.equal(r.status, 303, alertText(r.body) ?? '');
  assert.match(r.location!, /done=created-link/);
  const a = await accountBy(u.username);
  assert.equal(a.state, 'not_activated');
  assert.equal(await passwordOf(a.id), undefined);
  const links = await db().selectFrom('set_password_links').selectAll().where('account_id', '=', a.id).execute();
  assert.equal(links.length, 1);
  const mail = await db().selectFrom('outbox').selectAll().where('recipient', '=', 'wang@taichung.gov.tw').execute();
  assert.equal(mail.length, 1);
  assert.match(mail[0].body_text, /\/activate\/[A-Za-z0-9_-]{43}/);
});

test('ADM-4: the search page lists seed 003\'s columns with a one-day button and a delete check-box, paged, inside the jurisdiction only', async () => {
  for (let i = 0; i < 23; i++) await createAccount(t.deps, { username: `paged${String(i).padStart(3, '0')}`, password: PASSWORD, unitOid: CHILD, name: `分頁測試${i}` });
  await createAccount(t.deps, { username: 'outsider1', password: PASSWORD, unitOid: SIBLING, name: '分頁測試外部' });
  const c = await asAdmin();
  const r = await c.get('/admin/accounts?q=' + encodeURIComponent('分頁測試'));
  assert.equal(r.status, 200);
  for (const h of ['項次', '姓名', '單位', '開帳日期', '最近登入時間', '啟用一日密碼', '刪除']) assert.match(r.body, new RegExp(`<th scope="col">${h}</th>`));
  assert.match(r.body, /共 23 筆/);
  assert.equal([...r.body.matchAll(/data-account="paged/g)].length, 20);
  assert.equal([...r.body.matchAll(/name="ids" value="\d+"/g)].length, 20);
  assert.equal([...r.body.matchAll(/formaction="\/admin\/accounts\/\d+\/one-day-password"/g)].length, 20);
  assert.ok(!r.body.includes('分頁測試外部'), 'the sibling agency\'s account is not listed');
  assert.match(r.body, /第 1 頁，共 2 頁/);
  const p2 = await c.get('/admin/accounts?unit=&q=' + encodeURIComponent('分頁測試') + '&nationalId=&page=2');
  assert.equal([...p2.body.matchAll(/data-account="paged/g)].length, 3);
  assert.match(p2.body, /rel="prev"/);

  const bad = await c.get('/admin/accounts?unit=2..3&nationalId=A123');
  assert.equal(bad.status, 400);
  assert.match(bad.body, /單位 OID 格式不正確/);
  assert.match(bad.body, /身分證字號格式不正確/);
});

test('ADM-5: an administrator modifies the profile and the locked fields (name, national ID, unit) inside the jurisdiction', async () => {
  const c = await asAdmin();
  const u = newUser();
  const created = await add(c, { ...u });
  const path = created.location!.split('?')[0];
  const page = await c.get(path);
  assert.match(page.body, /目前：A1\d\*\*\*\*\d{3}/, 'the national ID only masked');
  assert.ok(!page.body.includes(u.nationalId));

  const newId = newNationalId();
  const r = await c.submit(path, path, { ...u, name: '王大明', nationalId: newId, title: '科長', unitOid: AGENCY });
  assert.equal(r.status, 303);
  assert.equal(r.location, `${path}?done=updated`);
  const a = await accountBy(u.username);
  assert.equal(a.name, '王大明');
  assert.equal(a.title, '科長');
  assert.equal(a.unit_oid, AGENCY);
  assert.equal(t.deps.keyring.decrypt(a.national_id_enc!), newId);
  const [ev] = await auditOf('account.update', a.id);
  assert.deepEqual([...(ev.details as { changed: string[] }).changed].sort(), ['name', 'nationalId', 'title', 'unitOid']);
  assert.ok(!JSON.stringify(ev.details).includes('王大明'), 'values are not in the audit trail');

  const out = await c.submit(path, path, { ...u, unitOid: SIBLING });
  assert.equal(out.status, 422);
  assert.match(out.body, /此單位不在您的管轄範圍內/);
  assert.equal((await accountBy(u.username)).unit_oid, AGENCY);
  const same = await c.submit(path, path, { ...u, name: '王大明', title: '科長', unitOid: AGENCY, nationalId: '' });
  assert.equal(same.location, `${path}?done=unchanged`);
});

test('ADM-5: disable ends the sessions and refuses login; enable restores the state it had', async () => {
  const id = await createAccount(t.deps, { username: 'toggle01', password: PASSWORD, unitOid: CHILD });
  const user = await signedIn('toggle01', PASSWORD);
  const c = await asAdmin();
  const off = await c.submit(`/admin/accounts/${id}`, `/admin/accounts/${id}/state`, { state: 'disabled' });
  assert.equal(off.location, `/admin/accounts/${id}?done=state`);
  assert.match((await c.get(off.location!)).body, /帳號狀態已改為「停用」/);
  assert.equal((await user.get('/')).status, 303, 'the session ended');
  assert.match(alertText((await login(t, new Client(t.url), 'toggle01', PASSWORD)).body) ?? '', /已停用/);
  await c.submit(`/admin/accounts/${id}`, `/admin/accounts/${id}/state`, { state: 'enabled' });
  assert.equal((await db().selectFrom('accounts').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state, 'enabled');

  const fresh = await add(c, { ...newUser() });
  const fid = Number(fresh.location!.match(/\/(\d+)\?/)![1]);
  await c.submit(`/admin/accounts/${fid}`, `/admin/accounts/${fid}/state`, { state: 'disabled' });
  await c.submit(`/admin/accounts/${fid}`, `/admin/accounts/${fid}/state`, { state: 'enabled' });
  assert.equal((await db().selectFrom('accounts').select('state').where('id', '=', fid).executeTakeFirstOrThrow()).state, 'not_activated', 'never activated: back to not_activated');
});

test('AUTH-2 ADM-5: unlock clears the lock-out', async () => {
  const id = await createAccount(t.deps, { username: 'locked01', password: PASSWORD, unitOid: CHILD });
  for (let i = 0; i < 3; i++) await login(t, new Client(t.url), 'locked01', 'wrong-password');
  assert.match(alertText((await login(t, new Client(t.url), 'locked01', PASSWORD)).body) ?? '', /已鎖定/);
  const c = await asAdmin();
  const r = await c.submit(`/admin/accounts/${id}`, `/admin/accounts/${id}/unlock`, {});
  assert.equal(r.location, `/admin/accounts/${id}?done=unlocked`);
  await signedIn('locked01', PASSWORD);
  const again = await c.submit(`/admin/accounts/${id}`, `/admin/accounts/${id}/unlock`, {});
  assert.equal(again.location, `/admin/accounts/${id}?done=not-locked`);
});

test('ADM-5 還原密碼: back to the initial password valid today; the old one stops working and cannot be chosen again', async () => {
  const c = await asAdmin();
  const u = newUser();
  await add(c, { ...u });
  const user = await signedIn(u.username, initialOf(u));
  const chosen = 'Quiet-Harbour-Maple-58';
  await user.submit('/password/change', '/password/change', { current: initialOf(u), next: chosen, confirm: chosen });
  const a = await accountBy(u.username);
  const r = await c.submit(`/admin/accounts/${a.id}`, `/admin/accounts/${a.id}/reset-password`, {});
  assert.equal(r.location, `/admin/accounts/${a.id}?done=reset`);
  assert.equal((await user.get('/')).status, 303, 'sessions ended');
  assert.equal((await login(t, new Client(t.url), u.username, chosen)).status, 401, 'the old password is void');
  const again = await signedIn(u.username, initialOf(u));
  const reuse = await again.submit('/password/change', '/password/change', { current: initialOf(u), next: chosen, confirm: chosen });
  assert.equal(reuse.status, 422);
  assert.match(reuse.body, /不可與前幾次設定的密碼相同/);
  assert.equal((await auditOf('account.password.reset', a.id)).length, 1);
});

test('AUTH-7: a one-day password is the initial password, forces a 12+ upper/lower/digit replacement, and is audited', async () => {
  const c = await asAdmin();
  const u = newUser();
  await add(c, { ...u });
  const a = await accountBy(u.username);
  const user0 = await signedIn(u.username, initialOf(u));
  await user0.submit('/password/change', '/password/change', { current: initialOf(u), next: 'Quiet-Harbour-Maple-58', confirm: 'Quiet-Harbour-Maple-58' });

  // From the search list's button, as seed 003 shows it.
  const list = await c.get('/admin/accounts?q=' + encodeURIComponent(u.name) + '&unit=' + CHILD);
  assert.match(list.body, new RegExp(`formaction="/admin/accounts/${a.id}/one-day-password"`));
  const r = await c.submit('/admin/accounts?q=x', `/admin/accounts/${a.id}/one-day-password`, {});
  assert.equal(r.location, `/admin/accounts/${a.id}?done=one-day`);
  assert.match((await c.get(r.location!)).body, /已為 王小明 啟用一日密碼/);
  const p = (await passwordOf(a.id))!;
  assert.deepEqual([p.kind, p.must_change, p.expires_at!.toISOString()], ['one_day', true, '2026-11-25T16:00:00.000Z']);

  const user = new Client(t.url);
  assert.equal((await login(t, user, u.username, initialOf(u))).location, '/password/change');
  // The stricter rule is listed before the user types anything.
  assert.match((await user.get('/password/change')).body, /<li>取代一日密碼的新密碼須同時包含大寫字母、小寫字母及數字/);
  // Enough for the unit's policy (3 of 4 classes, 12+) but without upper-case: refused for a one-day replacement.
  const weak = await user.submit('/password/change', '/password/change', { current: initialOf(u), next: 'quiet-harbour-maple-58', confirm: 'quiet-harbour-maple-58' });
  assert.equal(weak.status, 422);
  assert.match(weak.body, /role="alert"><ul><li>取代一日密碼的新密碼須同時包含大寫字母、小寫字母及數字/);
  const ok = await user.submit('/password/change', '/password/change', { current: initialOf(u), next: 'Silent-Meadow-Otter-73', confirm: 'Silent-Meadow-Otter-73' });
  assert.equal(ok.location, '/?changed=1');
  assert.equal((await passwordOf(a.id))!.kind, 'password');
  assert.equal((await auditOf('account.oneDayPassword', a.id)).length, 1);
});

test('ADM-5 ADM-7 (issue 9 item 18): the role screen lists only roles of the grant\'s categories, beyond them is refused; held roles are shown by name', async () => {
  const id = await createAccount(t.deps, { username: 'roles001', password: PASSWORD, unitOid: CHILD });
  await giveRoles(t.deps, id, 'psr_admin');
  const c = await asAdmin();
  const page = await c.get(`/admin/accounts/${id}/roles`);
  assert.equal(page.status, 200);
  const offered = [...page.body.matchAll(/name="roles" value="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(offered.length > 0 && offered.every((r) => /^(csm|bms)_/.test(r)), `only csm and bms roles: ${offered}`);
  assert.match(page.body, /不在您可設定的類別內[\s\S]*動產擔保登記管理資訊系統－動產擔保登記管理資訊系統管理者/);

  const r = await c.request('POST', `/admin/accounts/${id}/roles`, new URLSearchParams([['_csrf', csrf(c, page.body)], ['roles', 'csm_user'], ['roles', 'bms_user']]).toString(),
    { 'content-type': 'application/x-www-form-urlencoded' });
  assert.equal(r.location, `/admin/accounts/${id}?done=roles&a=2&r=0`);
  const held = async () => (await db().selectFrom('role_grants').select('role_code').where('account_id', '=', id).orderBy('role_code').execute()).map((x) => x.role_code);
  assert.deepEqual(await held(), ['bms_user', 'csm_user', 'psr_admin']);
  // Issue 9 item 18: the account page names the roles (system－role), never their codes.
  const edit = await c.get(`/admin/accounts/${id}`);
  const roleText = edit.body.match(/data-testid="roles">([^<]*)</)![1];
  assert.equal(roleText, '商業登記資訊系統－商業登記資訊系統使用者；公司登記管理系統－公司登記管理系統使用者；動產擔保登記管理資訊系統－動產擔保登記管理資訊系統管理者');
  assert.doesNotMatch(roleText, /_/);
  const beyond = await c.submit(`/admin/accounts/${id}/roles`, `/admin/accounts/${id}/roles`, { roles: 'psm_bob_6k' });
  assert.equal(beyond.status, 403);
  assert.deepEqual(await held(), ['bms_user', 'csm_user', 'psr_admin'], 'nothing changed');
  const none = await c.submit(`/admin/accounts/${id}/roles`, `/admin/accounts/${id}/roles`, {});
  assert.equal(none.location, `/admin/accounts/${id}?done=roles&a=0&r=2`);
  assert.deepEqual(await held(), ['psr_admin'], 'the role outside the categories is kept');
});
const csrf = (_c: Client, html: string) => html.match(/name="_csrf" value="([^"]+)"/)![1];

test('ADM-6: the administrators of a system, per agency, inside the jurisdiction', async () => {
  const child = await createAccount(t.deps, { username: 'rachild01', password: PASSWORD, unitOid: '2.16.886.101', name: '子單位管理者', profile: { officePhone: '04-22203100', officeExt: '21613' } });
  await createGrant(t.deps, null, { accountId: child, kind: 'registration_admin', jurisdictionOid: CHILD, categories: ['csm'] }, null);
  const sib = await createAccount(t.deps, { username: 'rasibling', password: PASSWORD, unitOid: '2.16.886.101', name: '兄弟機關管理者' });
  await createGrant(t.deps, null, { accountId: sib, kind: 'registration_admin', jurisdictionOid: SIBLING, categories: ['*'] }, null);
  const c = await asAdmin();
  const systems = await c.get('/admin/systems');
  assert.match(systems.body, /href="\/admin\/systems\/csm\/admins"/);
  const csm = await c.get('/admin/systems/csm/admins');
  assert.equal(csm.status, 200);
  assert.match(csm.body, /註冊管理者/);
  assert.match(csm.body, /子單位管理者/);
  assert.match(csm.body, /04-22203100 #21613/);
  assert.ok(!csm.body.includes('兄弟機關管理者'), 'the sibling agency is outside the jurisdiction');
  assert.match(csm.body, /共 2 位管理者/);
  const bms = await c.get('/admin/systems/bms/admins');
  assert.ok(!bms.body.includes('子單位管理者'), 'the child administrator has csm only');
  assert.equal((await c.get('/admin/systems/nosuch/admins')).status, 404);
  const central = await signedIn(ADMIN_USERNAME, ADMIN_PASSWORD);
  assert.match((await central.get('/admin/systems/csm/admins')).body, /兄弟機關管理者/);
});

test('ADM-5 ACC-3: delete asks for confirmation, erases personal data, keeps the username taken and the audit trail intact', async () => {
  const c = await asAdmin();
  const users = [newUser(), newUser()];
  for (const u of users) await add(c, { ...u, email: 'gone@taichung.gov.tw', title: '科員' });
  const rows = await Promise.all(users.map((u) => accountBy(u.username)));
  await signedIn(users[0].username, initialOf(users[0]));
  await db().insertInto('role_grants').values({ account_id: rows[0].id, role_code: 'csm_user', granted_by: raId, granted_at: t.clock.now() }).execute();
  const eventsBefore = await db().selectFrom('audit_events').select('seq').where('target_id', 'in', rows.map((r) => String(r.id))).execute();

  const list = await c.get('/admin/accounts?q=' + encodeURIComponent('王小明'));
  const body = (extra: [string, string][]) => new URLSearchParams([['_csrf', csrf(c, list.body)], ...rows.map((r): [string, string] => ['ids', String(r.id)]), ...extra]).toString();
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const confirm = await c.request('POST', '/admin/accounts/delete', body([]), form);
  assert.equal(confirm.status, 200, 'first a confirmation page');
  assert.match(confirm.body, /刪除後無法還原/);
  assert.match(confirm.body, new RegExp(users[1].username));
  assert.equal((await accountBy(users[0].username)).state, 'not_activated', 'nothing deleted yet');

  const done = await c.request('POST', '/admin/accounts/delete', body([['confirm', '1']]), form);
  assert.equal(done.location, '/admin/accounts?done=deleted&n=2');
  assert.match((await c.get(done.location!)).body, /已刪除 2 個帳號/);
  for (const r of rows) {
    const a = await db().selectFrom('accounts').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    assert.equal(a.state, 'deleted');
    assert.deepEqual([a.name, a.national_id_enc, a.national_id_hmac, a.birth_month, a.birth_day, a.email, a.title], ['', null, null, null, null, null, null]);
    assert.equal(a.username, r.username, 'the tombstone keeps the username');
    for (const table of ['passwords', 'sessions', 'role_grants', 'password_history', 'set_password_links'] as const) {
      assert.equal((await db().selectFrom(table).select('account_id').where('account_id', '=', r.id).execute()).length, 0, table);
    }
    assert.equal((await c.get(`/admin/accounts/${r.id}`)).status, 404);
  }
  assert.equal((await login(t, new Client(t.url), users[0].username, initialOf(users[0]))).status, 401);
  const retry = await add(c, { ...newUser(), username: users[0].username, nationalId: users[0].nationalId });
  assert.match(retry.body, /此帳號已被使用/, 'the username is never reissued');
  assert.ok(!retry.body.includes('已有帳號使用此身分證字號'), 'the person may get a new account');

  const eventsAfter = await db().selectFrom('audit_events').select(['seq', 'action']).where('target_id', 'in', rows.map((r) => String(r.id))).execute();
  assert.ok(eventsBefore.every((e) => eventsAfter.some((x) => x.seq === e.seq)), 'earlier events kept');
  assert.equal(eventsAfter.filter((e) => e.action === 'account.delete').length, 2);
  assert.equal((await verifyAuditChain(db())).broken, null, 'tessera audit verify still passes');
  assert.ok(!JSON.stringify(await db().selectFrom('audit_events').select('details').where('action', '=', 'account.delete').execute()).includes(users[0].username), 'usernames masked in the trail');
});

test('ADM-5: deleting oneself or an account outside the jurisdiction is refused, and nothing is deleted', async () => {
  const c = await asAdmin();
  const inside = await createAccount(t.deps, { username: 'keepme01', password: PASSWORD, unitOid: CHILD });
  const outside = await createAccount(t.deps, { username: 'keepme02', password: PASSWORD, unitOid: SIBLING });
  const page = await c.get('/admin/accounts');
  const post = (ids: number[]) => c.request('POST', '/admin/accounts/delete', new URLSearchParams([['_csrf', csrf(c, page.body)], ['confirm', '1'], ...ids.map((i): [string, string] => ['ids', String(i)])]).toString(),
    { 'content-type': 'application/x-www-form-urlencoded' });
  assert.equal((await post([inside, outside])).status, 404);
  const self = await createAccount(t.deps, { username: 'selfadmin', password: PASSWORD, unitOid: CHILD });
  await createGrant(t.deps, null, { accountId: self, kind: 'registration_admin', jurisdictionOid: AGENCY, categories: [] }, null);
  const me = await signedIn('selfadmin', PASSWORD);
  const mine = await me.get('/admin/accounts');
  const r = await me.request('POST', '/admin/accounts/delete', new URLSearchParams([['_csrf', csrf(me, mine.body)], ['confirm', '1'], ['ids', String(self)]]).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  assert.equal(r.status, 409);
  assert.match(r.body, /不能刪除自己的帳號/);
  const states = await db().selectFrom('accounts').select('state').where('id', 'in', [inside, outside, self]).execute();
  assert.ok(states.every((s) => s.state === 'enabled'));
});

test('API: the same operations as JSON, with 201, 422 field messages, explicit delete confirmation and 403 beyond the categories', async () => {
  let tok = '';
  await tokenCommand(t.deps, 'create', ['--username', 'raagency1'], { out: (s) => { tok += s; }, err: () => {} });
  const call = async (method: string, path: string, body?: unknown, lang = 'zh-TW') => {
    const r = await fetch(t.url + '/api/v1' + path, {
      method, headers: { authorization: `Bearer ${tok.trim()}`, 'accept-language': lang, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: await r.json() };
  };
  const u = newUser();
  const created = await call('POST', '/accounts', { ...u, birthMonth: 3, birthDay: 7 });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.deepEqual([created.body.state, created.body.scheme], ['not_activated', 'birthday_national_id']);
  const id = created.body.id;

  const bad = await call('POST', '/accounts', { ...newUser(), nationalId: 'A123456788', email: 'x@gmail.com', birthMonth: 3, birthDay: 7 }, 'en');
  assert.equal(bad.status, 422);
  assert.match(bad.body.errors.nationalId, /check digit/);
  assert.match(bad.body.errors.email, /allowed domains: gov\.tw, edu\.tw/);
  assert.equal((await call('POST', '/accounts', { ...newUser(), unitOid: SIBLING, birthMonth: 3, birthDay: 7 })).status, 422);
  assert.equal((await call('POST', '/accounts', { name: '王小明' })).status, 400, 'schema: unitOid required');

  assert.deepEqual((await call('PATCH', `/accounts/${id}`, { title: '技士', mobile: null })).body, { changed: ['title'] });
  assert.equal((await call('POST', `/accounts/${id}/state`, { state: 'disabled' })).body.state, 'disabled');
  assert.equal((await call('POST', `/accounts/${id}/one-day-password`)).status, 409, 'not for a disabled account');
  assert.equal((await call('POST', `/accounts/${id}/state`, { state: 'enabled' })).body.state, 'not_activated');
  assert.equal((await call('POST', `/accounts/${id}/one-day-password`)).body.expiresAt, '2026-11-25T16:00:00.000Z');
  assert.equal((await call('POST', `/accounts/${id}/reset-password`)).body.expiresAt, '2026-11-25T16:00:00.000Z');
  assert.deepEqual((await call('POST', `/accounts/${id}/unlock`)).body, { wasLocked: false });

  const roles = await call('GET', `/accounts/${id}/roles`);
  assert.ok(roles.body.grantable.every((r: { category: string }) => ['csm', 'bms'].includes(r.category)));
  assert.deepEqual((await call('PUT', `/accounts/${id}/roles`, { roles: ['csm_admin'] })).body, { added: ['csm_admin'], removed: [] });
  assert.equal((await call('PUT', `/accounts/${id}/roles`, { roles: ['csm_admin', 'fms_user'] })).status, 403);
  assert.equal((await call('PUT', `/accounts/${id}/roles`, { roles: ['no_such_role'] })).status, 404);

  const admins = await call('GET', '/systems/csm/admins');
  assert.ok(admins.body.items.some((a: { name: string }) => a.name === '註冊管理者'));

  assert.equal((await call('POST', '/accounts/delete', { ids: [id] })).status, 400, 'confirm: true is required');
  assert.equal((await call('POST', '/accounts/delete', { ids: [id], confirm: false })).status, 400);
  assert.deepEqual((await call('POST', '/accounts/delete', { ids: [id], confirm: true })).body, { deleted: 1 });
  assert.equal((await call('GET', `/accounts/${id}`)).status, 404);
});

test('AUTH-4 AUTH-7: issued passwords are refused the next day (midnight in Taipei)', async () => {
  const c = await asAdmin();
  const fresh = newUser();
  await add(c, { ...fresh });
  const u = newUser();
  await add(c, { ...u });
  const user = await signedIn(u.username, initialOf(u));
  await user.submit('/password/change', '/password/change', { current: initialOf(u), next: 'Quiet-Harbour-Maple-58', confirm: 'Quiet-Harbour-Maple-58' });
  const a = await accountBy(u.username);
  await c.submit(`/admin/accounts/${a.id}`, `/admin/accounts/${a.id}/one-day-password`, {});
  t.clock.set('2026-11-25T15:59:00Z'); // 23:59 in Taipei: still today
  await signedIn(u.username, initialOf(u));
  t.clock.set('2026-11-25T16:00:00Z'); // midnight
  for (const x of [u, fresh]) {
    const r = await login(t, new Client(t.url), x.username, initialOf(x));
    assert.equal(r.status, 401, x.username);
    assert.match(alertText(r.body) ?? '', /開帳密碼或一日密碼已逾期/);
  }
  t.clock.advance(DAY);
});

const SCHOOL = '2.16.886.111.90001.10300'; // sample policy (seed 001): set-password link, <校代碼>_name, 8 characters

test('ADM-3 ORG-2 issue 9 item 10: the OID picker finds units by name, code or OID, only inside the jurisdiction (in SQL)', async () => {
  const c = await asAdmin();
  const byName = await c.get('/admin/accounts/new?q=' + encodeURIComponent('登記股'));
  assert.deepEqual(chosen(byName.body), [CHILD, CHILD + '.20033']);
  assert.deepEqual(chosen((await c.get('/admin/accounts/new?q=387000000a')).body), [AGENCY], 'agency code, any case');
  assert.deepEqual(chosen((await c.get(`/admin/accounts/new?q=${CHILD}.20033`)).body), [CHILD + '.20033'], 'OID');
  for (const outside of ['範例高級中學', '010300', SIBLING, '2.16.886.101.90027', '臺中市政府']) {
    const r = await c.get('/admin/accounts/new?q=' + encodeURIComponent(outside));
    assert.ok(chosen(r.body).every((oid) => oid === AGENCY || oid.startsWith(AGENCY + '.')), `${outside}: nothing outside the jurisdiction`);
  }
  assert.match((await c.get('/admin/accounts/new?q=' + encodeURIComponent('範例高級中學'))).body, /您的管轄範圍內沒有符合的單位/);
  const out = await c.get(`/admin/accounts/new?unit=${SCHOOL}`);
  assert.equal(out.status, 400);
  assert.match(out.body, /此單位不在您的管轄範圍內/);
  assert.doesNotMatch(out.body, /name="username"/, 'no form for a unit out of reach');
});

test('ADM-3 ACC-1 AUTH-4 issue 9 item 10: the form shows and the server enforces the chosen unit\'s policy (school: link, <校代碼>_name, no birthday)', async () => {
  const c = await signedIn(ADMIN_USERNAME, ADMIN_PASSWORD);
  const found = await c.get('/admin/accounts/new?q=' + encodeURIComponent('範例高級中學'));
  assert.deepEqual(chosen(found.body), [SCHOOL]);
  const form = await c.get(`/admin/accounts/new?unit=${SCHOOL}`);
  assert.equal(form.status, 200);
  assert.match(form.body, /data-scheme="email_link"/);
  assert.doesNotMatch(form.body, /MmDd/, 'no initial-password text for a school');
  assert.match(form.body, /010300_myaccount/, 'the username rule names the school code');
  assert.doesNotMatch(form.body, /6 到 30 個英文字母或數字/);
  assert.match(form.body, /<legend>出生月日<\/legend>/, 'birthday not starred');
  assert.match(form.body, /<label for="email">[^<]*<span class="req"/, 'e-mail starred: the link goes there');
  const agency = await c.get(`/admin/accounts/new?unit=${CHILD}`);
  assert.match(agency.body, /6 到 30 個英文字母或數字/);
  assert.match(agency.body, /<legend>出生月日<span class="req"/);

  const base = { unitOid: SCHOOL, name: '張老師', nationalId: newNationalId(), email: 'chang@school.edu.tw' };
  const plain = await c.submit(`/admin/accounts/new?unit=${SCHOOL}`, '/admin/accounts', { ...base, username: 'teacher0101' });
  assert.equal(plain.status, 422, 'an agency-style username is refused in a school');
  assert.match(plain.body, /帳號須以校代碼加底線開頭/);
  assert.match(plain.body, /data-scheme="email_link"/, 'the refused form is still the school\'s');
  const noMail = await c.submit(`/admin/accounts/new?unit=${SCHOOL}`, '/admin/accounts', { ...base, username: '010300_chang', email: '' });
  assert.equal(noMail.status, 422);
  assert.match(noMail.body, /id="email"[^>]*aria-invalid="true"/);
  const ok = await c.submit(`/admin/accounts/new?unit=${SCHOOL}`, '/admin/accounts', { ...base, username: '010300_chang' });
  assert.equal(ok.status, 303, alertText(ok.body) ?? '');
  assert.match(ok.location!, /done=created-link/, 'no birthday needed: activation by link');
  const a = await accountBy('010300_chang');
  assert.equal(a.unit_oid, SCHOOL);
  assert.equal(await passwordOf(a.id), undefined, 'no MmDd password');
});
