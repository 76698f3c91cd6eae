// INC-5 through the JSON API and the pages (forms with their CSRF token), injected clock, real
// database: damage control after its 36 h needs a reason; the closure report refuses missing items
// (nothing stored), is reviewed by the competent authority only (returned with a note, then
// approved); the investigation report needs the CISO's meeting at level 3; the incident closes when
// both are in; both reports print as Traditional Chinese PDFs with their items, times and review.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { apiToken } from '../helpers/api.ts';
import { giveRoles } from '../helpers/factories.ts';
import { AGENCY, SIBLING, PARENT, caller } from '../helpers/matrix.ts';
import { readPdf, compact } from '../helpers/pdf-text.ts';
import { setAuthority } from '../../src/incidents/contacts.ts';
import { loadActor } from '../../src/access/actor.ts';
import { findAccountByUsername } from '../../src/accounts/store.ts';
import { MINUTE } from '../../src/platform/clock.ts';

const PASSWORD = 'Correct-Horse-9';
const H = 60 * MINUTE;
let t: TestApp;
const clients: Record<string, Client> = {};
const tokens: Record<string, string> = {};
let call: ReturnType<typeof caller>;
const json = async (who: string, method: string, path: string, body?: unknown) => {
  const r = await call(who, method, '/api/v1' + path, body as Record<string, string>);
  let parsed: any = null;
  try { parsed = JSON.parse(r.text); } catch { /* a PDF */ }
  return { status: r.status, body: parsed, text: r.text };
};

const CLOSURE = {
  summary: '11/20 09:00 發現異常登入，09:30 通報，隔日 08:00 完成復原。', scope: '公文系統 1 台主機，無資料外洩。', containment: '隔離主機、重設帳號密碼、自備份還原。',
  investigation: '調閱日誌，確認攻擊來源為暴力破解。', rootCause: '管理介面對外開放且密碼強度不足。', measures: '管理介面限內部網段，導入多因子驗證。',
  schedule: '12 月底前完成，每季檢核。', laterImpact: '暫無，持續監控。', strengthening: '加強日誌監控與告警。',
};
const INVESTIGATION = { findings: '攻擊者以字典攻擊取得帳號。', rootCause: '密碼強度不足。', improvements: '導入多因子驗證與帳號鎖定。', schedule: '113 年 12 月底前完成，每月追蹤。' };

before(async () => {
  t = await startTestApp();
  const central = await loadActor(t.deps, (await findAccountByUsername(t.deps.db, ADMIN_USERNAME))!.id);
  await setAuthority(t.deps, central, PARENT, { isCompetentAuthority: true, explicitAuthority: null }, null);
  const people = { clsc1: [AGENCY, 'incident_security_contact'], clrev1: [PARENT, 'incident_reviewer'], clsib1: [SIBLING, 'incident_security_contact'], clcentre1: ['2.16.886.101', 'incident_centre_analyst'] } as const;
  for (const [u, [unit, role]] of Object.entries(people)) {
    const id = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: unit, name: `結案${u}`, profile: { email: `${u}@example.gov.tw` } });
    await giveRoles(t.deps, id, role);
    tokens[u] = await apiToken(t, u);
    clients[u] = new Client(t.url);
    assert.equal((await login(t, clients[u], u, PASSWORD)).status, 303);
  }
  call = caller(t, clients, tokens);
});
after(async () => { await t?.close(); });

async function reported(level: number, title: string): Promise<number> {
  const r = await json('clsc1', 'POST', '/incidents', {
    agencyOid: AGENCY, title, description: '異常登入', level, awareAt: new Date(t.clock.now().getTime() - 10 * MINUTE).toISOString(),
    contactName: '陳大文', contactPhone: '04-22289111', submit: true,
  });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}
const eventsOf = async (id: number) => (await json('clsc1', 'GET', `/incidents/${id}`)).body.events.map((e: { kind: string }) => e.kind);
const clock = async (id: number, rule: string) => (await json('clsc1', 'GET', `/incidents/${id}`)).body.clocks.find((c: { ruleId: string }) => c.ruleId === rule);

