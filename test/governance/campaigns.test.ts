// GOV-3, GOV-4 account-review campaigns (issue 14), through the JSON API with the injected clock and
// a real database: a definition per jurisdiction; a run (by "start now" and by the campaigns.generate
// job, once per slot) snapshots the accounts of the scope with their roles, grants and last sign-ins
// and a recommendation from the inactivity policy; the items are the reviewer's jurisdiction in SQL
// (a sibling agency's reviewer sees none, a look-alike OID prefix is excluded); decisions in bulk by
// filter and one by one; a reason is demanded to keep an inactive account; the sign-off refuses a
// wrong password, freezes the run (409 afterwards) and carries the decisions out through the
// administrators' use cases (audited); the report CSV lists the decisions, is formula-safe, and its
// SHA-256 is in the audit trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startTestApp, ADMIN_USERNAME, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { apiToken, jsonCall } from '../helpers/api.ts';
import { giveRoles } from '../helpers/factories.ts';
import { AGENCY, SIBLING, CHILD, LOOK_ALIKE } from '../helpers/matrix.ts';
import { DAY, HOUR } from '../../src/platform/clock.ts';
import { importOrgs } from '../../src/orgs/service.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { runDueJobs } from '../../src/governance/jobs/scheduler.ts';
import { jobNamed } from '../../src/governance/jobs/table.ts';
import { campaignCommand } from '../../src/governance/campaigns/cli.ts';
import { compact, extractPdfText } from '../helpers/pdf-text.ts';

const PASSWORD = 'Correct-Horse-9';
const T0 = new Date('2026-06-01T02:00:00Z');
let t: TestApp;
const ids: Record<string, number> = {};

/** Accounts of the registry: unit, and whether they signed in recently (5 days before the run). */
const ACCOUNTS = {
  recent01: { unit: CHILD, recent: true },
  recent02: { unit: CHILD + '.20033', recent: true },
  idle0001: { unit: CHILD, recent: false },
  idle0002: { unit: CHILD + '.20033', recent: false },
  idle0003: { unit: AGENCY, recent: false },
  formula1: { unit: CHILD, recent: true, name: '=HYPERLINK("http://x.example","y")' },
  lookalk1: { unit: LOOK_ALIKE + '.20002', recent: false },
  sibling1: { unit: SIBLING, recent: false },
} as const;
type Who = 'raagency1' | 'rasibling' | 'ralookalk' | 'hdagency1' | typeof ADMIN_USERNAME;
const ADMINS = { raagency1: AGENCY, rasibling: SIBLING, ralookalk: LOOK_ALIKE } as const;

before(async () => {
  t = await startTestApp();
  t.clock.set(T0);
  const r = await importOrgs(t.deps, null, `oid,name,agency_code,tenant_code,kind\n${LOOK_ALIKE},相似前綴機關（範例）,,,agency\n${LOOK_ALIKE}.20002,相似前綴單位（範例）,,,unit\n`, { dryRun: false });
  assert.deepEqual(r.errors, []);
  for (const [u, a] of Object.entries(ACCOUNTS)) {
    ids[u] = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: a.unit, name: 'name' in a ? a.name : `清查${u}`, profile: { email: `${u}@example.gov.tw` } });
    await giveRoles(t.deps, ids[u], 'csm_user');
  }
  for (const [u, oid] of Object.entries(ADMINS)) {
    ids[u] = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: '2.16.886.101', name: `管理${u}` });
    await createGrant(t.deps, null, { accountId: ids[u], kind: 'registration_admin', jurisdictionOid: oid, categories: ['csm'] }, null);
  }
  ids.hdagency1 = await createAccount(t.deps, { username: 'hdagency1', password: PASSWORD, unitOid: '2.16.886.101', name: '客服hdagency1' });
  await createGrant(t.deps, null, { accountId: ids.hdagency1, kind: 'helpdesk', jurisdictionOid: AGENCY, categories: [] }, null);
  // 100 days later; the recent ones signed in 5 days before that.
  t.clock.set(new Date(T0.getTime() + 100 * DAY));
  const recent = Object.entries(ACCOUNTS).filter(([, a]) => a.recent).map(([u]) => ids[u]);
  await t.deps.db.updateTable('accounts').set({ last_password_login_at: new Date(T0.getTime() + 95 * DAY), activated_at: T0 }).where('id', 'in', recent).execute();
});
after(async () => { await t?.close(); });

