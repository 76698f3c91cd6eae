// The request engine end to end through HTTP (REQ-1..6, ACC-4, AUTH-7, ADM-6): every request type
// submitted on its page, decided step by step on 審查詳細資訊 (and through the API), with rejection
// and withdraw; the history (who, when, decision, 審查說明) on the details page and in the printed
// form (its Chinese text read back); a mail to the requester at each decision received by a real
// SMTP server; the effect of the last approval, and nothing before it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { startSmtp, type TestSmtp } from '../helpers/mail.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { extractPdfText, compact } from '../helpers/pdf-text.ts';
import { person, decideOnPage, requestIdFrom, roles, requestRow, api, nationalIdOf, AGENCY, UNIT, PASSWORD, type Person } from '../helpers/requests.ts';
import { SESSION_COOKIE } from '../../src/auth/sessions.ts';
import { DAY } from '../../src/platform/clock.ts';
import { submitRequest, countApprovers } from '../../src/requests/engine.ts';
import { runDueRequests } from '../../src/requests/decisions.ts';
import { requestNumber } from '../../src/requests/format.ts';
import { findAccountByUsername } from '../../src/accounts/store.ts';
import { giveRoles } from '../helpers/factories.ts';

let t: TestApp;
let smtp: TestSmtp;
let user: Person, colleague: Person, supervisor: Person, admin: Person, central: Person;

before(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url, TESSERA_OUTBOX_POLL_MS: '200' } });
  user = await person(t, { username: 'wanguser1', name: '王小明' });
  colleague = await person(t, { username: 'chencolle', name: '陳同事' });
  supervisor = await person(t, { username: 'zhangsup1', name: '張主管', unit: AGENCY, grants: [{ kind: 'unit_supervisor', oid: AGENCY }] });
  admin = await person(t, { username: 'liadmin01', name: '李管理', unit: AGENCY, grants: [{ kind: 'registration_admin', oid: AGENCY, categories: ['csm', 'bms'] }] });
  const c = new Client(t.url);
  assert.equal((await login(t, c, ADMIN_USERNAME, ADMIN_PASSWORD)).status, 303);
  const centralId = (await findAccountByUsername(t.deps.db, ADMIN_USERNAME))!.id;
  await t.deps.db.updateTable('accounts').set({ name: '林中央' }).where('id', '=', centralId).execute();
  central = { id: centralId, username: ADMIN_USERNAME, name: '林中央', email: '', client: c, token: '' };
});
after(async () => { await t?.close(); await smtp?.close(); });

