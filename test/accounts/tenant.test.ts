// Tenant accounts over HTTP (ACC-7..10, ACC-2, AUTH-4), mail received by a real SMTP server:
// set-password links, 補寄驗證信, sub-accounts with the school-code prefix, one person one account,
// jurisdiction between tenants, main-account transfer and the public holder look-up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startSmtp, type TestSmtp, type ReceivedMail } from '../helpers/mail.ts';
import { Client, type Res } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { HOUR, MINUTE } from '../../src/platform/clock.ts';
import { drainOutbox } from '../../src/platform/outbox.ts';
import { importOrgs } from '../../src/orgs/service.ts';
import { checkDigitFor } from '../../src/accounts/national-id.ts';
import { giveGrant } from '../helpers/factories.ts';

const SCHOOL = { oid: '2.16.886.111.90001.10300', code: '010300' };
const OTHER = { oid: '2.16.886.111.90001.10301', code: '010301' };
const PASSWORD = 'Lantern-Orchid-73';
const HOLDER_PW = 'Correct-Horse-Battery-9';

let t: TestApp;
let smtp: TestSmtp;
const logLines: string[] = [];
before(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url, LOG_LEVEL: 'info' }, logLines });
  await importOrgs(t.deps, null, `oid,name,agency_code,tenant_code,kind\n${OTHER.oid},第二範例高級中學,,${OTHER.code},school\n`, { dryRun: false });
});
after(async () => { await t?.close(); await smtp?.close(); });

let n = 0;
const uniq = () => String(++n).padStart(3, '0');
/** A valid national ID, different on every call. */
const nationalId = () => { const first9 = `B1${String(2000000 + n * 7919).padStart(7, '0')}`; return first9 + checkDigitFor(first9); };

/** A main-account holder of `tenant`, signed in. */
async function holder(tenant = SCHOOL) {
  const u = uniq();
  const username = `${tenant.code}_main${u}`;
  const id = await createAccount(t.deps, {
    username, password: HOLDER_PW, unitOid: tenant.oid, name: '張主任',
    profile: { email: `main${u}@school.example.edu.tw`, department: '教務處', title: '教務主任', officePhone: '04-2222-3333', officeExt: '101' },
  });
  await giveGrant(t.deps, id, 'main_account', tenant.oid, ['*']);
  const c = new Client(t.url);
  assert.equal((await login(t, c, username, HOLDER_PW)).status, 303);
  return { id, username, c, email: `main${u}@school.example.edu.tw` };
}

function subAccount(suffix: string, tenant = SCHOOL, extra: Record<string, string> = {}) {
  const u = uniq();
  return {
    tenant: tenant.code, username: `${tenant.code}_${suffix}`, name: '李老師', department: '教務處', title: '教師',
    officePhone: '04-2222-4444', officeExt: '', email: `${suffix}.${u}@school.example.edu.tw`, nationalId: nationalId(), ...extra,
  };
}

const create = (c: Client, f: Record<string, string>, tenant = f.tenant ?? SCHOOL.code) =>
  c.submit(`/tenant/accounts?tenant=${tenant}`, '/tenant/accounts', { ...f, tenant });

const linkIn = (m: ReceivedMail): string => {
  const link = m.text.match(/(http:\/\/\S+\/activate\/[A-Za-z0-9_-]{43})/)?.[1];
  assert.ok(link, 'the mail carries a set-password link');
  return link;
};
const mailsTo = (to: string) => smtp.received.filter((m) => m.to === to);
async function linkMail(to: string, nth = 1): Promise<ReceivedMail> {
  await drainOutbox(t.deps);
  await smtp.waitFor(() => mailsTo(to).filter((m) => /設定密碼/.test(m.subject)).length >= nth);
  return mailsTo(to).filter((m) => /設定密碼/.test(m.subject))[nth - 1];
}
const path = (link: string) => new URL(link).pathname;
const setPassword = (c: Client, link: string, next = PASSWORD, confirm = next) => c.submit(path(link), path(link), { next, confirm });
/** Posts to a link whose own page has no form (a dead link), with the CSRF token of another page. */
async function postDead(c: Client, link: string, next = PASSWORD): Promise<Res> {
  const csrf = (await c.get('/activate/resend')).body.match(/name="_csrf" value="([^"]+)"/)![1];
  return c.post(path(link), { next, confirm: next, _csrf: csrf });
}
const accountByUsername = (u: string) => t.deps.db.selectFrom('accounts').selectAll().where('username', '=', u).executeTakeFirst();
const fieldError = (html: string, f: string) => html.match(new RegExp(`id="${f}-error" class="field-error">([^<]*)`))?.[1];
const normalise = (html: string) => html.replace(/%2Factivate%2F[A-Za-z0-9_-]+/g, 'TOKEN').replace(/data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+/g, 'IMG').replace(/name="captchaId" value="[^"]*"/g, 'CAPTCHA');

