// Governance pages in a real browser (OPS-7, OPS-5, seed 002 五(七)): the dashboard, reached from the
// administration home, with charts and their data tables, axe-clean in Traditional Chinese and English,
// without JavaScript too; the usage rules a user accepts at sign-in and the page that publishes them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { DAY } from '../../src/platform/clock.ts';
import { publishRules } from '../../src/governance/usage-rules/service.ts';
import { loadActor } from '../../src/access/actor.ts';
import { findAccountByUsername } from '../../src/accounts/store.ts';
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

test('seed 002 五(七) OPS-5: the usage rules owed at sign-in and the publishing page are axe-clean', async () => {
  const central = await loadActor(t.deps, (await findAccountByUsername(t.deps.db, ADMIN_USERNAME))!.id);
  assert.ok((await publishRules(t.deps, central, '2.16.886.101.90027.20002', { title: '帳號使用規則', body: '一、帳號限本人使用。\n\n二、密碼不得告知他人。' }, null)).ok);
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, 'dashidle9', 'Correct-Horse-9');
  assert.match(where(page), /^\/account\/usage-rules/);
  assert.equal(await heading(page), '帳號使用規則');
  await checkA11y(page, 'usage rules owed (zh)');
  await clickAndWait(page, page.getByRole('button', { name: '我已閱讀並同意遵守' }));
  assert.equal(where(page), '/');
  await ctx.close();
  const admin = await newContext(browser);
  const p2 = await admin.newPage();
  await login(p2, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  await p2.goto(t.url + '/orgs/2.16.886.101.90027.20002/usage-rules');
  assert.match(await p2.getByTestId('progress').innerText(), /已有 1 個同意目前版本/);
  await checkA11y(p2, 'usage rules publishing (zh)');
  await admin.close();
});
