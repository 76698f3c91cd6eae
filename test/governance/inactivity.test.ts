// GOV-2 inactivity (issue 14), through HTTP, the CLI and the scheduler, with the injected clock
// and a real database: accounts go inactive at the threshold and not a day before; they are
// noticed N days before, exactly once, with a list to their administrators; the `inactivity.sweep`
// job disables them where the policy says so (audited with reason 'inactivity', no actor, sessions
// ended) and not elsewhere, and does not overrule an administrator who enables one again; the list
// (page, API, CSV, CLI) is jurisdiction-scoped in SQL (a sibling agency sees none, a look-alike OID
// prefix is excluded); the CSV is formula-safe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { apiToken, apiWith } from '../helpers/api.ts';
import { AGENCY, SIBLING, CHILD, LOOK_ALIKE } from '../helpers/matrix.ts';
import { DAY, HOUR } from '../../src/platform/clock.ts';
import { importOrgs, setPolicy } from '../../src/orgs/service.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { loadActor } from '../../src/access/actor.ts';
import { findAccountByUsername } from '../../src/accounts/store.ts';
import { runDueJobs } from '../../src/governance/jobs/scheduler.ts';
import { jobNamed } from '../../src/governance/jobs/table.ts';
import { recentRuns } from '../../src/governance/jobs/store.ts';
import { inactivityCommand } from '../../src/governance/inactivity/cli.ts';

const PASSWORD = 'Correct-Horse-9';
const T0 = new Date('2026-11-25T02:00:00Z');
let t: TestApp;
const ids: Record<string, number> = {};

/** Accounts watched: where they are, and whether they sign in at T0. */
const WATCHED = {
  usedacct1: { unit: CHILD, signIn: true },
  neverused: { unit: CHILD, signIn: false },
  formula01: { unit: CHILD + '.20033', signIn: true, name: '=HYPERLINK("http://x.example","y")' },
  lookalike: { unit: LOOK_ALIKE + '.20002', signIn: true },
  sibling01: { unit: SIBLING, signIn: true },
} as const;
const ADMINS = { raagency1: AGENCY, rasibling: SIBLING, ralookalk: LOOK_ALIKE } as const;
type Admin = keyof typeof ADMINS;

before(async () => {
  t = await startTestApp();
  const r = await importOrgs(t.deps, null, `oid,name,agency_code,tenant_code,kind\n${LOOK_ALIKE},相似前綴機關（範例）,,,agency\n${LOOK_ALIKE}.20002,相似前綴單位（範例）,,,unit\n`, { dryRun: false });
  assert.deepEqual(r.errors, []);
  for (const [u, w] of Object.entries(WATCHED)) {
    ids[u] = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: w.unit, name: 'name' in w ? w.name : `閒置${u}`, profile: { email: `${u}@example.gov.tw` } });
    if (w.signIn) assert.equal((await login(t, new Client(t.url), u, PASSWORD)).status, 303);
  }
  ids.plainuser = await createAccount(t.deps, { username: 'plainuser', password: PASSWORD, unitOid: CHILD, name: '一般使用者' });
  for (const [u, oid] of Object.entries(ADMINS)) {
    ids[u] = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: '2.16.886.101', name: `管理${u}`, profile: { email: `${u}@example.gov.tw` } });
    await createGrant(t.deps, null, { accountId: ids[u], kind: 'registration_admin', jurisdictionOid: oid, categories: ['csm'] }, null);
  }
  // The agency's subtree disables automatically; the look-alike and the sibling keep the defaults (90 days, notice 14 days before).
  const central = await loadActor(t.deps, (await findAccountByUsername(t.deps.db, ADMIN_USERNAME))!.id);
  assert.ok((await setPolicy(t.deps, central, AGENCY, { 'inactivity.autoDisable': 'true' }, null)).ok);
  assert.deepEqual(await sweep(), [], 'the daily sweep is scheduled for 03:00 Taipei, not run at once');
});
after(async () => { await t?.close(); });

const at = (days: number, ms = 0) => t.clock.set(new Date(T0.getTime() + days * DAY + ms));
const sweep = (instance = 'instance-a') => runDueJobs(t.deps, [jobNamed('inactivity.sweep')!], instance);

/** The usernames the API lists to `who` now (a token made now: the clock moves across token lifetimes). */
async function listed(who: Admin | typeof ADMIN_USERNAME, query = ''): Promise<string[]> {
  const r = await apiWith(t, await apiToken(t, who))('GET', '/inactivity' + query);
  assert.equal(r.status, 200);
  const body = await r.json() as { total: number; items: { username: string }[] };
  assert.equal(body.total, body.items.length);
  return body.items.map((i) => i.username).filter((u) => u in WATCHED).sort();
}

