// Browser tests of the single-sign-on administration pages in Chromium (SSO-2, SSO-3): a system
// administrator sets up the client (errors announced), copies the secret shown once, reads the
// consent report; a user revokes a consent. Every page axe-clean, in zh-TW and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { ownSystems } from '../helpers/systems.ts';
import { launchBrowser, newContext, checkA11y, heading, login, notices, clickAndWait, signedInPage } from './helpers.ts';
import { giveConsent, giveRoles } from '../helpers/factories.ts';

const PASSWORD = 'Correct-Horse-9';
const AGENCY = '2.16.886.101.90027.20002';
let t: TestApp;
let browser: Browser;

before(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const admin = await createAccount(t.deps, { username: 'racsm0001', password: PASSWORD, name: '公司系統管理者', unitOid: '2.16.886.101' });
  await createGrant(t.deps, null, { accountId: admin, kind: 'registration_admin', jurisdictionOid: AGENCY, categories: ['csm'] }, null);
  await ownSystems(t, AGENCY, ['csm']); // owned by the administrator's agency (SSO-1)
  for (const [username, consented] of [['consentee', true], ['holdout1', false]] as const) {
    const id = await createAccount(t.deps, { username, password: PASSWORD, name: consented ? '已同意者' : '未同意者', unitOid: AGENCY });
    await giveRoles(t.deps, id, 'csm_user');
    if (consented) await giveConsent(t.deps, id, 'csm', ['sub', 'name', 'email', 'roles']);
  }
});
after(async () => { await browser?.close(); await t?.close(); });

const signedIn = (username: string): Promise<Page> => signedInPage(browser, t, username, PASSWORD);

test('SSO-2: an administrator sets up the client, sees errors announced, and copies the secret shown once; axe-clean', async () => {
  const page = await signedIn('racsm0001');
  await clickAndWait(page, page.getByRole('link', { name: '單一簽入管理' }));
  assert.equal(await heading(page), '單一簽入管理');
  await checkA11y(page, 'single sign-on administration');
  await clickAndWait(page, page.getByRole('link', { name: '用戶端設定：公司登記管理系統' }));
  assert.equal(await page.getByTestId('client-id').innerText(), 'csm');
  await checkA11y(page, 'client form (new)');

  await page.locator('#redirectUris').fill('http://csm.example.gov.tw/callback');
  await clickAndWait(page, page.getByRole('button', { name: '儲存' }));
  assert.deepEqual(await notices(page), ['輸入資料有誤，請檢查後再送出。']);
  assert.equal(await page.locator('#redirectUris-error').innerText(), '網址須使用 https（僅本機 localhost 可用 http）。');
  assert.equal(await page.locator('#redirectUris').getAttribute('aria-invalid'), 'true');
  await checkA11y(page, 'client form with errors');

  await page.locator('#redirectUris').fill('https://csm.example.gov.tw/callback');
  await page.locator('#initiateLoginUri').fill('https://csm.example.gov.tw/login');
  await clickAndWait(page, page.getByRole('button', { name: '儲存' }));
  assert.equal(await heading(page), '新的用戶端密鑰');
  const secret = await page.getByTestId('client-secret').innerText();
  assert.ok(secret.length >= 32);
  await checkA11y(page, 'secret shown once');
  await clickAndWait(page, page.getByRole('link', { name: '回用戶端設定' }));
  assert.ok(!(await page.content()).includes(secret), 'not shown again');
  await clickAndWait(page, page.getByRole('button', { name: '產生新密鑰（舊密鑰立即失效）' }));
  assert.notEqual(await page.getByTestId('client-secret').innerText(), secret);

  await clickAndWait(page, page.getByRole('link', { name: '回用戶端設定' }));
  await clickAndWait(page, page.getByRole('link', { name: 'English' }));
  assert.equal(await heading(page), 'Client settings: Company registration management');
  await checkA11y(page, 'client form (en)');
  await clickAndWait(page, page.getByRole('link', { name: 'Back to single sign-on administration' }));
  assert.equal(await heading(page), 'Single sign-on administration');
});

test('SSO-3: the consent report shows who has and has not consented; the user revokes theirs; axe-clean', async () => {
  const admin = await signedIn('racsm0001');
  await admin.goto(t.url + '/admin/sso');
  await clickAndWait(admin, admin.getByRole('link', { name: '同意授權狀況：公司登記管理系統' }));
  assert.equal(await admin.getByTestId('consent-summary').innerText(), '共 2 人具有此系統的角色：已同意 1 人，未同意 1 人。');
  await checkA11y(admin, 'consent report');
  await admin.locator('#status').selectOption('pending');
  await clickAndWait(admin, admin.getByRole('button', { name: '篩選' }));
  assert.deepEqual(await admin.locator('main tbody th').allInnerTexts(), ['未同意者']);

  const user = await signedIn('consentee');
  await clickAndWait(user, user.getByRole('link', { name: '同意授權紀錄' }));
  assert.equal(await heading(user), '同意授權紀錄');
  assert.deepEqual(await user.locator('main tbody td ul li').allInnerTexts(), ['帳號識別碼', '姓名', '電子郵件', '您在此系統的角色']);
  await checkA11y(user, 'my consents');
  await clickAndWait(user, user.getByRole('button', { name: '撤回同意：公司登記管理系統' }));
  assert.deepEqual(await notices(user), ['已撤回同意授權。']);
  assert.match(await user.locator('main').innerText(), /您尚未同意任何系統取得您的資料/);
  await checkA11y(user, 'my consents, none left');

  await admin.reload();
  assert.equal(await admin.getByTestId('consent-summary').innerText(), '共 2 人具有此系統的角色：已同意 0 人，未同意 2 人。');
});

