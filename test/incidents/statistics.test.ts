// INC-6, INC-7 through the JSON API and the pages, injected clock, real database: statistics by
// period, level, type, agency and competent authority and the on-time rate of each clock, every
// figure within the caller's scope (the national office and the centre count all; an agency only
// its own; no incident role: not found); a drill never counts in the real statistics but in the
// drill statistics; the drill's end and the CISO's drill report; the timeline exported as CSV and JSON.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { apiToken } from '../helpers/api.ts';
import { giveRoles } from '../helpers/factories.ts';
import { AGENCY, SIBLING, PARENT, caller } from '../helpers/matrix.ts';
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
  try { parsed = JSON.parse(r.text); } catch { /* CSV */ }
  return { status: r.status, body: parsed, text: r.text };
};
const ids: Record<string, number> = {};

async function report(who: string, agency: string, level: number, title: string, extra: Record<string, unknown> = {}): Promise<number> {
  const r = await json(who, 'POST', '/incidents', {
    agencyOid: agency, title, description: '說明', level, awareAt: new Date(t.clock.now().getTime() - 10 * MINUTE).toISOString(),
    contactName: '聯絡人', contactPhone: '04-1234567', submit: true, ...extra,
  });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

before(async () => {
  t = await startTestApp();
  const central = await loadActor(t.deps, (await findAccountByUsername(t.deps.db, ADMIN_USERNAME))!.id);
  await setAuthority(t.deps, central, PARENT, { isCompetentAuthority: true, explicitAuthority: null }, null);
  const people = {
    stsc1: [AGENCY, 'incident_security_contact'], stciso1: [AGENCY, 'incident_ciso'], strev1: [PARENT, 'incident_reviewer'], stsib1: [SIBLING, 'incident_security_contact'],
    stnat1: ['2.16.886.101', 'incident_national_office'], stnobody: [AGENCY, null],
  } as const;
  for (const [u, [unit, role]] of Object.entries(people)) {
    const id = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: unit, name: `統計${u}`, profile: { email: `${u}@example.gov.tw` } });
    if (role) await giveRoles(t.deps, id, role);
    tokens[u] = await apiToken(t, u);
  }
  call = caller(t, clients, tokens);
  ids.a2 = await report('stsc1', AGENCY, 2, '惡意程式感染', { category: 'malware' });
  ids.a3 = await report('stsc1', AGENCY, 3, '主機遭入侵', { category: 'intrusion' });
  ids.s1 = await report('stsib1', SIBLING, 1, '網頁遭置換', { category: 'defacement' });
  ids.drill = await report('stsc1', AGENCY, 2, '社交工程演練', { drill: true, drillKind: 'social_engineering', category: 'phishing' });
  assert.equal((await json('stsc1', 'POST', '/incidents', { agencyOid: AGENCY, title: '草稿不計', level: 4 })).status, 201);
  // Review: the level 2 one on time, the level 3 one 3 hours later (late, with its reason).
  assert.equal((await json('strev1', 'POST', `/incidents/${ids.a2}/review`, {})).status, 200);
  t.clock.advance(3 * H);
  assert.equal((await json('strev1', 'POST', `/incidents/${ids.a3}/review`, { lateReason: '夜間值班未即時處理' })).status, 200);
  for (const u of Object.keys(people)) { clients[u] = new Client(t.url); assert.equal((await login(t, clients[u], u, PASSWORD)).status, 303); }
});
after(async () => { await t?.close(); });

