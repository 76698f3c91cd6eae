// 登出 ends this browser's session; 登出所有裝置 ends the account's sessions in other browsers too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { launchBrowser, newContext, checkA11y, heading, login, notices, where, clickAndWait } from './helpers.ts';

let t: TestApp;
let browser: Browser;
before(async () => { [t, browser] = await Promise.all([startTestApp(), launchBrowser()]); });
after(async () => { await browser?.close(); await t?.close(); });

test('登出 ends the session', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  assert.equal(where(page), '/');

  await clickAndWait(page, page.getByRole('button', { name: '登出', exact: true }));
  assert.equal(where(page), '/login?done=logout');
  assert.deepEqual(await notices(page), ['您已登出。']);
  await checkA11y(page, 'login page after logout (zh)');

  await page.goto(t.url + '/');
  assert.equal(where(page), '/login?next=%2F');
  assert.equal(await heading(page), '會員登入');
  assert.equal(await page.getByRole('button', { name: '登出', exact: true }).count(), 0);
  await ctx.close();
});

test('登出所有裝置 ends the sessions of other browsers too', async () => {
  const ctxA = await newContext(browser);
  const ctxB = await newContext(browser);
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();
  await login(a, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  await login(b, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  assert.equal(where(a), '/');
  assert.equal(where(b), '/');
  // Both are signed in at the same time.
  await a.goto(t.url + '/');
  assert.equal(await heading(a), '我的首頁');

  await clickAndWait(b, b.getByRole('button', { name: '登出所有裝置' }));
  assert.equal(where(b), '/login?done=logout');
  assert.deepEqual(await notices(b), ['您已登出。']);

  await a.goto(t.url + '/');
  assert.equal(where(a), '/login?next=%2F');
  assert.equal(await heading(a), '會員登入');
  await b.goto(t.url + '/');
  assert.equal(where(b), '/login?next=%2F');
  await ctxA.close();
  await ctxB.close();
});