let major = 0;
test('INC-5: damage control at level 3 after 36 h needs a reason for the delay; only the agency records it, once', async () => {
  major = await reported(3, '公文系統遭入侵');
  assert.equal((await clock(major, 'contain')).dueAt, new Date(t.clock.now().getTime() + 36 * H - 10 * MINUTE).toISOString(), 'level 3: 36 h from awareness');
  t.clock.advance(37 * H);
  assert.equal((await json('clrev1', 'POST', `/incidents/${major}/contained`, { note: '已復原' })).status, 404, 'the reviewer does not record it');
  assert.equal((await json('clsib1', 'POST', `/incidents/${major}/contained`, { note: '已復原' })).status, 404, 'nor another agency');
  const noReason = await json('clsc1', 'POST', `/incidents/${major}/contained`, { note: '已復原' });
  assert.equal(noReason.status, 422);
  assert.ok(noReason.body.errors.lateReason);
  assert.ok(!(await eventsOf(major)).includes('contained'), 'nothing recorded');
  assert.equal((await json('clsc1', 'POST', `/incidents/${major}/contained`, { note: '已自備份還原', lateReason: '備份還原耗時' })).status, 200);
  const c = await clock(major, 'contain');
  assert.equal(c.state, 'late');
  assert.equal(c.lateReason, '備份還原耗時');
  assert.equal((await json('clsc1', 'POST', `/incidents/${major}/contained`, { note: 'x' })).status, 409, 'once');
  assert.equal((await clock(major, 'closure')).state, 'running', 'the closure report clock starts at containment');
  assert.equal((await clock(major, 'investigation')).state, 'running');
});

test('INC-5: the closure report refuses missing items; the competent authority returns it with a note, then approves it', async () => {
  const missing = await json('clsc1', 'POST', `/incidents/${major}/closure`, { items: { summary: CLOSURE.summary, rootCause: '  ' } });
  assert.equal(missing.status, 422);
  assert.deepEqual(Object.keys(missing.body.errors).sort(), ['containment', 'investigation', 'laterImpact', 'measures', 'rootCause', 'schedule', 'scope', 'strengthening']);
  assert.ok(!(await eventsOf(major)).includes('closure_submitted'), 'nothing stored');
  assert.equal((await json('clsc1', 'GET', `/incidents/${major}/closure.pdf`)).status, 409, 'no report yet');
  assert.equal((await json('clsc1', 'POST', `/incidents/${major}/closure`, { items: CLOSURE })).status, 200);
  assert.equal((await json('clsc1', 'POST', `/incidents/${major}/closure`, { items: CLOSURE })).status, 409, 'waiting for review');
  const review = await clock(major, 'closure-review');
  assert.equal(review.state, 'running');
  assert.equal(new Date(review.dueAt).getTime() - t.clock.now().getTime(), 2 * H, 'level 3: reviewed like the report, within 2 h');
  // Only the incident's competent authority reviews the closure.
  for (const who of ['clsc1', 'clsib1', 'clcentre1']) {
    assert.equal((await json(who, 'POST', `/incidents/${major}/closure-review`, { decision: 'approve' })).status, 404, who);
  }
  assert.equal((await json('clrev1', 'POST', `/incidents/${major}/closure-review`, { decision: 'return' })).status, 422, 'a return needs a note');
  assert.equal((await json('clrev1', 'POST', `/incidents/${major}/closure-review`, { decision: 'return', note: '請補充損害評估' })).status, 200);
  assert.equal((await clock(major, 'closure-review')).state, 'met', 'a return is a review in time');
  const again = await json('clsc1', 'POST', `/incidents/${major}/closure`, { items: { ...CLOSURE, scope: '公文系統 1 台主機；經鑑識確認無資料外洩。' } });
  assert.equal(again.status, 200);
  const approved = await json('clrev1', 'POST', `/incidents/${major}/closure-review`, { decision: 'approve', note: '同意結案' });
  assert.equal(approved.status, 200);
  assert.equal(approved.body.closed, false, 'the investigation report is still due');
  assert.equal((await json('clsc1', 'GET', `/incidents/${major}`)).body.state, 'open');
});

test('INC-5: the investigation report at level 3 needs the CISO\'s meeting; with it the incident closes', async () => {
  const noMeeting = await json('clsc1', 'POST', `/incidents/${major}/investigation`, { items: INVESTIGATION });
  assert.equal(noMeeting.status, 422);
  assert.deepEqual(Object.keys(noMeeting.body.errors), ['cisoMeeting']);
  const done = await json('clsc1', 'POST', `/incidents/${major}/investigation`, { items: { ...INVESTIGATION, cisoMeeting: '11/21 資安長召開應變會議，決議全面檢視對外服務。' } });
  assert.equal(done.status, 200);
  assert.equal(done.body.closed, true);
  const d = (await json('clsc1', 'GET', `/incidents/${major}`)).body;
  assert.equal(d.state, 'closed');
  assert.deepEqual(d.events.map((e: { kind: string }) => e.kind).filter((k: string) => /closure|investigation|contained/.test(k)),
    ['contained', 'closure_submitted', 'closure_returned', 'closure_submitted', 'closure_approved', 'investigation_submitted']);
  assert.equal((await json('clsc1', 'POST', `/incidents/${major}/investigation`, { items: INVESTIGATION })).status, 409, 'closed');
});