/** Signed in on the pages now, with a password set now (the clock moves past the policy's maximum password age). */
async function signedIn(u: string): Promise<Client> {
  await t.deps.db.updateTable('passwords').set({ set_at: t.clock.now() }).where('account_id', '=', ids[u]).execute();
  const c = new Client(t.url);
  assert.equal((await login(t, c, u, PASSWORD)).status, 303, `${u} signs in`);
  return c;
}

const mailTo = async (to: string, subject: RegExp) => (await t.deps.db.selectFrom('outbox').select(['subject', 'body_text']).where('recipient', '=', to).execute())
  .filter((m) => subject.test(m.subject));
/** The notice to an account holder, and the list to an administrator. */
const noticesTo = (to: string) => mailTo(to, /帳號即將成為閒置帳號/);
const listsTo = (to: string) => mailTo(to, /閒置帳號預告/);
const state = async (u: string) => (await t.deps.db.selectFrom('accounts').select('state').where('id', '=', ids[u]).executeTakeFirstOrThrow()).state;

test('GOV-2: an account goes inactive at the threshold (90 days after its last sign-in or activation), not a day or a moment before', async () => {
  at(89);
  assert.deepEqual(await listed(ADMIN_USERNAME), []);
  at(90, -1);
  assert.deepEqual(await listed(ADMIN_USERNAME), [], 'not a moment before');
  at(90);
  assert.deepEqual(await listed(ADMIN_USERNAME), ['formula01', 'lookalike', 'neverused', 'sibling01', 'usedacct1']);
  const r = await apiWith(t, await apiToken(t, ADMIN_USERNAME))('GET', '/inactivity?used=never');
  const body = await r.json() as { items: { username: string; neverUsed: boolean; lastSignInAt: string | null; inactiveSince: string; autoDisable: boolean }[] };
  const never = body.items.find((i) => i.username === 'neverused')!;
  assert.equal(never.neverUsed, true);
  assert.equal(never.lastSignInAt, null);
  assert.equal(never.inactiveSince, new Date(T0.getTime() + 90 * DAY).toISOString());
  assert.equal(never.autoDisable, true);
  assert.ok(!body.items.some((i) => i.username === 'usedacct1'), '?used=never leaves out accounts that signed in');
});

test('GOV-2: the list is the caller\'s jurisdiction, in SQL: a sibling agency sees none of the agency\'s accounts, a look-alike prefix none either', async () => {
  at(90);
  assert.deepEqual(await listed('raagency1'), ['formula01', 'neverused', 'usedacct1']);
  assert.deepEqual(await listed('rasibling'), ['sibling01']);
  assert.deepEqual(await listed('ralookalk'), ['lookalike']);
  assert.deepEqual(await listed('raagency1', `?unit=${SIBLING}`), [], 'a unit outside the jurisdiction narrows to nothing');
  assert.deepEqual(await listed('raagency1', `?unit=${CHILD}.20033`), ['formula01']);
  // The page, signed in now, says the same.
  const c = await signedIn('rasibling');
  const page = await c.get('/admin/inactivity');
  assert.equal(page.status, 200);
  assert.deepEqual([...page.body.matchAll(/data-account="([^"]+)"/g)].map((m) => m[1]).filter((u) => u in WATCHED), ['sibling01']);
  assert.match(page.body, /共 \d+ 筆閒置帳號/);
  assert.equal((await c.get('/admin/inactivity?unit=1.2.x')).status, 400, 'a malformed unit is refused with the form');
  const home = await c.get('/admin');
  assert.match(home.body, /href="\/admin\/inactivity"/, 'linked from the administration home page');
  // A plain user (no grant) finds no such page or API.
  const plain = await signedIn('plainuser');
  assert.equal((await plain.get('/admin/inactivity')).status, 404);
  assert.equal((await apiWith(t, await apiToken(t, 'plainuser'))('GET', '/inactivity')).status, 404);
});

test('GOV-2: the CSV export is the jurisdiction\'s list, formula-safe', async () => {
  at(90);
  const c = await signedIn('raagency1');
  const r = await c.get('/admin/inactivity/export.csv');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /text\/csv/);
  assert.ok(r.body.includes(`"'=HYPERLINK(""http://x.example"",""y"")"`), 'the formula is neutralised with a leading quote');
  assert.ok(!/(^|,)=HYPERLINK/m.test(r.body));
  for (const u of ['usedacct1', 'neverused', 'formula01']) assert.ok(r.body.includes(u), u);
  for (const u of ['sibling01', 'lookalike']) assert.ok(!r.body.includes(u), `${u} is outside`);
});

