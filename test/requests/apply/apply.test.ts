// Self-service account application over HTTP (REQ-1, AUTH-6, ADM-6, seed 000): the agency by
// look-up, codes by mail (real SMTP server) and SMS (local HTTP gateway), the unit's profile and
// password rules, the roles with their approver counts, the pending account and its request, the
// administrator's approval and the applicant's sign-in; an abandoned application leaves nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../../helpers/app.ts';
import { startSmtp, type TestSmtp } from '../../helpers/mail.ts';
import { startSmsGateway, type TestSmsGateway } from '../../helpers/sms-gateway.ts';
import { Client } from '../../helpers/client.ts';
import { createAccount } from '../../helpers/accounts.ts';
import { login, alertText } from '../../helpers/login.ts';
import {
  POST_OID, GOOD_PASSWORD, newApplicant, newNationalId, postIdentity, latestCodes, postCodes, postAccount, postRoles,
  throughAccountStep, sentCount, digitsOf,
} from '../../helpers/apply.ts';
import { createGrant } from '../../../src/admin/grants.ts';
import { loadActor } from '../../../src/access/actor.ts';
import { decideRequest } from '../../../src/requests/decisions.ts';
import { drainOutbox } from '../../../src/platform/outbox.ts';
import { verifyAuditChain } from '../../../src/platform/audit.ts';
import { MINUTE } from '../../../src/platform/clock.ts';
import { LANG_COOKIE } from '../../../src/platform/http/context.ts';

let t: TestApp;
let smtp: TestSmtp;
let gw: TestSmsGateway;
let agencyAdminId: number;
const logLines: string[] = [];
const ADMIN_PW = 'Correct-Horse-9';
let ipSerial = 0;
/** Each test comes from its own address, so the per-address send limit of one never affects another. */
const nextIp = () => `198.51.100.${++ipSerial}`;
/** 範例高級中學 (校代碼 010300), the sample school of seed 001. */
const SCHOOL_OID = '2.16.886.111.90001.10300';

before(async () => {
  smtp = await startSmtp();
  gw = await startSmsGateway();
  t = await startTestApp({
    env: {
      SMTP_URL: smtp.url, TESSERA_SMS_URL: gw.url, TESSERA_SMS_AUTH_HEADER: 'Authorization: Bearer sms-token-1',
      TESSERA_OUTBOX_POLL_MS: '0', TESSERA_TRUST_PROXY: 'true', LOG_LEVEL: 'info',
    },
    logLines,
  });
  // The agency's registration administrator for the cyber-security systems (seed 000: 機關管理者).
  agencyAdminId = await createAccount(t.deps, { username: 'postadmin1', password: ADMIN_PW, unitOid: POST_OID, name: '郵政管理者', profile: { email: 'admin@post.gov.tw' } });
  await createGrant(t.deps, null, { accountId: agencyAdminId, kind: 'registration_admin', jurisdictionOid: POST_OID, categories: ['isec'] }, null);
  await drainOutbox(t.deps); // the holder's grant mail (ADM-7), so the tests below count only their own
});
after(async () => { await t?.close(); await gw?.close(); await smtp?.close(); });

