// Profile maintenance in Chromium (ACC-4, ACC-5): accessible with and without errors, in both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { launchBrowser, newContext, checkA11y, heading, login, where, clickAndWait } from './helpers.ts';

let t: TestApp;
let browser: Browser;
before(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  await createAccount(t.deps, { username: 'profileui1', password: 'Correct-Horse-9', profile: { nationalId: 'A123456789' } });
});
after(async () => { await browser?.close(); await t?.close(); });

test('profile page: locked fields, a field error, a saved change; axe-clean', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, 'profileui1', 'Correct-Horse-9');
  await clickAndWait(page, page.getByRole('navigation', { name: '主選單' }).getByRole('link', { name: '基本資料' }));
  assert.equal(await heading(page), '基本資料維護');
  assert.equal(await page.getByTestId('national-id').textContent(), 'A12****789');
  await checkA11y(page, 'profile (zh)');

  await page.getByLabel('行動電話').fill('0812345678');
  await clickAndWait(page, page.getByRole('button', { name: '儲存' }));
  assert.match(await page.locator('#mobile-error').textContent() ?? '', /09 開頭的 10 位數字/);
  await checkA11y(page, 'profile with an error (zh)');

  // Typed without the hyphen (issue 9 item 15): saved, and shown back in the stored form.
  await page.getByLabel('行動電話').fill('0912345678');
  await page.getByLabel('職稱').fill('科員');
  await clickAndWait(page, page.getByRole('button', { name: '儲存' }));
  assert.equal(where(page), '/profile?done=1');
  assert.equal(await page.getByLabel('職稱').inputValue(), '科員');
  assert.equal(await page.getByLabel('行動電話').inputValue(), '0912-345678');

  await page.goto(t.url + '/lang/en?next=/profile');
  assert.equal(await heading(page), 'Profile maintenance');
  await checkA11y(page, 'profile (en)');
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
});