test('GOV-2: tessera inactivity list prints the registry\'s or one administrator\'s list as CSV', async () => {
  at(90);
  let out = '', err = '';
  const io = { out: (s: string) => { out += s; }, err: (s: string) => { err += s; } };
  assert.equal(await inactivityCommand(t.deps, 'list', ['--as', 'ralookalk'], io), 0);
  assert.ok(out.includes('lookalike') && !out.includes('usedacct1') && !out.includes('sibling01'), out);
  out = '';
  assert.equal(await inactivityCommand(t.deps, 'list', [], io), 0);
  for (const u of Object.keys(WATCHED)) assert.ok(out.includes(u), u);
  assert.equal(await inactivityCommand(t.deps, 'list', ['--unit', 'x'], io), 1);
  assert.equal(await inactivityCommand(t.deps, 'list', ['stray'], io), 2);
  assert.match(err, /inactive accounts?/);
});

test('GOV-2: notices go N days before (14), exactly once, to the user and to their administrators only, through the outbox', async () => {
  // The sweep is daily at 03:00 Taipei (19:00 UTC); T0 is 02:00 UTC, so each run below falls on its own day.
  at(75);
  assert.deepEqual((await sweep())[0].counts, { noticed: 0, disabled: 0 }, '15 days before: no notice yet');
  assert.equal((await noticesTo('usedacct1@example.gov.tw')).length, 0);
  at(76);
  const [run] = await sweep();
  assert.equal(run.status, 'finished');
  assert.ok(run.counts!.noticed >= 5, JSON.stringify(run.counts));
  assert.equal(run.counts!.disabled, 0);
  const mine = await noticesTo('usedacct1@example.gov.tw');
  assert.equal(mine.length, 1);
  assert.match(mine[0].body_text, /2027-02-23/, 'names the day it becomes inactive');
  assert.match(mine[0].body_text, /自動停用/, 'the agency\'s policy disables: the notice says so');
  assert.doesNotMatch((await noticesTo('lookalike@example.gov.tw'))[0].body_text, /自動停用/);
  const digest = await listsTo('raagency1@example.gov.tw');
  assert.equal(digest.length, 1, `one list for the administrator: ${JSON.stringify(digest)}`);
  for (const u of ['usedacct1', 'neverused', 'formula01']) assert.ok(digest[0].body_text.includes(u), u);
  for (const u of ['lookalike', 'sibling01']) assert.ok(!digest[0].body_text.includes(u), `${u} is not the agency's`);
  const look = await listsTo('ralookalk@example.gov.tw');
  assert.equal(look.length, 1);
  assert.ok(look[0].body_text.includes('lookalike') && !look[0].body_text.includes('usedacct1'));
  // Later sweeps, and a sweep run by hand, send nothing again in this period.
  at(77);
  await sweep();
  let out = '';
  assert.equal(await inactivityCommand(t.deps, 'run', [], { out: (s) => { out += s; }, err: () => {} }), 0);
  assert.match(out, /0 noticed, 0 disabled/);
  for (const u of ['usedacct1', 'neverused', 'formula01', 'lookalike', 'sibling01']) assert.equal((await noticesTo(`${u}@example.gov.tw`)).length, 1, `${u} noticed once`);
  for (const u of ['raagency1', 'ralookalk', 'rasibling']) assert.equal((await listsTo(`${u}@example.gov.tw`)).length, 1, `${u} told once`);
  assert.deepEqual((await recentRuns(t.deps.db, 'inactivity.sweep', 10)).map((r) => r.trigger), ['manual', 'schedule', 'schedule', 'schedule']);
});