test('ACC-7, AUTH-4: holder creates 010300_teacher → mail → link shows name and username → password set → enabled → login; link single use', async () => {
  const h = await holder();
  const f = subAccount('teacher');
  const page = await h.c.get(`/tenant/accounts?tenant=${SCHOOL.code}`);
  assert.equal(page.status, 200);
  assert.match(page.body, /value="010300_"/, 'the form shows the school-code prefix');
  const r = await create(h.c, f);
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const after = await h.c.get(r.location!);
  assert.match(after.body, new RegExp(`已建立子帳號 ${f.username}`));
  const acc = (await accountByUsername(f.username))!;
  assert.equal(acc.state, 'not_activated');
  assert.equal(acc.unit_oid, SCHOOL.oid);

  const mail = await linkMail(f.email);
  const link = linkIn(mail);
  assert.ok(!link.includes(f.username), 'no username in the link');
  assert.match(mail.text, new RegExp(`「帳號」：${f.username}`));
  const stored = await t.deps.db.selectFrom('set_password_links').selectAll().where('account_id', '=', acc.id).executeTakeFirstOrThrow();
  assert.ok(!link.includes(stored.token_hash), 'the token is stored as a keyed hash only');
  assert.equal(stored.expires_at.getTime() - stored.created_at.getTime(), 72 * HOUR);

  const c = new Client(t.url);
  const form = await c.get(path(link));
  assert.equal(form.status, 200);
  assert.match(form.body, /李老師/);
  assert.match(form.body, new RegExp(`data-testid="activate-username">${f.username}<`));
  const weak = await setPassword(c, link, 'short1A!');
  assert.equal(weak.status, 422, 'the policy is applied');
  const mismatch = await setPassword(c, link, PASSWORD, PASSWORD + 'x');
  assert.equal(mismatch.status, 422);
  const done = await setPassword(c, link);
  assert.equal(done.status, 303);
  assert.equal(done.location, '/activate?done=1');

  const now = (await accountByUsername(f.username))!;
  assert.equal(now.state, 'enabled');
  assert.ok(now.activated_at);
  const pw = await t.deps.db.selectFrom('passwords').selectAll().where('account_id', '=', acc.id).executeTakeFirstOrThrow();
  assert.equal(pw.kind, 'password');
  const events = await t.deps.db.selectFrom('audit_events').select(['action', 'actor_account_id']).where('target_id', '=', String(acc.id)).orderBy('seq').execute();
  assert.deepEqual(events.map((e) => e.action), ['account.create', 'account.activate']);
  assert.equal(events[0].actor_account_id, h.id);

  assert.equal((await login(t, new Client(t.url), f.username, PASSWORD)).status, 303, 'the teacher logs in');
  const again = await c.get(path(link));
  assert.equal(again.status, 404, 'a used link is refused');
  const reuse = await postDead(c, link, 'Another-Orchid-74');
  assert.equal(reuse.status, 404);
  const unknown = await c.get('/activate/' + 'A'.repeat(43));
  assert.equal(normalise(again.body), normalise(unknown.body), 'used and unknown links get the same page');
  const token = path(link).split('/').pop()!;
  assert.ok(logLines.some((l) => l.includes('/activate/:token')), 'requests to the link are logged');
  assert.ok(logLines.every((l) => !l.includes(token)), 'but never with the token');
});

test('ACC-7 (issue 9 item 19): the verification mail lists 帳號, 姓名, 處室, 職稱, 電話(分機), 信箱 and names the school code, as seed 001\'s does', async () => {
  const h = await holder();
  const f = subAccount('details', SCHOOL, { officeExt: '205' });
  assert.equal((await create(h.c, f)).status, 303);
  const text = (await linkMail(f.email)).text;
  assert.match(text, /^如果您並不是【010300】學校的老師，請忽略本信件。/);
  for (const line of [`「帳號」：${f.username}`, '「姓名」：李老師', '「處室名稱」：教務處', '「職稱」：教師', '「電話(分機)」：04-2222-4444#205', `「信箱」：${f.email}`]) {
    assert.ok(text.includes(line), `the mail lists ${line}`);
  }
});