const mailTo = (p: Person, id: number, what: RegExp) => smtp.waitFor((m) => m.to === p.email && m.subject.includes(requestNumber(id)) && what.test(m.text), 8000);
const queueIds = async (p: Person) => [...(await p.client.get('/admin/requests')).body.matchAll(/data-request="(\d+)"/g)].map((m) => Number(m[1]));
const submitForm = (p: Person, type: string, fields: Record<string, string>) => p.client.submit(`/requests/new/${type}`, `/requests/new/${type}`, fields);
async function pdfText(p: Person, id: number): Promise<string> {
  const r = await fetch(`${t.url}/requests/${id}/form.pdf`, { headers: { cookie: `${SESSION_COOKIE}=${p.client.cookie(SESSION_COOKIE)}` } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  return compact(await extractPdfText(new Uint8Array(await r.arrayBuffer())));
}
const auditActions = async (id: number) => (await t.deps.db.selectFrom('audit_events').select('action').where('target_type', '=', 'request').where('target_id', '=', String(id)).orderBy('seq').execute()).map((e) => e.action);

test('REQ-2 ADM-6: 申請權限 shows 尚未申請 and how many can review; the administrator accepts in 待審核列表; the user sees 審核通過, holds the role, and is mailed', async () => {
  const page = await user.client.get('/requests/permissions');
  assert.equal(page.status, 200);
  const row = page.body.match(/<tr data-role="csm_user">[\s\S]*?<\/tr>/)![0];
  assert.match(row, /尚未申請/);
  // The agency's administrator (categories csm, bms) and the central authority.
  assert.match(row, /目前可審核的管理者有 2 位/);
  assert.equal(await countApprovers(t.deps.db, { type: 'permission_add', orgOid: UNIT, systems: ['csm'] }), 2);

  const id = requestIdFrom(await user.client.submit('/requests/permissions', '/requests/permissions', { role: 'csm_user', change: 'add' }));
  assert.match((await user.client.get('/requests/permissions')).body.match(/<tr data-role="csm_user">[\s\S]*?<\/tr>/)![0], /審核中/);
  assert.ok((await queueIds(admin)).includes(id), 'in the administrator\'s queue');
  assert.ok(!(await queueIds(supervisor)).includes(id), 'not in the supervisor\'s: the step is the administrator\'s');
  assert.deepEqual(await roles(t, user.id), [], 'nothing is given before the decision');

  const details = await admin.client.get(`/admin/requests/${id}`);
  assert.match(details.body, /審查詳細資訊/);
  assert.match(details.body, /<dd>公司登記管理系統－公司登記管理系統使用者<\/dd>/, 'the role by name, not code (issue 9 item 18)');
  const res = await decideOnPage(admin, id, 'approved', '業務需要，同意。');
  assert.equal(res.status, 303);
  assert.deepEqual(await roles(t, user.id), ['csm_user']);
  const grant = await t.deps.db.selectFrom('role_grants').select('granted_by').where('account_id', '=', user.id).executeTakeFirstOrThrow();
  assert.equal(grant.granted_by, admin.id);
  assert.match((await user.client.get('/requests/permissions')).body.match(/<tr data-role="csm_user">[\s\S]*?<\/tr>/)![0], /審核通過/);

  // REQ-5: the history on the requester's page.
  const mine = await user.client.get(`/requests/${id}`);
  const step = mine.body.match(/<tr data-step="1">[\s\S]*?<\/tr>/)![0];
  for (const s of ['李管理', '接受申請', '業務需要，同意。']) assert.ok(step.includes(s), `history shows ${s}`);
  const mail = await mailTo(user, id, /接受申請/);
  assert.match(mail.text, /業務需要，同意。/);
  assert.match(mail.text, /已核准並完成設定/);
  assert.deepEqual(await auditActions(id), ['request.submit', 'request.decide', 'request.execute']);
});

test('REQ-2 REQ-4: a rejection needs 審查說明; then 駁回 is shown, the role is not given, and the mail says why', async () => {
  const id = requestIdFrom(await user.client.submit('/requests/permissions', '/requests/permissions', { role: 'bms_user', change: 'add' }));
  const noComment = await decideOnPage(admin, id, 'rejected', '');
  assert.equal(noComment.status, 422);
  assert.match(noComment.body, /駁回時請填寫審查說明/);
  assert.equal((await requestRow(t, id)).status, 'pending', 'nothing decided');
  assert.equal((await decideOnPage(admin, id, 'rejected', '非業務承辦人員')).status, 303);
  assert.equal((await requestRow(t, id)).status, 'rejected');
  assert.ok(!(await roles(t, user.id)).includes('bms_user'));
  assert.match((await user.client.get('/requests/permissions')).body.match(/<tr data-role="bms_user">[\s\S]*?<\/tr>/)![0], /駁回/);
  const mail = await mailTo(user, id, /駁回/);
  assert.match(mail.text, /非業務承辦人員/);
  // A decided request cannot be decided again.
  const again = await decideOnPage(admin, id, 'approved', '');
  assert.equal(again.status, 409);
  assert.match(again.body, /已由其他審核者決定/);
});

test('REQ-2: 申請刪除權限 can be withdrawn while pending (not after), and removes the role once accepted', async () => {
  const id = requestIdFrom(await user.client.submit('/requests/permissions', '/requests/permissions', { role: 'csm_user', change: 'remove' }));
  const w = await user.client.submit(`/requests/${id}`, `/requests/${id}/withdraw`, {});
  assert.equal(w.status, 303);
  assert.equal((await requestRow(t, id)).status, 'withdrawn');
  assert.match((await user.client.get(`/requests/${id}`)).body, /已撤回/);
  assert.ok(!(await queueIds(admin)).includes(id), 'a withdrawn request leaves the queue');
  const stale = await decideOnPage(admin, id, 'approved');
  assert.equal(stale.status, 409, 'a decision on a withdrawn request is refused');
  assert.match(stale.body, /或申請已撤回/);
  const again = await user.client.post(`/requests/${id}/withdraw`, { _csrf: t.deps.keyring.mac('csrf', user.client.cookie('tessera_csrf')!) });
  assert.equal(again.status, 409);
  assert.deepEqual(await roles(t, user.id), ['csm_user']);
  // Another user cannot withdraw (nor see) it.
  assert.equal((await colleague.client.get(`/requests/${id}`)).status, 404);

  const id2 = requestIdFrom(await user.client.submit('/requests/permissions', '/requests/permissions', { role: 'csm_user', change: 'remove' }));
  assert.equal((await api(t, admin, 'POST', `/${id2}/decision`, { decision: 'approved', comment: '已離職業務' })).status, 200);
  assert.deepEqual(await roles(t, user.id), []);
  await mailTo(user, id2, /接受申請/);
});

test('REQ-3 D-06-10: administrator designation goes unit supervisor → central authority, whose approval makes the grant; the PDF has both approvals in Chinese', async () => {
  const res = await submitForm(user, 'registration_admin', { action: 'designate', jurisdictionOid: UNIT, categories: 'csm', reason: '本股業務帳號管理' });
  const id = requestIdFrom(res);
  assert.match((await user.client.get(res.location!)).body, /申請已送出/);
  assert.ok((await queueIds(supervisor)).includes(id));
  assert.ok(!(await queueIds(admin)).includes(id), 'a registration administrator decides no step of it');
  assert.equal((await admin.client.get(`/admin/requests/${id}`)).status, 404);
  assert.equal((await decideOnPage(supervisor, id, 'approved', '請本署核定')).status, 303);
  await mailTo(user, id, /已送交下一關：本署（中央主管機關）核定/);
  assert.equal((await t.deps.db.selectFrom('admin_grants').select('id').where('account_id', '=', user.id).execute()).length, 0, 'no grant before the last step');
  assert.ok(!(await queueIds(supervisor)).includes(id), 'the supervisor\'s step is done');
  assert.equal((await decideOnPage(supervisor, id, 'approved')).status, 403, 'and the next step is not the supervisor\'s');
  assert.ok((await queueIds(central)).includes(id));
  assert.equal((await decideOnPage(central, id, 'approved', '核定')).status, 303);
  const g = await t.deps.db.selectFrom('admin_grants').selectAll().where('account_id', '=', user.id).executeTakeFirstOrThrow();
  assert.deepEqual([g.kind, g.jurisdiction_oid, g.categories], ['registration_admin', UNIT, ['csm']]);
  await mailTo(user, id, /已核准並完成設定/);

  const text = await pdfText(supervisor, id);
  for (const s of ['D-06-10', '業務帳號註冊管理者異動申請單', '王小明', '張主管', '林中央', '請本署核定', '單位主管審核', '本署（中央主管機關）核定', requestNumber(id)]) {
    assert.ok(text.includes(compact(s)), `the printed form shows ${s}`);
  }
  assert.equal((await fetch(`${t.url}/requests/${id}/form.pdf`, { headers: { cookie: `${SESSION_COOKIE}=${admin.client.cookie(SESSION_COOKIE)}` } })).status, 404, 'nobody else prints it');
});

test('REQ-3 D-06-10: the supervisor\'s rejection ends it; the central authority never sees it', async () => {
  const id = requestIdFrom(await submitForm(colleague, 'registration_admin', { action: 'designate', jurisdictionOid: AGENCY, categories: '*', reason: '想管理全機關' }));
  assert.equal((await decideOnPage(supervisor, id, 'rejected', '範圍過大')).status, 303);
  assert.equal((await requestRow(t, id)).status, 'rejected');
  assert.ok(!(await queueIds(central)).includes(id));
  assert.equal((await t.deps.db.selectFrom('admin_grants').select('id').where('account_id', '=', colleague.id).execute()).length, 0);
  const text = (await colleague.client.get(`/requests/${id}`)).body;
  assert.match(text.match(/<tr data-step="1">[\s\S]*?<\/tr>/)![0], /範圍過大/);
  assert.match(text.match(/<tr data-step="2">[\s\S]*?<\/tr>/)![0], /尚未審核/);
  await mailTo(colleague, id, /範圍過大/);
});

test('REQ-3 D-06-09: add a general user (supervisor → registration administrator executes), delete one after a rejection, change roles', async () => {
  const add = requestIdFrom(await submitForm(user, 'user_change', {
    action: 'add', newUsername: 'newclerk01', name: '周新人', nationalId: nationalIdOf(900), birthMonth: '5', birthDay: '6', email: 'newclerk01@example.gov.tw', roles: 'csm_user', reason: '新進人員',
  }));
  const row = await requestRow(t, add);
  assert.equal(JSON.stringify(row.payload).includes(nationalIdOf(900)), false, 'the national ID is stored sealed, never in clear');
  assert.equal((await decideOnPage(admin, add, 'approved')).status, 403, 'the administrator sees it, but the supervisor decides first');
  assert.equal((await decideOnPage(supervisor, add, 'approved', '同意新增')).status, 303);
  assert.equal(await findAccountByUsername(t.deps.db, 'newclerk01'), undefined, 'nothing is created before the last step');
  assert.equal((await decideOnPage(admin, add, 'approved', '已建立')).status, 303);
  const created = (await findAccountByUsername(t.deps.db, 'newclerk01'))!;
  assert.equal(created.state, 'not_activated');
  assert.equal(created.unit_oid, UNIT);
  assert.deepEqual(await roles(t, created.id), ['csm_user']);
  assert.equal((await requestRow(t, add)).subject_account_id, created.id);

  const del = requestIdFrom(await submitForm(user, 'user_change', { action: 'delete', username: colleague.username, reason: '離職' }));
  assert.equal((await decideOnPage(supervisor, del, 'rejected', '尚未離職')).status, 303);
  assert.equal((await findAccountByUsername(t.deps.db, colleague.username))!.state, 'enabled');
  const del2 = requestIdFrom(await submitForm(user, 'user_change', { action: 'delete', username: colleague.username, reason: '已離職' }));
  assert.equal((await decideOnPage(supervisor, del2, 'approved')).status, 303);
  assert.equal((await decideOnPage(admin, del2, 'approved')).status, 303);
  assert.equal((await t.deps.db.selectFrom('accounts').select('state').where('id', '=', colleague.id).executeTakeFirstOrThrow()).state, 'deleted');

  const chg = requestIdFrom(await submitForm(user, 'user_change', { action: 'change', username: 'newclerk01', addRoles: 'bms_user', removeRoles: 'csm_user', reason: '調整業務' }));
  assert.equal((await decideOnPage(supervisor, chg, 'approved')).status, 303);
  assert.equal((await decideOnPage(admin, chg, 'approved')).status, 303);
  assert.deepEqual(await roles(t, created.id), ['bms_user']);

  // An unknown account or one outside the requester's unit is refused on the form.
  const bad = await submitForm(user, 'user_change', { action: 'delete', username: supervisor.username, reason: 'x' });
  assert.equal(bad.status, 422);
  assert.match(bad.body, /找不到申請的帳號/);
});

test('REQ-3 D-06-11 AUTH-7: a one-day password request, approved by the supervisor and enabled by the administrator, lets the user in today with a forced change', async () => {
  const id = requestIdFrom(await submitForm(user, 'one_day_password', { reason: '未攜帶自然人憑證' }));
  assert.equal((await decideOnPage(supervisor, id, 'approved', '核准')).status, 303);
  assert.equal((await t.deps.db.selectFrom('passwords').select('kind').where('account_id', '=', user.id).executeTakeFirstOrThrow()).kind, 'password', 'nothing before the administrator');
  assert.equal((await decideOnPage(admin, id, 'approved', '已啟用')).status, 303);
  const pw = await t.deps.db.selectFrom('passwords').selectAll().where('account_id', '=', user.id).executeTakeFirstOrThrow();
  assert.equal(pw.kind, 'one_day');
  assert.ok(pw.expires_at! > t.clock.now() && pw.expires_at!.getTime() - t.clock.now().getTime() <= DAY);
  const c = new Client(t.url);
  // MmDd + birth month/day + the last 4 of the national ID (seed 003).
  const r = await login(t, c, user.username, `MmDd0409${nationalIdOf(1).slice(-4)}`);
  assert.equal(r.status, 303);
  assert.equal(r.location, '/password/change');
  await mailTo(user, id, /已核准並完成設定/);
});

test('ACC-4: the profile page links to the locked-field change request; name and national ID change after supervisor and administrator', async () => {
  const p = await person(t, { username: 'huangpc01', name: '黃舊名' });
  const profile = await p.client.get('/profile');
  assert.equal(profile.status, 200);
  assert.match(profile.body, /href="\/requests\/new\/profile_change"/);
  const res = await submitForm(p, 'profile_change', { name: '黃新名', nationalId: nationalIdOf(901), reason: '戶籍更名' });
  const id = requestIdFrom(res);
  const view = (await p.client.get(`/requests/${id}`)).body;
  assert.ok(!view.includes(nationalIdOf(901)), 'the new national ID is shown masked only');
  assert.equal((await decideOnPage(supervisor, id, 'approved')).status, 303);
  assert.equal((await decideOnPage(admin, id, 'approved')).status, 303);
  const a = await t.deps.db.selectFrom('accounts').select(['name', 'national_id_enc']).where('id', '=', p.id).executeTakeFirstOrThrow();
  assert.equal(a.name, '黃新名');
  assert.equal(t.deps.keyring.decrypt(a.national_id_enc!), nationalIdOf(901));
  const empty = await submitForm(p, 'profile_change', { reason: '沒有要改' });
  assert.equal(empty.status, 422);
  assert.match(empty.body, /請至少填寫一項要變更的資料/);
});

test('REQ-1: an account application through the engine — accepted: enabled with the roles (granted by the administrator); rejected: the pending account is erased and its username free again', async () => {
  const apply = async (username: string) => {
    const accountId = await createAccount(t.deps, { username, password: PASSWORD, unitOid: AGENCY, state: 'pending', name: '申請人', profile: { email: `${username}@example.gov.tw` } });
    const { id } = await t.deps.db.transaction().execute((trx) => submitRequest(trx, t.deps, { type: 'account_application', orgOid: AGENCY, requesterAccountId: null, systems: ['csm'], payload: { accountId, roles: ['csm_user'] } }));
    return { accountId, id };
  };
  const a = await apply('applicant1');
  const refused = await login(t, new Client(t.url), 'applicant1', PASSWORD);
  assert.notEqual(refused.status, 303, 'a pending account cannot sign in');
  assert.match(refused.body, /您的帳號申請審核中/);
  assert.ok((await queueIds(admin)).includes(a.id));
  assert.equal((await decideOnPage(admin, a.id, 'approved', '歡迎')).status, 303);
  const acc = await t.deps.db.selectFrom('accounts').select(['state', 'activated_at']).where('id', '=', a.accountId).executeTakeFirstOrThrow();
  assert.equal(acc.state, 'enabled');
  assert.deepEqual(await roles(t, a.accountId), ['csm_user']);
  assert.equal((await t.deps.db.selectFrom('role_grants').select('granted_by').where('account_id', '=', a.accountId).executeTakeFirstOrThrow()).granted_by, admin.id);
  const m = await smtp.waitFor((x) => x.to === 'applicant1@example.gov.tw' && x.subject.includes(requestNumber(a.id)));
  assert.match(m.text, /帳號申請/);
  assert.match(m.text, /\/login/);
  assert.equal((await login(t, new Client(t.url), 'applicant1', PASSWORD)).status, 303, 'the approved applicant signs in');

  const b = await apply('applicant2');
  assert.equal((await decideOnPage(admin, b.id, 'rejected', '非本機關人員')).status, 303);
  const m2 = await smtp.waitFor((x) => x.to === 'applicant2@example.gov.tw' && x.subject.includes(requestNumber(b.id)));
  assert.match(m2.text, /非本機關人員/);
  const erased = await t.deps.db.selectFrom('accounts').selectAll().where('id', '=', b.accountId).executeTakeFirstOrThrow();
  assert.equal(erased.state, 'deleted');
  assert.equal(erased.name, '');
  assert.equal(erased.email, null);
  assert.equal(await findAccountByUsername(t.deps.db, 'applicant2'), undefined, 'the username is free again');
  const again = await apply('applicant2');
  assert.ok(again.accountId > b.accountId);
  const trail = await t.deps.db.selectFrom('audit_events').select('action').where('target_type', '=', 'account').where('target_id', '=', String(b.accountId)).execute();
  assert.ok(trail.some((e) => e.action === 'account.application.erase'), 'the audit keeps the erasure');
});

test('REQ-4: the JSON API lists mine and the queue, shows the history, decides and withdraws; 401 without a token', async () => {
  const p = await person(t, { username: 'apiuser01', name: '許介面' });
  assert.equal((await fetch(`${t.url}/api/v1/requests`)).status, 401);
  const s = await api(t, p, 'POST', '', { type: 'permission_add', role: 'csm_fi' });
  assert.equal(s.status, 201);
  assert.equal(s.json.number, requestNumber(s.json.id));
  const dup = await api(t, p, 'POST', '', { type: 'permission_add', role: 'csm_fi' });
  assert.equal(dup.status, 422);
  assert.match(JSON.stringify(dup.json.errors), /已有一筆相同的申請正在審核中/);
  assert.equal((await api(t, p, 'POST', '', { type: 'nonsense' })).status, 400);
  const mine = await api(t, p, 'GET', '');
  assert.deepEqual(mine.json.items.map((i: { id: number }) => i.id), [s.json.id]);
  const queue = await api(t, admin, 'GET', '/queue');
  assert.ok(queue.json.items.some((i: { id: number }) => i.id === s.json.id));
  assert.ok(!(await api(t, supervisor, 'GET', '/queue')).json.items.some((i: { id: number }) => i.id === s.json.id));
  const before = await api(t, admin, 'GET', `/${s.json.id}`);
  assert.equal(before.json.canDecide, true);
  assert.equal(before.json.approvers, await countApprovers(t.deps.db, { type: 'permission_add', orgOid: UNIT, systems: ['csm'], exclude: [p.id] }));
  assert.equal((await api(t, p, 'POST', `/${s.json.id}/decision`, { decision: 'approved' })).status, 403, 'not one\'s own');
  assert.equal((await api(t, admin, 'POST', `/${s.json.id}/decision`, { decision: 'approved', comment: 'OK', step: 2 })).status, 409, 'a step the caller did not see');
  const d = await api(t, admin, 'POST', `/${s.json.id}/decision`, { decision: 'approved', comment: 'OK', step: 1 });
  assert.deepEqual([d.status, d.json.status], [200, 'completed']);
  const after = await api(t, p, 'GET', `/${s.json.id}`);
  assert.deepEqual(after.json.steps.map((x: { decidedBy: string; decision: string; comment: string }) => [x.decidedBy, x.decision, x.comment]), [['李管理', 'approved', 'OK']]);
  assert.equal((await api(t, supervisor, 'GET', `/${s.json.id}`)).status, 404);

  const w = await api(t, p, 'POST', '', { type: 'one_day_password', reason: '忘了帶卡' });
  assert.equal((await api(t, admin, 'POST', `/${w.json.id}/withdraw`)).status, 404, 'only the requester withdraws');
  assert.deepEqual((await api(t, p, 'POST', `/${w.json.id}/withdraw`)).json, { status: 'withdrawn' });
  assert.equal((await api(t, p, 'POST', `/${w.json.id}/withdraw`)).status, 409);
});

test('REQ-4: an approver never decides their own request; an approval that cannot be carried out is refused and changes nothing', async () => {
  const own = requestIdFrom(await admin.client.submit('/requests/permissions', '/requests/permissions', { role: 'fms_user', change: 'add' }));
  assert.ok(!(await queueIds(admin)).includes(own));
  assert.equal((await api(t, admin, 'POST', `/${own}/decision`, { decision: 'approved' })).status, 403);
  assert.equal((await requestRow(t, own)).status, 'pending');

  const p = await person(t, { username: 'gonepers1', name: '趙消失' });
  const id = (await api(t, p, 'POST', '', { type: 'permission_add', role: 'csm_user' })).json.id;
  await t.deps.db.updateTable('accounts').set({ state: 'disabled' }).where('id', '=', p.id).execute();
  const r = await decideOnPage(admin, id, 'approved', '同意');
  assert.equal(r.status, 409);
  assert.match(r.body, /申請的帳號已不存在或狀態已改變/);
  assert.equal((await requestRow(t, id)).status, 'pending');
  assert.equal((await t.deps.db.selectFrom('request_decisions').select('id').where('request_id', '=', id).execute()).length, 0, 'no decision recorded');
  assert.deepEqual(await roles(t, p.id), []);
});

// Last: it moves the clock a day ahead, which ends every session of the other tests.
test('REQ-6: a removal with an effective date is approved ahead and carried out on that day, with a mail', async () => {
  const p = await person(t, { username: 'leaving01', name: '吳離職' });
  await giveRoles(t.deps, p.id, 'bms_user');
  const tomorrow = new Date(t.clock.now().getTime() + 8 * 3_600_000 + DAY).toISOString().slice(0, 10);
  const past = await api(t, p, 'POST', '', { type: 'permission_remove', role: 'bms_user', effectiveDate: '2020-01-01' });
  assert.equal(past.status, 422);
  const r = await api(t, p, 'POST', '', { type: 'permission_remove', role: 'bms_user', effectiveDate: tomorrow });
  assert.equal(r.status, 201);
  assert.equal((await decideOnPage(admin, r.json.id, 'approved', '離職日移除')).status, 303);
  assert.equal((await requestRow(t, r.json.id)).status, 'approved');
  assert.deepEqual(await roles(t, p.id), ['bms_user'], 'kept until the day');
  assert.match((await p.client.get(`/requests/${r.json.id}`)).body, /已核准，待生效日執行/);
  assert.deepEqual(await runDueRequests(t.deps), { completed: 0, failed: 0 });
  t.clock.advance(DAY);
  assert.deepEqual(await runDueRequests(t.deps), { completed: 1, failed: 0 });
  assert.deepEqual(await runDueRequests(t.deps), { completed: 0, failed: 0 }, 'once only');
  assert.deepEqual(await roles(t, p.id), []);
  assert.equal((await requestRow(t, r.json.id)).status, 'completed');
  await smtp.waitFor((m) => m.to === p.email && m.subject.includes('生效日') && m.subject.includes(requestNumber(r.json.id)));
});
