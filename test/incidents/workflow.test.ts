// INC-1..INC-4, INC-6, INC-8 through the JSON API, with the injected clock, a real database, a real
// SMTP receiver and a local SMS gateway: the contacts registry flags missing minimums; an agency's
// security contact drafts (invisible to the reviewers) and reports; a sibling agency and a
// look-alike OID prefix see nothing (404); the competent authority reviews and raises the level to
// 3 → its CISO and IT chief get mail AND SMS at once, the result is forwarded; the technical centre
// re-reviews and dispatches support (who and when recorded); a second incident whose authority
// misses its 2 h deadline escalates to the centre exactly once (two scheduler instances), and the
// centre then reviews directly; bad input answers 4xx and changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startSmtp, type TestSmtp } from '../helpers/mail.ts';
import { startSmsGateway, type TestSmsGateway } from '../helpers/sms-gateway.ts';
import { createAccount } from '../helpers/accounts.ts';
import { apiToken, jsonCall } from '../helpers/api.ts';
import { giveRoles } from '../helpers/factories.ts';
import { AGENCY, SIBLING, PARENT, CHILD, LOOK_ALIKE } from '../helpers/matrix.ts';
import { ADMIN_USERNAME } from '../helpers/app.ts';
import { importOrgs } from '../../src/orgs/service.ts';
import { MINUTE } from '../../src/platform/clock.ts';
import { runDueJobs } from '../../src/governance/jobs/scheduler.ts';
import { jobNamed } from '../../src/governance/jobs/table.ts';
import { remindContacts } from '../../src/incidents/contacts.ts';

const PASSWORD = 'Correct-Horse-9';
const FORWARD = 'national-office@example.gov.tw';
let t: TestApp, smtp: TestSmtp, gw: TestSmsGateway;
const tokens: Record<string, string> = {};
const ids: Record<string, number> = {};

/** Who, where, and the contact role the central authority registers (centre and national office are plain role grants). */
const PEOPLE = {
  sc1: { unit: CHILD, mobile: '0911-000001' }, sc2: { unit: AGENCY, mobile: '0911-000002' }, itchief1: { unit: AGENCY, mobile: '0911-000003' },
  reviewer1: { unit: PARENT, mobile: '0922-000001' }, ciso1: { unit: PARENT, mobile: '0922-000002' }, itchief2: { unit: PARENT, mobile: '0922-000003' },
  centre1: { unit: '2.16.886.101', mobile: '0933-000001' }, natoffice: { unit: '2.16.886.101', mobile: '0933-000002' },
  sibsc1: { unit: SIBLING, mobile: '0944-000001' }, looksc1: { unit: LOOK_ALIKE + '.20002', mobile: '0944-000002' },
  lookrev1: { unit: LOOK_ALIKE, mobile: '0944-000003' }, outsider: { unit: SIBLING, mobile: '0944-000004' },
} as const;
type Who = keyof typeof PEOPLE | typeof ADMIN_USERNAME;

const call = (who: Who, method: string, path: string, body?: unknown) => jsonCall(t, tokens[who], method, '/api/v1' + path, body);
const digits = (m: string) => m.replace(/\D/g, '');
const mailsTo = (u: string, subject?: RegExp) => smtp.received.filter((m) => m.to.includes(`${u}@example.gov.tw`) && (!subject || subject.test(m.subject)));
const smsTo = (u: keyof typeof PEOPLE) => gw.received.filter((m) => m.body.includes(digits(PEOPLE[u].mobile)));
const minutesAgo = (n: number) => new Date(t.clock.now().getTime() - n * MINUTE).toISOString();
/** Waits until the outbox has delivered what the last action wrote. */
async function settle(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const left = await t.deps.db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('n')).where('sent_at', 'is', null).executeTakeFirstOrThrow();
    if (Number(left.n) === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail('the outbox did not drain');
}

