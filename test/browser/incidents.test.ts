// INC-1, INC-2, INC-3, INC-4, INC-5, INC-6 in Chromium, axe-checked on every page: the contacts page,
// a security contact reports through the form, the competent authority's reviewer reads the timers
// and raises the level to 3 → the CISO gets mail and SMS; the timeline shows who did what. A second
// incident: the competent authority misses its 2 h deadline (injected clock) → escalation to the
// technical centre by mail and SMS → the centre reviews directly; the pages in zh-TW and en; then
// damage control, the closure report (returned, corrected, approved) and the investigation report
// through the forms, and the closure PDF; the statistics page.
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
import { createReport } from '../../src/incidents/workflow.ts';
import { runDueJobs } from '../../src/governance/jobs/scheduler.ts';
import { jobNamed } from '../../src/governance/jobs/table.ts';

const PASSWORD = 'Correct-Horse-9';
let t: TestApp, smtp: TestSmtp, gw: TestSmsGateway, browser: Browser;

before(async () => {
  smtp = await startSmtp();
  gw = await startSmsGateway();
  [t, browser] = await Promise.all([startTestApp({ env: { SMTP_URL: smtp.url, TESSERA_SMS_URL: gw.url, TESSERA_OUTBOX_POLL_MS: '100' } }), launchBrowser()]);
  const central = await loadActor(t.deps, (await findAccountByUsername(t.deps.db, ADMIN_USERNAME))!.id);
  await setAuthority(t.deps, central, PARENT, { isCompetentAuthority: true, explicitAuthority: null }, null);
  const people = { brsc1: [AGENCY, 'incident_security_contact', '0911-222333'], brrev1: [PARENT, 'incident_reviewer', '0922-111111'], brciso1: [PARENT, 'incident_ciso', '0922-333444'], brcentre1: ['2.16.886.101', 'incident_centre_analyst', '0933-555666'] } as const;
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

test('INC-3, INC-5, INC-6, OPS-5: the authority misses its 2 h deadline → escalation → the centre reviews directly (zh-TW and en); closure and investigation through the forms', async () => {
  const sc = await loadActor(t.deps, (await findAccountByUsername(t.deps.db, 'brsc1'))!.id);
  const id = await createReport(t.deps, sc, { agencyOid: AGENCY, submit: true, ip: null, input: {
    title: '勒索軟體加密檔案伺服器', description: '檔案伺服器遭加密', awareAt: new Date(t.clock.now().getTime() - 20 * 60_000), level: 3, affectedSystems: [],
    supportRequested: false, otherAgenciesAffected: false, criticalInfrastructure: false, contactName: '張小姐', contactPhone: '04-22289111', contactEmail: '' } });
  t.clock.advance(2 * 3_600_000 + 60_000);
  await runDueJobs(t.deps, [jobNamed('incidents.escalate')!], 'browser-instance');
  await smtp.waitFor((m) => m.to.includes('brcentre1@example.gov.tw') && /逾時/.test(m.subject));
  await gw.waitFor((m) => m.body.includes('0933555666') && /逾時/.test(m.body));

  const centre = await signedInPage(browser, t, 'brcentre1', PASSWORD);
  await centre.goto(t.url + `/incidents/${id}`);
  await checkA11y(centre, 'overdue incident (centre)');
  assert.match(await centre.locator('[data-clock="tw-cs/review"]').innerText(), /已逾期/);
  assert.match(await centre.locator('main').innerText(), /主管機關審核.*逾時/s, 'the escalation is on the timeline');
  await centre.getByLabel('說明').last().fill('主管機關逾時，逕行審核');
  await clickAndWait(centre, centre.getByRole('button', { name: '技術服務中心逕行審核（主管機關逾期）' }).last());
  await checkA11y(centre, 'after the direct review');
  const main = await centre.locator('main').innerText();
  assert.match(main, /技術服務中心逕行複核/);
  assert.match(main, /瀏覽brcentre1/);
  assert.equal(await centre.locator('[data-clock="tw-cs/review"]').getAttribute('data-state'), 'late');
  // The same page in English.
  await clickAndWait(centre, centre.getByRole('link', { name: 'English' }));
  assert.equal(await centre.locator('html').getAttribute('lang'), 'en');
  assert.match(await centre.locator('main').innerText(), /Reviewed directly by the technical centre/);
  await checkA11y(centre, 'incident in English');
  await centre.goto(t.url + '/incidents/statistics');
  await checkA11y(centre, 'statistics in English');
  assert.match(await centre.locator('main').innerText(), /Deadlines met on time/);

  // INC-5 through the forms: damage control, a closure report returned and corrected, approved; the investigation report.
  const rep = await signedInPage(browser, t, 'brsc1', PASSWORD);
  await rep.goto(t.url + `/incidents/${id}`);
  await rep.getByLabel('損害控制或復原情形').fill('已隔離主機並自備份還原');
  await clickAndWait(rep, rep.getByRole('button', { name: '完成損害控制或復原' }));
  await checkA11y(rep, 'closure form');
  const items: [string, string][] = [['summary', '11/25 知悉、通報，隔日復原'], ['scope', '檔案伺服器 1 台'], ['containment', '隔離、還原'], ['investigation', '鑑識分析'],
    ['rootCause', '未修補之漏洞'], ['measures', '定期修補'], ['schedule', '一個月內完成'], ['laterImpact', '無'], ['strengthening', '加強備份']];
  assert.equal(await rep.getByLabel('事件根因分析（必填）').count(), 2, 'the closure and the investigation forms label their items');
  for (const [key, value] of items.slice(1)) await rep.locator(`#closure-${key}`).fill(value);
  await clickAndWait(rep, rep.getByRole('button', { name: '提交結案報告' }));
  assert.equal(where(rep), `/incidents/${id}/closure`, 'the incident page again (422) with the message');
  await checkA11y(rep, 'closure form with a missing item');
  assert.equal(await rep.locator('#closure-summary').getAttribute('aria-invalid'), 'true');
  await rep.locator('#closure-summary').fill(items[0][1]);
  await clickAndWait(rep, rep.getByRole('button', { name: '提交結案報告' }));
  assert.match(await rep.locator('[data-closure-stage]').innerText(), /待主管機關審核/);

  const rev = await signedInPage(browser, t, 'brrev1', PASSWORD);
  await rev.goto(t.url + `/incidents/${id}`);
  await checkA11y(rev, 'closure review form');
  await rev.getByLabel('退回補正').check();
  await rev.getByLabel('審核意見（退回時必填）').fill('請補充損害評估');
  await clickAndWait(rev, rev.getByRole('button', { name: '審核結案報告' }));
  await rep.goto(t.url + `/incidents/${id}`);
  assert.match(await rep.locator('main').innerText(), /請補充損害評估/);
  for (const [key, value] of items) await rep.locator(`#closure-${key}`).fill(value + '（補正）');
  await clickAndWait(rep, rep.getByRole('button', { name: '提交結案報告' }));
  await rev.goto(t.url + `/incidents/${id}`);
  await rev.getByLabel('通過').check();
  await clickAndWait(rev, rev.getByRole('button', { name: '審核結案報告' }));
  await rep.goto(t.url + `/incidents/${id}`);
  for (const [key, value] of [['findings', '確認為已知勒索軟體'], ['rootCause', '未修補之漏洞'], ['improvements', '導入修補管理'], ['schedule', '三個月'], ['cisoMeeting', '11/26 召開']]) {
    await rep.locator(`#investigation-${key}`).fill(value);
  }
  await clickAndWait(rep, rep.getByRole('button', { name: '提交調查、處理及改善報告' }));
  await checkA11y(rep, 'closed incident');
  assert.match(await rep.locator('main').innerText(), /已結案/);
  const pdf = await rep.request.get(t.url + `/incidents/${id}/closure.pdf`);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
});
