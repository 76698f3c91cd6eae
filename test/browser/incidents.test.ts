// INC-1, INC-2, INC-3, INC-4, INC-6 in Chromium, axe-checked on every page: the contacts page, a
// security contact reports through the form, the competent authority's reviewer reads the timers
// and raises the level to 3 → the CISO gets mail and SMS; the timeline shows who did what.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, type TestApp } from '../helpers/app.ts';
import { startSmtp, type TestSmtp } from '../helpers/mail.ts';
import { startSmsGateway, type TestSmsGateway } from '../helpers/sms-gateway.ts';
import { createAccount } from '../helpers/accounts.ts';
import { giveRoles } from '../helpers/factories.ts';
import { AGENCY, PARENT } from '../helpers/matrix.ts';
import { setAuthority } from '../../src/incidents/contacts.ts';
import { loadActor } from '../../src/access/actor.ts';
import { findAccountByUsername } from '../../src/accounts/store.ts';
import { launchBrowser, checkA11y, clickAndWait, signedInPage, where } from './helpers.ts';

const PASSWORD = 'Correct-Horse-9';
let t: TestApp, smtp: TestSmtp, gw: TestSmsGateway, browser: Browser;

before(async () => {
  smtp = await startSmtp();
  gw = await startSmsGateway();
  [t, browser] = await Promise.all([startTestApp({ env: { SMTP_URL: smtp.url, TESSERA_SMS_URL: gw.url, TESSERA_OUTBOX_POLL_MS: '100' } }), launchBrowser()]);
  const central = await loadActor(t.deps, (await findAccountByUsername(t.deps.db, ADMIN_USERNAME))!.id);
  await setAuthority(t.deps, central, PARENT, { isCompetentAuthority: true, explicitAuthority: null }, null);
  const people = { brsc1: [AGENCY, 'incident_security_contact', '0911-222333'], brrev1: [PARENT, 'incident_reviewer', '0922-111111'], brciso1: [PARENT, 'incident_ciso', '0922-333444'] } as const;
  for (const [u, [unit, role, mobile]] of Object.entries(people)) {
    const id = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: unit, name: `瀏覽${u}`, profile: { email: `${u}@example.gov.tw`, mobile } });
    await giveRoles(t.deps, id, role);
  }
});
after(async () => { await browser?.close(); await t?.close(); await gw?.close(); await smtp?.close(); });

test('INC-2, INC-3, INC-4, INC-6: report → review raising the level to 3 in Chromium; every page axe-clean; the CISO gets mail and SMS', async () => {
  const sc = await signedInPage(browser, t, 'brsc1', PASSWORD);
  await sc.goto(t.url + `/incidents/contacts?agency=${AGENCY}`);
  await checkA11y(sc, 'contacts');
  assert.match(await sc.locator('main').innerText(), /未達最低人數/);
  await sc.goto(t.url + '/incidents/new');
  await checkA11y(sc, 'report form');
  const aware = new Date(t.clock.now().getTime() + 8 * 3_600_000 - 15 * 60_000).toISOString().slice(0, 16).replace('T', ' ');
  await sc.getByLabel('事件名稱').fill('公文系統遭入侵');
  await sc.getByLabel('事件說明').fill('發現異常帳號登入公文系統');
  await sc.getByLabel('知悉時間（臺灣時間，YYYY-MM-DD HH:MM）').fill(aware);
  await sc.getByLabel('2 級', { exact: true }).check();
  await sc.getByLabel('申請技術支援').check();
  await sc.locator('#contactName').fill('張小姐');
  await sc.locator('#contactPhone').fill('04-22289111');
  // Bad input first: no description → the form again, field marked, axe-clean.
  await sc.getByLabel('事件說明').fill('');
  await clickAndWait(sc, sc.getByRole('button', { name: '送出通報' }));
  assert.equal(where(sc), '/incidents/new');
  await checkA11y(sc, 'report form with errors');
  await sc.getByLabel('事件說明').fill('發現異常帳號登入公文系統');
  await clickAndWait(sc, sc.getByRole('button', { name: '送出通報' }));
  assert.match(where(sc), /^\/incidents\/\d+/);
  const path = new URL(sc.url()).pathname;
  await checkA11y(sc, 'incident (reporter)');

  const rev = await signedInPage(browser, t, 'brrev1', PASSWORD);
  await rev.goto(t.url + '/incidents');
  await checkA11y(rev, 'incident list');
  await clickAndWait(rev, rev.getByRole('link', { name: '公文系統遭入侵' }));
  await checkA11y(rev, 'incident (reviewer)');
  assert.match(await rev.locator('[data-clock="tw-cs/review"]').innerText(), /進行中/);
  await rev.getByLabel('審核後等級').selectOption('3');
  await rev.getByLabel('等級變更理由').fill('涉及核心業務');
  await clickAndWait(rev, rev.getByRole('button', { name: '主管機關審核' }).last());
  assert.equal(new URL(rev.url()).pathname, path);
  await checkA11y(rev, 'incident after review');
  const main = await rev.locator('main').innerText();
  assert.match(main, /等級 2 → 3/);
  assert.match(main, /瀏覽brrev1/);
  await smtp.waitFor((m) => m.to.includes('brciso1@example.gov.tw') && /3級資安事件/.test(m.subject));
  await gw.waitFor((m) => m.body.includes('0922333444'));
});
