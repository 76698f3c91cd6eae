// Tenant sub-accounts in a real browser (ACC-7, AUTH-4, ACC-9): the main-account holder creates
// a sub-account → the set-password mail reaches a real SMTP server → the teacher follows the link
// (without JavaScript) → password set → the teacher signs in. Every page axe-clean, zh-TW and en.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startSmtp, type TestSmtp } from '../helpers/mail.ts';
import { createAccount } from '../helpers/accounts.ts';
import { MINUTE } from '../../src/platform/clock.ts';
import { launchBrowser, newContext, checkA11y, heading, login, notices, where, clickAndWait } from './helpers.ts';
import { giveGrant } from '../helpers/factories.ts';

let t: TestApp;
let smtp: TestSmtp;
let browser: Browser;
before(async () => {
  smtp = await startSmtp();
  [t, browser] = await Promise.all([startTestApp({ env: { SMTP_URL: smtp.url } }), launchBrowser()]);
});
after(async () => { await browser?.close(); await t?.close(); await smtp?.close(); });

const SCHOOL = '2.16.886.111.90001.10300';
const HOLDER = { username: '010300_principal', password: 'Correct-Horse-Battery-9' };
const TEACHER = { username: '010300_teacher', name: '李老師', email: 'teacher@school.example.edu.tw', password: 'Lantern-Orchid-73' };

test('holder creates 010300_teacher → mailed link → password set without JavaScript → teacher signs in; axe-clean', async () => {
  const holderId = await createAccount(t.deps, {
    username: HOLDER.username, password: HOLDER.password, unitOid: SCHOOL, name: '張主任',
    profile: { email: 'principal@school.example.edu.tw', department: '教務處', title: '教務主任', officePhone: '04-2222-3333' },
  });
  await giveGrant(t.deps, holderId, 'main_account', SCHOOL, ['*']);

  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, HOLDER.username, HOLDER.password);
  assert.equal(where(page), '/');
  await page.goto(t.url + '/tenant/accounts');
  assert.equal(await heading(page), '子帳號管理');
  assert.equal(await page.getByLabel('子帳號 *').inputValue(), '010300_', 'the prefix is filled in');
  await checkA11y(page, 'sub-accounts (zh)');

  // A duplicate-free but wrong-prefix name first: the error is shown at the field, accessibly.
  await page.getByLabel('子帳號 *').fill('010301_teacher');
  await page.getByLabel('姓名 *').fill(TEACHER.name);
  await page.getByLabel('處室/部門 *').fill('教務處');
  await page.getByLabel('職稱 *').fill('教師');
  await page.getByLabel('聯絡電話 *').fill('04-2222-4444');
  await page.getByLabel('電子郵件信箱 *').fill(TEACHER.email);
  await page.getByLabel('身分證字號 *').fill('A123456789');
  await clickAndWait(page, page.getByRole('button', { name: '建立並寄出驗證信' }));
  assert.match(await page.locator('#username-error').innerText(), /帳號須以校代碼加底線開頭/);
  await checkA11y(page, 'sub-account form with an error (zh)');

  await page.getByLabel('子帳號 *').fill(TEACHER.username);
  await clickAndWait(page, page.getByRole('button', { name: '建立並寄出驗證信' }));
  assert.deepEqual(await notices(page), [`已建立子帳號 ${TEACHER.username}，設定密碼的連結已寄至 ${TEACHER.email}。`]);
  assert.match(await page.getByTestId('tenant-accounts').innerText(), /010300_teacher\s+李老師\s+教務處\s+教師\s+未開帳\s+子帳號/);
  await checkA11y(page, 'sub-accounts after creating (zh)');

  const mail = await smtp.waitFor((m) => m.to === TEACHER.email);
  const link = mail.html.match(/<a href="([^"]+\/activate\/[A-Za-z0-9_-]{43})"/)?.[1];
  assert.ok(link, 'the mail links to the set-password page');

  // The teacher's browser runs no script; axe (which needs scripts) checks the same page elsewhere.
  const checker = await newContext(browser);
  const checkPage = await checker.newPage();
  await checkPage.goto(link);
  await checkA11y(checkPage, 'set password (zh)');
  await checker.close();

  const teacherCtx = await newContext(browser, { javaScriptEnabled: false });
  const tp = await teacherCtx.newPage();
  await tp.goto(link);
  assert.equal(await heading(tp), '設定密碼');
  assert.equal(await tp.getByTestId('activate-username').innerText(), TEACHER.username);
  await tp.locator('#next').fill(TEACHER.password);
  await tp.locator('#confirm').fill(TEACHER.password);
  await clickAndWait(tp, tp.locator('main form button[type=submit]'));
  assert.equal(where(tp), '/activate?done=1');
  assert.match((await notices(tp))[0], /密碼已設定完成/);
  await clickAndWait(tp, tp.getByRole('main').getByRole('link', { name: '登入' }));
  await login(tp, t, TEACHER.username, TEACHER.password, { goto: false });
  assert.equal(where(tp), '/');
  assert.equal(await heading(tp), '我的首頁');

  await tp.goto(link);
  assert.match((await notices(tp))[0], /此連結無效或已失效/, 'the link works once');
  await teacherCtx.close();
  const checker2 = await newContext(browser);
  const deadPage = await checker2.newPage();
  await deadPage.goto(link);
  await checkA11y(deadPage, 'dead link (zh)');
  await checker2.close();

  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
});

