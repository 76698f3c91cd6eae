// Browser tests of the administrator pages in Chromium (ADM-3..6, AUTH-4, AUTH-7): a registration
// administrator adds a user, who logs in with the MmDd initial password and must change it first;
// a one-day password works today and is refused tomorrow (the injected clock); every
// administrator page is axe-clean, with and without errors, in both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD as CENTRAL_PASSWORD, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { checkDigitFor } from '../../src/accounts/national-id.ts';
import { DAY } from '../../src/platform/clock.ts';
import { launchBrowser, newContext, checkA11y, heading, login, notices, where, clickAndWait } from './helpers.ts';

const AGENCY = '2.16.886.101.90027.20002';
const CHILD = AGENCY + '.20011';
const ADMIN_PASSWORD = 'Correct-Horse-9';
const first9 = 'F12345678';
const NATIONAL_ID = first9 + checkDigitFor(first9);
/** Seed 003: MmDd + birth month and day + the last 4 of the national ID. */
const INITIAL = `MmDd0412${NATIONAL_ID.slice(-4)}`;

let t: TestApp;
let browser: Browser;
before(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const id = await createAccount(t.deps, { username: 'raagency1', password: ADMIN_PASSWORD, unitOid: '2.16.886.101', name: '註冊管理者', profile: { officePhone: '04-22203100' } });
  await createGrant(t.deps, null, { accountId: id, kind: 'registration_admin', jurisdictionOid: AGENCY, categories: ['csm', 'bms'] }, null);
});
after(async () => { await browser?.close(); await t?.close(); });

async function adminPage(): Promise<Page> {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, 'raagency1', ADMIN_PASSWORD);
  assert.equal(where(page), '/');
  return page;
}

async function changePassword(page: Page, current: string, next: string): Promise<void> {
  await page.locator('#current').fill(current);
  await page.locator('#next').fill(next);
  await page.locator('#confirm').fill(next);
  await clickAndWait(page, page.locator('main form button[type=submit]'));
}

