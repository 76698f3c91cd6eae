// INC-9, INC-2 through the JSON API and the pages, injected clock, real database, real SMTP receiver:
// an agency chooses GDPR or NIS2 besides tw-cs only where the central authority allowed it; GDPR on
// the report runs its 72 h clock from awareness; the steps an optional profile counts are recorded
// once; a report affecting critical infrastructure sends the horizontal notice to each affected
// group's configured recipients through the outbox, once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, type TestApp } from '../helpers/app.ts';
import { startSmtp, type TestSmtp } from '../helpers/mail.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { apiToken } from '../helpers/api.ts';
import { giveRoles } from '../helpers/factories.ts';
import { AGENCY, SIBLING, PARENT, caller } from '../helpers/matrix.ts';
import { MINUTE } from '../../src/platform/clock.ts';

const PASSWORD = 'Correct-Horse-9';
const H = 60 * MINUTE;
let t: TestApp, smtp: TestSmtp;
const clients: Record<string, Client> = {};
const tokens: Record<string, string> = {};
let call: ReturnType<typeof caller>;
const json = async (who: string, method: string, path: string, body?: unknown) => {
  const r = await call(who, method, '/api/v1' + path, body as Record<string, string>);
  return { status: r.status, body: r.text ? JSON.parse(r.text) : null, text: r.text };
};
const base = () => ({ description: '說明', level: 2, awareAt: new Date(t.clock.now().getTime() - 10 * MINUTE).toISOString(), contactName: '聯絡人', contactPhone: '04-1234567', submit: true });
const clocksOf = async (id: number) => (await json('prsc1', 'GET', `/incidents/${id}`)).body.clocks.map((c: { profileId: string; ruleId: string; state: string }) => `${c.profileId}/${c.ruleId}:${c.state}`);

before(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url, TESSERA_OUTBOX_POLL_MS: '100', TESSERA_INCIDENT_CI_RECIPIENTS: 'energy=ci-energy@example.gov.tw;water=ci-water1@example.gov.tw,ci-water2@example.gov.tw' } });
  tokens[ADMIN_USERNAME] = await apiToken(t, ADMIN_USERNAME);
  const people = { prsc1: [AGENCY, 'incident_security_contact'], prsib1: [SIBLING, 'incident_security_contact'], prrev1: [PARENT, 'incident_reviewer'] } as const;
  for (const [u, [unit, role]] of Object.entries(people)) {
    const id = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: unit, name: `規範${u}`, profile: { email: `${u}@example.gov.tw` } });
    await giveRoles(t.deps, id, role);
    tokens[u] = await apiToken(t, u);
    clients[u] = new Client(t.url);
    assert.equal((await login(t, clients[u], u, PASSWORD)).status, 303);
  }
  call = caller(t, clients, tokens);
});
after(async () => { await t?.close(); await smtp?.close(); });

let gdpr = 0;
test('INC-9: GDPR or NIS2 only where the central authority allowed it; GDPR on the report runs 72 h from awareness', async () => {
  const before = await t.deps.db.selectFrom('incidents').select('id').execute();
  const refused = await json('prsc1', 'POST', '/incidents', { agencyOid: AGENCY, title: '個資外洩', profiles: ['gdpr-art33'], ...base() });
  assert.equal(refused.status, 422, 'not allowed yet');
  assert.deepEqual(await t.deps.db.selectFrom('incidents').select('id').execute(), before, 'nothing stored');
  assert.equal((await json('prrev1', 'PUT', `/incidents/authorities/${AGENCY}/profiles`, { profiles: ['gdpr-art33'] })).status, 404, 'only the central authority allows');
  assert.equal((await json(ADMIN_USERNAME, 'PUT', `/incidents/authorities/${AGENCY}/profiles`, { profiles: ['gdpr-art33', 'nis2-art23'] })).status, 200);
  const r = await json('prsc1', 'POST', '/incidents', { agencyOid: AGENCY, title: '個資外洩', profiles: ['gdpr-art33'], ...base() });
  assert.equal(r.status, 201, r.text);
  gdpr = r.body.id;
  const d = (await json('prsc1', 'GET', `/incidents/${gdpr}`)).body;
  assert.deepEqual(d.profiles, ['tw-cs', 'gdpr-art33']);
  const g = d.clocks.find((c: { profileId: string }) => c.profileId === 'gdpr-art33');
  assert.equal(g.dueAt, new Date(new Date(d.awareAt).getTime() + 72 * H).toISOString(), '72 h from awareness');
  assert.ok(d.clocks.some((c: { ruleId: string }) => c.ruleId === 'review'), 'tw-cs still runs');
  assert.equal((await json('prsib1', 'POST', '/incidents', { agencyOid: SIBLING, title: 'x', profiles: ['nis2-art23'], ...base() })).status, 422, 'another agency is not allowed');
});

