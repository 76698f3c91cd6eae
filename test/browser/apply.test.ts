// Seed 000 in Chromium (REQ-1, AUTH-6, ADM-6, REQ-4, OPS-3): login page → 申請帳號 → agency by
// look-up → identity → both codes, the mail received by a real SMTP server and the SMS by a local
// HTTP gateway → account details with the live username check and the strength meter → the roles
// with "目前可審核的管理者有 N 位" → submitted (pending) → the agency's administrator accepts it in
// 待審核列表 / 審查詳細資訊 → the result mail → the applicant signs in and holds the role.
// Every page axe-clean, with errors too; the identity step also in English; an existing contact
// signs in by an e-mail code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startSmtp, type TestSmtp } from '../helpers/mail.ts';
import { startSmsGateway, smsCode, type TestSmsGateway } from '../helpers/sms-gateway.ts';
import { createAccount } from '../helpers/accounts.ts';
import { POST_OID, GOOD_PASSWORD, newNationalId } from '../helpers/apply.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { launchBrowser, newContext, checkA11y, heading, login, notices, where, clickAndWait } from './helpers.ts';

let t: TestApp;
let smtp: TestSmtp;
let gw: TestSmsGateway;
let browser: Browser;
const ADMIN_PW = 'Correct-Horse-9';

before(async () => {
  smtp = await startSmtp();
  gw = await startSmsGateway();
  [t, browser] = await Promise.all([
    startTestApp({ env: { SMTP_URL: smtp.url, TESSERA_SMS_URL: gw.url, TESSERA_SMS_AUTH_HEADER: 'X-Api-Key: browser-test' } }),
    launchBrowser(),
  ]);
  const adminId = await createAccount(t.deps, { username: 'postadmin1', password: ADMIN_PW, unitOid: POST_OID, name: '郵政管理者', profile: { email: 'admin@post.gov.tw' } });
  await createGrant(t.deps, null, { accountId: adminId, kind: 'registration_admin', jurisdictionOid: POST_OID, categories: ['isec'] }, null);
});
after(async () => { await browser?.close(); await t?.close(); await gw?.close(); await smtp?.close(); });

const mailCode = (text: string) => text.match(/^(\d{6})$/m)![1];

async function submit(page: Page, name: string | RegExp) {
  await clickAndWait(page, page.getByRole('main').getByRole('button', { name, exact: typeof name === 'string' }));
}

