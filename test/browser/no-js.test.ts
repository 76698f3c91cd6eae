// Every form works without JavaScript: login and change password with scripts disabled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { launchBrowser, newContext, heading, login, notices, where, clickAndWait } from './helpers.ts';

let t: TestApp;
let browser: Browser;
before(async () => { [t, browser] = await Promise.all([startTestApp(), launchBrowser()]); });
after(async () => { await browser?.close(); await t?.close(); });

test('login and change password with JavaScript disabled', async () => {
  const ctx = await newContext(browser, { javaScriptEnabled: false });
  const page = await ctx.newPage();
  let strengthCalls = 0;
  page.on('request', (r) => { if (r.url().endsWith('/password/strength')) strengthCalls++; });

  await login(page, t, ADMIN_USERNAME, 'Wrong-Password-99');
  assert.deepEqual(await notices(page), ['帳號或密碼錯誤，次數達 3 次即鎖定，目前【1】']);
  await login(page, t, ADMIN_USERNAME, ADMIN_PASSWORD, { goto: false });
  assert.equal(where(page), '/');
  assert.equal(await heading(page), '我的首頁');

  await clickAndWait(page, page.getByRole('navigation').getByRole('link', { name: '修改密碼' }));
  assert.equal(where(page), '/password/change');
  const next = 'Amber-Cactus-Violin-64';
  await page.locator('#current').fill(ADMIN_PASSWORD);
  await page.locator('#next').fill(next);
  await page.locator('#confirm').fill(next);
  await clickAndWait(page, page.locator('main form button[type=submit]'));
  assert.equal(where(page), '/password/change?done=1');
  assert.deepEqual(await notices(page), ['密碼已修改。']);
  assert.equal(strengthCalls, 0, 'no script ran: the meter never asked the server');

  await clickAndWait(page, page.getByRole('button', { name: '登出', exact: true }));
  assert.equal(where(page), '/login?done=logout');
  await login(page, t, ADMIN_USERNAME, ADMIN_PASSWORD, { goto: false });
  assert.equal(where(page), '/login', 'the old password is refused');
  await login(page, t, ADMIN_USERNAME, next, { goto: false });
  assert.equal(where(page), '/');
  assert.equal(await heading(page), '我的首頁');
  await ctx.close();
});
