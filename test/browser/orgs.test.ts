// Organisation pages in a real browser (ORG-1..3): axe-core finds no violation on the tree, node,
// look-up pages, forms with errors, in both languages; the forms work with JavaScript off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { launchBrowser, newContext, checkA11y, heading, login, notices, where, clickAndWait } from './helpers.ts';

let t: TestApp;
let browser: Browser;
before(async () => { [t, browser] = await Promise.all([startTestApp(), launchBrowser()]); });
after(async () => { await browser?.close(); await t?.close(); });

test('anonymous visitors: tree, node and look-up pages are accessible in Chinese and English', async () => {
  for (const locale of ['zh-TW', 'en']) {
    const ctx = await newContext(browser, { locale });
    ctx.setDefaultTimeout(15_000);
    const page = await ctx.newPage();
    for (const path of ['/orgs', '/orgs/2.16.886.101.90027.20002', '/orgs/lookup', '/orgs/lookup?q=%E8%87%BA%E4%B8%AD', '/orgs/lookup?q=nothing-here']) {
      await page.goto(t.url + path);
      await checkA11y(page, `${path} (${locale})`);
    }
    assert.deepEqual(ctx.cspViolations, []);
    await ctx.close();
  }
});

test('central authority: add, set policy, move; pages with errors stay accessible', async () => {
  const ctx = await newContext(browser);
  // playwright-core waits forever by default; a missing element should fail, not hang.
  ctx.setDefaultTimeout(15_000);
  const page = await ctx.newPage();
  await login(page, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  assert.equal(where(page), '/');

  await page.goto(t.url + '/orgs');
  await checkA11y(page, 'tree with add form');
  await page.getByLabel('OID', { exact: true }).fill('2.16.886.101.90027.50001');
  await page.getByLabel('機關/單位名稱').fill('瀏覽器新增單位');
  await page.getByLabel('類型').selectOption('unit');
  await clickAndWait(page, page.getByRole('button', { name: '儲存' }));
  assert.equal(where(page), '/orgs/2.16.886.101.90027.50001?done=created');
  assert.equal(await heading(page), '瀏覽器新增單位');
  assert.deepEqual(await notices(page), ['已新增機關/單位。']);
  await checkA11y(page, 'node page with policy and move forms');

  await page.getByLabel(/^密碼最短長度/).fill('7');
  await page.getByLabel(/^閒置自動登出/).fill('240');
  await clickAndWait(page, page.locator('form[action$="/policy"] button[type=submit]'));
  assert.deepEqual(await notices(page), ['政策設定有誤：密碼最短長度（超出允許範圍）']);
  await checkA11y(page, 'policy form with an error');

  await page.getByLabel(/^密碼最短長度/).fill('14');
  await clickAndWait(page, page.locator('form[action$="/policy"] button[type=submit]'));
  assert.equal(where(page), '/orgs/2.16.886.101.90027.50001?done=policy');
  const row = page.locator('tr[data-key="session.idleMinutes"]');
  assert.match(await row.innerText(), /240/);

  await page.getByLabel('新的上層 OID').fill('2.16.886.999');
  await clickAndWait(page, page.getByRole('button', { name: '搬移至其他上層' }));
  assert.deepEqual(await notices(page), ['找不到指定的上層。']);
  await checkA11y(page, 'move form with an error');
  await page.getByLabel('新的上層 OID').fill('2.16.886.111');
  await clickAndWait(page, page.getByRole('button', { name: '搬移至其他上層' }));
  assert.equal(where(page), '/orgs/2.16.886.111.50001?done=moved');
  assert.match(await page.locator('tr[data-key="password.minLength"]').innerText(), /14\s+2\.16\.886\.111\.50001/);

  await page.goto(t.url + '/orgs');
  await page.getByLabel('OID', { exact: true }).fill('not-an-oid');
  await page.getByLabel('機關/單位名稱').fill('錯誤');
  await clickAndWait(page, page.getByRole('button', { name: '儲存' }));
  assert.equal(where(page), '/orgs');
  assert.deepEqual(await notices(page), ['OID 格式不正確（以點分隔的數字，例如 2.16.886.101.90027）。']);
  await checkA11y(page, 'add form with an error');
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
});

test('the add and policy forms work with JavaScript disabled', async () => {
  // No axe here: it runs as page script, which this context does not execute.
  const ctx = await newContext(browser, { javaScriptEnabled: false });
  ctx.setDefaultTimeout(15_000);
  const page = await ctx.newPage();
  await login(page, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  await page.goto(t.url + '/orgs');
  await page.getByLabel('OID', { exact: true }).fill('2.16.886.101.90027.50002');
  await page.getByLabel('機關/單位名稱').fill('無指令碼新增單位');
  await clickAndWait(page, page.getByRole('button', { name: '儲存' }));
  assert.equal(where(page), '/orgs/2.16.886.101.90027.50002?done=created');
  await page.getByLabel(/^允許通行密鑰/).selectOption('true');
  await clickAndWait(page, page.locator('form[action$="/policy"] button[type=submit]'));
  assert.deepEqual(await notices(page), ['政策已更新。']);
  assert.match(await page.locator('tr[data-key="login.passkey"]').innerText(), /是/);
  await ctx.close();
});