test('INC-6: statistics by level, type, agency and authority with on-time rates per clock; the national office counts every agency', async () => {
  const r = await json('stnat1', 'GET', '/incidents/statistics');
  assert.equal(r.status, 200, r.text);
  const s = r.body;
  assert.equal(s.total, 3, 'three real incidents: no drill, no draft');
  assert.deepEqual(s.byLevel, [{ level: 1, n: 1 }, { level: 2, n: 1 }, { level: 3, n: 1 }]);
  assert.deepEqual(s.byType.map((x: { category: string }) => x.category).sort(), ['defacement', 'intrusion', 'malware']);
  assert.deepEqual(s.byAgency.map((a: { oid: string; n: number; major: number }) => [a.oid, a.n, a.major]), [[AGENCY, 2, 1], [SIBLING, 1, 0]]);
  assert.deepEqual(s.byAuthority.map((a: { oid: string | null; n: number }) => [a.oid, a.n]), [[PARENT, 2], [null, 1]]);
  assert.equal(s.byPeriod.length, 1);
  assert.equal(s.byPeriod[0].n, 3);
  assert.equal(s.byPeriod[0].major, 1);
  assert.equal(s.byPeriod[0].period, '2026-11', 'months on the Taipei calendar');
  assert.deepEqual((await json('stnat1', 'GET', '/incidents/statistics?period=quarter')).body.byPeriod.map((p: { period: string }) => p.period), ['2026-Q4']);
  const clock = (id: string) => s.clocks.find((c: { profileId: string; ruleId: string }) => `${c.profileId}/${c.ruleId}` === id);
  assert.deepEqual({ ...clock('tw-cs/report'), medianMinutes: undefined, p90Minutes: undefined }, { profileId: 'tw-cs', ruleId: 'report', n: 3, met: 3, late: 0, overdue: 0, running: 0, medianMinutes: undefined, p90Minutes: undefined });
  assert.equal(clock('tw-cs/report').medianMinutes, 10, 'reported 10 minutes after awareness');
  const review = clock('tw-cs/review');
  assert.deepEqual([review.n, review.met, review.late, review.overdue, review.running], [3, 1, 1, 0, 1], 'on time, late (level 3, 3 h), and the sibling\'s still running');
  assert.ok(!s.clocks.some((c: { profileId: string }) => c.profileId === 'tw-cs-drill'), 'no drill clock in the real statistics');
});

test('INC-7: a drill never counts in the real statistics, and is counted in the drill statistics', async () => {
  const drills = (await json('stnat1', 'GET', '/incidents/statistics?drill=true')).body;
  assert.equal(drills.total, 1);
  assert.deepEqual(drills.byType, [{ category: 'phishing', n: 1 }]);
  assert.equal(drills.drill, true);
  const real = (await json('stsc1', 'GET', '/incidents/statistics')).body;
  assert.equal(real.total, 2, 'the agency counts its own two real incidents, not its drill');
});

test('INC-6, INC-8: each counts within its scope; no incident role: not found; bad dates: 400', async () => {
  assert.equal((await json('strev1', 'GET', '/incidents/statistics')).body.total, 2, 'the competent authority: the agencies it supervises');
  const sib = (await json('stsib1', 'GET', '/incidents/statistics')).body;
  assert.equal(sib.total, 1);
  assert.deepEqual(sib.byAgency.map((a: { oid: string }) => a.oid), [SIBLING], 'nothing of the other agency');
  assert.equal((await json('stnobody', 'GET', '/incidents/statistics')).status, 404);
  assert.equal((await json('stnat1', 'GET', '/incidents/statistics?from=2026-13-01')).status, 400);
  assert.equal((await json('stnat1', 'GET', '/incidents/statistics?from=2027-01-02&to=2027-01-01')).status, 400);
  const tomorrow = new Date(t.clock.now().getTime() + 8 * H + 24 * H).toISOString().slice(0, 10);
  assert.equal((await json('stnat1', 'GET', `/incidents/statistics?from=${tomorrow}&to=${tomorrow}`)).body.total, 0, 'a period with nothing reported');
});

test('INC-6, INC-7, OPS-7: the statistics page has accessible charts with their tables, the clocks\' on-time rates and the CSV', async () => {
  const page = await call('stnat1', 'GET', '/incidents/statistics');
  assert.equal(page.status, 200);
  assert.match(page.text, /<svg[^>]*role="img"[^>]*aria-labelledby="by-level-title by-level-desc"/);
  assert.match(page.text, /data-total="3"/);
  assert.match(page.text, /惡意程式或勒索軟體/, 'types by name, not code');
  assert.match(page.text, /data-clock="tw-cs\/review">.*?<td>3<\/td><td>1<\/td><td>1<\/td><td>0<\/td><td>1<\/td><td>50 %<\/td>/s, 'on time 1 of 2 decided');
  assert.doesNotMatch(page.text, /社交工程演練/);
  const drill = await call('stnat1', 'GET', '/incidents/statistics?drill=1');
  assert.match(drill.text, /資安演練統計/);
  assert.match(drill.text, /data-total="1"/);
  assert.equal((await call('stnat1', 'GET', '/incidents/statistics?from=x')).status, 400);
  const csv = await call('stnat1', 'GET', '/incidents/statistics.csv');
  assert.equal(csv.status, 200);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\n');
  assert.equal(lines[0], 'section,key,name,count,level_3_4,met,late,overdue,running,median_minutes,p90_minutes');
  assert.ok(lines.includes('total,,,3,,,,,,,'));
  assert.ok(lines.some((l) => l.startsWith(`agency,${AGENCY},`) && l.includes(',2,1,')));
  assert.ok(lines.some((l) => l.startsWith('clock,tw-cs/review,') && l.includes(',3,,1,1,0,1,')));
  assert.equal((await call('stnobody', 'GET', '/incidents/statistics')).status, 404);
});