test('AUTH-4: a link expires after 72 hours (73 h refused, same neutral page)', async () => {
  const h = await holder();
  const f = subAccount('late');
  assert.equal((await create(h.c, f)).status, 303);
  const link = linkIn(await linkMail(f.email));
  t.clock.advance(73 * HOUR);
  const c = new Client(t.url);
  const page = await c.get(path(link));
  assert.equal(page.status, 404);
  const unknown = await c.get('/activate/' + 'B'.repeat(43));
  assert.equal(normalise(page.body), normalise(unknown.body));
  const post = await postDead(c, link);
  assert.equal(post.status, 404);
  assert.equal(normalise(post.body), normalise(unknown.body));
  assert.equal((await accountByUsername(f.username))!.state, 'not_activated');
});

test('ACC-7: 補寄驗證信 sends a fresh link and voids the old one; wrong details get the same response and no mail', async () => {
  const h = await holder();
  const f = subAccount('resend');
  assert.equal((await create(h.c, f)).status, 303);
  const first = linkIn(await linkMail(f.email));
  t.clock.advance(2 * MINUTE);

  const c = new Client(t.url);
  const loginPage = await c.get('/login');
  assert.match(loginPage.body, /href="\/activate\/resend"/, 'linked from the login page');
  const resend = (x: Record<string, string>) => c.submit('/activate/resend', '/activate/resend', () => ({ ...x, captcha: t.lastCaptcha() }));
  const right = await resend({ name: f.name, username: f.username, email: f.email.toUpperCase() });
  assert.equal(right.status, 200);
  assert.match(right.body, /新的設定密碼連結已寄至您的信箱/);
  const second = linkIn(await linkMail(f.email, 2));
  assert.notEqual(second, first);
  assert.equal((await c.get(path(first))).status, 404, 'the old link is void');
  assert.equal((await c.get(path(second))).status, 200);

  t.clock.advance(2 * MINUTE);
  const before = mailsTo(f.email).length;
  for (const wrong of [{ ...f, name: '李老帥' }, { ...f, email: 'someone@school.example.edu.tw' }, { ...f, username: '010300_nosuch' }]) {
    const r = await resend({ name: wrong.name, username: wrong.username, email: wrong.email });
    assert.equal(r.status, right.status);
    assert.equal(normalise(r.body.replace(/value="[^"]*"/g, '')), normalise(right.body.replace(/value="[^"]*"/g, '')));
  }
  const badCaptcha = await c.submit('/activate/resend', '/activate/resend', { name: f.name, username: f.username, email: f.email, captcha: '000000' });
  assert.equal(badCaptcha.status, 400);
  await drainOutbox(t.deps);
  assert.equal(mailsTo(f.email).length, before, 'no mail for wrong details or a wrong captcha');
  assert.equal((await c.get(path(second))).status, 200, 'and the live link still works');
  const outbox = await t.deps.db.selectFrom('outbox').select('id').where('recipient', '=', 'someone@school.example.edu.tw').execute();
  assert.equal(outbox.length, 0);
});

test('ACC-2: the holder creates 010300_x names only — not 010301_x, not without the prefix, not a taken name', async () => {
  const h = await holder();
  for (const username of ['010301_x1', 'teacher2', '010300_', '010300_a', '010300_bad name', '010300x_abc']) {
    const r = await create(h.c, subAccount('x', SCHOOL, { username }));
    assert.equal(r.status, 422, username);
    assert.match(fieldError(r.body, 'username') ?? '', /帳號須以校代碼加底線開頭/, username);
    assert.equal(await accountByUsername(username), undefined, username);
  }
  assert.equal((await create(h.c, subAccount('dup.name-1'))).status, 303);
  const taken = await create(h.c, subAccount('dup.name-1'));
  assert.equal(taken.status, 422);
  assert.equal(fieldError(taken.body, 'username'), '此帳號已被使用。');
});

test('ACC-10: one person one account — a national ID or e-mail already in the tenant is refused; another tenant may have them', async () => {
  const h = await holder();
  const first = subAccount('first');
  assert.equal((await create(h.c, first)).status, 303);
  const sameId = await create(h.c, subAccount('second', SCHOOL, { nationalId: first.nationalId.toLowerCase() }));
  assert.equal(sameId.status, 422);
  assert.match(fieldError(sameId.body, 'nationalId') ?? '', /此身分證字號在本校已有帳號/);
  const sameMail = await create(h.c, subAccount('third', SCHOOL, { email: first.email.toUpperCase() }));
  assert.equal(sameMail.status, 422);
  assert.match(fieldError(sameMail.body, 'email') ?? '', /此信箱在本校已有帳號/);
  assert.equal(await accountByUsername('010300_second'), undefined);
  assert.equal(await accountByUsername('010300_third'), undefined);

  const other = await holder(OTHER);
  const elsewhere = await create(other.c, subAccount('first', OTHER, { nationalId: first.nationalId, email: first.email }));
  assert.equal(elsewhere.status, 303, 'the rule is per tenant');
});