test('GOV-2: the sweep disables inactive accounts where the policy says so, at the threshold, once on one of two instances, audited without an actor; elsewhere nothing', async () => {
  // A session of usedacct1 that the disabling must end (signing in would start a new period: made directly).
  await t.deps.db.insertInto('sessions').values({
    id_hash: 'inactivity-test-session', account_id: ids.usedacct1, created_at: T0, last_seen_at: T0, absolute_expires_at: new Date(T0.getTime() + 200 * DAY),
    idle_seconds: 900, auth_method: 'password', must_change_password: false, previous_login_at: null,
  }).execute();
  at(90, -1);
  await sweep();
  assert.equal(await state('usedacct1'), 'enabled', 'a moment before the threshold: still enabled');
  at(90, 17 * HOUR); // the day's sweep, 03:00 in Taipei, due on two instances at once
  const runs = (await Promise.all([sweep('instance-a'), sweep('instance-b')])).flat();
  assert.equal(runs.length, 1, 'one of the two instances ran it');
  assert.deepEqual(runs[0].counts, { noticed: 0, disabled: 3 });
  for (const u of ['usedacct1', 'neverused', 'formula01']) assert.equal(await state(u), 'disabled', u);
  for (const u of ['lookalike', 'sibling01']) assert.equal(await state(u), 'enabled', `${u}: its policy does not disable`);
  assert.equal((await t.deps.db.selectFrom('sessions').select('id_hash').where('account_id', '=', ids.usedacct1).execute()).length, 0, 'sessions ended');
  const events = await t.deps.db.selectFrom('audit_events').selectAll().where('action', '=', 'account.state').where('target_id', '=', String(ids.usedacct1)).execute();
  assert.equal(events.length, 1);
  assert.equal(events[0].actor_account_id, null);
  assert.equal((events[0].details as { reason?: string }).reason, 'inactivity');
  assert.equal((events[0].details as { after?: string }).after, 'disabled');
  assert.notEqual((await login(t, new Client(t.url), 'usedacct1', PASSWORD)).status, 303, 'a disabled account cannot sign in');

  // An administrator enables it again, as for any disabled account; the next sweeps leave it so.
  const api = apiWith(t, await apiToken(t, 'raagency1'));
  const r = await api('POST', `/accounts/${ids.usedacct1}/state`, { state: 'enabled' });
  assert.equal(r.status, 200, await r.text());
  at(91, 17 * HOUR);
  assert.deepEqual((await sweep())[0].counts, { noticed: 0, disabled: 0 });
  assert.equal(await state('usedacct1'), 'enabled', 'the sweep does not overrule the administrator in the same period');
  assert.equal((await t.deps.db.selectFrom('audit_events').select('seq').where('action', '=', 'account.state').where('target_id', '=', String(ids.usedacct1)).execute()).length, 2);
});

test('GOV-2, REQ-3: a colleague asks for an account disabled for inactivity to be enabled again; the administrator\'s approval enables it, audited; other accounts are refused', async () => {
  const colleague = await signedIn('plainuser');
  const submit = (fields: Record<string, string>) => colleague.submit('/requests/new/account_reenable', '/requests/new/account_reenable', fields);
  const enabled = await submit({ username: 'usedacct1', reason: '回來上班' });
  assert.equal(enabled.status, 422, 'an enabled account is not re-enabled by request');
  const outside = await submit({ username: 'sibling01', reason: '回來上班' });
  assert.equal(outside.status, 422, 'an account outside the requester\'s unit');
  const r = await submit({ username: 'neverused', reason: '育嬰留停期滿復職，需重新使用' });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  const id = Number((r.location?.match(/\/requests\/(\d+)/) ?? r.location?.match(/[?&]n=(\d+)/))?.[1]);
  assert.ok(id > 0, r.location ?? '');
  assert.equal(await state('neverused'), 'disabled', 'not before the approval');
  const admin = await signedIn('raagency1');
  const approved = await admin.submit(`/admin/requests/${id}`, `/admin/requests/${id}/decision`, { decision: 'approved', comment: '同意' });
  assert.equal(approved.status, 303, approved.body.slice(0, 300));
  assert.notEqual(await state('neverused'), 'disabled');
  const ev = await t.deps.db.selectFrom('audit_events').select(['actor_account_id', 'details']).where('action', '=', 'account.state').where('target_id', '=', String(ids.neverused)).orderBy('seq', 'desc').executeTakeFirstOrThrow();
  assert.equal(Number(ev.actor_account_id), ids.raagency1);
  assert.equal((ev.details as { reason?: string }).reason, 'reenable_request');
  at(92, 17 * HOUR);
  await sweep();
  assert.notEqual(await state('neverused'), 'disabled', 'the next sweep does not overrule the approval in the same period');
});

test('GOV-2 ACC-6: a passkey sign-in counts as use: an account that signs in only with its passkey is not inactive', async () => {
  const id = await createAccount(t.deps, { username: 'passkeyer', password: PASSWORD, unitOid: CHILD, name: '通行密鑰使用者' });
  const now = t.clock.now().getTime();
  await t.deps.db.updateTable('accounts').set({ activated_at: new Date(now - 200 * DAY), last_password_login_at: new Date(now - 100 * DAY), last_passkey_login_at: new Date(now - 10 * DAY) })
    .where('id', '=', id).execute();
  const names = async () => {
    const r = await apiWith(t, await apiToken(t, ADMIN_USERNAME))('GET', `/inactivity?unit=${CHILD}&pageSize=100`);
    return ((await r.json()) as { items: { username: string; lastSignInAt: string | null }[] }).items.filter((i) => i.username === 'passkeyer');
  };
  assert.deepEqual(await names(), [], 'signed in with a passkey 10 days ago');
  await t.deps.db.updateTable('accounts').set({ last_passkey_login_at: null }).where('id', '=', id).execute();
  assert.deepEqual((await names()).map((i) => i.lastSignInAt), [new Date(now - 100 * DAY).toISOString()], 'without it, the password sign-in 100 days ago is the last use');
});
