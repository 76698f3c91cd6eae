// Small annoyances of issue 9 item 19 in a real browser: 顯示密碼 as a progressive enhancement
// (shown and working with JavaScript, absent without), and pages that fit a 375-px phone screen
// without horizontal scrolling (a wide table scrolls inside itself), axe-clean.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { launchBrowser, newContext, checkA11y, login, where } from './helpers.ts';

let t: TestApp;
let browser: Browser;
before(async () => { [t, browser] = await Promise.all([startTestApp(), launchBrowser()]); });
after(async () => { await browser?.close(); await t?.close(); });

const PHONE = { width: 375, height: 800 };

test('AUTH-1 (issue 9 item 19): 顯示密碼 shows the typed password on the login and change-password pages; without JavaScript there is no such box', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto(t.url + '/login');
  const show = page.getByLabel('顯示密碼');
  assert.ok(await show.isVisible(), 'the box is shown once the script runs');
  await page.locator('#password').fill('Secret-Typed-1');
  await show.check();
  assert.equal(await page.locator('#password').getAttribute('type'), 'text');
  await show.uncheck();
  assert.equal(await page.locator('#password').getAttribute('type'), 'password');
  await checkA11y(page, 'login with 顯示密碼');

  await login(page, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  await page.goto(t.url + '/password/change');
  await page.locator('#show-next-confirm').check();
  assert.deepEqual([await page.locator('#next').getAttribute('type'), await page.locator('#confirm').getAttribute('type')], ['text', 'text']);
  assert.equal(await page.locator('#current').getAttribute('type'), 'password', 'each box shows only its own fields');
  await checkA11y(page, 'change password with 顯示密碼');
  await ctx.close();

  const noJs = await newContext(browser, { javaScriptEnabled: false });
  const plain = await noJs.newPage();
  await plain.goto(t.url + '/login');
  assert.equal(await plain.getByLabel('顯示密碼').isVisible(), false, 'no box that would do nothing');
  await noJs.close();
});

/** How far the page reaches past the viewport's right edge (0: no horizontal scrolling). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('OPS-5 (issue 9 item 19): at 375 px wide no page scrolls sideways; wide tables scroll in their own box', async () => {
  await createAccount(t.deps, { username: 'phonecheck1', password: 'Correct-Horse-9', name: '手機測試員', unitOid: '2.16.886.101.90027.20002.20011' });
  const ctx = await newContext(browser, { viewport: PHONE });
  const page = await ctx.newPage();
  await page.goto(t.url + '/login');
  assert.equal(await overflow(page), 0, '/login');
  await login(page, t, ADMIN_USERNAME, ADMIN_PASSWORD, { goto: false });
  assert.equal(where(page), '/');
  for (const path of ['/', '/admin/audit', '/admin/accounts?q=phonecheck1', '/orgs/2.16.886.101.90027', '/admin/systems', '/requests', '/announcements']) {
    await page.goto(t.url + path);
    assert.equal(await overflow(page), 0, `${path} fits the screen`);
    await checkA11y(page, `${path} at 375 px`);
  }
  // The audit table is wider than the phone: it scrolls inside itself, the page does not.
  await page.goto(t.url + '/admin/audit');
  const table = await page.locator('main table').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  assert.ok(table.client <= PHONE.width, `the table's box fits (${table.client})`);
  await ctx.close();
});
