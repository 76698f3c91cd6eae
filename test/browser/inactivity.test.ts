// 閒置帳號 in a real browser (GOV-2, OPS-5): an agency's registration administrator reaches the
// page from the administration home, filters by unit and use without JavaScript, downloads the CSV;
// the page is axe-clean in Traditional Chinese and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { DAY } from '../../src/platform/clock.ts';
import { launchBrowser, newContext, checkA11y, heading, login, where, clickAndWait } from './helpers.ts';

const PASSWORD = 'Correct-Horse-Battery-9';
const AGENCY = '2.16.886.101.90027.20002';
const CHILD = AGENCY + '.20011';

let t: TestApp;
let browser: Browser;
before(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const admin = await createAccount(t.deps, { username: 'raagency1', password: PASSWORD, unitOid: AGENCY, name: '李管理' });
  await createGrant(t.deps, null, { accountId: admin, kind: 'registration_admin', jurisdictionOid: AGENCY, categories: ['csm'] }, null);
  // Made 100 days ago: one signed in then, one never did.
  const then = new Date(t.clock.now().getTime() - 100 * DAY);
  for (const [username, name, used] of [['oldclerk1', '陳久未登入', true], ['newclerk1', '林從未使用', false]] as const) {
    const id = await createAccount(t.deps, { username, password: PASSWORD, unitOid: CHILD, name });
    await t.deps.db.updateTable('accounts').set({ activated_at: then, last_password_login_at: used ? then : null }).where('id', '=', id).execute();
  }
});
after(async () => { await browser?.close(); await t?.close(); });

test('GOV-2 OPS-5: the inactive accounts page, reached from the administration home, is axe-clean in zh-TW and en', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, 'raagency1', PASSWORD);
  await page.goto(t.url + '/admin');
  await clickAndWait(page, page.getByRole('link', { name: '閒置帳號' }));
  assert.equal(where(page), '/admin/inactivity');
  assert.equal(await heading(page), '閒置帳號');
  assert.match(await page.locator('main table caption').innerText(), /共 2 筆閒置帳號/);
  assert.match(await page.locator('tr[data-account="newclerk1"]').innerText(), /從未使用/);
  await checkA11y(page, 'inactive accounts (zh)');
  await page.locator('#unit').fill('not-an-oid');
  await clickAndWait(page, page.getByRole('button', { name: '篩選' }));
  assert.match(await page.locator('#unit-error').innerText(), /單位 OID 格式不正確/);
  await checkA11y(page, 'inactive accounts with an error (zh)');
  await page.goto(t.url + '/lang/en?next=%2Fadmin%2Finactivity');
  assert.equal(await heading(page), 'Inactive accounts');
  assert.match(await page.locator('main table caption').innerText(), /2 inactive accounts/);
  await checkA11y(page, 'inactive accounts (en)');
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
});

test('GOV-2: without JavaScript the filter works and the export downloads the filtered CSV', async () => {
  const ctx = await newContext(browser, { javaScriptEnabled: false, acceptDownloads: true });
  const page = await ctx.newPage();
  await login(page, t, 'raagency1', PASSWORD);
  await page.goto(t.url + '/admin/inactivity');
  await page.locator('#used').selectOption({ label: '從未使用' });
  await page.locator('#unit').fill(CHILD);
  await clickAndWait(page, page.getByRole('button', { name: '篩選' }));
  assert.equal(where(page), `/admin/inactivity?unit=${CHILD}&used=never`);
  assert.deepEqual(await page.locator('tr[data-account]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-account'))), ['newclerk1']);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.getByRole('button', { name: '匯出 CSV' }).click()]);
  assert.equal(download.suggestedFilename(), 'inactive-accounts.csv');
  const text = (await import('node:fs')).readFileSync((await download.path())!, 'utf8');
  assert.ok(text.includes('newclerk1') && !text.includes('oldclerk1'), text);
  await ctx.close();
});