test('ACC-7: a holder of another tenant can neither list nor create nor disable here (404); lists hold only the own tenant', async () => {
  const a = await holder();
  const f = subAccount('target');
  assert.equal((await create(a.c, f)).status, 303);
  const target = (await accountByUsername(f.username))!;
  const b = await holder(OTHER);

  assert.equal((await b.c.get(`/tenant/accounts?tenant=${SCHOOL.code}`)).status, 404);
  const own = await b.c.get('/tenant/accounts');
  assert.equal(own.status, 200, 'without a code: the only tenant held');
  assert.match(own.body, /校代碼 010301/);
  assert.doesNotMatch(own.body, /010300_/, 'nothing of the other tenant');

  const csrf = (await b.c.get('/tenant/accounts')).body.match(/name="_csrf" value="([^"]+)"/)![1];
  const made = await b.c.post('/tenant/accounts', { ...subAccount('intruder'), tenant: SCHOOL.code, _csrf: csrf });
  assert.equal(made.status, 404);
  assert.equal(await accountByUsername('010300_intruder'), undefined);
  const made2 = await b.c.post('/tenant/accounts', { ...subAccount('intruder2'), tenant: OTHER.code, _csrf: csrf });
  assert.equal(made2.status, 422, 'own tenant, other prefix: refused by the prefix rule');
  assert.equal(await accountByUsername('010300_intruder2'), undefined);

  for (const tenant of [SCHOOL.code, OTHER.code]) {
    const r = await b.c.post(`/tenant/accounts/${target.id}/disable`, { tenant, _csrf: csrf });
    assert.equal(r.status, 404, tenant);
  }
  assert.equal((await accountByUsername(f.username))!.state, 'not_activated');
  const anon = await new Client(t.url).get(`/tenant/accounts?tenant=${SCHOOL.code}`);
  assert.equal(anon.status, 303, 'anonymous: to the login page');
  // An ordinary account with no grant has no tenant page at all.
  const plain = await create(a.c, subAccount('plain'));
  assert.equal(plain.status, 303);
});

test('ACC-7: the holder disables a sub-account (sessions end), but not a main account', async () => {
  const h = await holder();
  const u = `010300_leaver${uniq()}`;
  const id = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: SCHOOL.oid, profile: { email: `${u}@school.example.edu.tw` } });
  const leaver = new Client(t.url);
  assert.equal((await login(t, leaver, u, PASSWORD)).status, 303);
  const csrf = (await h.c.get('/tenant/accounts')).body.match(/name="_csrf" value="([^"]+)"/)![1];
  const r = await h.c.post(`/tenant/accounts/${id}/disable`, { tenant: SCHOOL.code, _csrf: csrf });
  assert.equal(r.status, 303);
  assert.match((await h.c.get(r.location!)).body, new RegExp(`已停用 ${u}`));
  assert.equal((await accountByUsername(u))!.state, 'disabled');
  assert.equal((await leaver.get('/')).status, 303, 'the disabled account is signed out');
  const self = await h.c.post(`/tenant/accounts/${h.id}/disable`, { tenant: SCHOOL.code, _csrf: csrf });
  assert.equal(self.status, 409);
  assert.equal((await accountByUsername(h.username))!.state, 'enabled');
});

