// Change password in a real browser: the debounced strength meter, the localised rule errors,
// and a change that takes effect (old password refused, new one accepted).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { launchBrowser, newContext, checkA11y, heading, login, notices, where, clickAndWait } from './helpers.ts';

let t: TestApp;
let browser: Browser;
before(async () => { [t, browser] = await Promise.all([startTestApp(), launchBrowser()]); });
after(async () => { await browser?.close(); await t?.close(); });

const NEW_PASSWORD = 'Vivid-Lantern-Orbit-73';

async function storedHash(): Promise<string> {
  const row = await t.deps.db.selectFrom('passwords').innerJoin('accounts', 'accounts.id', 'passwords.account_id')
    .select('passwords.hash').where('accounts.username', '=', ADMIN_USERNAME).executeTakeFirstOrThrow();
  return row.hash;
}

/** Types into the new-password field and waits for the meter's label to read `label`. */
async function typeAndWaitForStrength(page: Page, password: string, label: string): Promise<number> {
  await page.locator('#next').fill('');
  await page.locator('#next').pressSequentially(password);
  await page.waitForFunction((want) => document.querySelector('#strength [data-label]')?.textContent === want, label, { timeout: 10_000 });
  return page.locator('#strength meter').evaluate((m) => (m as HTMLMeterElement).value);
}

test('strength meter, policy errors, and a successful change', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  assert.equal(where(page), '/');

  await page.goto(t.url + '/password/change');
  assert.equal(await heading(page), '修改密碼');
  assert.equal(await page.locator('#strength [data-label]').innerText(), '', 'meter starts empty');
  await checkA11y(page, 'change password (zh)');

  const strengthCalls: string[] = [];
  page.on('request', (r) => { if (r.url().endsWith('/password/strength')) strengthCalls.push(r.postData() ?? ''); });

  const weakScore = await typeAndWaitForStrength(page, 'password', '弱');
  assert.ok(weakScore <= 2, `weak score ${weakScore}`);
  assert.equal(await page.locator('#strength').getAttribute('data-level'), 'weak');
  // Debounced: typing 8 characters in a row sends far fewer than 8 requests.
  assert.ok(strengthCalls.length >= 1 && strengthCalls.length < 8, `strength requests: ${strengthCalls.length}`);

  const strongScore = await typeAndWaitForStrength(page, NEW_PASSWORD, '強');
  assert.equal(strongScore, 4);
  assert.equal(await page.locator('#strength').getAttribute('data-level'), 'strong');
  await checkA11y(page, 'change password with meter filled (zh)');

  // A password that breaks the policy: the errors come back in Chinese and nothing is stored.
  const before = await storedHash();
  await page.locator('#current').fill(ADMIN_PASSWORD);
  await page.locator('#next').fill('abcd1234');
  await page.locator('#confirm').fill('abcd1234');
  await clickAndWait(page, page.locator('main form button[type=submit]'));
  assert.equal(where(page), '/password/change');
  const errors = await page.locator('main [role=alert] li').allInnerTexts();
  assert.ok(errors.includes('密碼長度不足。'), errors.join(' | '));
  assert.ok(errors.includes('密碼須包含數字、小寫字母、大寫字母、符號其中 3 種以上。'), errors.join(' | '));
  assert.ok(errors.includes('密碼不可包含鍵盤順序鍵（例如：qwer、1234）。'), errors.join(' | '));
  assert.equal(await storedHash(), before, 'a refused change leaves the password as it was');
  await checkA11y(page, 'change password with errors (zh)');

  // A valid change.
  await page.locator('#current').fill(ADMIN_PASSWORD);
  await page.locator('#next').fill(NEW_PASSWORD);
  await page.locator('#confirm').fill(NEW_PASSWORD);
  await clickAndWait(page, page.locator('main form button[type=submit]'));
  assert.equal(where(page), '/password/change?done=1');
  assert.deepEqual(await notices(page), ['密碼已修改。']);
  assert.notEqual(await storedHash(), before);
  await checkA11y(page, 'change password done (zh)');
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();

  // In a fresh browser: the old password is refused, the new one works.
  const ctx2 = await newContext(browser);
  const page2 = await ctx2.newPage();
  await login(page2, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  assert.equal(where(page2), '/login');
  assert.deepEqual(await notices(page2), ['帳號或密碼錯誤，次數達 3 次即鎖定，目前【1】']);
  await login(page2, t, ADMIN_USERNAME, NEW_PASSWORD, { goto: false });
  assert.equal(where(page2), '/');
  assert.equal(await heading(page2), '我的首頁');
  await ctx2.close();
});
