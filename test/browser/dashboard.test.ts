// 管理儀表板 in a real browser (OPS-7, OPS-5): reached from the administration home; charts with their
// data tables, axe-clean in Traditional Chinese and English, without JavaScript too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { DAY } from '../../src/platform/clock.ts';
import { launchBrowser, newContext, checkA11y, heading, login, where, clickAndWait } from './helpers.ts';

let t: TestApp;
let browser: Browser;
before(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const idle = await createAccount(t.deps, { username: 'dashidle9', password: 'Correct-Horse-9', unitOid: '2.16.886.101.90027.20002.20011', name: '閒置者' });
  await t.deps.db.updateTable('accounts').set({ activated_at: new Date(t.clock.now().getTime() - 100 * DAY) }).where('id', '=', idle).execute();
});
after(async () => { await browser?.close(); await t?.close(); });

test('OPS-7 OPS-5: the dashboard, reached from the administration home, is axe-clean in zh-TW and en, and readable without JavaScript', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  await page.goto(t.url + '/admin');
  await clickAndWait(page, page.getByRole('link', { name: '管理儀表板' }));
  assert.equal(where(page), '/admin/dashboard');
  assert.equal(await heading(page), '管理儀表板');
  assert.equal(await page.getByRole('img', { name: /帳號狀態/ }).count(), 1, 'the chart is an image named by its title and description');
  assert.match(await page.locator('table[data-chart="inactive"]').innerText(), /商業科登記股（範例）\s+1/);
  await checkA11y(page, 'dashboard (zh)');
  await page.goto(t.url + '/lang/en?next=%2Fadmin%2Fdashboard');
  assert.equal(await heading(page), 'Dashboard');
  await checkA11y(page, 'dashboard (en)');
  assert.deepEqual(ctx.cspViolations, [], 'nothing the content security policy blocks');
  await ctx.close();
  const plain = await newContext(browser, { javaScriptEnabled: false });
  const p2 = await plain.newPage();
  await login(p2, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  await p2.goto(t.url + '/admin/dashboard');
  assert.equal(await p2.locator('svg.chart').count(), 4);
  await plain.close();
});
