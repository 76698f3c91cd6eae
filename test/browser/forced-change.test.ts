// A bootstrap account created without a password gets a generated one that must be changed at
// first login: every page leads back to /password/change until it is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { bootstrapCentralAuthority } from '../../src/accounts/bootstrap.ts';
import { launchBrowser, newContext, checkA11y, heading, login, notices, where, clickAndWait } from './helpers.ts';

let t: TestApp;
let browser: Browser;
let generated: string;
before(async () => {
  [t, browser] = await Promise.all([startTestApp({ bootstrap: false }), launchBrowser()]);
  const r = await bootstrapCentralAuthority(t.deps, { username: 'firstadmin' });
  assert.ok(r.created && r.generatedPassword);
  generated = r.generatedPassword;
});
after(async () => { await browser?.close(); await t?.close(); });

test('AUTH-4 issue 9 item 19: generated bootstrap password must be changed before anything else; the demand is a warning, the first change is announced', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, 'firstadmin', generated);
  assert.equal(where(page), '/password/change');
  assert.equal(await heading(page), '修改密碼');
  assert.deepEqual(await notices(page), ['您必須先修改密碼才能繼續使用。']);
  // A demand, not a success: amber, unlike the green of "done".
  assert.equal(await page.locator('main .notice').getAttribute('class'), 'notice warning');
  assert.notEqual(await page.locator('main .notice').evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(238, 248, 240)');
  // Only the change-password page is offered while the change is pending.
  const nav = page.getByRole('navigation');
  assert.equal(await nav.getByRole('link', { name: '我的首頁' }).count(), 0);
  assert.equal(await nav.getByRole('link', { name: '稽核紀錄' }).count(), 0);
  await checkA11y(page, 'forced change password (zh)');

  for (const path of ['/', '/admin/audit', '/orgs']) {
    await page.goto(t.url + path);
    assert.equal(where(page), '/password/change', `${path} leads back to the change page`);
    assert.deepEqual(await notices(page), ['您必須先修改密碼才能繼續使用。']);
  }

  const next = 'Quiet-Harbour-Maple-58';
  await page.locator('#current').fill(generated);
  await page.locator('#next').fill(next);
  await page.locator('#confirm').fill(next);
  await clickAndWait(page, page.locator('main form button[type=submit]'));
  assert.equal(where(page), '/?changed=first');
  assert.equal(await heading(page), '我的首頁');
  assert.deepEqual(await notices(page), ['密碼修改成功，開帳完成。之後請以新密碼登入；原本的開帳密碼已失效。']);
  assert.equal(await page.locator('main .notice').getAttribute('class'), 'notice info');
  await checkA11y(page, 'home after forced change (zh)');

  await page.goto(t.url + '/admin/audit');
  assert.equal(where(page), '/admin/audit', 'no longer held on the change page');
  await page.goto(t.url + '/password/change');
  assert.deepEqual(await notices(page), [], 'the forced-change notice is gone');
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();

  // The generated password is spent; the chosen one works without a forced change.
  const ctx2 = await newContext(browser);
  const page2 = await ctx2.newPage();
  await login(page2, t, 'firstadmin', next);
  assert.equal(where(page2), '/');
  await ctx2.close();
});
