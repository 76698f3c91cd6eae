// 帳號清查 in a real browser (GOV-3, GOV-4, OPS-5): an agency's registration administrator reaches
// the reviews from the administration home, defines a half-yearly review, starts it, disables the
// inactive accounts in bulk by filter, is asked for a reason to keep an inactive one, signs off
// (a wrong password refused, the right one carries the decisions out) and finds the report with its
// hash; a holder confirms their own account from the portal (reporting what is wrong); the report
// and D-06-20 PDFs list the decisions and the attestation and their hashes verify against the audit
// trail; every page axe-clean in Traditional Chinese and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { DAY } from '../../src/platform/clock.ts';
import crypto from 'node:crypto';
import { compact, extractPdfText } from '../helpers/pdf-text.ts';
import { launchBrowser, newContext, checkA11y, heading, login, where, clickAndWait } from './helpers.ts';

const PASSWORD = 'Correct-Horse-Battery-9';
const AGENCY = '2.16.886.101.90027.20002';
const CHILD = AGENCY + '.20011';

let t: TestApp;
let browser: Browser;
const ids: Record<string, number> = {};
before(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const admin = await createAccount(t.deps, { username: 'raagency1', password: PASSWORD, unitOid: AGENCY, name: '李管理' });
  await createGrant(t.deps, null, { accountId: admin, kind: 'registration_admin', jurisdictionOid: AGENCY, categories: ['csm'] }, null);
  await t.deps.db.updateTable('accounts').set({ last_password_login_at: t.clock.now() }).where('id', '=', admin).execute();
  const then = new Date(t.clock.now().getTime() - 100 * DAY);
  for (const [username, name, used] of [['oldclerk1', '陳久未登入', true], ['newclerk1', '林從未使用', false], ['busyclerk', '王常登入', true]] as const) {
    ids[username] = await createAccount(t.deps, { username, password: PASSWORD, unitOid: CHILD, name });
    const last = username === 'busyclerk' ? new Date(t.clock.now().getTime() - DAY) : used ? then : null;
    await t.deps.db.updateTable('accounts').set({ activated_at: then, last_password_login_at: last }).where('id', '=', ids[username]).execute();
  }
});
after(async () => { await browser?.close(); await t?.close(); });

const state = async (u: string) => (await t.deps.db.selectFrom('accounts').select('state').where('id', '=', ids[u]).executeTakeFirstOrThrow()).state;

