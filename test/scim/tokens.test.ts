// SSO-6 ADM-2 ADM-7: SCIM tokens — issued per system by an administrator within their own grant
// (subtree and category), on the system's page (axe-clean, zh-TW and en) and through the API;
// shown once, stored hashed, listed, revoked, audited; silenced when the issuer loses the grant or
// is disabled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { jsonCall } from '../helpers/api.ts';
import { sha256 } from '../../src/platform/crypto.ts';
import { launchBrowser, newContext, checkA11y, heading, login, clickAndWait } from '../browser/helpers.ts';
import { administrator, issueToken, scimWith, PASSWORD } from './helpers.ts';

const AGENCY = '2.16.886.101.90027.20002';
const CHILD = AGENCY + '.20011';

let t: TestApp;
let browser: Browser;
let ra: { id: number; apiToken: string };
before(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  ra = await administrator(t, 'raagency1', 'registration_admin', AGENCY, ['csm']);
});
after(async () => { await browser?.close(); await t?.close(); });

test('SSO-6 OPS-5: a registration administrator issues a SCIM token on the system\'s page, sees it once, and revokes it; the page is axe-clean in zh-TW and en', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, 'raagency1', PASSWORD);
  await page.goto(t.url + '/admin/systems');
  await clickAndWait(page, page.getByRole('link', { name: 'SCIM 權杖：公司登記管理系統' }));
  assert.equal(await heading(page), '公司登記管理系統：SCIM 權杖');
  await checkA11y(page, 'SCIM tokens (zh)');
  await page.locator('#jurisdictionOid').fill('2.16.886.101.90029.20002');
  await clickAndWait(page, page.getByRole('button', { name: '核發權杖' }));
  assert.match(await page.locator('#jurisdictionOid-error').innerText(), /不在您可設定此系統角色的管轄範圍內/);
  await checkA11y(page, 'SCIM tokens with an error (zh)');
  await page.locator('#jurisdictionOid').fill(CHILD);
  await page.locator('#label').fill('登記系統');
  await clickAndWait(page, page.getByRole('button', { name: '核發權杖' }));
  const token = await page.locator('#new-token').inputValue();
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  await checkA11y(page, 'SCIM token issued (zh)');
  const row = await t.deps.db.selectFrom('scim_tokens').selectAll().executeTakeFirstOrThrow();
  assert.equal(row.token_hash, sha256(token), 'only the hash is stored');
  assert.equal(row.jurisdiction_oid, CHILD);
  assert.equal((await scimWith(t, token)('GET', '/Users?count=0')).status, 200);
  await page.goto(t.url + `/admin/systems/csm/scim-tokens`);
  assert.doesNotMatch(await page.content(), new RegExp(token), 'never shown again');
  assert.match(await page.locator(`tr[data-token="${row.id}"]`).innerText(), /登記系統/);
  await clickAndWait(page, page.getByRole('button', { name: '撤銷：登記系統' }));
  assert.match(await page.locator('main').innerText(), /已撤銷權杖/);
  assert.equal((await scimWith(t, token)('GET', '/Users')).status, 401);
  await page.goto(t.url + '/lang/en?next=%2Fadmin%2Fsystems%2Fcsm%2Fscim-tokens');
  assert.equal(await heading(page), 'Company registration management: SCIM tokens');
  await checkA11y(page, 'SCIM tokens (en)');
  const actions = await t.deps.db.selectFrom('audit_events').select(['action', 'actor_account_id']).where('action', 'like', 'system.scimToken.%').orderBy('seq').execute();
  assert.deepEqual(actions.map((a) => a.action), ['system.scimToken.create', 'system.scimToken.revoke']);
  assert.ok(actions.every((a) => Number(a.actor_account_id) === ra.id));
  await ctx.close();
});

test('SSO-6 ADM-7: nobody issues beyond their own grant — a subtree outside it is 422, a system of another category is 404; the list shows only tokens inside the caller\'s reach', async () => {
  const outside = await jsonCall(t, ra.apiToken, 'POST', '/api/v1/systems/csm/scim-tokens', { jurisdictionOid: '2.16.886.101.90027' });
  assert.equal(outside.status, 422);
  const lookAlike = await jsonCall(t, ra.apiToken, 'POST', '/api/v1/systems/csm/scim-tokens', { jurisdictionOid: '2.16.886.101.9002' });
  assert.equal(lookAlike.status, 422);
  const bms = await jsonCall(t, ra.apiToken, 'POST', '/api/v1/systems/bms/scim-tokens', { jurisdictionOid: AGENCY });
  assert.equal(bms.status, 404);
  const sib = await administrator(t, 'rasibling', 'registration_admin', '2.16.886.101.90029.20002', ['csm']);
  await issueToken(t, sib.apiToken, 'csm', '2.16.886.101.90029.20002');
  await issueToken(t, ra.apiToken, 'csm', AGENCY);
  const mine = await jsonCall(t, ra.apiToken, 'GET', '/api/v1/systems/csm/scim-tokens');
  assert.equal(mine.status, 200);
  assert.ok(mine.body.items.length >= 1);
  assert.ok(mine.body.items.every((i: { jurisdictionOid: string }) => i.jurisdictionOid.startsWith(AGENCY)), 'the sibling\'s token is not listed');
  const theirs = mine.body.items[0].id;
  assert.equal((await jsonCall(t, sib.apiToken, 'POST', `/api/v1/systems/csm/scim-tokens/${theirs}/revoke`)).status, 404);
});

test('SSO-6: a token stops working when its issuer loses the grant or is disabled, when it expires, and a personal API token is no SCIM token', async () => {
  const other = await administrator(t, 'raagency2', 'registration_admin', AGENCY, ['csm']);
  const token = await issueToken(t, other.apiToken, 'csm', AGENCY);
  const scim = scimWith(t, token);
  assert.equal((await scim('GET', '/Users?count=0')).status, 200);
  assert.equal((await scimWith(t, other.apiToken)('GET', '/Users')).status, 401, 'a personal token is refused');
  assert.equal((await jsonCall(t, token, 'GET', '/api/v1/accounts')).status, 401, 'a SCIM token is refused at /api/v1');
  await t.deps.db.updateTable('accounts').set({ state: 'disabled' }).where('id', '=', other.id).execute();
  assert.equal((await scim('GET', '/Users')).status, 401);
  await t.deps.db.updateTable('accounts').set({ state: 'enabled' }).where('id', '=', other.id).execute();
  assert.equal((await scim('GET', '/Users?count=0')).status, 200);
  await t.deps.db.deleteFrom('admin_grants').where('account_id', '=', other.id).execute();
  assert.equal((await scim('GET', '/Users')).status, 401);
  const ra2 = await issueToken(t, ra.apiToken, 'csm', AGENCY);
  t.clock.advance(181 * 86_400_000);
  assert.equal((await scimWith(t, ra2)('GET', '/Users')).status, 401, 'expired after the default 180 days');
});