test('SSO-2 (issue 9 item 19): the client page gives the issuer and the discovery URL, and the discovery document is there; axe-clean in both languages', async () => {
  const page = await signedIn('racsm0001');
  await page.goto(t.url + '/admin/sso/csm');
  const main = await page.locator('main').innerText();
  assert.match(main, /簽發者 \(issuer\)/);
  assert.equal(await page.getByTestId('issuer').innerText(), `${t.url}/oidc`);
  assert.equal(await page.getByTestId('discovery-url').innerText(), `${t.url}/oidc/.well-known/openid-configuration`);
  await checkA11y(page, 'client form with the endpoints');
  const doc = await (await fetch(await page.getByTestId('discovery-url').getAttribute('href') as string)).json() as { issuer: string; jwks_uri: string };
  assert.equal(doc.issuer, `${t.url}/oidc`, 'the link is the provider\'s own document');
  await clickAndWait(page, page.getByRole('link', { name: 'English' }));
  assert.match(await page.locator('main').innerText(), /Discovery URL/);
  await checkA11y(page, 'client form with the endpoints (en)');
});

test('SSO-1 (issue 9 item 1): the central authority sees each system\'s owning organisation by name and changes it; a bad OID is announced; axe-clean', async () => {
  const page = await (await newContext(browser)).newPage();
  await login(page, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  await page.goto(t.url + '/admin/systems');
  assert.match(await page.locator('td[data-owner]').first().innerText(), /全平臺共用（國家根節點）/);
  await checkA11y(page, 'system registry with owners');
  await clickAndWait(page, page.getByRole('link', { name: '變更擁有機關：商業登記資訊系統' }));
  assert.equal(await heading(page), '變更擁有機關：商業登記資訊系統');
  await checkA11y(page, 'change owner');
  await page.locator('#ownerOid').fill('2.16.886.101.99999');
  await clickAndWait(page, page.getByRole('button', { name: '儲存擁有機關' }));
  assert.deepEqual(await notices(page), ['此 OID 不是已登錄的機關，也不是國家根節點。']);
  assert.equal(await page.locator('#ownerOid').getAttribute('aria-invalid'), 'true');
  await checkA11y(page, 'change owner with an error');
  await page.locator('#ownerOid').fill(AGENCY);
  await clickAndWait(page, page.getByRole('button', { name: '儲存擁有機關' }));
  assert.deepEqual(await notices(page), ['已變更「商業登記資訊系統」的擁有機關。']);
  assert.match(await page.locator('td[data-owner="' + AGENCY + '"]').first().innerText(), /臺中市政府經濟發展局商業科/);
});


test('SSO-6: the system\'s SCIM page sets a push endpoint — a bad URL is announced on its field, the saved one is listed with its sync status, the secret never shown; axe-clean', async () => {
  const page = await signedIn('racsm0001');
  await page.goto(t.url + '/admin/systems/csm/scim-tokens');
  assert.equal(await page.getByRole('heading', { name: 'SCIM 推送' }).count(), 1);
  await checkA11y(page, 'SCIM page with the push section');
  await page.locator('#pushOid').fill(AGENCY);
  await page.locator('#pushUrl').fill('ftp://receiver.example.gov.tw/scim');
  await page.locator('#pushSecret').fill('receiver-token-0123456789');
  await clickAndWait(page, page.getByRole('button', { name: '儲存並開始推送' }));
  assert.equal(await page.locator('#pushUrl').getAttribute('aria-invalid'), 'true');
  await checkA11y(page, 'push endpoint with an error');
  await page.locator('#pushUrl').fill('http://127.0.0.1:9/scim/v2');
  await page.locator('#pushSecret').fill('receiver-token-0123456789');
  await clickAndWait(page, page.getByRole('button', { name: '儲存並開始推送' }));
  assert.ok((await notices(page)).some((n) => n.startsWith('已設定推送端點')), JSON.stringify(await notices(page)));
  assert.equal(await page.locator('tr[data-push] code').innerText(), 'http://127.0.0.1:9/scim/v2');
  assert.ok(!(await page.content()).includes('receiver-token-0123456789'), 'the secret is not shown');
  await checkA11y(page, 'push endpoint saved');
});