test('GOV-3 GOV-4 OPS-5: define, start, decide in bulk and one by one, sign off; the pages are axe-clean in zh-TW and en', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, 'raagency1', PASSWORD);
  await page.goto(t.url + '/admin');
  await clickAndWait(page, page.getByRole('link', { name: '帳號清查' }));
  assert.equal(where(page), '/admin/campaigns');
  assert.equal(await heading(page), '帳號清查');
  await checkA11y(page, 'reviews (zh)');
  await page.locator('#name').fill('上半年帳號清查');
  await page.locator('#scopeOid').fill(AGENCY);
  await page.locator('#recurrence').selectOption({ label: '每半年' });
  await page.locator('#defaultAction').selectOption({ label: '依系統建議' });
  await page.getByLabel('請清查範圍內每位帳號使用者確認本人帳號（D-06-20）').check();
  await clickAndWait(page, page.getByRole('button', { name: '建立清查設定' }));
  assert.equal(where(page), '/admin/campaigns');
  await clickAndWait(page, page.getByRole('button', { name: '立即開始清查：上半年帳號清查' }));
  assert.match(where(page), /^\/admin\/campaigns\/runs\/\d+$/);
  assert.match(await page.locator('[data-progress]').innerText(), /已審查 0 \/ 4 筆/);
  await checkA11y(page, 'review (zh)');

  // A holder confirms their own account from the portal notice, reporting what is wrong (seed 002, D-06-20).
  const holderCtx = await newContext(browser);
  const holder = await holderCtx.newPage();
  await login(holder, t, 'busyclerk', PASSWORD);
  await holder.goto(t.url + '/');
  await clickAndWait(holder, holder.getByRole('link', { name: '前往確認' }));
  assert.equal(where(holder), '/account/attestations');
  await checkA11y(holder, 'attestation (zh)');
  await holder.getByLabel('有錯誤或已不需要（請說明）').check();
  await clickAndWait(holder, holder.getByRole('button', { name: '送出確認：上半年帳號清查' }));
  assert.match(await holder.locator('.notice.error').innerText(), /回報有誤時請說明/);
  await holder.getByLabel('有錯誤或已不需要（請說明）').check();
  await holder.getByLabel('說明', { exact: true }).fill('已調至會計室，不再辦理登記業務');
  await clickAndWait(holder, holder.getByRole('button', { name: '送出確認：上半年帳號清查' }));
  assert.match(await holder.locator('[data-answered]').innerText(), /回報有誤：已調至會計室/);
  await checkA11y(holder, 'attestation answered (zh)');
  assert.deepEqual(holderCtx.cspViolations, []);
  await holderCtx.close();
  await page.reload();
  assert.match(await page.locator('tr[data-item="busyclerk"] [data-attestation]').innerText(), /回報有誤：已調至會計室/);
  assert.match(await page.locator('[data-attestations]').innerText(), /回報有誤 1/);

  // Filter the inactive ones (recommendation: disable) and disable them in bulk.
  await page.locator('#recommendation').selectOption({ label: '停用（閒置）' });
  await clickAndWait(page, page.getByRole('button', { name: '篩選', exact: true }));
  assert.deepEqual(await page.locator('tr[data-item]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-item')).sort()), ['newclerk1', 'oldclerk1']);
  await page.locator('#decision-bulk').selectOption({ label: '停用' });
  await clickAndWait(page, page.getByRole('button', { name: '套用到篩選結果' }));
  assert.match(await page.locator('[data-progress]').innerText(), /已審查 2 \/ 4 筆/);

  // Keeping an inactive account without a reason is refused, with the message on the page.
  await page.locator(`#decision-${ids.oldclerk1}`).selectOption({ label: '保留' });
  await clickAndWait(page, page.getByRole('button', { name: '送出：oldclerk1' }));
  assert.match(await page.locator('.notice.error').innerText(), /保留閒置帳號須填寫理由/);
  await checkA11y(page, 'review with an error (zh)');
  await page.locator(`#decision-${ids.oldclerk1}`).selectOption({ label: '保留' });
  await page.locator(`#reason-${ids.oldclerk1}`).fill('借調中，三個月後回任');
  await clickAndWait(page, page.getByRole('button', { name: '送出：oldclerk1' }));
  assert.match(await page.locator('tr[data-item="oldclerk1"] [data-decision]').innerText(), /保留/);

  // Sign-off: the wrong password first.
  await page.locator('#password').fill('wrong-password-1');
  await clickAndWait(page, page.getByRole('button', { name: '確認簽名並執行' }));
  assert.match(await page.locator('.notice.error').innerText(), /密碼不正確/);
  assert.equal(await state('newclerk1'), 'enabled');
  await page.locator('#password').fill(PASSWORD);
  await clickAndWait(page, page.getByRole('button', { name: '確認簽名並執行' }));
  assert.match(await page.locator('main').innerText(), /已簽名並執行/);
  assert.match(await page.locator('main').innerText(), /報告 SHA-256：[0-9a-f]{64}/);
  assert.equal(await state('newclerk1'), 'disabled');
  assert.equal(await state('oldclerk1'), 'enabled');
  assert.equal(await state('busyclerk'), 'enabled');
  await checkA11y(page, 'signed review (zh)');
  // The signed report and the D-06-20 form: PDFs whose text lists the decisions and the attestation, their hash in the audit trail.
  const runId = Number(where(page).split('/').pop());
  const ev = await t.deps.db.selectFrom('audit_events').select('details').where('action', '=', 'campaign.execute').where('target_id', '=', String(runId)).executeTakeFirstOrThrow();
  for (const [link, key, expect] of [['下載清查報告（PDF）', 'reportPdfSha256', /newclerk1.*停用.*已停用/], ['下載 D-06-20 業務帳號清查單（PDF）', 'formPdfSha256', /busyclerk.*回報有誤：已調至會計室/]] as const) {
    const href = await page.getByRole('link', { name: link }).getAttribute('href');
    const res = await page.request.get(t.url + href);
    assert.equal(res.status(), 200);
    const bytes = await res.body();
    assert.equal(crypto.createHash('sha256').update(bytes).digest('hex'), (ev.details as Record<string, string>)[key], `${link}: the audit trail verifies it`);
    assert.match(compact(await extractPdfText(bytes)), expect);
  }
  const runPath = where(page);
  await page.goto(t.url + `/lang/en?next=${encodeURIComponent(runPath)}`);
  assert.match(await heading(page), /^Account review: /);
  await checkA11y(page, 'signed review (en)');
  await page.goto(t.url + '/admin/campaigns');
  assert.equal(await heading(page), 'Account reviews');
  await checkA11y(page, 'reviews (en)');
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
});