const db = () => t.deps.db;
const countAccounts = async () => Number((await db().selectFrom('accounts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const fieldError = (html: string) => [...html.matchAll(/class="field-error">([^<]+)/g)].map((m) => m[1]);

test('REQ-1 step 1: the agency is found by name or OID on /apply and links to its identity step with OID and name filled in', async () => {
  const c = new Client(t.url, nextIp());
  const byName = await c.get('/apply?q=' + encodeURIComponent('中華郵政'));
  assert.equal(byName.status, 200);
  assert.match(byName.body, new RegExp(`href="/apply/identity\\?oid=${POST_OID.replace(/\./g, '\\.')}"`));
  const byOid = await c.get('/apply?q=2.16.886.101.20003');
  assert.match(byOid.body, /中華郵政股份有限公司/);
  const identity = await c.get(`/apply/identity?oid=${POST_OID}`);
  assert.equal(identity.status, 200);
  assert.match(identity.body, /data-testid="agency-oid">2\.16\.886\.101\.20003\.20008\.20074</);
  assert.match(identity.body, /data-testid="agency-name">中華郵政股份有限公司</);
  assert.equal((await c.get('/apply/identity?oid=2.16.886.999.1')).status, 404, 'an unknown agency');
  const en = await new Client(t.url).request('GET', '/apply', undefined, { 'accept-language': 'en' });
  assert.match(en.body, /Apply for an account/);
});

test('REQ-1, AUTH-6: the identity step checks name, official e-mail domain (policy allow-list), a mobile starting 09 and the captcha; a refusal sends nothing', async () => {
  const c = new Client(t.url, nextIp());
  const a = newApplicant();
  const before = sentCount(smtp, gw, a);
  const bad = await postIdentity(t, c, { name: 'x1', email: 'someone@gmail.com', mobile: '0812-345678' });
  assert.equal(bad.status, 422);
  const errors = fieldError(bad.body);
  assert.ok(errors.includes('姓名須為中文或英文字母。'));
  assert.ok(errors.some((e) => e.startsWith('請使用公務信箱（允許的網域：gov.tw')), errors.join(' | '));
  assert.ok(errors.includes('行動電話須為 09 開頭的 10 位數字，例如 0912-345678 或 0912345678。'));
  const wrongCaptcha = await c.submit(`/apply/identity?oid=${POST_OID}`, '/apply/identity', { oid: POST_OID, ...a, captcha: '000000' === t.lastCaptcha() ? '111111' : '000000' });
  assert.equal(wrongCaptcha.status, 422);
  assert.match(alertText(wrongCaptcha.body) ?? '', /驗證碼錯誤/);
  assert.equal(await drainOutbox(t.deps), 0);
  assert.deepEqual(sentCount(smtp, gw, a), before, 'no code was sent');
  assert.equal(await db().selectFrom('application_drafts').select('id').where('created_at', '>=', t.clock.now()).execute().then((r) => r.length), 0);
  const noCsrf = await new Client(t.url).post('/apply/identity', { oid: POST_OID, ...a });
  assert.equal(noCsrf.status, 403, 'CSRF');
});

test('REQ-1, AUTH-6: both codes are required — the e-mail code alone does not pass; the SMS reaches the gateway with the auth header', async () => {
  const c = new Client(t.url, nextIp());
  const a = newApplicant();
  const r = await postIdentity(t, c, a);
  assert.equal(r.status, 303);
  assert.equal(r.location, '/apply/verify?sent=1');
  const cookie = r.headers.getSetCookie().find((x) => x.startsWith('tessera_apply='))!;
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /Path=\/apply/);
  const codes = await latestCodes(t, smtp, gw, a);
  const sms = gw.received.filter((m) => m.json?.to === digitsOf(a.mobile)).at(-1)!;
  assert.equal(sms.headers.authorization, 'Bearer sms-token-1');
  assert.match(String(sms.json!.text), /帳號申請手機驗證碼/);
  const mail = smtp.received.filter((m) => m.to === a.email).at(-1)!;
  assert.equal(mail.subject, 'Tessera 帳號申請電子郵件驗證碼');
  assert.match(mail.text, /中華郵政股份有限公司/);

  const page = await c.get('/apply/verify?sent=1');
  assert.match(page.body, /驗證碼已發送至 a\*\*\*@post\.gov\.tw 及 0912-\*\*\*-\d{3}/, 'masked destinations');
  const mailOnly = await postCodes(c, { mail: codes.mail });
  assert.equal(mailOnly.status, 422);
  assert.ok(fieldError(mailOnly.body).includes('請輸入驗證碼。'), 'the SMS code is still asked for');
  assert.match(mailOnly.body, /data-testid="mailCode-verified"/, 'the right e-mail code counted');
  assert.equal((await c.get('/apply/account')).location, '/apply/verify', 'no profile step with one code');
  const both = await postCodes(c, { sms: codes.sms });
  assert.equal(both.location, '/apply/account');
});

test('REQ-1: the account step applies the unit policy — username scheme and uniqueness, password rules and confirmation, national ID checksum, seed 000 required fields — and changes nothing on refusal', async () => {
  const a = newApplicant();
  const c = new Client(t.url, nextIp());
  await postIdentity(t, c, a);
  const codes = await latestCodes(t, smtp, gw, a);
  assert.equal((await postCodes(c, codes)).location, '/apply/account');
  const accounts = await countAccounts();
  const r = await c.submit('/apply/account', '/apply/account', {
    username: 'ab', next: 'short', confirm: 'other', nationalId: 'A123456788', title: '', address: '', officePhone: '',
  });
  assert.equal(r.status, 422);
  const errors = fieldError(r.body);
  assert.ok(errors.includes('帳號須為 6 到 30 個英文字母或數字。'), errors.join(' | '));
  assert.ok(errors.includes('身分證字號或居留證號格式或檢查碼不正確。'));
  assert.equal(errors.filter((e) => e === '此欄位為必填。').length, 3, 'title, address, office phone (seed 000 marks them *)');
  assert.match(r.body, /role="alert"><p>輸入資料有誤/);
  assert.match(r.body, /密碼長度不足/);
  assert.match(r.body, /<li>[^<]*(不一致|不相同)[^<]*<\/li>/);
  const taken = await postAccount(c, { username: ADMIN_USERNAME, next: GOOD_PASSWORD });
  assert.ok(fieldError(taken.body).includes('此帳號已被使用。'));
  const containsUser = await postAccount(c, { username: 'chenyijun01', next: 'chenyijun01-Harbour-9' });
  assert.match(containsUser.body, /密碼也不可包含帳號|不可包含帳號/);
  assert.equal(await countAccounts(), accounts, 'nothing written');

  // The live check answers only a verified applicant (anonymous callers cannot probe usernames).
  assert.equal((await new Client(t.url).get('/apply/username-check?username=centraladmin')).status, 404);
  const check = await c.get('/apply/username-check?username=centraladmin');
  assert.deepEqual(JSON.parse(check.body), { available: false, error: 'username.taken', message: '此帳號已被使用。' });
  assert.equal(JSON.parse((await c.get('/apply/username-check?username=freshname77')).body).available, true);
});

test('REQ-1, ADM-6 issue 9 item 14: the roles page shows "目前可審核的管理者有 N 位" per system (the agency\'s own, or the central authority when it is the only one); submitting creates a pending account with the chosen password and an account_application request; approval enables it with the roles and mails the result; the applicant signs in', async () => {
  const a = newApplicant();
  const accounts = await countAccounts();
  const c = await throughAccountStep(t, smtp, gw, a, { username: 'chenyijun2026', next: GOOD_PASSWORD }, nextIp());
  assert.equal(await countAccounts(), accounts, 'no account before 送出申請');
  const systems = await c.get('/apply/systems');
  assert.equal(systems.status, 200);
  // spm (isec): the agency's administrator (the central authority, who can decide anything, is not
  // counted); csm: nobody in the agency, so the central authority, and the text says so.
  const approvers = (code: string) => systems.body.match(new RegExp(`data-system="${code}"[^]*?data-testid="approvers">([^<]+)<`))?.[1]?.trim();
  assert.equal(approvers('spm'), '（目前可審核的管理者有 1 位）');
  assert.equal(approvers('csm'), '（本機關目前沒有可審核的管理者，將由中央管理者審核，目前有 1 位） 如無機關管理者，請先向行政院資安處申請機關管理者。');

  const none = await postRoles(c, []);
  assert.equal(none.status, 422);
  assert.match(alertText(none.body) ?? '', /請至少勾選一項權限/);
  const unknown = await postRoles(c, ['no_such_role']);
  assert.equal(unknown.status, 422);
  assert.equal(await countAccounts(), accounts);

  const done = await postRoles(c, ['spm_user', 'vuln_user']);
  assert.equal(done.status, 303);
  assert.equal(done.location, '/apply/done');
  assert.ok(done.headers.getSetCookie().some((x) => /^tessera_apply=;/.test(x)), 'the draft cookie is cleared');
  assert.equal(await countAccounts(), accounts + 1);
  const acc = await db().selectFrom('accounts').selectAll().where('username', '=', 'chenyijun2026').executeTakeFirstOrThrow();
  assert.equal(acc.state, 'pending');
  assert.equal(acc.unit_oid, POST_OID);
  assert.equal(acc.email, a.email);
  assert.equal(acc.mobile, a.mobile);
  assert.equal(acc.title, '科員');
  assert.ok(acc.national_id_hmac);
  const req = await db().selectFrom('requests').selectAll().where('subject_account_id', '=', acc.id).executeTakeFirstOrThrow();
  assert.equal(req.type, 'account_application');
  assert.equal(req.status, 'pending');
  assert.deepEqual(req.systems, ['spm', 'vuln']);
  assert.equal((await c.get('/apply/account')).location, '/apply?expired=1', 'the draft is gone once submitted');

  // Pending: the chosen password does not sign in yet.
  const early = new Client(t.url, nextIp());
  assert.equal((await login(t, early, 'chenyijun2026', GOOD_PASSWORD)).status, 401);

  const actor = await loadActor(t.deps, agencyAdminId);
  const decided = await decideRequest(t.deps, actor, req.id, { decision: 'approved', comment: '同意' }, null);
  assert.deepEqual(decided, { ok: true, status: 'completed' });
  assert.equal((await db().selectFrom('accounts').select('state').where('id', '=', acc.id).executeTakeFirstOrThrow()).state, 'enabled');
  const roles = (await db().selectFrom('role_grants').select('role_code').where('account_id', '=', acc.id).orderBy('role_code').execute()).map((r) => r.role_code);
  assert.deepEqual(roles, ['spm_user', 'vuln_user']);
  await drainOutbox(t.deps);
  await smtp.waitFor((m) => m.to === a.email && !/驗證碼/.test(m.subject));

  const user = new Client(t.url, nextIp());
  const signIn = await login(t, user, 'chenyijun2026', GOOD_PASSWORD);
  assert.equal(signIn.status, 303, alertText(signIn.body) ?? '');
  assert.equal(signIn.location, '/');
  assert.equal((await verifyAuditChain(db())).broken, null);
});

test('REQ-1 SSO-1 issue 9 item 14: an organisation is offered only the systems open to its subtree; a forged role of another system is refused; the central authority opens one on the system\'s page', async () => {
  const offered = (html: string) => [...html.matchAll(/data-system="([^"]+)"/g)].map((m) => m[1]).sort();
  // Seed 000's agency: its cyber-security systems and seed 003's, not seed 001's school systems.
  const agency = await throughAccountStep(t, smtp, gw, newApplicant(), { username: 'offeragency1', next: GOOD_PASSWORD }, nextIp());
  const agencySystems = offered((await agency.get('/apply/systems')).body);
  assert.ok(agencySystems.includes('spm') && agencySystems.includes('csm'));
  assert.ok(!agencySystems.includes('capital') && !agencySystems.includes('dept'), agencySystems.join());
  const forged = await postRoles(agency, ['spm_user', 'capital_user']);
  assert.equal(forged.status, 422);
  assert.match(alertText(forged.body) ?? '', /勾選的權限不存在/);
  // Seed 001's school: only the school systems.
  const school = await throughAccountStep(t, smtp, gw, newApplicant(), { username: '010300_offer1', next: GOOD_PASSWORD }, nextIp(), SCHOOL_OID);
  assert.deepEqual(offered((await school.get('/apply/systems')).body), ['capital', 'dept']);

  // The central authority opens 管考系統 to schools too, on the system's page.
  const admin = new Client(t.url, nextIp());
  assert.equal((await login(t, admin, ADMIN_USERNAME, ADMIN_PASSWORD)).status, 303);
  const pageUrl = '/admin/systems/spm/apply-scope';
  assert.match((await admin.get(pageUrl)).body, /<span class="oid">2\.16\.886\.101<\/span> 政府機關（範例根節點）/);
  const bad = await admin.submit(pageUrl, pageUrl, { subtrees: '2.16.886.101\nnot-an-oid' });
  assert.equal(bad.status, 422);
  assert.match(alertText(bad.body) ?? '', /not-an-oid/);
  const saved = await admin.submit(pageUrl, pageUrl, { subtrees: '2.16.886.101\n2.16.886.111' });
  assert.equal(saved.location, pageUrl + '?saved=1');
  assert.ok(offered((await school.get('/apply/systems')).body).includes('spm'));
  await admin.submit(pageUrl, pageUrl, { subtrees: '2.16.886.101' });
  // An agency administrator reads the page but gets no form, and cannot post one.
  const ra = new Client(t.url, nextIp());
  assert.equal((await login(t, ra, 'postadmin1', ADMIN_PW)).status, 303);
  assert.doesNotMatch((await ra.get(pageUrl)).body, /<textarea/);
  assert.equal((await ra.submit(pageUrl, pageUrl, { subtrees: '2.16.886.111' })).status, 404);
});

test('AUTH-3 REQ-3 issue 9 item 17: seed 000\'s agency asks for 12+ characters of upper, lower and digits only; a new applicant hears nothing of previous passwords; the roles step says how one becomes an approver (D-06-10)', async () => {
  const a = newApplicant();
  const c = new Client(t.url, nextIp());
  await postIdentity(t, c, a);
  assert.equal((await postCodes(c, await latestCodes(t, smtp, gw, a))).location, '/apply/account');
  const form = (await c.get('/apply/account')).body;
  const rules = form.match(/<section aria-labelledby="rules-h">([^]*?)<\/section>/)?.[1] ?? '';
  assert.match(rules, /長度至少 12 個字元。/);
  assert.match(rules, /須包含且只能為大、小寫字母及數字。/);
  assert.doesNotMatch(rules, /不可與前/, 'no history rule for someone who never had a password');
  const symbols = await postAccount(c, { username: 'seedzero01', next: 'Harbour-Lantern-Quiet-72' });
  assert.equal(symbols.status, 422);
  assert.match(symbols.body, /密碼須包含且只能為大、小寫字母及數字。/);
  assert.equal((await postAccount(c, { username: 'seedzero01', next: GOOD_PASSWORD })).location, '/apply/systems');
  const roles = (await c.get('/apply/systems')).body;
  assert.match(roles, /勾選「機關管理者」權限，只會取得該應用系統內的管理權限，不會使您成為本平臺審核帳號申請的管理者。/);
  assert.match(roles, /「業務帳號註冊管理者異動申請單」（D-06-10），經單位主管審核、中央管理者核准後生效。/);
});

test('REQ-1: a draft is submitted once — two parallel 送出申請 make one account and one request', async () => {
  const a = newApplicant();
  const c = await throughAccountStep(t, smtp, gw, a, { username: 'doubleclick1', next: GOOD_PASSWORD }, nextIp());
  const page = await c.get('/apply/systems');
  const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)![1];
  const body = new URLSearchParams([['_csrf', csrf], ['roles', 'spm_user']]).toString();
  const post = () => c.request('POST', '/apply/systems', body, { 'content-type': 'application/x-www-form-urlencoded' });
  const results = await Promise.all([post(), post()]);
  assert.deepEqual(results.map((r) => r.location).sort(), ['/apply/done', '/apply?expired=1']);
  const accounts = await db().selectFrom('accounts').select('id').where('username', '=', 'doubleclick1').execute();
  assert.equal(accounts.length, 1);
  assert.equal((await db().selectFrom('requests').select('id').where('subject_account_id', '=', accounts[0].id).execute()).length, 1);
});

test('REQ-1: a rejected application erases the pending account; the same person may apply again with the same national ID', async () => {
  const nationalId = newNationalId();
  const a = newApplicant();
  const c = await throughAccountStep(t, smtp, gw, a, { username: 'rejectme01', next: GOOD_PASSWORD, nationalId }, nextIp());
  assert.equal((await postRoles(c, ['spm_user'])).location, '/apply/done');
  const acc = await db().selectFrom('accounts').select('id').where('username', '=', 'rejectme01').executeTakeFirstOrThrow();
  const req = await db().selectFrom('requests').select('id').where('subject_account_id', '=', acc.id).executeTakeFirstOrThrow();
  const decided = await decideRequest(t.deps, await loadActor(t.deps, agencyAdminId), req.id, { decision: 'rejected', comment: '非本機關人員' }, null);
  assert.equal(decided.ok, true);
  const after = await db().selectFrom('accounts').select(['state', 'national_id_hmac', 'email']).where('id', '=', acc.id).executeTakeFirstOrThrow();
  assert.notEqual(after.state, 'pending');
  assert.equal(after.national_id_hmac, null);
  assert.equal(after.email, null);
  t.clock.advance(61_000);
  const again = await throughAccountStep(t, smtp, gw, a, { username: 'rejectme02', next: GOOD_PASSWORD, nationalId }, nextIp());
  assert.equal((await postRoles(again, ['spm_user'])).location, '/apply/done');
});

test('REQ-4 (issue 9 item 16): 審查詳細資訊 shows the applicant by name and everything they entered, labelled; 駁回 is a distinct button that asks once more', async () => {
  const a = newApplicant({ name: '林書豪' });
  const c = await throughAccountStep(t, smtp, gw, a, {
    username: 'reviewme01', next: GOOD_PASSWORD, title: '專員', department: '資訊處', address: '臺北市大安區金山南路二段55號', officePhone: '02-23921310', officeExt: '123', fax: '02-23921311',
  }, nextIp());
  assert.equal((await postRoles(c, ['spm_user'])).location, '/apply/done');
  const acc = await db().selectFrom('accounts').select('id').where('username', '=', 'reviewme01').executeTakeFirstOrThrow();
  const req = await db().selectFrom('requests').select('id').where('subject_account_id', '=', acc.id).executeTakeFirstOrThrow();
  const admin = new Client(t.url, nextIp());
  assert.equal((await login(t, admin, 'postadmin1', ADMIN_PW)).status, 303);

  const page = await admin.get(`/admin/requests/${req.id}`);
  assert.equal(page.status, 200);
  const dd = (label: string) => page.body.match(new RegExp(`<dt>${label}</dt><dd>([^<]*)</dd>`))?.[1];
  assert.equal(page.body.match(/data-testid="request-requester">([^<]*)</)?.[1], '林書豪（reviewme01） （自行申請，帳號待審核）');
  assert.doesNotMatch(page.body, /尚無帳號的申請人/);
  assert.equal(dd('地址'), '臺北市大安區金山南路二段55號');
  assert.equal(dd('聯絡電話'), '02-23921310 分機 123');
  assert.equal(dd('傳真'), '02-23921311');
  assert.equal(dd('處室/部門'), '資訊處');
  assert.equal(dd('職稱'), '專員');
  assert.match(dd('身分證字號') ?? '', /^F2\d\*{4}\d{3}$/, 'the national ID, masked');
  assert.match(page.body, /<button type="submit" name="decision" value="approved" class="approve">接受申請<\/button>/);
  assert.match(page.body, /<button type="submit" name="decision" value="rejected" class="danger">駁回申請<\/button>/);
  admin.setCookie(LANG_COOKIE, 'en');
  const en = await admin.get(`/admin/requests/${req.id}`);
  admin.setCookie(LANG_COOKIE, 'zh-TW');
  assert.match(en.body, /<dt>Address<\/dt><dd>臺北市大安區金山南路二段55號<\/dd>/);
  assert.match(en.body, /<dt>Office phone<\/dt><dd>02-23921310 ext\. 123<\/dd>/);

  // 駁回 with a comment only asks; nothing is decided until the confirmation is posted.
  const ask = await admin.submit(`/admin/requests/${req.id}`, `/admin/requests/${req.id}/decision`, { decision: 'rejected', comment: '非本機關人員' });
  assert.equal(ask.status, 200);
  assert.match(ask.body, /確認駁回/);
  assert.match(ask.body, /申請人尚待審核的帳號及所填資料都會刪除/);
  assert.match(ask.body, />非本機關人員<\/textarea>/, 'the comment is kept for the confirmation');
  assert.equal((await db().selectFrom('requests').select('status').where('id', '=', req.id).executeTakeFirstOrThrow()).status, 'pending');
  const done = await admin.submit(`/admin/requests/${req.id}`, `/admin/requests/${req.id}/decision`, { decision: 'rejected', comment: '非本機關人員', confirm: 'reject' });
  assert.equal(done.status, 303);
  assert.equal((await db().selectFrom('requests').select('status').where('id', '=', req.id).executeTakeFirstOrThrow()).status, 'rejected');
});

test('REQ-1, ACC-10 issue 9 item 3: one person, one account — a national ID that already has an account (even pending) is refused only at submission, which spends the draft and names nobody', async () => {
  const nationalId = newNationalId();
  await createAccount(t.deps, { username: 'holder0001', password: ADMIN_PW, unitOid: POST_OID, profile: { nationalId } });
  const accounts = await countAccounts();
  // The profile step does not answer "does this national ID have an account?".
  const c = await throughAccountStep(t, smtp, gw, newApplicant(), { username: 'secondtry01', next: GOOD_PASSWORD, nationalId }, nextIp());
  const r = await postRoles(c, ['spm_user']);
  assert.equal(r.status, 303);
  assert.equal(r.location, '/apply?refused=1');
  assert.ok(r.headers.getSetCookie().some((x) => /^tessera_apply=;/.test(x)), 'the draft cookie is cleared');
  const page = await c.get(r.location!);
  assert.match(alertText(page.body) ?? '', /^申請未送出：依「一人一帳號」規定/);
  assert.doesNotMatch(page.body, /holder0001|林建國/, 'whose account it is stays unsaid');
  assert.equal((await c.get('/apply/account')).location, '/apply?expired=1', 'the draft is spent: another try needs new codes');
  assert.equal(await countAccounts(), accounts);
  const denied = await db().selectFrom('audit_events').select('details').where('action', '=', 'application.submit').where('result', '=', 'denied').execute();
  assert.ok(denied.some((e) => (e.details as { reason?: string }).reason === 'national_id_taken'));
});

test('ACC-2 issue 9 item 3: a verified applicant gets 30 username answers per draft and an address 100 an hour; then 429, and the form says so', async () => {
  const ip = nextIp();
  const check = (c: Client, n: number) => c.get(`/apply/username-check?username=probe${String(n).padStart(4, '0')}`);
  // throughAccountStep's own profile post is the draft's first look-up.
  const drafts: Client[] = [];
  const spend = async (c: Client, n: number) => { for (let i = 0; i < n; i++) assert.equal((await check(c, i)).status, 200, `answer ${i + 1}`); };
  const a = await throughAccountStep(t, smtp, gw, newApplicant(), { username: 'limitsone1', next: GOOD_PASSWORD }, ip);
  drafts.push(a);
  await spend(a, 29);
  const limited = await check(a, 99);
  assert.equal(limited.status, 429);
  assert.deepEqual(JSON.parse(limited.body), { available: null, error: 'apply.lookupLimited', message: '查詢帳號是否可用的次數已達上限，請稍後再試。' });
  const form = await postAccount(a, { username: 'limitsone2', next: GOOD_PASSWORD });
  assert.equal(form.status, 429);
  assert.ok(fieldError(form.body).includes('查詢帳號是否可用的次數已達上限，請稍後再試。'));
  // Fresh drafts from the same address: 30 + 30 + 30 answers so far, then 10 more and the address is done.
  for (const name of ['limitstwo1', 'limitsthree']) {
    const c = await throughAccountStep(t, smtp, gw, newApplicant(), { username: name, next: GOOD_PASSWORD }, ip);
    await spend(c, 29);
  }
  const d = await throughAccountStep(t, smtp, gw, newApplicant(), { username: 'limitsfour1', next: GOOD_PASSWORD }, ip);
  await spend(d, 9);
  assert.equal((await check(d, 50)).status, 429, 'the address is over 100 answers this hour');
  // Another address is not affected; after the hour the address may ask again.
  t.clock.advance(61 * MINUTE);
  const e = await throughAccountStep(t, smtp, gw, newApplicant(), { username: 'limitsfive1', next: GOOD_PASSWORD }, ip);
  assert.equal((await check(e, 1)).status, 200);
});

test('REQ-1: an application abandoned half-way leaves no account; after 30 idle minutes its draft, codes and the messages that carried them are deleted', async () => {
  const accounts = await countAccounts();
  const a = newApplicant({ email: 'abandon.me@post.gov.tw' });
  const c = await throughAccountStep(t, smtp, gw, a, { username: 'abandoned01', next: GOOD_PASSWORD }, nextIp());
  assert.equal(await countAccounts(), accounts, 'no account exists for an unfinished application');
  const draft = await db().selectFrom('application_drafts').select(['id', 'data_enc']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  assert.doesNotMatch(draft.data_enc, /abandon|陳怡君|0912/, 'what the applicant typed is sealed');
  const outboxIds = (await db().selectFrom('otp_challenges').select('outbox_id').where('draft_id', '=', draft.id).execute()).map((r) => r.outbox_id!);
  assert.equal(outboxIds.length, 2);

  t.clock.advance(31 * MINUTE);
  const later = await c.get('/apply/systems');
  assert.equal(later.location, '/apply?expired=1', 'an expired draft is never read');
  assert.match((await c.get('/apply?expired=1')).body, /申請資料已逾時或不存在/);
  // The next application sweeps it.
  const other = newApplicant();
  assert.equal((await postIdentity(t, new Client(t.url, nextIp()), other)).status, 303);
  assert.equal(await db().selectFrom('application_drafts').select('id').where('id', '=', draft.id).executeTakeFirst(), undefined);
  assert.equal((await db().selectFrom('otp_challenges').select('id').where('draft_id', '=', draft.id).execute()).length, 0);
  assert.equal((await db().selectFrom('outbox').select('id').where('id', 'in', outboxIds).execute()).length, 0, 'the code messages are gone');
  assert.equal((await db().selectFrom('outbox').select('id').where('recipient', '=', a.email).execute()).length, 0);
  assert.equal(await countAccounts(), accounts);
  await latestCodes(t, smtp, gw, other);
});

test('REQ-1: 取消申請 deletes the draft at once', async () => {
  const a = newApplicant();
  const c = new Client(t.url, nextIp());
  await postIdentity(t, c, a);
  const id = (await db().selectFrom('application_drafts').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).id;
  const r = await c.submit('/apply/verify', '/apply/cancel', {});
  assert.equal(r.location, '/apply?cancelled=1');
  assert.equal(await db().selectFrom('application_drafts').select('id').where('id', '=', id).executeTakeFirst(), undefined);
  assert.equal((await c.get('/apply/verify')).location, '/apply?expired=1');
});

test('OPS-4: the application flow logs no personal data (no e-mail, mobile, name or code)', async () => {
  const a = newApplicant({ name: '林淑芬', email: 'logcheck.person@post.gov.tw', mobile: '0933-246810' });
  const c = await throughAccountStep(t, smtp, gw, a, { username: 'logcheck01', next: GOOD_PASSWORD }, nextIp());
  await postRoles(c, ['spm_user']);
  const codes = smtp.received.filter((m) => m.to === a.email).map((m) => m.text.match(/^(\d{6})$/m)![1]);
  // Timestamps and pids are numbers that could hold any digit run by chance: left out.
  const logs = logLines.join('\n').replace(/"(time|pid)":\d+/g, '');
  for (const s of ['logcheck.person', '0933-246810', '0933246810', '246810', '林淑芬', 'logcheck01', ...codes]) assert.ok(!logs.includes(s), `logs must not contain ${s}`);
});