test('INC-5: both reports print as Traditional Chinese PDFs with the items, the times and the review; another agency gets 404', async () => {
  for (const u of ['clsc1', 'clrev1', 'clsib1']) { clients[u] = new Client(t.url); assert.equal((await login(t, clients[u], u, PASSWORD)).status, 303); } // the clock moved past the idle timeout
  const r = await fetch(`${t.url}/api/v1/incidents/${major}/closure.pdf`, { headers: { authorization: `Bearer ${tokens.clrev1}` } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  const pdf = await readPdf(new Uint8Array(await r.arrayBuffer()));
  const text = compact(pdf.pages.join(''));
  for (const s of ['資通安全事件結案報告', '公文系統遭入侵', '事件根因分析', compact(CLOSURE.rootCause), '經鑑識確認無資料外洩', '後續可能影響', '退回補正', '請補充損害評估', '同意結案', '完成損害控制或復原', '備份還原耗時', `INC-${major}-C`]) {
    assert.ok(text.includes(compact(s)), `the closure PDF has ${s}`);
  }
  assert.equal(pdf.sizes[0][0].toFixed(0), '595', 'A4');
  const inv = await call('clsc1', 'GET', `/incidents/${major}/investigation.pdf`);
  assert.equal(inv.status, 200, 'the page route prints it too');
  const ip = await fetch(`${t.url}/api/v1/incidents/${major}/investigation.pdf`, { headers: { authorization: `Bearer ${tokens.clsc1}` } });
  const itext = compact((await readPdf(new Uint8Array(await ip.arrayBuffer()))).pages.join(''));
  for (const s of ['資通安全事件調查、處理及改善報告', '資安長召開會議研商情形', '導入多因子驗證與帳號鎖定']) assert.ok(itext.includes(compact(s)), `the investigation PDF has ${s}`);
  assert.equal((await json('clsib1', 'GET', `/incidents/${major}/closure.pdf`)).status, 404);
  assert.equal((await call('clsib1', 'GET', `/incidents/${major}/closure.pdf`)).status, 404);
});

test('INC-5: on the pages, without JavaScript: containment, a closure report with a missing item (422, items kept), the review, the investigation report at level 1', async () => {
  const id = await reported(1, '網站首頁異常');
  let page = await call('clsc1', 'GET', `/incidents/${id}`);
  assert.match(page.text, /data-closure-stage="response"/);
  assert.equal((await call('clsc1', 'POST', `/incidents/${id}/contained`, { note: '已恢復服務' })).status, 303);
  page = await call('clsc1', 'GET', `/incidents/${id}`);
  assert.match(page.text, /data-closure-stage="contained"/);
  assert.match(page.text, /事件根因分析（必填）/);
  const bad = await call('clsc1', 'POST', `/incidents/${id}/closure`, { ...CLOSURE, measures: '' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /管理介面對外開放且密碼強度不足/, 'the items typed are kept');
  assert.match(bad.text, /id="closure-measures-error"/);
  assert.equal((await call('clsc1', 'POST', `/incidents/${id}/closure`, CLOSURE)).status, 303);
  assert.doesNotMatch((await call('clsc1', 'GET', `/incidents/${id}`)).text, /action="\/incidents\/\d+\/closure-review"/, 'the reporter does not review');
  assert.match((await call('clrev1', 'GET', `/incidents/${id}`)).text, /action="\/incidents\/\d+\/closure-review"/);
  assert.equal((await call('clrev1', 'POST', `/incidents/${id}/closure-review`, { decision: 'approve', note: '' })).status, 303);
  page = await call('clsc1', 'GET', `/incidents/${id}`);
  assert.doesNotMatch(page.text, /資安長召開會議研商情形/, 'level 1: no CISO meeting item');
  assert.equal((await call('clsc1', 'POST', `/incidents/${id}/investigation`, INVESTIGATION)).status, 303);
  page = await call('clsc1', 'GET', `/incidents/${id}`);
  assert.match(page.text, /已結案/);
  assert.match(page.text, /href="\/incidents\/\d+\/closure.pdf"/);
});