test('INC-7: the drill ends; its report is approved by the agency\'s CISO with the review meeting; the drill clock is met', async () => {
  assert.equal((await json('stsc1', 'POST', `/incidents/${ids.a2}/drill-complete`, {})).status, 409, 'not a drill');
  assert.equal((await json('stsc1', 'POST', `/incidents/${ids.drill}/drill-report`, { meetingAt: '2026-01-01', meetingNotes: 'x', summary: 'x' })).status, 404, 'only the CISO approves');
  assert.equal((await json('stciso1', 'POST', `/incidents/${ids.drill}/drill-report`, { meetingAt: '2026-01-01', meetingNotes: 'x', summary: 'x' })).status, 409, 'before the drill ends');
  assert.equal((await json('stsc1', 'POST', `/incidents/${ids.drill}/drill-complete`, { note: '演練結束' })).status, 200);
  let d = (await json('stsc1', 'GET', `/incidents/${ids.drill}`)).body;
  assert.equal(d.drillKind, 'social_engineering');
  assert.deepEqual(d.profiles, ['tw-cs', 'tw-cs-drill'], 'the real clocks are the time record');
  assert.equal(d.clocks.find((c: { ruleId: string }) => c.ruleId === 'drill-report').state, 'running');
  const today = new Date(t.clock.now().getTime() + 8 * H).toISOString().slice(0, 10);
  const bad = await json('stciso1', 'POST', `/incidents/${ids.drill}/drill-report`, { meetingAt: '2026-02-30', meetingNotes: '', summary: '點擊率 3 %' });
  assert.equal(bad.status, 422);
  assert.deepEqual(Object.keys(bad.body.errors).sort(), ['meetingAt', 'meetingNotes']);
  assert.equal((await json('stciso1', 'POST', `/incidents/${ids.drill}/drill-report`, { meetingAt: today, meetingNotes: '加強教育訓練', summary: '點擊率 3 %' })).status, 200);
  d = (await json('stsc1', 'GET', `/incidents/${ids.drill}`)).body;
  assert.equal(d.clocks.find((c: { ruleId: string }) => c.ruleId === 'drill-report').state, 'met');
  const page = await call('stsc1', 'GET', `/incidents/${ids.drill}`);
  assert.match(page.text, /防範惡意電子郵件社交工程演練/);
  assert.match(page.text, /此為演練事件，不列入統計。/);
});

test('INC-6: one incident\'s timeline exports as CSV and JSON with who, when and which clock each event met; outside the scope: 404', async () => {
  const j = await json('strev1', 'GET', `/incidents/${ids.a3}/timeline.json`);
  assert.equal(j.status, 200);
  assert.equal(j.body.incident.title, '主機遭入侵');
  const reviewed = j.body.events.find((e: { kind: string }) => e.kind === 'reviewed');
  assert.equal(reviewed.who, '統計strev1');
  assert.equal(reviewed.reason, '夜間值班未即時處理');
  assert.deepEqual(reviewed.met.map((m: { clock: string; state: string }) => `${m.clock}:${m.state}`), ['tw-cs/review:late']);
  assert.ok(j.body.clocks.some((c: { clock: string; state: string }) => c.clock === 'tw-cs/centre-review' && c.state === 'running'));
  const csv = await call('stsc1', 'GET', `/incidents/${ids.a3}/timeline.csv`);
  assert.equal(csv.status, 200);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\n');
  assert.equal(lines[0], 'at,entry,what,who,level,reason,note,clocks,recorded_at');
  assert.ok(lines.some((l) => l.includes(',event,主管機關審核,統計strev1,3,夜間值班未即時處理,') && l.includes('逾期完成')));
  assert.ok(lines.some((l) => l.includes(',deadline,') && l.includes('技術服務中心複核')), 'open deadlines are listed');
  assert.equal((await json('stsib1', 'GET', `/incidents/${ids.a3}/timeline.json`)).status, 404);
  assert.equal((await call('stsib1', 'GET', `/incidents/${ids.a3}/timeline.csv`)).status, 404);
});