before(async () => {
  smtp = await startSmtp();
  gw = await startSmsGateway();
  t = await startTestApp({ env: { SMTP_URL: smtp.url, TESSERA_SMS_URL: gw.url, TESSERA_OUTBOX_POLL_MS: '100', TESSERA_INCIDENT_FORWARD_TO: FORWARD } });
  const r = await importOrgs(t.deps, null, `oid,name,agency_code,tenant_code,kind\n${LOOK_ALIKE},相似前綴機關（範例）,,,agency\n${LOOK_ALIKE}.20002,相似前綴單位（範例）,,,agency\n`, { dryRun: false });
  assert.deepEqual(r.errors, []);
  for (const [u, p] of Object.entries(PEOPLE)) {
    ids[u] = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: p.unit, name: `人員${u}`, profile: { email: `${u}@example.gov.tw`, mobile: p.mobile } });
  }
  await giveRoles(t.deps, ids.centre1, 'incident_centre_analyst');
  await giveRoles(t.deps, ids.natoffice, 'incident_national_office');
  for (const u of [...Object.keys(PEOPLE), ADMIN_USERNAME] as Who[]) tokens[u] = await apiToken(t, u);
  // The competent authorities are data on the tree (INC-8): 臺中市政府 for the agency below it, the look-alike for itself.
  assert.equal((await call(ADMIN_USERNAME, 'PUT', `/incidents/authorities/${PARENT}`, { isCompetentAuthority: true, competentAuthorityOid: null })).status, 200);
  assert.equal((await call(ADMIN_USERNAME, 'PUT', `/incidents/authorities/${LOOK_ALIKE}`, { isCompetentAuthority: true, competentAuthorityOid: null })).status, 200);
  // Only the central authority marks them.
  assert.equal((await call('reviewer1', 'PUT', `/incidents/authorities/${AGENCY}`, { isCompetentAuthority: true, competentAuthorityOid: null })).status, 404);
  for (const [u, role, org] of [['reviewer1', 'reviewer', PARENT], ['ciso1', 'ciso', PARENT], ['itchief2', 'it_chief', PARENT],
    ['sibsc1', 'security_contact', SIBLING], ['looksc1', 'security_contact', LOOK_ALIKE + '.20002'], ['lookrev1', 'reviewer', LOOK_ALIKE]] as const) {
    assert.equal((await call(ADMIN_USERNAME, 'POST', `/incidents/contacts/${org}`, { username: u, role })).status, 200, `${u} as ${role}`);
  }
});
after(async () => { await t?.close(); await smtp?.close(); await gw?.close(); });

