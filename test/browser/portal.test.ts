// Browser tests of the portal in Chromium (SSO-4, SSO-5, ACC-6): 我的首頁 with tiles, announcements
// and downloads; guest announcements from the navigation before login; an administrator publishes,
// edits and deletes an announcement, with the form's errors announced; every page axe-clean in
// zh-TW and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { ownSystems } from '../helpers/systems.ts';
import { launchBrowser, newContext, checkA11y, heading, login, notices, where, clickAndWait, signedInPage } from './helpers.ts';
import { giveRoles } from '../helpers/factories.ts';

const PASSWORD = 'Correct-Horse-9';
const AGENCY = '2.16.886.101.90027.20002';
let t: TestApp;
let browser: Browser;

before(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const user = await createAccount(t.deps, { username: 'portaluser', password: PASSWORD, name: '王小明', unitOid: AGENCY });
  for (const role of ['csm_user', 'bms_user']) {
    await giveRoles(t.deps, user, role);
  }
  const now = t.clock.now();
  await t.deps.db.insertInto('sso_clients').values({ system_code: 'csm', auth_method: 'client_secret_basic', initiate_login_uri: 'https://csm.example.gov.tw/login', created_at: now, updated_at: now }).execute();
  const admin = await createAccount(t.deps, { username: 'racsm0001', password: PASSWORD, name: '公司系統管理者', unitOid: '2.16.886.101' });
  await createGrant(t.deps, null, { accountId: admin, kind: 'registration_admin', jurisdictionOid: AGENCY, categories: ['csm'] }, null);
  await ownSystems(t, AGENCY, ['csm']); // the agency's administrator manages the system's announcements (SSO-1)
  const author = (await t.deps.db.selectFrom('accounts').select('id').where('username', '=', ADMIN_USERNAME).executeTakeFirstOrThrow()).id;
  for (let i = 1; i <= 12; i++) {
    t.clock.advance(1000);
    await t.deps.db.insertInto('announcements').values({
      audience: i % 4 === 0 ? 'member' : 'guest', system_code: i % 3 === 0 ? 'csm' : null, title: `測試公告${i}`,
      body: `第 ${i} 則公告\n第二行`, author_account_id: author, created_at: t.clock.now(),
    }).execute();
  }
});
after(async () => { await browser?.close(); await t?.close(); });

const signedIn = (username: string, password = PASSWORD, locale = 'zh-TW'): Promise<Page> => signedInPage(browser, t, username, password, locale);

test('SSO-5: guests reach the guest announcements from the navigation; list, paging and one announcement are axe-clean', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto(t.url + '/login');
  await clickAndWait(page, page.getByRole('navigation', { name: '主選單' }).getByRole('link', { name: '公告' }));
  assert.equal(where(page), '/announcements');
  assert.equal(await heading(page), '公告');
  const rows = await page.locator('main tbody tr').count();
  assert.equal(rows, 9, 'the 9 guest announcements, none of the 3 member ones');
  assert.match(await page.locator('main nav.pager').innerText(), /每頁顯示 10 列 1-9 列 \(共 9 列\)/);
  await checkA11y(page, 'announcements (guest)');
  await clickAndWait(page, page.getByRole('link', { name: '測試公告11' }));
  assert.equal(await heading(page), '測試公告11');
  assert.match(await page.locator('main article').innerText(), /第 11 則公告\n第二行/);
  assert.equal(await page.getByTestId('author').innerText(), '中央管理者');
  await checkA11y(page, 'one announcement');
  await clickAndWait(page, page.getByRole('link', { name: 'English' }));
  assert.equal(await page.locator('main dl dt').first().innerText(), 'Type');
  await checkA11y(page, 'one announcement (en)');
  assert.deepEqual(ctx.cspViolations, []);
});

test('SSO-4 ACC-6: 我的首頁 shows the user, the tiles of the systems with a role, announcements and downloads; axe-clean in both languages', async () => {
  const page = await signedIn('portaluser');
  assert.equal(await heading(page), '我的首頁');
  assert.equal(await page.getByTestId('last-password-login').innerText(), '無紀錄');
  const tiles = page.locator('ul.tiles > li');
  assert.deepEqual(await tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-system'))), ['bms', 'csm']);
  const link = page.getByRole('link', { name: '進入公司登記管理系統' });
  assert.match(await link.getAttribute('href') ?? '', /^https:\/\/csm\.example\.gov\.tw\/login\?iss=/);
  assert.equal(await page.locator('li[data-system="bms"] a').count(), 0, 'no link without a portal entry URL');
  assert.equal(await page.getByRole('link', { name: '測試公告12' }).count(), 1, 'member announcements after login');
  assert.equal(await page.getByRole('link', { name: '帳號申請表' }).count(), 1);
  await checkA11y(page, 'home');
  await clickAndWait(page, page.getByRole('link', { name: 'English' }));
  assert.equal(await heading(page), 'My home');
  await checkA11y(page, 'home (en)');
  await clickAndWait(page, page.getByRole('link', { name: 'More announcements' }));
  assert.equal(await page.locator('main tbody tr').count(), 10, 'ten a page');
  assert.match(await page.locator('main nav.pager').innerText(), /10 per page, 1-10 of 12/);
  await clickAndWait(page, page.getByRole('navigation', { name: /Announcement pages/ }).getByRole('link', { name: 'Next page' }));
  assert.equal(await page.locator('main tbody tr').count(), 2);
  await checkA11y(page, 'announcements page 2 (en)');
});

test('SSO-5: a system administrator publishes, edits and deletes an announcement; errors are announced; pages axe-clean', async () => {
  const page = await signedIn('racsm0001');
  await clickAndWait(page, page.getByRole('link', { name: '公告管理' }));
  assert.equal(where(page), '/admin/announcements');
  assert.equal(await page.locator('main tbody tr').count(), 4, 'only the csm announcements');
  await checkA11y(page, 'manage announcements');
  await clickAndWait(page, page.getByRole('link', { name: '新增公告' }));
  await checkA11y(page, 'new announcement');
  assert.deepEqual(await page.locator('#systemCode option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)), ['csm']);
  await clickAndWait(page, page.getByRole('button', { name: '儲存' }));
  assert.deepEqual(await notices(page), ['輸入資料有誤，請檢查後再送出。']);
  assert.equal(await page.locator('#title-error').innerText(), '請輸入標題。');
  assert.equal(await page.locator('#title').getAttribute('aria-invalid'), 'true');
  await checkA11y(page, 'new announcement with errors');
  await page.getByLabel('會員公告').check();
  await page.locator('#title').fill('系統維護公告');
  await page.locator('#body').fill('本週六停機維護。\n請提早完成填報。');
  await clickAndWait(page, page.getByRole('button', { name: '儲存' }));
  assert.deepEqual(await notices(page), ['公告已新增。']);
  await clickAndWait(page, page.getByRole('link', { name: '編輯：系統維護公告' }));
  await checkA11y(page, 'edit announcement');
  await page.locator('#title').fill('系統維護公告（更新）');
  await clickAndWait(page, page.getByRole('button', { name: '儲存' }));
  assert.deepEqual(await notices(page), ['公告已更新。']);
  await clickAndWait(page, page.getByRole('link', { name: '刪除：系統維護公告（更新）' }));
  await checkA11y(page, 'delete announcement');
  await clickAndWait(page, page.getByRole('button', { name: '確定刪除' }));
  assert.deepEqual(await notices(page), ['公告已刪除。']);
  assert.equal(await page.getByRole('link', { name: /系統維護公告/ }).count(), 0);
});