test('ADM-3 AUTH-4: an administrator adds a user, who logs in with the initial password, must change it, and reaches home', async () => {
  const page = await adminPage();
  await clickAndWait(page, page.getByRole('navigation').getByRole('link', { name: '註冊服務' }));
  assert.equal(where(page), '/admin');
  await checkA11y(page, 'registration service home');
  await clickAndWait(page, page.getByRole('link', { name: '公務員新增作業' }));
  assert.equal(await heading(page), '公務員新增作業');
  await checkA11y(page, 'add account: choose the unit');
  // Issue 9 item 10: the unit first (OID picker inside the jurisdiction), then that unit's form.
  await page.getByLabel('單位名稱、機關代碼、校代碼或 OID').fill('登記股');
  await clickAndWait(page, page.getByRole('button', { name: '查詢' }));
  await clickAndWait(page, page.getByRole('link', { name: '選擇 商業科登記股（範例）' }));
  assert.equal(await page.getByTestId('unit').innerText(), `商業科登記股（範例） ${CHILD}`);
  await checkA11y(page, 'add account form');

  await page.locator('#name').fill('陳美玲');
  await page.locator('#nationalId').fill(first9 + ((Number(checkDigitFor(first9)) + 1) % 10));
  await page.locator('#username').fill('chenml01');
  await page.locator('#birthMonth').fill('4');
  await page.locator('#birthDay').fill('12');
  await page.locator('#email').fill('chen@gmail.com');
  await clickAndWait(page, page.getByRole('button', { name: '儲存' }));
  assert.deepEqual(await notices(page), ['輸入資料有誤，請檢查後再送出。']);
  assert.equal(await page.locator('#nationalId').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#nationalId-error').innerText(), /檢查碼不正確/);
  assert.match(await page.locator('#email-error').innerText(), /請使用公務信箱/);
  assert.equal(await page.locator('#unitOid').inputValue(), CHILD, 'the chosen unit is kept');
  await checkA11y(page, 'add account form with errors');

  await page.locator('#nationalId').fill(NATIONAL_ID);
  await page.locator('#email').fill('chen@taichung.gov.tw');
  await clickAndWait(page, page.getByRole('button', { name: '儲存' }));
  assert.match(where(page), /^\/admin\/accounts\/\d+\?done=created-birthday$/);
  assert.match((await notices(page))[0], /已新增帳號 chenml01。開帳密碼當日有效/);
  assert.equal(await page.getByTestId('state').innerText(), '未開帳');
  await checkA11y(page, 'account page after adding');

  const user = await (await newContext(browser)).newPage();
  await login(user, t, 'chenml01', INITIAL);
  assert.equal(where(user), '/password/change');
  assert.deepEqual(await notices(user), ['您必須先修改密碼才能繼續使用。']);
  await user.goto(t.url + '/profile');
  assert.equal(where(user), '/password/change', 'the first login can only change the password');
  await changePassword(user, INITIAL, 'Quiet-Harbour-Maple-58');
  assert.equal(where(user), '/?changed=first');
  assert.equal(await heading(user), '我的首頁');
  assert.equal(await user.getByRole('navigation').getByRole('link', { name: '註冊服務' }).count(), 0, 'no administration link without a grant');

  await page.reload();
  assert.equal(await page.getByTestId('state').innerText(), '啟用');
  assert.deepEqual((page.context() as unknown as { cspViolations: string[] }).cspViolations, []);
});

test('AUTH-7: a one-day password enabled from the search list works today, forces a strong change, and is refused tomorrow', async () => {
  const page = await adminPage();
  await page.goto(t.url + '/admin/accounts');
  await page.locator('#q').fill('陳美玲');
  await clickAndWait(page, page.getByRole('button', { name: '查詢' }));
  assert.match(await page.locator('table caption').innerText(), /共 1 筆/);
  await checkA11y(page, 'search results');
  await clickAndWait(page, page.getByRole('button', { name: '為 陳美玲 啟用一日密碼' }));
  assert.match((await notices(page))[0], /已為 陳美玲 啟用一日密碼/);

  const user = await (await newContext(browser)).newPage();
  await login(user, t, 'chenml01', INITIAL);
  assert.equal(where(user), '/password/change');
  await changePassword(user, INITIAL, 'quiet-harbour-maple-59');
  assert.match((await user.locator('main [role=alert]').innerText()), /取代一日密碼的新密碼須同時包含大寫字母、小寫字母及數字/);
  await checkA11y(user, 'one-day replacement refused');
  await changePassword(user, INITIAL, 'Silent-Meadow-Otter-73');
  assert.equal(where(user), '/?changed=1');

  // Enabled again today, used tomorrow: refused.
  await page.reload();
  await clickAndWait(page, page.getByRole('button', { name: '啟用一日密碼' }).first());
  t.clock.advance(DAY);
  const tomorrow = await (await newContext(browser)).newPage();
  await login(tomorrow, t, 'chenml01', INITIAL);
  assert.equal(where(tomorrow), '/login');
  assert.deepEqual(await notices(tomorrow), ['開帳密碼或一日密碼已逾期，請洽管理者重新設定。']);
});

test('axe issue 9 item 14: the account page and its actions, roles, delete confirmation, systems, administrators and who may apply, in Chinese and English', async () => {
  const page = await adminPage();
  const id = await createAccount(t.deps, { username: 'axeuser01', password: ADMIN_PASSWORD, unitOid: CHILD, name: '無障礙測試', profile: { birthMonth: 1, birthDay: 2, nationalId: NATIONAL_ID.replace('F', 'G').slice(0, 9) + checkDigitFor(NATIONAL_ID.replace('F', 'G').slice(0, 9)) } });
  for (const lang of ['zh-TW', 'en']) {
    await page.goto(`${t.url}/lang/${lang}?next=/admin/accounts/${id}`);
    await checkA11y(page, `account page (${lang})`);
    await page.locator('#mobile').fill('0912');
    await clickAndWait(page, page.locator('form.stack button[type=submit]'));
    assert.equal(await page.locator('#mobile').getAttribute('aria-invalid'), 'true');
    await checkA11y(page, `account page with an error (${lang})`);
    await page.goto(`${t.url}/admin/accounts/${id}/roles`);
    await checkA11y(page, `roles (${lang})`);
    await page.goto(`${t.url}/admin/accounts?q=${encodeURIComponent('無障礙')}`);
    await page.locator(`input[name=ids][value="${id}"]`).check();
    await clickAndWait(page, page.locator('form[action="/admin/accounts/delete"] button:not([formaction])').first());
    assert.equal(where(page), '/admin/accounts/delete');
    await checkA11y(page, `delete confirmation (${lang})`);
    await page.goto(`${t.url}/admin/systems`);
    await checkA11y(page, `systems (${lang})`);
    await page.goto(`${t.url}/admin/systems/csm/admins`);
    assert.match(await page.locator('main').innerText(), /註冊管理者/);
    await checkA11y(page, `administrators of csm (${lang})`);
    // Who may apply (issue 9 item 14): read-only for an agency's administrator.
    await page.goto(`${t.url}/admin/systems/csm/apply-scope`);
    assert.equal(await page.locator('#subtrees').count(), 0);
    await checkA11y(page, `who may apply for csm (${lang})`);
  }
  // The central authority's form, and the form after a refusal.
  const central = await (await newContext(browser)).newPage();
  await login(central, t, ADMIN_USERNAME, CENTRAL_PASSWORD);
  for (const lang of ['zh-TW', 'en']) {
    await central.goto(`${t.url}/lang/${lang}?next=/admin/systems/csm/apply-scope`);
    await checkA11y(central, `who may apply for csm, central form (${lang})`);
    await central.locator('#subtrees').fill('2.16.886.101\nnot-an-oid');
    await clickAndWait(central, central.locator('main form button[type=submit]'));
    assert.equal(await central.locator('#subtrees').getAttribute('aria-invalid'), 'true');
    await checkA11y(central, `who may apply for csm, refused (${lang})`);
  }
  // The confirmation deletes; the account is gone from the list.
  await page.goto(`${t.url}/lang/zh-TW?next=/admin`);
  await page.goto(`${t.url}/admin/accounts?q=${encodeURIComponent('無障礙')}`);
  await page.locator(`input[name=ids][value="${id}"]`).check();
  await clickAndWait(page, page.locator('form[action="/admin/accounts/delete"] button:not([formaction])').first());
  await clickAndWait(page, page.getByRole('button', { name: '確認刪除（無法還原）' }));
  assert.deepEqual(await notices(page), ['已刪除 1 個帳號。']);
  assert.equal(await page.locator(`input[name=ids][value="${id}"]`).count(), 0);
  assert.deepEqual((page.context() as unknown as { cspViolations: string[] }).cspViolations, []);
});