test('INC-1: missing minimums are flagged; contacts are accounts of the agency; confirmation is dated; the reminder goes through the outbox once per period', async () => {
  let v = await call(ADMIN_USERNAME, 'GET', `/incidents/contacts/${AGENCY}`);
  assert.equal(v.status, 200);
  assert.deepEqual(v.body.missing, [{ role: 'it_chief', need: 1, have: 0 }, { role: 'security_contact', need: 2, have: 0 }]);
  assert.equal(v.body.authorityOid, PARENT, 'the nearest ancestor marked as a competent authority');
  // An account of another agency cannot be this agency's contact: 422, nothing registered.
  const refused = await call(ADMIN_USERNAME, 'POST', `/incidents/contacts/${AGENCY}`, { username: 'sibsc1', role: 'security_contact' });
  assert.equal(refused.status, 422);
  assert.ok(refused.body.errors.username);
  assert.equal((await call(ADMIN_USERNAME, 'POST', `/incidents/contacts/${AGENCY}`, { username: 'sc1', role: 'security_contact', dedicated: true })).status, 200);
  v = await call(ADMIN_USERNAME, 'GET', `/incidents/contacts/${AGENCY}`);
  assert.deepEqual(v.body.missing, [{ role: 'it_chief', need: 1, have: 0 }, { role: 'security_contact', need: 2, have: 1 }]);
  assert.equal(v.body.noDedicatedSecurityContact, false);
  assert.equal((await call(ADMIN_USERNAME, 'POST', `/incidents/contacts/${AGENCY}`, { username: 'sc2', role: 'security_contact' })).status, 200);
  assert.equal((await call(ADMIN_USERNAME, 'POST', `/incidents/contacts/${AGENCY}`, { username: 'itchief1', role: 'it_chief' })).status, 200);
  v = await call('itchief1', 'GET', `/incidents/contacts/${AGENCY}`);
  assert.equal(v.status, 200);
  assert.deepEqual(v.body.missing, []);
  assert.equal(v.body.confirmOverdue, true);
  // A competent authority also needs a CISO and a reviewer: the look-alike authority has a reviewer, no CISO, no IT chief.
  const la = await call(ADMIN_USERNAME, 'GET', `/incidents/contacts/${LOOK_ALIKE}`);
  assert.deepEqual(la.body.missing.map((m: { role: string }) => m.role), ['it_chief', 'security_contact', 'ciso']);
  // Another agency's contact cannot read or change this registry.
  assert.equal((await call('sibsc1', 'GET', `/incidents/contacts/${AGENCY}`)).status, 404);
  assert.equal((await call('looksc1', 'POST', `/incidents/contacts/${AGENCY}`, { username: 'sc2', role: 'it_chief' })).status, 404);
  // Confirm: dated; the reminder job then skips this agency for the period, and reminds the others once.
  assert.equal((await call('itchief1', 'POST', `/incidents/contacts/${AGENCY}/confirm`, { confirm: true })).status, 200);
  v = await call('itchief1', 'GET', `/incidents/contacts/${AGENCY}`);
  assert.equal(new Date(v.body.confirmedAt).getTime(), t.clock.now().getTime());
  assert.equal(v.body.confirmOverdue, false);
  const first = await remindContacts(t.deps);
  const again = await remindContacts(t.deps);
  assert.ok(first.reminded >= 2, 'the never-confirmed agencies are reminded');
  assert.equal(again.reminded, 0, 'once per period');
  await settle();
  assert.equal(mailsTo('itchief1', /確認/).length, 0, 'a confirmed agency is not reminded');
  assert.equal(mailsTo('itchief2', /確認/).length, 1, 'the competent authority\'s IT chief is reminded');
});

let first = 0;
test('INC-2, INC-8: a draft is the agency\'s alone; bad input answers 4xx and changes nothing; submit records aware and reported', async () => {
  const draft = await call('sc1', 'POST', '/incidents', { agencyOid: AGENCY, title: '網站遭置換首頁', level: 2, awareAt: minutesAgo(10) });
  assert.equal(draft.status, 201);
  first = draft.body.id;
  assert.equal((await call('sc2', 'GET', `/incidents/${first}`)).status, 200, 'the agency\'s other contact sees the draft');
  for (const who of ['reviewer1', 'centre1', 'ciso1'] as const) {
    assert.equal((await call(who, 'GET', `/incidents/${first}`)).status, 404, `${who} does not see a draft`);
    assert.ok(!(await call(who, 'GET', '/incidents')).body.items.some((i: { id: number }) => i.id === first));
  }
  // Somebody who is not the agency's security contact cannot report for it.
  assert.equal((await call('sibsc1', 'POST', '/incidents', { agencyOid: AGENCY, title: 'x', level: 1 })).status, 404);
  assert.equal((await call('itchief1', 'POST', '/incidents', { agencyOid: AGENCY, title: 'x', level: 1 })).status, 404);
  // Bad input: a level outside 1–4 (schema), a submission without the required items, a future awareness time.
  assert.equal((await call('sc1', 'PATCH', `/incidents/${first}`, { title: '網站遭置換首頁', level: 7 })).status, 400);
  const incomplete = await call('sc1', 'PATCH', `/incidents/${first}`, { title: '網站遭置換首頁', level: 2, awareAt: minutesAgo(10), submit: true });
  assert.equal(incomplete.status, 422);
  assert.deepEqual(Object.keys(incomplete.body.errors).sort(), ['contactName', 'contactPhone', 'description']);
  const future = await call('sc1', 'PATCH', `/incidents/${first}`, { title: '網站遭置換首頁', awareAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString() });
  assert.equal(future.status, 422);
  let d = await call('sc1', 'GET', `/incidents/${first}`);
  assert.equal(d.body.state, 'draft');
  assert.equal(d.body.events.length, 0);
  assert.equal(d.body.level, 2, 'the refused changes did not land');

  const ok = await call('sc1', 'PATCH', `/incidents/${first}`, {
    title: '網站遭置換首頁', description: '首頁遭置換為不明內容', level: 2, awareAt: minutesAgo(10), supportRequested: true,
    affectedSystems: [{ code: 'csm' }, { text: '機關官網' }], contactName: '林小明', contactPhone: '04-22289111', contactEmail: 'sc1@example.gov.tw', submit: true,
  });
  assert.equal(ok.status, 200);
  d = await call('reviewer1', 'GET', `/incidents/${first}`);
  assert.equal(d.status, 200, 'submitted: the competent authority sees it');
  assert.equal(d.body.state, 'open');
  assert.equal(d.body.authorityOid, PARENT);
  assert.deepEqual(d.body.events.map((e: { kind: string }) => e.kind), ['aware', 'reported', 'support_requested']);
  const reported = d.body.events.find((e: { kind: string }) => e.kind === 'reported');
  assert.deepEqual(reported.met, ['tw-cs/report'], 'reported within the hour: the report clock is met');
  const reviewClock = d.body.clocks.find((c: { ruleId: string }) => c.ruleId === 'review');
  assert.equal(new Date(reviewClock.dueAt).getTime(), t.clock.now().getTime() + 8 * 60 * MINUTE, 'level 2: 8 hours to review');
  assert.equal(reviewClock.state, 'running');
  await settle();
  assert.equal(mailsTo('reviewer1', /待審核/).length, 1, 'the reviewer is told');
  // Submitted once: a second submission is refused.
  assert.equal((await call('sc1', 'PATCH', `/incidents/${first}`, { title: 'x', submit: true })).status, 409);
});

