// Single sign-on in Chromium, end to end (SSO-2..4): from a portal tile through the consent page
// to a small real relying party (test/helpers/oidc-rp.ts, openid-client) that shows the claims;
// revoking on /consents makes the system ask again; a user without a role gets no tile and is
// refused by the system; a certificate-required system refuses a password session with a clear
// page. Every Tessera page on the way is axe-clean, and no page trips the CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { startTestRp, type TestRp } from '../helpers/oidc-rp.ts';
import { launchBrowser, newContext, checkA11y, heading, login, notices, where, clickAndWait } from './helpers.ts';
import { giveRoles } from '../helpers/factories.ts';

const PASSWORD = 'Correct-Horse-9';
const UNIT = '2.16.886.101.90027.20002.20011';
let t: TestApp;
let browser: Browser;
let csm: TestRp; // an ordinary system
let pcsc: TestRp; // a system that requires a certificate sign-in (seed 003: 商品標示管理系統)

before(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const user = await createAccount(t.deps, { username: 'ssouser01', password: PASSWORD, unitOid: UNIT, name: '王小明', profile: { email: 'ming@example.gov.tw' } });
  for (const role of ['csm_user', 'pcsc_user', 'bms_user']) {
    await giveRoles(t.deps, user, role);
  }
  await createAccount(t.deps, { username: 'noroleuser', password: PASSWORD, unitOid: UNIT, name: '沒有角色' });
  const second = await createAccount(t.deps, { username: 'ssouser02', password: PASSWORD, unitOid: UNIT, name: '李大同' });
  await giveRoles(t.deps, second, 'csm_user');
  csm = await startTestRp(t, { systemCode: 'csm' });
  pcsc = await startTestRp(t, { systemCode: 'pcsc', certificateRequired: true });
});
after(async () => { await csm?.close(); await pcsc?.close(); await browser?.close(); await t?.close(); });

async function signedIn(username: string): Promise<{ page: Page; csp: string[] }> {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, username, PASSWORD);
  assert.equal(where(page), '/');
  return { page, csp: ctx.cspViolations };
}

/** Clicks and waits until the browser has come back to the relying party's page at `path`. */
async function toRp(page: Page, rp: TestRp, path: string, click: () => Promise<void>): Promise<void> {
  await Promise.all([page.waitForURL((u) => u.href.startsWith(rp.url + path), { waitUntil: 'load' }), click()]);
}

/** The claims the relying party lists (dt → dd). */
async function rpClaims(page: Page): Promise<Record<string, string>> {
  const dts = await page.locator('#claims dt').allInnerTexts();
  const dds = await page.locator('#claims dd').allInnerTexts();
  return Object.fromEntries(dts.map((k, i) => [k, dds[i]]));
}

test('SSO-3 SSO-4: portal tile → consent page → the system shows the claims; revoking on /consents makes it ask again', async () => {
  const { page, csp } = await signedIn('ssouser01');
  const tile = page.getByRole('link', { name: '進入公司登記管理系統' });
  assert.match(await page.locator('li[data-system="csm"]').innerText(), /尚未同意授權/);

  // The tile starts the system's own login, which sends the browser to Tessera's consent page.
  await Promise.all([page.waitForURL(/\/sso\/interaction\/[^/]+$/, { waitUntil: 'load' }), tile.click()]);
  assert.equal(await heading(page), '同意授權');
  assert.match(await page.locator('main').innerText(), /「公司登記管理系統」要求取得您的下列資料/);
  const claims = await page.getByTestId('consent-claims').locator('li').allInnerTexts();
  assert.ok(claims.includes('姓名') && claims.includes('電子郵件') && claims.includes('您在此系統的角色'), claims.join(', '));
  await checkA11y(page, 'consent page');

  await toRp(page, csm, '/cb', () => page.getByRole('button', { name: '同意並繼續' }).click());
  const shown = await rpClaims(page);
  assert.equal(shown.name, '王小明');
  assert.equal(shown.email, 'ming@example.gov.tw');
  assert.equal(shown.roles, 'csm_user', 'the roles of this system only');

  // Signed in once more: consent is remembered, straight through to the system.
  await page.goto(t.url + '/');
  assert.match(await page.locator('li[data-system="csm"]').innerText(), /已同意授權/);
  await toRp(page, csm, '/cb', () => page.getByRole('link', { name: '進入公司登記管理系統' }).click());
  assert.equal((await rpClaims(page)).roles, 'csm_user');

  // Revoke on /consents: the next entry asks again.
  await page.goto(t.url + '/');
  await clickAndWait(page, page.getByRole('link', { name: '同意授權紀錄' }));
  assert.equal(await page.locator('main tbody tr').count(), 1);
  await checkA11y(page, 'my consents');
  await clickAndWait(page, page.getByRole('button', { name: '撤回同意：公司登記管理系統' }));
  assert.deepEqual(await notices(page), ['已撤回同意授權。']);
  await page.goto(t.url + '/');
  await Promise.all([page.waitForURL(/\/sso\/interaction\/[^/]+$/, { waitUntil: 'load' }), page.getByRole('link', { name: '進入公司登記管理系統' }).click()]);
  assert.equal(await heading(page), '同意授權', 'asked again after the revocation');
  // Declining sends the user back to the system with an error, and stores nothing.
  await toRp(page, csm, '/cb', () => page.getByRole('button', { name: '不同意' }).click());
  assert.match(await page.locator('#error').innerText(), /^access_denied/);
  assert.equal((await t.deps.db.selectFrom('sso_consents').selectAll().execute()).length, 0);
  assert.deepEqual(csp, []);
});