test('ACC-8: transfer moves the main_account grant to an enabled sub-account, audited, both mailed', async () => {
  const h = await holder();
  const u = `010300_next${uniq()}`;
  const email = `${u}@school.example.edu.tw`;
  const succ = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: SCHOOL.oid, name: '王組長', profile: { email } });
  const notYet = subAccount('notyet');
  assert.equal((await create(h.c, notYet)).status, 303);
  const page = await h.c.get(`/tenant/accounts?tenant=${SCHOOL.code}`);
  assert.match(page.body, new RegExp(`<option value="${succ}">`), 'an enabled sub-account is offered');
  const notYetId = (await accountByUsername(notYet.username))!.id;
  assert.doesNotMatch(page.body, new RegExp(`<option value="${notYetId}">`), 'a not-activated one is not');
  const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)![1];

  assert.equal((await h.c.post('/tenant/transfer', { tenant: SCHOOL.code, successor: String(notYetId), confirm: '1', _csrf: csrf })).status, 404);
  const unconfirmed = await h.c.post('/tenant/transfer', { tenant: SCHOOL.code, successor: String(succ), _csrf: csrf });
  assert.equal(unconfirmed.status, 422);

  const r = await h.c.post('/tenant/transfer', { tenant: SCHOOL.code, successor: String(succ), confirm: '1', _csrf: csrf });
  assert.equal(r.status, 200);
  assert.match(r.body, new RegExp(`主帳號已移轉給 ${u}`));
  const grants = await t.deps.db.selectFrom('admin_grants').select(['account_id']).where('kind', '=', 'main_account')
    .where('jurisdiction_oid', '=', SCHOOL.oid).where('account_id', 'in', [h.id, succ]).execute();
  assert.deepEqual(grants.map((g) => g.account_id), [succ]);
  assert.equal((await h.c.get(`/tenant/accounts?tenant=${SCHOOL.code}`)).status, 404, 'the old holder has lost it');
  const next = new Client(t.url);
  assert.equal((await login(t, next, u, PASSWORD)).status, 303);
  assert.equal((await next.get(`/tenant/accounts?tenant=${SCHOOL.code}`)).status, 200, 'the successor has it');
  const ev = await t.deps.db.selectFrom('audit_events').selectAll().where('action', '=', 'admin_grant.transfer').where('target_id', '=', String(succ)).executeTakeFirstOrThrow();
  assert.equal(ev.actor_account_id, h.id);

  await drainOutbox(t.deps);
  const gained = await smtp.waitFor((m) => m.to === email && /主帳號移轉通知/.test(m.subject));
  assert.match(gained.text, /您現在是本校主帳號負責人/);
  const lost = await smtp.waitFor((m) => m.to === h.email && /主帳號移轉通知/.test(m.subject));
  assert.match(lost.text, /您已不再是本校主帳號負責人/);
});

test('ACC-9: public look-up shows name, department, title and office phone of the holders only, and needs the captcha', async () => {
  const h = await holder(OTHER);
  const sub = subAccount('visible', OTHER, { name: '林組員' });
  assert.equal((await create(h.c, sub)).status, 303);
  const c = new Client(t.url);
  assert.match((await c.get('/login')).body, /href="\/tenant\/holder"/, 'linked from the login page');
  const ask = (code: string, captcha?: string) => c.submit('/tenant/holder', '/tenant/holder', () => ({ code, captcha: captcha ?? t.lastCaptcha() }));

  const wrong = await ask(OTHER.code, '000000');
  assert.equal(wrong.status, 400);
  assert.doesNotMatch(wrong.body, /張主任/, 'nothing without a right captcha');

  const r = await ask(OTHER.code);
  assert.equal(r.status, 200);
  const table = r.body.match(/<table data-testid="holders">[\s\S]*?<\/table>/)![0];
  const cells = [...table.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]);
  const holders = await t.deps.db.selectFrom('admin_grants').select('account_id').where('kind', '=', 'main_account').where('jurisdiction_oid', '=', OTHER.oid).execute();
  assert.equal(cells.length, 4 * holders.length, 'four cells per holder');
  assert.deepEqual(cells.slice(-4), ['張主任', '教務處', '教務主任', '04-2222-3333 #101']);
  for (const secret of [h.email, h.username, '林組員', sub.username, sub.email]) assert.ok(!r.body.includes(secret), secret);

  const none = await ask('999999');
  assert.equal(none.status, 200);
  assert.match(none.body, /查無該所學校負責人資料，請確認您填寫的校代碼是否正確。/);
  assert.doesNotMatch(none.body, /data-testid="holders"/);
});

test('ACC-7: a main-account holder reaches the sub-account page from 註冊服務', async () => {
  const h = await holder();
  const home = await h.c.get('/');
  assert.match(home.body, /<a href="\/admin">/);
  const admin = await h.c.get('/admin');
  assert.equal(admin.status, 200);
  assert.match(admin.body, /<a href="\/tenant\/accounts">子帳號管理<\/a>/);
});