test('INC-8: another agency and a look-alike OID prefix see nothing of it (404, not in their lists)', async () => {
  for (const who of ['sibsc1', 'looksc1', 'lookrev1', 'outsider'] as const) {
    assert.equal((await call(who, 'GET', `/incidents/${first}`)).status, 404, who);
    const list = await call(who, 'GET', '/incidents');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items, [], who);
    assert.equal((await call(who, 'POST', `/incidents/${first}/review`, { level: 3, reason: 'x' })).status, 404, who);
  }
  assert.equal((await call('natoffice', 'GET', `/incidents/${first}`)).status, 404, 'the national office sees level 3–4 only');
});

test('INC-3, INC-4: the competent authority raises the level to 3 → CISO and IT chief get mail and SMS at once, the result is forwarded; the centre re-reviews and dispatches support', async () => {
  const before = await t.deps.db.selectFrom('incident_events').select('id').where('incident_id', '=', first).execute();
  const noReason = await call('reviewer1', 'POST', `/incidents/${first}/review`, { level: 3 });
  assert.equal(noReason.status, 422);
  assert.ok(noReason.body.errors.reason);
  assert.equal((await t.deps.db.selectFrom('incident_events').select('id').where('incident_id', '=', first).execute()).length, before.length, 'nothing changed');
  assert.equal((await call('centre1', 'POST', `/incidents/${first}/centre-review`, {})).status, 409, 'the centre re-reviews after the authority');
  assert.equal((await call('centre1', 'POST', `/incidents/${first}/direct-review`, {})).status, 409, 'the authority is not overdue');

  assert.equal((await call('reviewer1', 'POST', `/incidents/${first}/review`, { level: 3, reason: '涉及核心業務系統' })).status, 200);
  assert.equal((await call('reviewer1', 'POST', `/incidents/${first}/review`, {})).status, 409, 'reviewed once');
  await settle();
  for (const u of ['ciso1', 'itchief2'] as const) {
    assert.equal(mailsTo(u, /3級資安事件/).length, 1, `${u} gets the mail`);
    assert.equal(smsTo(u).length, 1, `${u} gets the SMS`);
  }
  assert.equal(smtp.received.filter((m) => m.to.includes(FORWARD) && /轉報/.test(m.subject)).length, 1, 'the configured recipient');
  assert.equal(mailsTo('natoffice', /轉報/).length, 1, 'the national office');
  let d = await call('natoffice', 'GET', `/incidents/${first}`);
  assert.equal(d.status, 200, 'level 3: the national office sees it');
  assert.equal(d.body.level, 3);
  const reviewed = d.body.events.find((e: { kind: string }) => e.kind === 'reviewed');
  assert.equal(reviewed.level, 3);
  assert.equal(reviewed.reason, '涉及核心業務系統');
  assert.equal(reviewed.actor, '人員reviewer1');
  assert.ok(d.body.events.some((e: { kind: string }) => e.kind === 'notified'));

  t.clock.advance(20 * MINUTE);
  assert.equal((await call('centre1', 'POST', `/incidents/${first}/centre-review`, { note: '已確認' })).status, 200);
  assert.equal((await call('reviewer1', 'POST', `/incidents/${first}/support`, { note: 'x' })).status, 404, 'only the centre dispatches');
  t.clock.advance(30 * MINUTE);
  assert.equal((await call('centre1', 'POST', `/incidents/${first}/support`, { note: '派員 2 名到場' })).status, 200);
  d = await call('sc1', 'GET', `/incidents/${first}`);
  const support = d.body.events.find((e: { kind: string }) => e.kind === 'support_dispatched');
  assert.equal(support.actor, '人員centre1');
  assert.equal(new Date(support.at).getTime(), t.clock.now().getTime());
  assert.deepEqual(support.met, ['tw-cs/support'], 'within 1 hour of the re-review');
  assert.equal(mailsTo('ciso1', /3級資安事件/).length, 1, 'told once, not again at the re-review');
});