test('seed 000 end to end: look-up → both codes (SMTP and SMS gateway) → application → the agency administrator accepts → the applicant signs in with the role; every page axe-clean', async () => {
  const applicant = { name: '陳怡君', email: 'yijun.chen@post.gov.tw', mobile: '0912-468013', username: 'chenyijun01' };
  const ctx = await newContext(browser);
  const page = await ctx.newPage();

  await page.goto(t.url + '/login');
  await clickAndWait(page, page.getByRole('link', { name: '還沒有帳號？申請帳號' }));
  assert.equal(where(page), '/apply');
  assert.equal(await heading(page), '申請帳號');
  await checkA11y(page, 'apply: choose agency (zh)');

  // Step 2 of the seed: the agency by OID look-up (here by name).
  await page.locator('#q').fill('中華郵政');
  await submit(page, '查詢');
  await checkA11y(page, 'apply: look-up results (zh)');
  await clickAndWait(page, page.getByRole('link', { name: '申請「中華郵政股份有限公司」的帳號' }));
  assert.equal(await heading(page), 'OTP 身分驗證');
  assert.equal(await page.getByTestId('agency-oid').innerText(), POST_OID, '機關代號會自動帶出');
  assert.equal(await page.getByTestId('agency-name').innerText(), '中華郵政股份有限公司');
  await checkA11y(page, 'apply: identity (zh)');

  // A private mailbox is refused (公務信箱), localised, accessible.
  await page.locator('#name').fill(applicant.name);
  await page.locator('#email').fill('yijun@gmail.com');
  await page.locator('#mobile').fill(applicant.mobile);
  await page.locator('#captcha').fill(t.lastCaptcha());
  await submit(page, '驗證');
  assert.match(await page.locator('#email-error').innerText(), /請使用公務信箱/);
  await checkA11y(page, 'apply: identity with an error (zh)');

  // Step 4 of the seed: 按下確認後，系統將立即發送OTP至您填寫的電子郵件信箱及手機號碼.
  await page.locator('#email').fill(applicant.email);
  await page.locator('#captcha').fill(t.lastCaptcha());
  await submit(page, '驗證');
  assert.equal(await heading(page), '雙因子 OTP 驗證');
  assert.match((await notices(page)).join(' '), /驗證碼已發送至 y\*\*\*@post\.gov\.tw 及 0912-\*\*\*-013/);
  await checkA11y(page, 'apply: codes (zh)');
  const mail = await smtp.waitFor((m) => m.to === applicant.email);
  const sms = await gw.waitFor((m) => m.json?.to === '0912468013');
  assert.equal(sms.headers['x-api-key'], 'browser-test');
  const codes = { mail: mailCode(mail.text), sms: smsCode(String(sms.json!.text)) };

  // Step 5: both codes; a wrong SMS code first.
  await page.locator('#mailCode').fill(codes.mail);
  await page.locator('#smsCode').fill(codes.sms === '000000' ? '111111' : '000000');
  await submit(page, '確認');
  assert.match(await page.locator('#smsCode-error').innerText(), /驗證碼錯誤，還可再試 4 次/);
  assert.equal(await page.getByTestId('mailCode-verified').count(), 1, 'the e-mail code counted');
  await checkA11y(page, 'apply: codes with an error (zh)');
  await page.locator('#smsCode').fill(codes.sms);
  await submit(page, '確認');
  assert.equal(where(page), '/apply/account');
  assert.equal(await heading(page), '填寫申請資料');
  assert.equal(await page.getByTestId('applicant-name').innerText(), applicant.name, '系統會自動帶出「姓名」、「電子郵件」、「手機號碼」');
  await checkA11y(page, 'apply: account details (zh)');

  // Step 7: username with the live check, password with the strength meter.
  await page.locator('#username').fill('centraladmin');
  await page.waitForFunction(() => document.querySelector('#username-check')?.textContent === '此帳號已被使用。');
  await page.locator('#username').fill(applicant.username);
  await page.waitForFunction(() => document.querySelector('#username-check')?.textContent === '此帳號可以使用。');
  await page.locator('#next').fill(GOOD_PASSWORD);
  await page.waitForFunction(() => document.querySelector('#strength [data-label]')?.textContent === '強');
  await page.locator('#confirm').fill(GOOD_PASSWORD + 'x');
  await page.locator('#nationalId').fill(newNationalId());
  await page.locator('#title').fill('科員');
  await page.locator('#department').fill('資訊處');
  await page.locator('#address').fill('臺北市大安區金山南路二段55號');
  await page.locator('#officePhone').fill('02-23921310');
  await submit(page, '下一步');
  assert.match(await page.locator('main [role=alert]').innerText(), /兩次輸入的新密碼不一致/);
  await checkA11y(page, 'apply: account details with an error (zh)');
  await page.locator('#next').fill(GOOD_PASSWORD);
  await page.locator('#confirm').fill(GOOD_PASSWORD);
  await submit(page, '下一步');

  // Step 6: 管考系統 with the approver count (the agency's administrator; the central authority is
  // not counted beside it, issue 9 item 14), tick 一般權限. No school system is offered here.
  assert.equal(await heading(page), '系統帳號權限申請');
  const spm = page.locator('fieldset[data-system="spm"]');
  assert.equal(await spm.getByTestId('approvers').innerText(), '（目前可審核的管理者有 1 位）');
  assert.equal(await page.locator('fieldset[data-system="capital"]').count(), 0);
  await checkA11y(page, 'apply: permissions (zh)');
  await spm.getByLabel('管考系統一般權限').check();
  await submit(page, '送出申請');
  assert.equal(where(page), '/apply/done');
  assert.match((await notices(page)).join(' '), /目前為「待審核」狀態/);
  await checkA11y(page, 'apply: submitted (zh)');
  const account = await t.deps.db.selectFrom('accounts').select(['id', 'state']).where('username', '=', applicant.username).executeTakeFirstOrThrow();
  assert.equal(account.state, 'pending');
  const request = await t.deps.db.selectFrom('requests').select('id').where('subject_account_id', '=', account.id).executeTakeFirstOrThrow();
  await ctx.close();

  // Seed 000 三: the agency administrator reviews in 待審核列表 → 審查詳細資訊 → 接受申請.
  const actx = await newContext(browser);
  const admin = await actx.newPage();
  await login(admin, t, 'postadmin1', ADMIN_PW);
  await admin.goto(t.url + '/admin/requests');
  assert.equal(await heading(admin), '待審核列表');
  await checkA11y(admin, 'review queue (zh)');
  await clickAndWait(admin, admin.locator(`main a[href="/admin/requests/${request.id}"]`));
  assert.equal(await heading(admin), '審查詳細資訊');
  assert.match(await admin.locator('main').innerText(), /陳怡君/);
  await checkA11y(admin, 'review details (zh)');
  await admin.locator('#comment').fill('資料相符，同意。');
  await submit(admin, '接受申請');
  await checkA11y(admin, 'review decided (zh)');
  await actx.close();

  // Step 8: 審核結果會以所留之電子郵件通知; then the applicant signs in and holds the role.
  await smtp.waitFor((m) => m.to === applicant.email && m !== mail);
  const uctx = await newContext(browser);
  const user = await uctx.newPage();
  await login(user, t, applicant.username, GOOD_PASSWORD);
  assert.equal(where(user), '/');
  const roles = await t.deps.db.selectFrom('role_grants').select('role_code').where('account_id', '=', account.id).execute();
  assert.deepEqual(roles.map((r) => r.role_code), ['spm_user']);
  await user.goto(t.url + '/requests/permissions');
  assert.match(await user.getByTestId('status-spm_user').innerText(), /審核通過/);
  assert.deepEqual(uctx.cspViolations, []);
  await uctx.close();
});

