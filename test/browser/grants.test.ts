// 管理授權 in a real browser (ADM-1, ADM-7, ACC-8; issue 9 item 9). Seed 001's step 「系統確認相關
// 資訊後會幫學校建立主帳號」: the central authority makes the school's 主帳號 on the page, the holder
// signs in and reaches the school's 子帳號管理; a registration administrator gives a help-desk
// grant from an account's page and revokes it after confirming. Every page axe-clean, zh-TW and en.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { launchBrowser, newContext, checkA11y, heading, login, notices, where, clickAndWait } from './helpers.ts';

const PASSWORD = 'Correct-Horse-Battery-9';
const SCHOOL = '2.16.886.111.90001.10300';
const AGENCY = '2.16.886.101.90027.20002';
const CHILD = AGENCY + '.20011';

let t: TestApp;
let browser: Browser;
const ids: Record<string, number> = {};
before(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  for (const [username, unitOid, name] of [['010300_principal', SCHOOL, '張主任'], ['raagency1', AGENCY, '李管理'], ['childclerk', CHILD, '陳股員']]) {
    ids[username] = await createAccount(t.deps, { username, password: PASSWORD, unitOid, name, profile: { email: `${username.replace('_', '.')}@example.gov.tw` } });
  }
  await createGrant(t.deps, null, { accountId: ids.raagency1, kind: 'registration_admin', jurisdictionOid: AGENCY, categories: ['csm', 'bms'] }, null);
});
after(async () => { await browser?.close(); await t?.close(); });

/** Fills the give form: holder (unless filled in from the account page), kind, jurisdiction, categories. */
async function give(page: Page, o: { username?: string; kind: string; jurisdiction: string; categories: string[] }) {
  if (o.username) await page.locator('#username').fill(o.username);
  await page.locator('#kind').selectOption({ label: o.kind });
  await page.locator('#jurisdiction').fill(o.jurisdiction);
  for (const c of o.categories) await page.getByLabel(c, { exact: true }).check();
  await clickAndWait(page, page.locator('main form button[type=submit]'));
}

test('seed 001 (issue 9 item 9): the central authority makes the school\'s 主帳號 on the page; the holder signs in and reaches 子帳號管理; axe-clean', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  await page.goto(t.url + '/admin');
  await clickAndWait(page, page.getByRole('link', { name: '管理授權（主帳號、管理者、客服、單位主管）' }));
  assert.equal(where(page), '/admin/grants');
  assert.equal(await heading(page), '管理授權');
  await checkA11y(page, 'grants (zh)');
  await clickAndWait(page, page.getByRole('main').getByRole('link', { name: '新增管理授權' }));
  await checkA11y(page, 'give a grant (zh)');

  // A school that is not one first: the refusal is at the field, accessibly.
  await give(page, { username: '010300_principal', kind: '主帳號', jurisdiction: AGENCY, categories: ['全部應用系統類別'] });
  assert.match(await page.locator('#jurisdiction-error').innerText(), /主帳號的管轄範圍必須是有校代碼的學校/);
  await checkA11y(page, 'give a grant with an error (zh)');
  await page.locator('#jurisdiction').fill('010300');
  await clickAndWait(page, page.locator('main form button[type=submit]'));
  assert.deepEqual(await notices(page), ['已授權 張主任（010300_principal）為「主帳號」：範例高級中學（2.16.886.111.90001.10300）。']);
  assert.match(await page.getByTestId('grants').innerText(), /張主任\s+010300_principal\s+主帳號\s+範例高級中學 2\.16\.886\.111\.90001\.10300\s+全部應用系統類別/);
  await checkA11y(page, 'grants after giving (zh)');
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();

  const holder = await newContext(browser);
  const hp = await holder.newPage();
  await login(hp, t, '010300_principal', PASSWORD);
  await hp.goto(t.url + '/admin');
  await clickAndWait(hp, hp.getByRole('main').getByRole('link', { name: '子帳號管理' }));
  assert.equal(await heading(hp), '子帳號管理');
  assert.match(await hp.getByTestId('tenant-accounts').innerText(), /010300_principal/);
  await holder.close();
});

test('ADM-7 (issue 9 item 9): a registration administrator gives a help-desk grant from an account\'s page, then revokes it after confirming; zh-TW and en axe-clean', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, 'raagency1', PASSWORD);
  await page.goto(`${t.url}/admin/accounts/${ids.childclerk}`);
  assert.equal(await page.getByRole('heading', { name: '管理授權' }).count(), 1);
  await clickAndWait(page, page.getByRole('link', { name: '為此帳號新增管理授權' }));
  assert.equal(await heading(page), '為 陳股員（childclerk）新增管理授權');
  assert.deepEqual(await page.locator('#kind option').allInnerTexts(), ['單位主管', '客服'], 'only the kinds it may give');
  assert.equal(await page.locator('#username').inputValue(), 'childclerk');
  await give(page, { kind: '客服', jurisdiction: CHILD, categories: ['公司登記管理系統'] });
  assert.deepEqual(await notices(page), ['已授權 陳股員（childclerk）為「客服」：商業科登記股（範例）（2.16.886.101.90027.20002.20011）。']);

  await page.goto(`${t.url}/admin/accounts/${ids.childclerk}`);
  assert.match(await page.getByTestId('account-grants').innerText(), /陳股員\s+childclerk\s+客服\s+商業科登記股（範例） 2\.16\.886\.101\.90027\.20002\.20011\s+公司登記管理系統/);
  await checkA11y(page, 'account page with its grants (zh)');
  await clickAndWait(page, page.getByRole('link', { name: '撤銷 陳股員 的「客服」授權' }));
  assert.equal(await heading(page), '撤銷管理授權');
  await checkA11y(page, 'revoke confirmation (zh)');
  await clickAndWait(page, page.getByRole('button', { name: '確定撤銷' }));
  assert.deepEqual(await notices(page), ['已撤銷「客服」授權。']);
  assert.equal(await t.deps.db.selectFrom('admin_grants').select('id').where('account_id', '=', ids.childclerk).executeTakeFirst(), undefined);
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();

  const en = await newContext(browser, { locale: 'en-GB' });
  const ep = await en.newPage();
  await login(ep, t, 'raagency1', PASSWORD);
  await ep.goto(t.url + '/admin/grants');
  assert.equal(await heading(ep), 'Administration grants');
  await checkA11y(ep, 'grants (en)');
  await ep.goto(`${t.url}/admin/grants/new?account=${ids.childclerk}`);
  await give(ep, { kind: 'Unit supervisor', jurisdiction: '387000000A', categories: ['Business registration information'] });
  assert.match((await notices(ep))[0], /^陳股員 \(childclerk\) is now "Unit supervisor": 臺中市政府經濟發展局商業科/);
  await checkA11y(ep, 'grants after giving (en)');
  await clickAndWait(ep, ep.getByRole('link', { name: 'Revoke the "Unit supervisor" grant of 陳股員' }));
  await checkA11y(ep, 'revoke confirmation (en)');
  await ep.goto(t.url + '/admin/grants/new');
  await checkA11y(ep, 'give a grant (en)');
  assert.deepEqual(en.cspViolations, []);
  await en.close();
});
