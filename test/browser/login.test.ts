// Login in a real browser: Chinese page, wrong password counter, home page with last login time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { MINUTE } from '../../src/platform/clock.ts';
import { launchBrowser, newContext, checkA11y, heading, htmlLang, login, notices, where, clickAndWait } from './helpers.ts';

let t: TestApp;
let browser: Browser;
before(async () => { [t, browser] = await Promise.all([startTestApp(), launchBrowser()]); });
after(async () => { await browser?.close(); await t?.close(); });

test('login page is Traditional Chinese and accessible; wrong password counts; right one lands on 我的首頁 with the last login time', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();

  await page.goto(t.url + '/login');
  assert.equal(await htmlLang(page), 'zh-Hant-TW');
  assert.equal(await heading(page), '會員登入');
  assert.equal(await page.locator('label[for=username]').innerText(), '帳號');
  await page.screenshot({ path: '/tmp/tessera-login-zh.png', fullPage: true });
  await checkA11y(page, 'login page (zh)');

  await login(page, t, ADMIN_USERNAME, 'Wrong-Password-99', { goto: false });
  assert.equal(where(page), '/login');
  assert.deepEqual(await notices(page), ['帳號或密碼錯誤，次數達 3 次即鎖定，目前【1】']);
  assert.equal(await page.locator('#username').inputValue(), ADMIN_USERNAME, 'username is kept after a failure');
  assert.equal(await page.locator('#password').inputValue(), '', 'password is not echoed back');
  await checkA11y(page, 'login page with error (zh)');

  await login(page, t, ADMIN_USERNAME, ADMIN_PASSWORD, { goto: false });
  assert.equal(where(page), '/');
  assert.equal(await heading(page), '我的首頁');
  assert.match(await page.locator('main').innerText(), /中央管理者，您好/);
  assert.equal(await page.getByTestId('last-password-login').innerText(), '無紀錄');
  await checkA11y(page, 'home page (zh, first login)');

  // Second login five minutes later: the home page shows the first login's time (Taipei time).
  await clickAndWait(page, page.getByRole('button', { name: '登出', exact: true }));
  t.clock.advance(5 * MINUTE);
  await login(page, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  assert.equal(where(page), '/');
  assert.equal(await heading(page), '我的首頁');
  // Year first in every language (issue 9 item 19).
  assert.equal(await page.getByTestId('last-password-login').innerText(), '2026-11-25 10:00:00');
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
});

test('SSO-5 ACC-7 issue 9 item 19: the login page shows the guest announcements (not the member ones) and the school-code hint; axe-clean', async () => {
  const now = t.clock.now();
  await t.deps.db.insertInto('announcements').values([
    { audience: 'guest', title: '系統維護公告', body: '本週六停機維護。', created_at: now },
    { audience: 'member', title: '僅限會員的公告', body: '登入後才看得到。', created_at: now },
  ]).execute();
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto(t.url + '/login');
  const section = page.getByRole('region', { name: '公告' });
  assert.equal(await section.getByRole('link', { name: '系統維護公告' }).count(), 1);
  assert.equal(await page.getByText('僅限會員的公告').count(), 0, 'member announcements wait for sign-in');
  assert.equal(await page.getByRole('textbox', { name: '帳號' }).getAttribute('aria-describedby'), 'username-hint');
  assert.equal(await page.locator('#username-hint').innerText(), '若您為學校主（子）帳號人員，帳號前綴請包含該校校代碼，例如 010300_myaccount（不是 myaccount）。');
  await checkA11y(page, 'login page with announcements (zh)');
  await clickAndWait(page, section.getByRole('link', { name: '系統維護公告' }));
  assert.equal(await heading(page), '系統維護公告');
  await ctx.close();
});