test('INC-3, INC-6: the authority misses its 2 h deadline → escalation mail and SMS to the technical centre exactly once (two instances); then the centre reviews directly', async () => {
  const r = await call('sc2', 'POST', '/incidents', {
    agencyOid: AGENCY, title: '勒索軟體感染', description: '檔案伺服器遭加密', level: 3, awareAt: minutesAgo(30),
    contactName: '王小華', contactPhone: '04-22289112', submit: true,
  });
  assert.equal(r.status, 201);
  const id = r.body.id as number;
  await settle();
  const mailsBefore = mailsTo('centre1', /逾時/).length, smsBefore = smsTo('centre1').length;
  t.clock.advance(119 * MINUTE);
  await Promise.all([runDueJobs(t.deps, [jobNamed('incidents.escalate')!], 'instance-a'), runDueJobs(t.deps, [jobNamed('incidents.escalate')!], 'instance-b')]);
  await settle();
  assert.equal(mailsTo('centre1', /逾時/).length, mailsBefore, 'not before the deadline');
  t.clock.advance(2 * MINUTE);
  await Promise.all([runDueJobs(t.deps, [jobNamed('incidents.escalate')!], 'instance-a'), runDueJobs(t.deps, [jobNamed('incidents.escalate')!], 'instance-b')]);
  t.clock.advance(MINUTE);
  await runDueJobs(t.deps, [jobNamed('incidents.escalate')!], 'instance-a');
  await settle();
  assert.equal(mailsTo('centre1', /逾時/).length, mailsBefore + 1, 'one escalation mail');
  assert.equal(smsTo('centre1').length, smsBefore + 1, 'one escalation SMS');
  const rows = await t.deps.db.selectFrom('incident_escalations').selectAll().where('incident_id', '=', id).execute();
  assert.deepEqual(rows.map((x) => x.rule_id), ['review']);
  let d = await call('centre1', 'GET', `/incidents/${id}`);
  assert.equal(d.body.clocks.find((c: { ruleId: string }) => c.ruleId === 'review').state, 'overdue');
  // The late review now needs its reason; the centre may review directly.
  const late = await call('reviewer1', 'POST', `/incidents/${id}/review`, {});
  assert.equal(late.status, 422);
  assert.ok(late.body.errors.lateReason);
  assert.equal((await call('centre1', 'POST', `/incidents/${id}/direct-review`, { note: '主管機關逾時，逕行審核' })).status, 200);
  d = await call('centre1', 'GET', `/incidents/${id}`);
  const direct = d.body.events.find((e: { kind: string }) => e.kind === 'centre_direct_review');
  assert.deepEqual(direct.met, ['tw-cs/review', 'tw-cs/centre-review'].filter((m) => d.body.clocks.some((c: { profileId: string; ruleId: string; metByKind?: string }) => `${c.profileId}/${c.ruleId}` === m)).slice(0, direct.met.length));
  assert.equal(d.body.clocks.find((c: { ruleId: string }) => c.ruleId === 'review').state, 'late');
  assert.equal((await call('reviewer1', 'POST', `/incidents/${id}/review`, { lateReason: '值班人員未收到通知' })).status, 409, 'reviewed already');
});