test('public pages from the login page: holder look-up and 補寄驗證信, axe-clean in zh-TW and en', async () => {
  for (const locale of ['zh-TW', 'en-GB']) {
    const ctx = await newContext(browser, { locale });
    const page = await ctx.newPage();
    const zh = locale === 'zh-TW';
    await page.goto(t.url + '/login');
    await clickAndWait(page, page.getByRole('link', { name: zh ? '查詢學校主帳號負責人' : "Look them up", exact: false }));
    assert.equal(where(page), '/tenant/holder');
    await checkA11y(page, `holder look-up (${locale})`);
    await page.getByLabel(zh ? '校代碼' : 'School code').fill('010300');
    await page.locator('#captcha').fill(t.lastCaptcha());
    await clickAndWait(page, page.locator('main form button[type=submit]'));
    const table = await page.getByTestId('holders').innerText();
    assert.match(table, /張主任/);
    assert.doesNotMatch(table, /principal@|010300_principal/);
    await checkA11y(page, `holder look-up result (${locale})`);

    await page.goto(t.url + '/login');
    await clickAndWait(page, page.getByRole('link', { name: zh ? '補寄驗證信' : 'Resend it', exact: false }));
    assert.equal(where(page), '/activate/resend');
    await checkA11y(page, `resend verification mail (${locale})`);
    if (!zh) {
      await login(page, t, HOLDER.username, HOLDER.password);
      await page.goto(t.url + '/tenant/accounts');
      assert.equal(await heading(page), 'Sub-accounts');
      await checkA11y(page, 'sub-accounts (en)');
    }
    assert.deepEqual(ctx.cspViolations, []);
    await ctx.close();
  }
});

test('ACC-7 ADM-5 issue 9 item 13: from 子帳號管理 the holder edits the teacher, gives 編報站權限 (the teacher sees the system), removes it, sends a new link; axe-clean in zh-TW and en', async () => {
  const holderId = (await t.deps.db.selectFrom('accounts').select('id').where('username', '=', HOLDER.username).executeTakeFirstOrThrow()).id;
  await t.deps.db.updateTable('admin_grants').set({ categories: ['shs'] }).where('account_id', '=', holderId).execute();
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, HOLDER.username, HOLDER.password);
  await page.goto(t.url + '/tenant/accounts');
  await clickAndWait(page, page.getByRole('link', { name: `管理 ${TEACHER.username}` }));
  assert.equal(await heading(page), '子帳號資料');
  const detailUrl = page.url();
  assert.equal(await page.getByTestId('username').innerText(), TEACHER.username);
  await checkA11y(page, 'sub-account (zh)');

  await page.getByLabel('職稱 *').fill('組長');
  await clickAndWait(page, page.getByRole('button', { name: '儲存', exact: true }));
  assert.deepEqual(await notices(page), [`已儲存 ${TEACHER.username} 的資料。`]);
  assert.equal(await page.getByLabel('職稱 *').inputValue(), '組長');

  await page.getByLabel('資本門系統：資本門系統填報').check();
  await clickAndWait(page, page.getByRole('button', { name: '儲存權限' }));
  assert.deepEqual(await notices(page), [`已更新 ${TEACHER.username} 的編報站權限（新增 1 項、移除 0 項）。`]);
  assert.equal(await page.getByLabel('資本門系統：資本門系統填報').isChecked(), true);
  await checkA11y(page, 'sub-account after giving access (zh)');

  const teacher = await (await newContext(browser)).newPage();
  await login(teacher, t, TEACHER.username, TEACHER.password);
  assert.match(await teacher.getByRole('main').innerText(), /資本門系統/, 'the teacher now has the system on the home page');

  await page.getByLabel('資本門系統：資本門系統填報').uncheck();
  await clickAndWait(page, page.getByRole('button', { name: '儲存權限' }));
  assert.deepEqual(await notices(page), [`已更新 ${TEACHER.username} 的編報站權限（新增 0 項、移除 1 項）。`]);

  // Activated, under the school's link scheme: a new set-password link, never 還原密碼.
  t.clock.advance(2 * MINUTE); // past the one-minute cool-down after the first link
  assert.equal(await page.getByRole('button', { name: '還原密碼' }).count(), 0);
  await clickAndWait(page, page.getByRole('button', { name: '寄送設定新密碼連結' }));
  assert.deepEqual(await notices(page), [`已寄出信件給 ${TEACHER.username}，連結 72 小時內有效。`]);
  await smtp.waitFor((m) => m.to === TEACHER.email && /設定新密碼連結/.test(m.subject));

  await ctx.addCookies([{ name: 'tessera_lang', value: 'en', url: t.url }]);
  await page.goto(detailUrl);
  assert.equal(await heading(page), 'Sub-account');
  await checkA11y(page, 'sub-account (en)');
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
});
