// Browser test of requests and approvals in Chromium (REQ-2, REQ-4, REQ-5): a user asks for a
// permission (申請權限) on the system-permissions page → the agency's administrator opens 待審核列表,
// reads 審查詳細資訊 and accepts with 審查說明 → the user's page shows 審核通過 and the role is held.
// Every request page is axe-clean, with and without errors, in both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { checkDigitFor } from '../../src/accounts/national-id.ts';
import { launchBrowser, checkA11y, heading, notices, where, clickAndWait, signedInPage } from './helpers.ts';

const AGENCY = '2.16.886.101.90027.20002';
const UNIT = AGENCY + '.20011';
const PASSWORD = 'Correct-Horse-9';
const first9 = 'G22345678';

let t: TestApp;
let browser: Browser;
let userId = 0;
before(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  userId = await createAccount(t.deps, { username: 'wanguser1', password: PASSWORD, unitOid: UNIT, name: '王小明', profile: { email: 'wang@example.gov.tw', nationalId: first9 + checkDigitFor(first9), birthMonth: 4, birthDay: 9 } });
  const admin = await createAccount(t.deps, { username: 'liadmin01', password: PASSWORD, unitOid: AGENCY, name: '李管理' });
  await createGrant(t.deps, null, { accountId: admin, kind: 'registration_admin', jurisdictionOid: AGENCY, categories: ['csm', 'bms'] }, null);
  const sup = await createAccount(t.deps, { username: 'zhangsup1', password: PASSWORD, unitOid: AGENCY, name: '張主管' });
  await createGrant(t.deps, null, { accountId: sup, kind: 'unit_supervisor', jurisdictionOid: AGENCY, categories: [] }, null);
});
after(async () => { await browser?.close(); await t?.close(); });

const signedIn = (username: string, locale = 'zh-TW'): Promise<Page> => signedInPage(browser, t, username, PASSWORD, locale);

const statusOf = (page: Page, role: string) => page.locator(`[data-testid="status-${role}"]`).innerText();

test('REQ-2 REQ-4: a user asks for a permission, the administrator accepts it in 待審核列表, and the user\'s page shows 審核通過 with the role held', async () => {
  const user = await signedIn('wanguser1');
  await clickAndWait(user, user.getByRole('navigation').getByRole('link', { name: '申請與審核' }));
  assert.equal(await heading(user), '我的申請');
  await checkA11y(user, 'my requests (empty)');
  await clickAndWait(user, user.getByRole('link', { name: /系統權限申請/ }));
  assert.equal(await heading(user), '系統權限申請');
  assert.match(await statusOf(user, 'csm_user'), /尚未申請/);
  assert.match(await statusOf(user, 'csm_user'), /目前可審核的管理者有 2 位/);
  await checkA11y(user, 'system permissions');
  await clickAndWait(user, user.getByRole('button', { name: '申請權限：公司登記管理系統使用者' }));
  assert.match((await notices(user)).join(' '), /申請已送出，編號 R\d{7}/);
  assert.match(await statusOf(user, 'csm_user'), /審核中/);
  await checkA11y(user, 'system permissions after a request');

  const admin = await signedIn('liadmin01');
  await clickAndWait(admin, admin.getByRole('navigation').getByRole('link', { name: '申請與審核' }));
  await clickAndWait(admin, admin.getByRole('link', { name: '待審核列表' }));
  assert.equal(await heading(admin), '待審核列表');
  await checkA11y(admin, 'review queue');
  const row = admin.locator('tbody tr', { hasText: '王小明' });
  assert.match(await row.innerText(), /申請權限/);
  await clickAndWait(admin, row.getByRole('link'));
  assert.equal(await heading(admin), '審查詳細資訊');
  assert.match(await admin.locator('main').innerText(), /公司登記管理系統使用者/);
  await checkA11y(admin, 'review details');
  // A rejection without 審查說明 is refused, with the error tied to the field.
  await clickAndWait(admin, admin.getByRole('button', { name: '駁回申請' }));
  assert.match(await admin.locator('#comment-error').innerText(), /駁回時請填寫審查說明/);
  assert.equal(await admin.locator('#comment').getAttribute('aria-invalid'), 'true');
  await checkA11y(admin, 'review details with an error');
  await admin.locator('#comment').fill('業務需要，同意。');
  await clickAndWait(admin, admin.getByRole('button', { name: '接受申請' }));
  assert.match((await notices(admin)).join(' '), /已記錄您的審核結果：審核通過/);
  assert.match(await admin.locator('tr[data-step="1"]').innerText(), /李管理[\s\S]*接受申請[\s\S]*業務需要，同意。/);
  await checkA11y(admin, 'review details after the decision');

  await user.reload();
  assert.match(await statusOf(user, 'csm_user'), /審核通過/);
  const held = await t.deps.db.selectFrom('role_grants').select('role_code').where('account_id', '=', userId).execute();
  assert.deepEqual(held.map((r) => r.role_code), ['csm_user']);
  await clickAndWait(user, user.getByRole('link', { name: '回我的申請' }));
  await clickAndWait(user, user.locator('tbody tr').first().getByRole('link'));
  assert.equal(await heading(user), '申請詳細資訊');
  assert.match(await user.locator('[data-testid="request-status"]').innerText(), /審核通過/);
  await checkA11y(user, 'request details (requester)');
});

test('REQ-3 ACC-4: the change-request forms, a refused form, withdraw, in Chinese and English, are axe-clean', async () => {
  for (const locale of ['zh-TW', 'en']) {
    const user = await signedIn('wanguser1', locale);
    for (const type of ['registration_admin', 'user_change', 'one_day_password', 'profile_change']) {
      await user.goto(`${t.url}/requests/new/${type}`);
      await checkA11y(user, `${type} form (${locale})`);
    }
    await user.goto(`${t.url}/requests/new/user_change`);
    await clickAndWait(user, user.locator('main form button[type=submit]'));
    assert.ok((await notices(user)).length > 0, 'the refusal is announced');
    await checkA11y(user, `user_change form with errors (${locale})`);
    await user.goto(`${t.url}/profile`);
    await clickAndWait(user, user.getByRole('link', { name: locale === 'en' ? /Request a change of organisation/ : /申請異動機關、單位、姓名或身分證字號/ }));
    await user.locator('#name').fill('王大明');
    await user.locator('#reason').fill(locale === 'en' ? 'Name changed' : '更名');
    await clickAndWait(user, user.locator('main form button[type=submit]'));
    assert.match(await user.locator('[data-testid="request-status"]').innerText(), locale === 'en' ? /Under review/ : /審核中/);
    await checkA11y(user, `request details with withdraw (${locale})`);
    await clickAndWait(user, user.getByRole('button', { name: locale === 'en' ? 'Withdraw the request' : '撤回申請' }));
    assert.match(await user.locator('[data-testid="request-status"]').innerText(), locale === 'en' ? /Withdrawn/ : /已撤回/);
    await checkA11y(user, `withdrawn request (${locale})`);
    await user.goto(`${t.url}/requests`);
    await checkA11y(user, `my requests (${locale})`);
  }
});