test('INC-2: a phone report recorded by the technical centre is back-filled by the agency; both times are kept; a level change is a re-report with history', async () => {
  const awareAt = minutesAgo(50), phoneAt = minutesAgo(40);
  assert.equal((await call('sc1', 'POST', '/incidents/phone', { agencyOid: AGENCY, title: '斷網', level: 1, awareAt, phoneAt })).status, 404, 'only the centre records phone reports');
  const bad = await call('centre1', 'POST', '/incidents/phone', { agencyOid: AGENCY, title: '斷網', level: 1, awareAt: phoneAt, phoneAt: awareAt });
  assert.equal(bad.status, 422, 'a call before the awareness is refused');
  const r = await call('centre1', 'POST', '/incidents/phone', { agencyOid: AGENCY, title: '機房斷電，電話通報', level: 1, awareAt, phoneAt });
  assert.equal(r.status, 201);
  const id = r.body.id as number;
  let d = await call('sc1', 'GET', `/incidents/${id}`);
  assert.equal(d.body.backfillPending, true);
  assert.equal(new Date(d.body.reportedAt).getTime(), new Date(phoneAt).getTime(), 'reported at the time of the call');
  assert.deepEqual(d.body.events.find((e: { kind: string }) => e.kind === 'phone_reported').met, ['tw-cs/report']);
  t.clock.advance(3 * 60 * MINUTE);
  assert.equal((await call('sc2', 'POST', `/incidents/${id}/backfill`, { title: '機房斷電', description: '供電中斷 30 分鐘', contactName: '王小華', contactPhone: '04-1' })).status, 200);
  assert.equal((await call('sc2', 'POST', `/incidents/${id}/backfill`, { title: '機房斷電', description: 'x', contactName: 'x', contactPhone: 'x' })).status, 409, 'back-filled once');
  d = await call('sc1', 'GET', `/incidents/${id}`);
  assert.equal(d.body.backfillPending, false);
  const phone = d.body.events.find((e: { kind: string }) => e.kind === 'phone_reported');
  const filled = d.body.events.find((e: { kind: string }) => e.kind === 'backfilled');
  assert.equal(new Date(phone.at).getTime(), new Date(phoneAt).getTime(), 'the phone time is kept');
  assert.equal(new Date(filled.at).getTime(), t.clock.now().getTime(), 'and the back-fill time added');
  assert.deepEqual(filled.met, ['tw-cs/backfill']);
  // Re-report at level 2 with a reason: the history keeps both levels; the review clock follows the level.
  assert.equal((await call('sc1', 'POST', `/incidents/${id}/level`, { level: 2 })).status, 422, 'a reason is required');
  assert.equal((await call('sc1', 'POST', `/incidents/${id}/level`, { level: 2, reason: '影響範圍擴大' })).status, 200);
  d = await call('sc1', 'GET', `/incidents/${id}`);
  assert.equal(d.body.level, 2);
  const changed = d.body.events.find((e: { kind: string }) => e.kind === 'level_changed');
  assert.equal(changed.level, 2);
  assert.equal(changed.reason, '影響範圍擴大');
  assert.equal(d.body.events.find((e: { kind: string }) => e.kind === 'phone_reported').level, 1, 'the first level stays in the history');
});
