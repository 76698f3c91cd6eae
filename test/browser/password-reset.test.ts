// Forgotten password in a real browser (AUTH-5, OPS-3): login page → 忘記密碼 → mail received by a
// real SMTP server → link in the mail → reset → login with the new password; every page axe-clean.
// Without SMTP the mail waits on the development outbox page, whose link works too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { startSmtp, resetCode, type TestSmtp } from '../helpers/mail.ts';
import { createAccount } from '../helpers/accounts.ts';
import { launchBrowser, newContext, checkA11y, heading, login, notices, where, clickAndWait } from './helpers.ts';

let t: TestApp;
let smtp: TestSmtp;
let browser: Browser;
before(async () => {
  smtp = await startSmtp();
  [t, browser] = await Promise.all([startTestApp({ env: { SMTP_URL: smtp.url } }), launchBrowser()]);
});
after(async () => { await browser?.close(); await t?.close(); await smtp?.close(); });

const OLD = 'Correct-Horse-9';
const NEW = 'Quiet-Meadow-Falcon-48';

async function fillForgot(page: Page, t: TestApp, f: { name: string; username: string; email: string }) {
  await page.locator('#name').fill(f.name);
  await page.locator('#username').fill(f.username);
  await page.locator('#email').fill(f.email);
  await page.locator('#captcha').fill(t.lastCaptcha());
  await clickAndWait(page, page.locator('main form button[type=submit]'));
}

test('forgot → mail → link → reset → login with the new password, axe-clean in Chinese', async () => {
  const user = { name: '王大明', username: 'wangdaming', email: 'wang@school.example.edu.tw' };
  await createAccount(t.deps, { username: user.username, password: OLD, name: user.name, profile: { email: user.email } });
  const ctx = await newContext(browser);
  const page = await ctx.newPage();

  await page.goto(t.url + '/login');
  await clickAndWait(page, page.getByRole('link', { name: '忘記密碼' }));
  assert.equal(where(page), '/password/forgot');
  assert.equal(await heading(page), '忘記密碼');
  await checkA11y(page, 'forgot password (zh)');

  await fillForgot(page, t, user);
  assert.equal(await heading(page), '重設密碼');
  assert.match((await notices(page))[0], /若您填寫的資料正確，驗證碼已寄至您的信箱/);
  assert.equal(await page.locator('#username').inputValue(), user.username);
  await checkA11y(page, 'reset password after the request (zh)');

  const mail = await smtp.waitFor((m) => m.to === user.email);
  const code = resetCode(mail);
  const link = mail.html.match(/<a href="([^"]+\/password\/reset)"/)?.[1];
  assert.ok(link, 'the mail links to the reset page');
  await page.goto(link);
  assert.equal(await heading(page), '重設密碼');

  // A wrong code first: refused, in Chinese, accessible.
  await page.locator('#username').fill(user.username);
  await page.locator('#code').fill(code === '00000000' ? '11111111' : '00000000');
  await page.locator('#next').fill(NEW);
  await page.locator('#confirm').fill(NEW);
  await page.locator('#captcha').fill(t.lastCaptcha());
  await clickAndWait(page, page.locator('main form button[type=submit]'));
  assert.match((await notices(page))[0], /帳號或驗證碼錯誤/);
  await checkA11y(page, 'reset password with an error (zh)');

  await page.locator('#code').fill(code);
  await page.locator('#next').fill(NEW);
  await page.locator('#confirm').fill(NEW);
  await page.locator('#captcha').fill(t.lastCaptcha());
  await clickAndWait(page, page.locator('main form button[type=submit]'));
  assert.equal(where(page), '/password/reset?done=1');
  assert.deepEqual(await notices(page), ['密碼已重設，所有登入中的工作階段均已登出。請以新密碼登入。']);
  await checkA11y(page, 'reset done (zh)');

  await clickAndWait(page, page.getByRole('main').getByRole('link', { name: '登入' }));
  await login(page, t, user.username, OLD, { goto: false });
  assert.equal(where(page), '/login', 'the old password is refused');
  await login(page, t, user.username, NEW, { goto: false });
  assert.equal(where(page), '/');
  assert.equal(await heading(page), '我的首頁');
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
});

test('without SMTP the mail waits on /dev/outbox (axe-clean) and its link works; English pages; no JavaScript needed', async () => {
  const dev = await startTestApp();
  try {
    const user = { name: 'Mary Chen', username: 'marychen01', email: 'mary@agency.example.gov.tw' };
    await createAccount(dev.deps, { username: user.username, password: OLD, name: user.name, profile: { email: user.email } });
    // The requester's browser runs no script: both steps are plain forms.
    const ctx = await newContext(browser, { locale: 'en-GB', javaScriptEnabled: false });
    const page = await ctx.newPage();
    // axe needs scripts: the English page is checked in a context of its own.
    const checker = await newContext(browser, { locale: 'en-GB' });
    const checkPage = await checker.newPage();
    await checkPage.goto(dev.url + '/password/forgot');
    await checkA11y(checkPage, 'forgot password (en)');
    await checker.close();
    await page.goto(dev.url + '/password/forgot');
    assert.equal(await heading(page), 'Forgotten password');
    await fillForgot(page, dev, user);
    assert.equal(await heading(page), 'Reset password');

    const admin = await ctx.browser()!.newContext({ locale: 'en-GB' });
    const adminPage = await admin.newPage();
    await login(adminPage, dev, ADMIN_USERNAME, ADMIN_PASSWORD);
    await adminPage.goto(dev.url + '/dev/outbox');
    assert.equal(await heading(adminPage), 'Outbox (development)');
    assert.equal(await adminPage.getByTestId('mail-to').first().innerText(), user.email);
    await checkA11y(adminPage, 'development outbox (en)');
    const body = await adminPage.getByTestId('mail-body').first().innerText();
    const code = body.match(/^(\d{8})$/m)?.[1];
    assert.ok(code, 'the code is on the page');
    await clickAndWait(adminPage, adminPage.getByTestId('mail-body').first().getByRole('link'));
    assert.equal(new URL(adminPage.url()).pathname, '/password/reset', 'the link in the mail is clickable');
    await admin.close();

    // The admin's login took a newer captcha: a fresh reset page gets its own.
    await page.goto(dev.url + '/password/reset');
    await page.locator('#username').fill(user.username);
    await page.locator('#code').fill(code);
    await page.locator('#next').fill(NEW);
    await page.locator('#confirm').fill(NEW);
    await page.locator('#captcha').fill(dev.lastCaptcha());
    await clickAndWait(page, page.locator('main form button[type=submit]'));
    assert.equal(where(page), '/password/reset?done=1');
    await login(page, dev, user.username, NEW);
    assert.equal(where(page), '/');
    await ctx.close();
  } finally {
    await dev.close();
  }
});