test('ACC-7 ACC-8 ADM-5 issue 9 item 13: the holder edits a sub-account, gives and removes its system roles within the grant\'s categories, and sends its link; another school\'s holder cannot (404), nothing changes', async () => {
  const h = await holder();
  await t.deps.db.updateTable('admin_grants').set({ categories: ['shs'] }).where('account_id', '=', h.id).execute();
  const f = subAccount('item13');
  assert.equal((await create(h.c, f)).status, 303);
  const a = await t.deps.db.selectFrom('accounts').select(['id', 'username']).where('username', '=', f.username).executeTakeFirstOrThrow();
  const at = `/tenant/accounts/${a.id}?tenant=${SCHOOL.code}`;
  const detail = await h.c.get(at);
  assert.equal(detail.status, 200);
  assert.match(detail.body, /編輯子帳號/);
  assert.match(detail.body, /編報站權限/);
  const offered = [...detail.body.matchAll(/name="roles" value="([a-z_]+)"/g)].map((m) => m[1]).sort();
  assert.deepEqual(offered, ['capital_admin', 'capital_user', 'dept_admin', 'dept_user'], 'only the grant\'s category (shs)');
  assert.match(detail.body, /資本門系統：資本門系統填報/, 'names, not codes');

  const edited = await h.c.submit(at, `/tenant/accounts/${a.id}`, { tenant: SCHOOL.code, name: '李大明', department: '學務處', title: '組長', officePhone: '04-2222-5555', officeExt: '12', email: f.email });
  assert.equal(edited.status, 303);
  assert.match((await h.c.get(edited.location!)).body, /已儲存 010300_item13 的資料/);
  const row = await t.deps.db.selectFrom('accounts').select(['name', 'department', 'title']).where('id', '=', a.id).executeTakeFirstOrThrow();
  assert.deepEqual(row, { name: '李大明', department: '學務處', title: '組長' });
  const missing = await h.c.submit(at, `/tenant/accounts/${a.id}`, { tenant: SCHOOL.code, name: '李大明', department: '', title: '組長', officePhone: '04-2222-5555', officeExt: '', email: h.email });
  assert.equal(missing.status, 422);
  assert.match(missing.body, /id="department"[^>]*aria-invalid="true"/);
  assert.match(missing.body, /此信箱在本校已有帳號/, 'one person, one account (ACC-10)');

  const given = await h.c.submit(at, `/tenant/accounts/${a.id}/roles`, { tenant: SCHOOL.code, roles: 'capital_user' });
  assert.equal(given.status, 303);
  assert.match((await h.c.get(given.location!)).body, /新增 1 項、移除 0 項/);
  const rolesOf = async () => (await t.deps.db.selectFrom('role_grants').select('role_code').where('account_id', '=', a.id).execute()).map((r) => r.role_code).sort();
  assert.deepEqual(await rolesOf(), ['capital_user']);
  const beyond = await h.c.submit(at, `/tenant/accounts/${a.id}/roles`, { tenant: SCHOOL.code, roles: 'csm_user' });
  assert.equal(beyond.status, 403, 'a role outside the grant\'s categories is refused');
  assert.deepEqual(await rolesOf(), ['capital_user'], 'and nothing changed');
  const removed = await h.c.submit(at, `/tenant/accounts/${a.id}/roles`, { tenant: SCHOOL.code });
  assert.equal(removed.status, 303);
  assert.deepEqual(await rolesOf(), []);

  t.clock.advance(2 * MINUTE);
  const link = await h.c.submit(at, `/tenant/accounts/${a.id}/resend-mail`, { tenant: SCHOOL.code });
  assert.equal(link.status, 303);
  await linkMail(f.email, 2);

  const other = await holder(OTHER);
  const before = await t.deps.db.selectFrom('accounts').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
  for (const tenant of [SCHOOL.code, OTHER.code]) {
    assert.equal((await other.c.get(`/tenant/accounts/${a.id}?tenant=${tenant}`)).status, 404);
    assert.equal((await other.c.submit('/tenant/accounts', `/tenant/accounts/${a.id}`, { tenant, name: '竄改', department: 'x', title: 'x', officePhone: '04-1111-1111', officeExt: '', email: 'x@school.example.edu.tw' })).status, 404);
    assert.equal((await other.c.submit('/tenant/accounts', `/tenant/accounts/${a.id}/roles`, { tenant, roles: 'capital_user' })).status, 404);
    assert.equal((await other.c.submit('/tenant/accounts', `/tenant/accounts/${a.id}/resend-mail`, { tenant })).status, 404);
  }
  assert.deepEqual(await t.deps.db.selectFrom('accounts').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow(), before);
  assert.deepEqual(await rolesOf(), []);
});