test('INC-9: the steps an optional profile counts are recorded once, late ones with a reason; choosing NIS2 later adds its clocks', async () => {
  assert.equal((await json('prsc1', 'POST', `/incidents/${gdpr}/profile-step`, { kind: 'early_warning_sent' })).status, 409, 'NIS2 is not chosen');
  assert.equal((await json('prrev1', 'POST', `/incidents/${gdpr}/profile-step`, { kind: 'supervisory_authority_notified' })).status, 404, 'the agency records it');
  t.clock.advance(73 * H);
  const late = await json('prsc1', 'POST', `/incidents/${gdpr}/profile-step`, { kind: 'supervisory_authority_notified' });
  assert.equal(late.status, 422, 'GDPR: reasons for the delay');
  assert.ok(late.body.errors.lateReason);
  assert.equal((await json('prsc1', 'POST', `/incidents/${gdpr}/profile-step`, { kind: 'supervisory_authority_notified', lateReason: '等待鑑識確認範圍' })).status, 200);
  assert.ok((await clocksOf(gdpr)).includes('gdpr-art33/notify-authority:late'));
  assert.equal((await json('prsc1', 'POST', `/incidents/${gdpr}/profile-step`, { kind: 'supervisory_authority_notified' })).status, 409, 'once');
  assert.equal((await json('prsc1', 'POST', `/incidents/${gdpr}/profiles`, { profiles: ['gdpr-art33', 'nis2-art23'] })).status, 200);
  const c = await clocksOf(gdpr);
  assert.ok(c.includes('nis2-art23/early-warning:overdue'), 'NIS2 counts from awareness too');
  assert.ok(c.includes('gdpr-art33/notify-authority:late'), 'the GDPR record stays');
  assert.equal((await json('prsib1', 'POST', `/incidents/${gdpr}/profiles`, { profiles: [] })).status, 404, 'another agency');
});

test('INC-2: critical infrastructure affected → the horizontal notice to each group\'s configured recipients, once, on submission only', async () => {
  clients.prsc1 = new Client(t.url); // the clock moved past the idle timeout
  assert.equal((await login(t, clients.prsc1, 'prsc1', PASSWORD)).status, 303);
  const draft = await json('prsc1', 'POST', '/incidents', { agencyOid: AGENCY, title: '變電所控制系統異常', ...base(), submit: false, criticalInfrastructure: true, ciGroups: ['energy', 'water'] });
  assert.equal(draft.status, 201);
  assert.equal(smtp.received.filter((m) => /關鍵基礎設施橫向通報/.test(m.subject)).length, 0, 'a draft tells nobody');
  assert.equal((await call('prsc1', 'POST', `/incidents/${draft.body.id}/submit`, { lateReason: '' })).status, 303);
  for (const to of ['ci-energy@example.gov.tw', 'ci-water1@example.gov.tw', 'ci-water2@example.gov.tw']) {
    await smtp.waitFor((m) => m.to.includes(to) && /關鍵基礎設施橫向通報/.test(m.subject) && m.text.includes('變電所控制系統異常'));
  }
  const d = (await json('prsc1', 'GET', `/incidents/${draft.body.id}`)).body;
  assert.deepEqual(d.criticalInfrastructureGroups, ['energy', 'water']);
  assert.equal(d.events.filter((e: { kind: string }) => e.kind === 'ci_notified').length, 1);
  const other = await json('prsc1', 'POST', '/incidents', { agencyOid: AGENCY, title: '一般事件', ...base(), ciGroups: ['energy'] });
  assert.equal(other.status, 201);
  assert.ok(!(await json('prsc1', 'GET', `/incidents/${other.body.id}`)).body.events.some((e: { kind: string }) => e.kind === 'ci_notified'), 'not without "critical infrastructure affected"');
  const page = await call('prsc1', 'GET', `/incidents/${draft.body.id}`);
  assert.match(page.text, /關鍵基礎設施橫向通報/, 'on the timeline');
  assert.match(page.text, /name="profiles" value="gdpr-art33"/, 'the agency may choose the allowed profiles on the page');
  assert.equal(smtp.received.filter((m) => /關鍵基礎設施橫向通報/.test(m.subject)).length, 3, 'once each');
});