test('SSO-2: a certificate-required system refuses a password session with a clear page, and tells the system why', async () => {
  const { page, csp } = await signedIn('ssouser01');
  assert.match(await page.locator('li[data-system="pcsc"]').innerText(), /須使用憑證登入/);
  await Promise.all([page.waitForURL(/\/sso\/interaction\/[^/]+$/, { waitUntil: 'load' }), page.getByRole('link', { name: '進入商品標示管理系統' }).click()]);
  assert.equal(await heading(page), '無法登入此系統');
  assert.deepEqual(await notices(page), ['「商品標示管理系統」必須使用自然人憑證登入。您目前是以帳號密碼登入，因此無法進入此系統。']);
  await checkA11y(page, 'refusal: certificate required');
  await toRp(page, pcsc, '/cb', () => page.getByRole('button', { name: '返回系統' }).click());
  assert.match(await page.locator('#error').innerText(), /^unmet_authentication_requirements/);
  assert.equal(pcsc.last, undefined, 'the system never received the user');
  assert.deepEqual(csp, []);
});

test('SSO-4: a user without a role gets no tile, and the system refuses them when they go there directly', async () => {
  const { page, csp } = await signedIn('noroleuser');
  assert.equal(await page.locator('ul.tiles').count(), 0);
  assert.match(await page.getByTestId('no-tiles').innerText(), /您目前沒有任何應用系統的角色/);
  await checkA11y(page, 'home without tiles');

  await Promise.all([page.waitForURL(/\/sso\/interaction\/[^/]+$/, { waitUntil: 'load' }), page.goto(csm.loginUrl)]);
  assert.equal(await heading(page), '無法登入此系統');
  assert.deepEqual(await notices(page), ['您在「公司登記管理系統」沒有任何角色，因此無法登入此系統。如需使用，請向您的管理者申請此系統的角色。']);
  await checkA11y(page, 'refusal: no role');
  await toRp(page, csm, '/cb', () => page.getByRole('button', { name: '返回系統' }).click());
  assert.match(await page.locator('#error').innerText(), /^access_denied/);
  assert.deepEqual(csp, []);
});

test('SSO-3 (issue 9 item 19): on the consent page 同意並繼續 is the primary action and 不同意 looks different, both still named buttons; axe-clean', async () => {
  const { page, csp } = await signedIn('ssouser02');
  await Promise.all([page.waitForURL(/\/sso\/interaction\/[^/]+$/, { waitUntil: 'load' }), page.getByRole('link', { name: '進入公司登記管理系統' }).click()]);
  assert.equal(await heading(page), '同意授權');
  const look = (name: string) => page.getByRole('button', { name, exact: true }).evaluate((b) => {
    const s = getComputedStyle(b);
    return { background: s.backgroundColor, color: s.color, weight: s.fontWeight };
  });
  const accept = await look('同意並繼續');
  const decline = await look('不同意');
  assert.notEqual(accept.background, decline.background, 'filled vs outlined');
  assert.notEqual(accept.color, decline.color);
  assert.ok(Number(accept.weight) > Number(decline.weight), `the primary action is bolder (${accept.weight} vs ${decline.weight})`);
  await checkA11y(page, 'consent page, primary and secondary actions');
  await toRp(page, csm, '/cb', () => page.getByRole('button', { name: '不同意' }).click());
  assert.match(await page.locator('#error').innerText(), /^access_denied/);
  assert.deepEqual(csp, []);
});

