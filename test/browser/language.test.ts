// Language switch: English on request, remembered across pages, and back to Chinese.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { launchBrowser, newContext, checkA11y, heading, htmlLang, login, where, clickAndWait } from './helpers.ts';

let t: TestApp;
let browser: Browser;
before(async () => { [t, browser] = await Promise.all([startTestApp(), launchBrowser()]); });
after(async () => { await browser?.close(); await t?.close(); });

test('English and back, remembered across navigation, accessible in both languages', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto(t.url + '/login');
  assert.equal(await htmlLang(page), 'zh-Hant-TW');
  assert.equal(await heading(page), '會員登入');

  await clickAndWait(page, page.getByRole('link', { name: 'English' }));
  assert.equal(where(page), '/login', 'the switch returns to the page it was used on');
  assert.equal(await htmlLang(page), 'en');
  assert.equal(await heading(page), 'Log in');
  assert.equal(await page.locator('label[for=username]').innerText(), 'Username');
  await checkA11y(page, 'login page (en)');

  // Remembered: the next pages, and the signed-in home page, are in English too.
  await login(page, t, ADMIN_USERNAME, 'Wrong-Password-99', { goto: false });
  assert.equal(await htmlLang(page), 'en');
  assert.equal((await page.locator('main [role=alert]').innerText()).trim(),
    'Wrong username or password. The account locks after 3 failures; failures so far: [1]');
  await login(page, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  assert.equal(where(page), '/');
  assert.equal(await htmlLang(page), 'en');
  assert.equal(await heading(page), 'My home');
  await checkA11y(page, 'home page (en)');
  await clickAndWait(page, page.getByRole('navigation').getByRole('link', { name: 'Change password' }));
  assert.equal(where(page), '/password/change');
  assert.equal(await htmlLang(page), 'en');
  assert.equal(await heading(page), 'Change password');
  await checkA11y(page, 'change password (en)');

  // Back to Chinese, on the page where the switch was used, and it stays Chinese.
  await clickAndWait(page, page.getByRole('link', { name: '中文' }));
  assert.equal(where(page), '/password/change');
  assert.equal(await htmlLang(page), 'zh-Hant-TW');
  assert.equal(await heading(page), '修改密碼');
  await checkA11y(page, 'change password (zh)');
  await page.goto(t.url + '/');
  assert.equal(await htmlLang(page), 'zh-Hant-TW');
  assert.equal(await heading(page), '我的首頁');
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
});