/** One API call as `who`, with a token made now (the clock moves across token lifetimes). */
const as = async (who: Who, method: string, path: string, body?: unknown) => jsonCall(t, await apiToken(t, who), method, '/api/v1' + path, body);
const state = async (u: string) => (await t.deps.db.selectFrom('accounts').select('state').where('id', '=', ids[u]).executeTakeFirstOrThrow()).state;
const mine = (items: { username: string }[]) => items.map((i) => i.username).filter((u) => u in ACCOUNTS).sort();

let defId = 0;
let runId = 0;

test('GOV-3: an administrator defines a review of a subtree of their jurisdiction; outside it, or a helpdesk, is refused', async () => {
  const body = { name: '114 年上半年帳號清查', scopeOid: AGENCY, recurrence: 'half_yearly', deadlineDays: 14, defaultAction: 'recommendation' };
  const r = await as('raagency1', 'POST', '/campaigns', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  defId = r.body.id;
  assert.equal((await as('raagency1', 'POST', '/campaigns', { ...body, scopeOid: SIBLING })).status, 422, 'a sibling subtree');
  assert.equal((await as('ralookalk', 'POST', '/campaigns', body)).status, 422, 'the look-alike prefix does not cover the agency');
  assert.equal((await as('hdagency1', 'POST', '/campaigns', body)).status, 404, 'the help desk changes nothing, so defines nothing');
  assert.equal((await as('raagency1', 'POST', '/campaigns', { ...body, systemCode: 'nosuchsys' })).status, 422);
  assert.equal((await as('raagency1', 'POST', '/campaigns', { ...body, deadlineDays: 0 })).status, 400, 'declared bounds');
  const list = await as('raagency1', 'GET', '/campaigns');
  assert.deepEqual(list.body.definitions.map((d: { id: number }) => d.id), [defId]);
  assert.deepEqual((await as('rasibling', 'GET', '/campaigns')).body.definitions, [], 'a sibling sees no definition of the agency');
});

test('GOV-3: "start now" snapshots every account of the scope with roles, grants and last sign-ins, and recommends disabling the inactive ones (SQL scope: no look-alike, no sibling)', async () => {
  const r = await as('raagency1', 'POST', `/campaigns/${defId}/runs`);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  runId = r.body.runId;
  const items = await as('raagency1', 'GET', `/campaigns/runs/${runId}/items?pageSize=100`);
  assert.equal(items.status, 200);
  assert.deepEqual(mine(items.body.items), ['formula1', 'idle0001', 'idle0002', 'idle0003', 'recent01', 'recent02']);
  const byName = Object.fromEntries(items.body.items.map((i: { username: string }) => [i.username, i]));
  assert.equal(byName.idle0001.recommendation, 'disable');
  assert.equal(byName.idle0001.inactive, true);
  assert.equal(byName.recent01.recommendation, 'keep');
  assert.deepEqual(byName.recent01.roles, ['csm_user']);
  assert.equal(byName.recent01.lastPasswordAt, new Date(T0.getTime() + 95 * DAY).toISOString());
  assert.deepEqual(items.body.progress, { decided: 0, total: items.body.total });
  const rec = await as('raagency1', 'GET', `/campaigns/runs/${runId}/items?recommendation=disable&pageSize=100`);
  assert.deepEqual(mine(rec.body.items), ['idle0001', 'idle0002', 'idle0003']);
  const unit = await as('raagency1', 'GET', `/campaigns/runs/${runId}/items?unit=${CHILD}.20033`);
  assert.deepEqual(mine(unit.body.items), ['idle0002', 'recent02']);
});

test('GOV-3: a sibling agency\'s reviewer and the look-alike prefix see none of the run: not found everywhere, nothing changes', async () => {
  for (const who of ['rasibling', 'ralookalk'] as const) {
    assert.equal((await as(who, 'GET', `/campaigns/runs/${runId}`)).status, 404, who);
    assert.equal((await as(who, 'GET', `/campaigns/runs/${runId}/items`)).status, 404, who);
    assert.equal((await as(who, 'POST', `/campaigns/runs/${runId}/decisions`, { decision: 'disable', filter: {} })).status, 404, who);
    assert.equal((await as(who, 'POST', `/campaigns/runs/${runId}/sign-off`, { password: PASSWORD })).status, 404, who);
    assert.equal((await as(who, 'GET', `/campaigns/runs/${runId}/report.csv`)).status, 404, who);
    assert.equal((await as(who, 'POST', `/campaigns/${defId}/runs`)).status, 404, who);
  }
  // The help desk of the agency may look (account.view) but not decide (account.state).
  assert.equal((await as('hdagency1', 'GET', `/campaigns/runs/${runId}/items`)).status, 200);
  assert.equal((await as('hdagency1', 'POST', `/campaigns/runs/${runId}/decisions`, { decision: 'disable', filter: {} })).status, 404);
  const p = await as('raagency1', 'GET', `/campaigns/runs/${runId}`);
  assert.equal(p.body.progress.decided, 0);
});

test('GOV-3: a bulk decision by filter decides exactly the matching items; keeping an inactive account demands a reason', async () => {
  const refused = await as('raagency1', 'POST', `/campaigns/runs/${runId}/decisions`, { decision: 'keep', accountIds: [ids.idle0003] });
  assert.equal(refused.status, 422);
  assert.match(refused.body.message, /理由/);
  const bulkKeep = await as('raagency1', 'POST', `/campaigns/runs/${runId}/decisions`, { decision: 'keep', filter: { unit: CHILD } });
  assert.equal(bulkKeep.status, 422, 'the filter holds inactive accounts: no reason, nothing kept');
  assert.equal((await as('raagency1', 'GET', `/campaigns/runs/${runId}`)).body.progress.decided, 0, 'nothing was decided by the refused calls');

  const bulk = await as('raagency1', 'POST', `/campaigns/runs/${runId}/decisions`, { decision: 'disable', filter: { recommendation: 'disable', inactiveDays: 90 } });
  assert.equal(bulk.status, 200, JSON.stringify(bulk.body));
  assert.equal(bulk.body.decided, 3);
  const kept = await as('raagency1', 'POST', `/campaigns/runs/${runId}/decisions`, { decision: 'keep', accountIds: [ids.idle0003], reason: '留職停薪，明年復職' });
  assert.equal(kept.status, 200);
  assert.equal((await as('raagency1', 'POST', `/campaigns/runs/${runId}/decisions`, { decision: 'delete', accountIds: [ids.idle0002] })).status, 200);
  assert.equal((await as('raagency1', 'POST', `/campaigns/runs/${runId}/decisions`, { decision: 'remove_role', role: 'csm_user', accountIds: [ids.recent02] })).status, 200);
  assert.equal((await as('raagency1', 'POST', `/campaigns/runs/${runId}/decisions`, { decision: 'keep', accountIds: [ids.sibling1] })).status, 404, 'an item outside the run and the jurisdiction');
  const undecided = await as('raagency1', 'GET', `/campaigns/runs/${runId}/items?undecided=true`);
  assert.deepEqual(mine(undecided.body.items), ['formula1', 'recent01']);
  assert.deepEqual(undecided.body.progress, { decided: 4, total: 6 });
});

test('GOV-3: a wrong password does not sign; the right one freezes the decisions and carries them out through the administrators\' use cases, audited', async () => {
  const wrong = await as('raagency1', 'POST', `/campaigns/runs/${runId}/sign-off`, { password: 'not-the-password' });
  assert.equal(wrong.status, 422);
  assert.equal((await as('raagency1', 'GET', `/campaigns/runs/${runId}`)).body.state, 'open');
  assert.equal(await state('idle0001'), 'enabled');
  assert.equal((await as('hdagency1', 'POST', `/campaigns/runs/${runId}/sign-off`, { password: PASSWORD })).status, 403, 'the help desk cannot sign');

  const ok = await as('raagency1', 'POST', `/campaigns/runs/${runId}/sign-off`, { password: PASSWORD });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.deepEqual(ok.body.executed, { disabled: 1, deleted: 1, role_removed: 1, unchanged: 3 });
  assert.equal(await state('idle0001'), 'disabled');
  assert.equal(await state('idle0002'), 'deleted');
  assert.equal(await state('idle0003'), 'enabled', 'kept, with a reason');
  assert.equal(await state('recent01'), 'enabled', 'unanswered, recommendation keep');
  assert.equal(await state('lookalk1'), 'enabled');
  assert.equal(await state('sibling1'), 'enabled');
  const roles = await t.deps.db.selectFrom('role_grants').select('role_code').where('account_id', '=', ids.recent02).execute();
  assert.deepEqual(roles, []);
  const events = await t.deps.db.selectFrom('audit_events').select(['action', 'actor_account_id', 'target_id', 'details']).where('at', '>=', t.clock.now()).execute();
  const disabled = events.find((e) => e.action === 'account.state' && e.target_id === String(ids.idle0001));
  assert.ok(disabled, 'the disabling is audited by the admin use case');
  assert.equal(Number(disabled.actor_account_id), ids.raagency1);
  assert.ok(events.some((e) => e.action === 'account.delete' && e.target_id === String(ids.idle0002)));
  assert.ok(events.some((e) => e.action === 'role.set' && e.target_id === String(ids.recent02)));
  const signed = events.find((e) => e.action === 'campaign.signoff' && (e.details as { method?: string }).method === 'password');
  assert.ok(signed);
  const run = await as('raagency1', 'GET', `/campaigns/runs/${runId}`);
  assert.equal(run.body.state, 'executed');
  assert.equal(run.body.signMethod, 'password');

  const after = await as('raagency1', 'POST', `/campaigns/runs/${runId}/decisions`, { decision: 'keep', accountIds: [ids.recent01] });
  assert.equal(after.status, 409, 'no decision after the sign-off');
  assert.equal((await as('raagency1', 'POST', `/campaigns/runs/${runId}/sign-off`, { password: PASSWORD })).status, 409, 'signed once');
});

test('GOV-4: the report CSV lists every decision and outcome, formula-safe, and its SHA-256 is in the audit trail', async () => {
  const token = await apiToken(t, 'raagency1');
  const r = await fetch(`${t.url}/api/v1/campaigns/runs/${runId}/report.csv`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  const bytes = Buffer.from(await r.arrayBuffer()); // text() would drop the BOM the hash covers
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  const csv = bytes.toString('utf8');
  assert.equal(r.headers.get('x-report-sha256'), sha);
  const lines = csv.split('\n');
  const line = (u: string) => lines.find((l) => l.startsWith(u + ','))!;
  assert.match(line('idle0001'), /,disable,.*,disabled,,,\r?$/, 'no attestation asked: the last three columns are empty');
  assert.match(line('idle0002'), /,delete,.*,deleted,/);
  assert.match(line('idle0003'), /留職停薪，明年復職/);
  assert.match(line('recent01'), /default: unchanged/);
  assert.ok(lines.some((l) => l.includes(`"'=HYPERLINK`) || l.includes(`'=HYPERLINK`)), 'the formula is neutralised');
  assert.ok(!lines.some((l) => l.startsWith('lookalk1') || l.startsWith('sibling1')));
  const ev = await t.deps.db.selectFrom('audit_events').select('details').where('action', '=', 'campaign.execute').where('target_id', '=', String(runId)).executeTakeFirstOrThrow();
  assert.equal((ev.details as { reportSha256: string }).reportSha256, sha);
});

test('GOV-4: the signed report and the D-06-20 form are PDFs in Traditional Chinese listing the decisions; their SHA-256 is in the header and the audit trail', async () => {
  const token = await apiToken(t, 'raagency1');
  const ev = await t.deps.db.selectFrom('audit_events').select('details').where('action', '=', 'campaign.execute').where('target_id', '=', String(runId)).executeTakeFirstOrThrow();
  const details = ev.details as { reportPdfSha256: string; formPdfSha256: string };
  const texts: Record<string, string> = {};
  for (const [which, key] of [['report', 'reportPdfSha256'], ['form', 'formPdfSha256']] as const) {
    const r = await fetch(`${t.url}/api/v1/campaigns/runs/${runId}/${which}.pdf`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 200, which);
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    const bytes = Buffer.from(await r.arrayBuffer());
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    assert.equal(r.headers.get('x-report-sha256'), sha, which);
    assert.equal(details[key], sha, `${which}: the audit trail holds the hash of the file served`);
    texts[which] = compact(await extractPdfText(bytes));
  }
  const report = texts.report;
  assert.match(report, /帳號清查報告：114年上半年帳號清查/);
  assert.match(report, /管理raagency1（密碼確認）/, 'the signer and the method');
  assert.match(report, /idle0001.*停用.*已停用/);
  assert.match(report, /idle0002.*刪除.*已刪除/);
  assert.match(report, /留職停薪，明年復職/);
  assert.match(report, /recent01.*未審查（預設：不變更）/);
  assert.ok(!report.includes('lookalk1') && !report.includes('sibling1'), 'nothing outside the scope');
  assert.match(texts.form, /D-06-20商工e網通業務帳號清查單/);
  assert.match(texts.form, /業務帳號註冊管理者確認簽名：管理raagency1/);
  const run = await as('raagency1', 'GET', `/campaigns/runs/${runId}`);
  assert.deepEqual(run.body.execution, { done: 6, total: 6 });
  assert.equal((await as('rasibling', 'GET', `/campaigns/runs/${runId}/report.pdf`)).status, 404, 'outside the jurisdiction');
});

test('GOV-3: the campaigns.generate job starts a scheduled review once per slot, and the next one a period later', async () => {
  const def = await as('rasibling', 'POST', '/campaigns', { name: '每季清查', scopeOid: SIBLING, recurrence: 'quarterly', deadlineDays: 7, defaultAction: 'no_change' });
  assert.equal(def.status, 201);
  const job = jobNamed('campaigns.generate')!;
  const first = await runDueJobs(t.deps, [job], 'instance-a');
  assert.equal(first[0]?.counts?.started, 1);
  assert.deepEqual(await runDueJobs(t.deps, [job], 'instance-b'), [], 'the slot is done: the other instance runs nothing');
  t.clock.set(new Date(t.clock.now().getTime() + HOUR));
  assert.equal((await runDueJobs(t.deps, [job], 'instance-b'))[0]?.counts?.started, 0, 'the next hour starts nothing: the review recurs in three months');
  const list = await as('rasibling', 'GET', '/campaigns');
  assert.equal(list.body.runs.length, 1);
  assert.equal(list.body.runs[0].itemCount, 1, 'the sibling agency\'s one account');
  assert.ok(new Date(list.body.definitions[0].nextRunAt).getTime() > t.clock.now().getTime() + 80 * DAY);
  assert.deepEqual((await as('raagency1', 'GET', '/campaigns')).body.runs.map((r: { id: number }) => r.id), [runId], 'the agency does not see the sibling\'s run');
});

test('GOV-3, GOV-4: `tessera campaign status|report|start` — progress, the stored report with its hash, within --as U\'s jurisdiction', async () => {
  const io = () => { const o = { out: '', err: '' }; return { o, io: { out: (s: string) => { o.out += s; }, err: (s: string) => { o.err += s; } } }; };
  const a = io();
  assert.equal(await campaignCommand(t.deps, 'status', ['--run', String(runId), '--as', 'raagency1'], a.io), 0);
  assert.match(a.o.out, /executed, 4\/6 decided/);
  const b = io();
  assert.equal(await campaignCommand(t.deps, 'report', ['--run', String(runId)], b.io), 0);
  const sha = crypto.createHash('sha256').update(b.o.out, 'utf8').digest('hex');
  assert.equal(b.o.err.trim(), `sha256 ${sha}`);
  assert.match(b.o.out, /idle0001/);
  const c = io();
  assert.equal(await campaignCommand(t.deps, 'report', ['--run', String(runId), '--as', 'rasibling'], c.io), 1, 'outside the jurisdiction');
  assert.equal(c.o.out, '');
  const d = io();
  assert.equal(await campaignCommand(t.deps, 'start', ['--definition', String(defId), '--as', 'raagency1'], d.io), 0);
  assert.match(d.o.out, /review run \d+ started: 5 accounts/, 'the deleted account is no longer in scope; the disabled one still is');
  assert.equal(await campaignCommand(t.deps, 'start', ['--definition', 'x'], io().io), 2);
});

test('GOV-3, GOV-5: the job reminds the reviewers before the deadline and escalates an overdue review to the parent jurisdiction\'s administrators, each once, through the outbox', async () => {
  const parent = '2.16.886.101.90029';
  ids.raparent9 = await createAccount(t.deps, { username: 'raparent9', password: PASSWORD, unitOid: '2.16.886.101', name: '上級管理者', profile: { email: 'raparent9@example.gov.tw' } });
  await createGrant(t.deps, null, { accountId: ids.raparent9, kind: 'registration_admin', jurisdictionOid: parent, categories: ['csm'] }, null);
  await t.deps.db.updateTable('accounts').set({ email: 'rasibling@example.gov.tw' }).where('id', '=', ids.rasibling).execute();
  const run = await t.deps.db.selectFrom('campaign_runs').select(['id', 'deadline_at']).where('scope_oid', '=', SIBLING).executeTakeFirstOrThrow();
  const mails = async (to: string, subject: RegExp) => (await t.deps.db.selectFrom('outbox').select(['subject', 'body_text']).where('recipient', '=', to).execute()).filter((m) => subject.test(m.subject));
  const job = async () => (await runDueJobs(t.deps, [jobNamed('campaigns.generate')!], 'instance-a'))[0]?.counts;

  t.clock.set(new Date(run.deadline_at.getTime() - 4 * DAY));
  await job();
  assert.equal((await mails('rasibling@example.gov.tw', /即將到期/)).length, 0, 'not yet: 3 days before');
  t.clock.set(new Date(run.deadline_at.getTime() - 2 * DAY));
  await job();
  const reminders = await mails('rasibling@example.gov.tw', /即將到期/);
  assert.equal(reminders.length, 1);
  assert.match(reminders[0].body_text, /已審查 0 \/ 1 筆/);
  assert.equal((await mails('raparent9@example.gov.tw', /即將到期/)).length, 0, 'the parent is not reminded');
  t.clock.set(new Date(run.deadline_at.getTime() - 2 * DAY + HOUR));
  await job();
  assert.equal((await mails('rasibling@example.gov.tw', /即將到期/)).length, 1, 'once');

  t.clock.set(new Date(run.deadline_at.getTime() + HOUR));
  await job();
  assert.equal((await mails('raparent9@example.gov.tw', /逾期未完成/)).length, 1, 'escalated to the parent jurisdiction');
  assert.equal((await mails('rasibling@example.gov.tw', /逾期未完成/)).length, 0);
  t.clock.set(new Date(run.deadline_at.getTime() + 2 * HOUR));
  await job();
  assert.equal((await mails('raparent9@example.gov.tw', /逾期未完成/)).length, 1, 'once');
});

test('GOV-3, OPS-7: a signed review held by an instance that died is taken over by the campaigns.execute job once its lease lapses, resumes where it stopped, and shows its progress', async () => {
  const run = await t.deps.db.selectFrom('campaign_runs').select(['id', 'item_count']).where('definition_id', '=', defId).where('state', '=', 'open').executeTakeFirstOrThrow();
  const id = Number(run.id);
  assert.equal((await as('raagency1', 'POST', `/campaigns/runs/${id}/decisions`, { decision: 'disable', accountIds: [ids.recent01] })).status, 200);
  assert.equal((await as('raagency1', 'POST', `/campaigns/runs/${id}/decisions`, { decision: 'disable', accountIds: [ids.formula1] })).status, 200);
  // What a killed instance leaves: its lease on the run, one item carried out (recent01), the rest not.
  const now = t.clock.now();
  await t.deps.db.updateTable('campaign_runs').set({ execute_instance: 'killed-instance', execute_lease_until: new Date(now.getTime() + 5 * 60_000), executed_items: 1 }).where('id', '=', id).execute();
  await t.deps.db.updateTable('accounts').set({ state: 'disabled' }).where('id', '=', ids.recent01).execute();
  await t.deps.db.updateTable('campaign_items').set({ outcome: 'disabled' }).where('run_id', '=', id).where('account_id', '=', ids.recent01).execute();

  const signed = await as('raagency1', 'POST', `/campaigns/runs/${id}/sign-off`, { password: PASSWORD });
  assert.equal(signed.status, 200, JSON.stringify(signed.body));
  assert.equal(signed.body.state, 'signed', 'the run is held by the other instance: frozen, not yet carried out');
  assert.deepEqual(signed.body.progress, { done: 1, total: run.item_count });
  assert.deepEqual((await as('raagency1', 'GET', `/campaigns/runs/${id}`)).body.execution, { done: 1, total: run.item_count });
  assert.equal(await state('formula1'), 'enabled');
  const job = () => runDueJobs(t.deps, [jobNamed('campaigns.execute')!], 'instance-b');
  assert.deepEqual((await job())[0]?.counts, { runs: 0, items: 0 }, 'the lease is still live: nothing is taken over');
  t.clock.set(new Date(now.getTime() + 6 * 60_000));
  assert.deepEqual((await job())[0]?.counts, { runs: 1, items: run.item_count }, 'the lapsed lease is taken over');
  assert.equal(await state('formula1'), 'disabled');
  const r = await as('raagency1', 'GET', `/campaigns/runs/${id}`);
  assert.equal(r.body.state, 'executed');
  assert.deepEqual(r.body.execution, { done: run.item_count, total: run.item_count });
  const events = await t.deps.db.selectFrom('audit_events').select(['action', 'target_id']).where('at', '>=', now).where('action', '=', 'account.state').execute();
  assert.ok(events.some((e) => e.target_id === String(ids.formula1)));
  assert.ok(events.some((e) => e.target_id === String(ids.idle0003)), 'unanswered and inactive: the definition\'s default (the recommendation)');
  assert.ok(!events.some((e) => e.target_id === String(ids.recent01)), 'the item the dead instance carried out is not carried out twice');
  assert.equal((await job()).length, 0, 'the minute is done');
});
