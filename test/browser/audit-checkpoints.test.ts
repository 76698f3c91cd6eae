// 稽核紀錄簽章檢查點 in a real browser (GOV-1, OPS-5, issue 15): the central authority reaches the
// checkpoints from the audit page, sees the signed heads, the public key and the seal lag, pages
// without JavaScript; axe-clean in Traditional Chinese and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { audit } from '../../src/platform/audit.ts';
import { sealAndSign } from '../../src/platform/audit-sealer.ts';
import { launchBrowser, newContext, checkA11y, heading, login, where, clickAndWait } from './helpers.ts';

let t: TestApp;
let browser: Browser;
before(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  await sealAndSign(t.deps, 'test');
  await t.deps.db.transaction().execute((trx) => audit(trx, t.clock.now(), { actor: null, action: 'policy.set', targetId: 'x' }));
  await sealAndSign(t.deps, 'test');
});
after(async () => { await browser?.close(); await t?.close(); });

test('GOV-1 OPS-5 issue 15: the signed checkpoints, reached from the audit page, are axe-clean in zh-TW and en', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  await page.goto(t.url + '/admin/audit');
  await clickAndWait(page, page.getByRole('link', { name: '簽章檢查點' }));
  assert.equal(where(page), '/admin/audit/checkpoints');
  assert.equal(await heading(page), '稽核紀錄簽章檢查點');
  const rows = page.locator('main table').first().locator('tbody tr');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.first().innerText(), /^2\s+\d+\s+[0-9a-f]{64}/);
  assert.match(await page.locator('main').innerText(), /尚未封存的事件：\d+ 筆/);
  await checkA11y(page, 'checkpoints (zh)');
  await page.goto(t.url + '/lang/en?next=%2Fadmin%2Faudit%2Fcheckpoints');
  assert.equal(await heading(page), 'Audit trail checkpoints');
  await checkA11y(page, 'checkpoints (en)');
  assert.deepEqual(ctx.cspViolations, []);
});