test('the application pages in English are axe-clean, errors included', async () => {
  const ctx = await newContext(browser, { locale: 'en-GB' });
  const page = await ctx.newPage();
  await page.goto(`${t.url}/lang/en?next=${encodeURIComponent('/apply?q=2.16.886.101.20003')}`);
  assert.equal(await heading(page), 'Apply for an account');
  await checkA11y(page, 'apply: look-up (en)');
  await clickAndWait(page, page.getByRole('link', { name: /Apply for an account of 中華郵政/ }));
  assert.equal(await heading(page), 'One-time code identity check');
  await page.locator('#captcha').fill(t.lastCaptcha());
  await submit(page, 'Verify');
  assert.equal(await page.locator('#mobile-error').innerText(), 'This field is required.');
  await checkA11y(page, 'apply: identity with errors (en)');
  await ctx.close();
});

test('the whole application works without JavaScript (no live check, no meter: the server checks on submit)', async () => {
  const ctx = await newContext(browser, { javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${t.url}/apply?q=${encodeURIComponent('中華郵政')}`);
  await clickAndWait(page, page.getByRole('link', { name: '申請「中華郵政股份有限公司」的帳號' }));
  await page.locator('#name').fill('張志明');
  await page.locator('#email').fill('zhiming.chang@post.gov.tw');
  await page.locator('#mobile').fill('0922-135790');
  await page.locator('#captcha').fill(t.lastCaptcha());
  await submit(page, '驗證');
  const mail = await smtp.waitFor((m) => m.to === 'zhiming.chang@post.gov.tw');
  const sms = await gw.waitFor((m) => m.json?.to === '0922135790');
  await page.locator('#mailCode').fill(mailCode(mail.text));
  await page.locator('#smsCode').fill(smsCode(String(sms.json!.text)));
  await submit(page, '確認');
  assert.equal(where(page), '/apply/account');
  await page.locator('#username').fill('changzhiming');
  await page.locator('#next').fill(GOOD_PASSWORD);
  await page.locator('#confirm').fill(GOOD_PASSWORD);
  await page.locator('#nationalId').fill(newNationalId());
  await page.locator('#title').fill('專員');
  await page.locator('#address').fill('臺北市大安區金山南路二段55號');
  await page.locator('#officePhone').fill('02-23921310');
  await submit(page, '下一步');
  await page.locator('fieldset[data-system="vuln"]').getByLabel('政府機關資安弱點通報機制一般權限').check();
  await submit(page, '送出申請');
  assert.equal(where(page), '/apply/done');
  const a = await t.deps.db.selectFrom('accounts').select('state').where('username', '=', 'changzhiming').executeTakeFirstOrThrow();
  assert.equal(a.state, 'pending');
  await ctx.close();
});

test('seed 000 step 3: an existing contact picks their name, verifies by e-mail and is signed in; pages axe-clean', async () => {
  await createAccount(t.deps, {
    username: 'wangdaming', password: ADMIN_PW, unitOid: POST_OID, name: '王大明',
    profile: { email: 'daming.wang@post.gov.tw', mobile: '0955-123456', department: '資訊處' },
  });
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto(`${t.url}/apply/identity?oid=${POST_OID}`);
  await clickAndWait(page, page.getByRole('link', { name: '請由此選擇姓名並驗證登入' }));
  assert.equal(await heading(page), 'OTP 身分驗證（既有聯絡人）');
  await checkA11y(page, 'contact (zh)');
  await page.locator('#accountId').selectOption({ label: '王○明（資訊處）' });
  await page.locator('#email').fill('daming.wang@post.gov.tw');
  await page.locator('#mobile').fill('0955-123456');
  await page.locator('#captcha').fill(t.lastCaptcha());
  await submit(page, '以電子郵件驗證');
  assert.equal(await heading(page), '輸入驗證碼');
  await checkA11y(page, 'contact code (zh)');
  const mail = await smtp.waitFor((m) => m.to === 'daming.wang@post.gov.tw');
  assert.equal(mail.subject, 'Tessera 身分驗證碼');
  await page.locator('#code').fill(mailCode(mail.text));
  await submit(page, '驗證並登入');
  assert.equal(where(page), '/');
  assert.match(await page.locator('main').innerText(), /王大明/);
  await ctx.close();
});
