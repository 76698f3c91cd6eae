// Two approvers deciding the same step at once (REQ-4): exactly one decision counts, and the
// database is what enforces it — the conditional UPDATE that claims the step, and the unique
// (request_id, step_no) of request_decisions. On PostgreSQL the two HTTP decisions really run at
// the same time (one waits on the other's row lock, then finds the step taken); on PGlite they
// serialise. Either way: one 303/200, one 409 "already decided", one decision row, one effect, one mail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startSmtp, type TestSmtp } from '../helpers/mail.ts';
import { person, requestIdFrom, roles, requestRow, api, AGENCY, type Person } from '../helpers/requests.ts';
import { CSRF_COOKIE } from '../../src/platform/http/context.ts';
import { requestNumber } from '../../src/requests/format.ts';

let t: TestApp;
let smtp: TestSmtp;
let user: Person, adminA: Person, adminB: Person, supA: Person, supB: Person;

before(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url, TESSERA_OUTBOX_POLL_MS: '200' } });
  user = await person(t, { username: 'raceuser1', name: '賽跑者' });
  adminA = await person(t, { username: 'raceadmA1', name: '甲管理', unit: AGENCY, grants: [{ kind: 'registration_admin', oid: AGENCY, categories: ['*'] }] });
  adminB = await person(t, { username: 'raceadmB1', name: '乙管理', unit: AGENCY, grants: [{ kind: 'registration_admin', oid: AGENCY, categories: ['csm'] }] });
  supA = await person(t, { username: 'racesupA1', name: '甲主管', unit: AGENCY, grants: [{ kind: 'unit_supervisor', oid: AGENCY }] });
  supB = await person(t, { username: 'racesupB1', name: '乙主管', unit: AGENCY, grants: [{ kind: 'unit_supervisor', oid: AGENCY }] });
});
after(async () => { await t?.close(); await smtp?.close(); });

/** The decision form posted directly (both pages were loaded before either decided); a rejection as confirmed. */
function postDecision(p: Person, id: number, decision: string, comment: string, step: number) {
  const csrf = t.deps.keyring.mac('csrf', p.client.cookie(CSRF_COOKIE)!);
  return p.client.post(`/admin/requests/${id}/decision`, { _csrf: csrf, decision, comment, step: String(step), ...(decision === 'rejected' ? { confirm: 'reject' } : {}) });
}

const decisions = (id: number) => t.deps.db.selectFrom('request_decisions').selectAll().where('request_id', '=', id).execute();

test('REQ-4: two administrators accept and reject the same step at the same moment — exactly one decision counts (pages)', async () => {
  const roleCodes = ['csm_user', 'csm_admin', 'csm_fi'];
  for (const [i, role] of roleCodes.entries()) {
    const id = requestIdFrom(await user.client.submit('/requests/permissions', '/requests/permissions', { role, change: 'add' }));
    // Both have the 審查詳細資訊 page open.
    await Promise.all([adminA.client.get(`/admin/requests/${id}`), adminB.client.get(`/admin/requests/${id}`)]);
    const [a, b] = await Promise.all([postDecision(adminA, id, 'approved', `甲同意 ${i}`, 1), postDecision(adminB, id, 'rejected', `乙駁回 ${i}`, 1)]);
    const statuses = [a.status, b.status].sort();
    assert.deepEqual(statuses, [303, 409], `one wins, one is told: ${a.status} ${b.status}`);
    const loser = a.status === 409 ? a : b;
    assert.match(loser.body, /這個審核步驟已由其他審核者決定/);
    const rows = await decisions(id);
    assert.equal(rows.length, 1, 'one decision row');
    const won = a.status === 303 ? 'approved' : 'rejected';
    assert.equal(rows[0].decision, won);
    assert.equal(rows[0].decided_by, won === 'approved' ? adminA.id : adminB.id);
    const r = await requestRow(t, id);
    assert.equal(r.status, won === 'approved' ? 'completed' : 'rejected');
    assert.equal((await roles(t, user.id)).includes(role), won === 'approved', 'the effect matches the decision that counted');
    const audits = await t.deps.db.selectFrom('audit_events').select('action').where('target_type', '=', 'request').where('target_id', '=', String(id)).where('action', '=', 'request.decide').execute();
    assert.equal(audits.length, 1, 'one decision in the audit trail');
    await smtp.waitFor((m) => m.to === user.email && m.subject.includes(requestNumber(id)));
    await new Promise((res) => setTimeout(res, 300));
    assert.equal(smtp.received.filter((m) => m.to === user.email && m.subject.includes(requestNumber(id))).length, 1, 'one mail');
  }
});

test('REQ-4: two supervisors approve step 1 at once through the API — one counts; the request moves to step 2 once', async () => {
  const s = await api(t, user, 'POST', '', { type: 'one_day_password', reason: '未帶卡' });
  assert.equal(s.status, 201);
  const [a, b] = await Promise.all([
    api(t, supA, 'POST', `/${s.json.id}/decision`, { decision: 'approved', comment: '甲', step: 1 }),
    api(t, supB, 'POST', `/${s.json.id}/decision`, { decision: 'approved', comment: '乙', step: 1 }),
  ]);
  assert.deepEqual([a.status, b.status].sort(), [200, 409]);
  assert.equal((a.status === 409 ? a : b).json.error, 'request.alreadyDecided');
  const r = await requestRow(t, s.json.id);
  assert.deepEqual([r.status, r.step_no, r.step_kind], ['pending', 2, 'administrator']);
  assert.equal((await decisions(s.json.id)).length, 1);
});

test('REQ-4: the database itself refuses a second decision of the same step', async () => {
  const s = await api(t, user, 'POST', '', { type: 'permission_add', role: 'bms_user' });
  const row = { request_id: s.json.id, step_no: 1, step_kind: 'administrator', decision: 'approved', decided_by: adminA.id, decider_name: '甲管理', comment: '', decided_at: t.clock.now() };
  await t.deps.db.insertInto('request_decisions').values(row).execute();
  await assert.rejects(t.deps.db.insertInto('request_decisions').values({ ...row, decision: 'rejected', decided_by: adminB.id }).execute(), (e: { code?: string; constraint?: string }) => e.code === '23505' && e.constraint === 'request_decisions_one_per_step');
});
