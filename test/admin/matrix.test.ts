// The cross-jurisdiction matrix over every administrator page and API route (ADM-2, ARCHITECTURE
// "Authorization"): walked from the app's route table, each /admin/* and /api/v1/* route is called
// by actors whose jurisdiction is a sibling subtree, the parent, a child or a look-alike prefix
// (…9002 vs …90027), a help-desk and a plain user, against every account outside their
// jurisdiction, with input that would succeed if the route did not ask `authorize`. Each must
// answer "not found" (or refuse the unit), no list may show an outside row, and afterwards the
// outside accounts must be exactly as before. The central authority's own routes (a system's
// owner) answer "not found" to all of them. A route the test does not know fails it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { importOrgs } from '../../src/orgs/service.ts';
import { checkDigitFor, maskNationalId } from '../../src/accounts/national-id.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { tokenCommand } from '../../src/admin/cli.ts';
import { isWithin } from '../../src/orgs/oid.ts';
import { AGENCY, SIBLING, PARENT, CHILD, LOOK_ALIKE, caller, oidToken, routesWithProbes, under, withoutHeader } from '../helpers/matrix.ts';
import type { GrantKind } from '../../src/access/authorize.ts';
import { giveCertificate, givePasskey, giveRoles } from '../helpers/factories.ts';
import { makeRoot } from '../helpers/pki.ts';
import { issueScimToken } from '../../src/scim/tokens.ts';
import { setPushTarget } from '../../src/scim/push-targets.ts';
import { createReport } from '../../src/incidents/workflow.ts';
import { loadActor } from '../../src/access/actor.ts';

const PASSWORD = 'Correct-Horse-9';
const ACTOR_UNIT = '2.16.886.101';

const TARGETS = {
  parent01: PARENT, agency01: AGENCY, child001: CHILD, grandch1: CHILD + '.20033',
  sibling1: SIBLING, lookalk1: LOOK_ALIKE, lookchd1: LOOK_ALIKE + '.20002',
} as const;
type TargetName = keyof typeof TARGETS;
const ALL = Object.keys(TARGETS) as TargetName[];
const nameOf = (u: string) => `測試${u}`;
const nationalIdOf = (i: number) => { const first9 = `A1${String(7770000 + i).padStart(7, '0')}`; return first9 + checkDigitFor(first9); };

interface ActorCase { username: string; kind?: GrantKind; oid?: string }
const ACTORS: ActorCase[] = [
  { username: 'raagency1', kind: 'registration_admin', oid: AGENCY },
  { username: 'rasibling', kind: 'registration_admin', oid: SIBLING },
  { username: 'raparent1', kind: 'registration_admin', oid: PARENT },
  { username: 'rachild01', kind: 'registration_admin', oid: CHILD },
  { username: 'ralookalk', kind: 'registration_admin', oid: LOOK_ALIKE },
  { username: 'mainacct1', kind: 'main_account', oid: CHILD },
  { username: 'helpdesk1', kind: 'helpdesk', oid: AGENCY },
  { username: 'plainuser' },
];
const outsideOf = (a: ActorCase) => ALL.filter((u) => !a.oid || !isWithin(TARGETS[u], a.oid));
/** Other actors whose grant lies outside this one's jurisdiction: they must not be listed as its system's administrators. */
const outsideActors = (a: ActorCase) => ACTORS.filter((o) => o.oid && o !== a && (!a.oid || !isWithin(o.oid, a.oid)));

let t: TestApp;
const ids = {} as Record<TargetName, number>;
/** Each target holds a grant over its own unit: what the grant routes must neither show nor take outside (issue 9 item 9). */
const grantIds = {} as Record<TargetName, number>;
/** Each target has a passkey (AUTH-11): what the passkey routes must not take away outside. */
const passkeyIds = {} as Record<TargetName, number>;
/** Each target's unit has a SCIM token of csm (SSO-6): what the SCIM token routes must neither list nor revoke outside. */
const scimTokenIds = {} as Record<TargetName, number>;
/** And a SCIM push endpoint of csm (SSO-6): what the push routes must neither list nor remove outside. Port 9 refuses at once. */
const scimPushIds = {} as Record<TargetName, number>;
const PUSH = { url: 'http://127.0.0.1:9/scim/v2', secret: 'matrix-receiver-secret-0123' };
/** And a registered citizen certificate (AUTH-8). */
const certIds = {} as Record<TargetName, number>;
/** CA certificates the central authority's trust routes add (AUTH-8): one for the page, one for the API. */
const trustPems: string[] = [];
const clients: Record<string, Client> = {};
const tokens: Record<string, string> = {};
/** A submitted incident of the agency (INC-8), whose security contact is no matrix actor. */
let incidentId = 0;

before(async () => {
  t = await startTestApp();
  for (const name of ['C=TW, O=Matrix Root One', 'C=TW, O=Matrix Root Two']) trustPems.push((await makeRoot(name)).pem);
  const r = await importOrgs(t.deps, null, `oid,name,agency_code,tenant_code,kind\n${LOOK_ALIKE},相似前綴機關（範例）,,,agency\n${LOOK_ALIKE}.20002,相似前綴單位（範例）,,,unit\n`, { dryRun: false });
  assert.deepEqual(r.errors, []);
  for (const [i, u] of ALL.entries()) {
    ids[u] = await createAccount(t.deps, {
      username: u, password: PASSWORD, unitOid: TARGETS[u], name: nameOf(u),
      profile: { nationalId: nationalIdOf(i), birthMonth: 3, birthDay: 7, email: `${u}@example.gov.tw` },
    });
    // State worth protecting: a role, a session and a failure counter, which an action would change.
    await giveRoles(t.deps, ids[u], 'csm_user');
    passkeyIds[u] = await givePasskey(t.deps, ids[u]);
    certIds[u] = await giveCertificate(t.deps, ids[u]);
    grantIds[u] = await createGrant(t.deps, null, { accountId: ids[u], kind: 'unit_supervisor', jurisdictionOid: TARGETS[u], categories: ['csm'] }, null);
    await login(t, new Client(t.url), u, PASSWORD);
    await login(t, new Client(t.url), u, 'not-the-password');
  }
  // GOV-2: every target last signed in 200 days ago, so the inactivity lists have them all to leak.
  await t.deps.db.updateTable('accounts').set({ last_password_login_at: new Date(t.clock.now().getTime() - 200 * 86_400_000) })
    .where('id', 'in', Object.values(ids)).execute();
  const central = await loadActor(t.deps, (await t.deps.db.selectFrom('accounts').select('id').where('username', '=', ADMIN_USERNAME).executeTakeFirstOrThrow()).id);
  for (const u of ALL) {
    const r = await issueScimToken(t.deps, central, 'csm', { jurisdictionOid: TARGETS[u], label: nameOf(u) }, null);
    assert.ok(r.ok);
    scimTokenIds[u] = r.id;
    const p = await setPushTarget(t.deps, central, 'csm', { jurisdictionOid: TARGETS[u], ...PUSH }, null);
    assert.ok(p.ok);
    scimPushIds[u] = p.id;
  }
  // INC-8: an incident of the agency, reported by its security contact.
  const reporter = await createAccount(t.deps, { username: 'incsc001', password: PASSWORD, unitOid: AGENCY, name: '資安聯絡人甲' });
  await giveRoles(t.deps, reporter, 'incident_security_contact');
  incidentId = await createReport(t.deps, await loadActor(t.deps, reporter), {
    agencyOid: AGENCY, submit: true, ip: null, input: {
      title: '矩陣事件', description: '說明', awareAt: t.clock.now(), level: 2, affectedSystems: [], supportRequested: true,
      otherAgenciesAffected: false, criticalInfrastructure: false, contactName: '聯絡人', contactPhone: '04-1234567', contactEmail: '',
    },
  });
  for (const a of ACTORS) {
    const id = await createAccount(t.deps, { username: a.username, password: PASSWORD, unitOid: ACTOR_UNIT, name: nameOf(a.username) });
    if (a.kind) await createGrant(t.deps, null, { accountId: id, kind: a.kind, jurisdictionOid: a.oid!, categories: ['csm', 'bms'] }, null);
  }
  for (const a of [...ACTORS, { username: ADMIN_USERNAME }]) {
    const c = new Client(t.url);
    const password = a.username === ADMIN_USERNAME ? (await import('../helpers/app.ts')).ADMIN_PASSWORD : PASSWORD;
    assert.equal((await login(t, c, a.username, password)).status, 303, a.username);
    clients[a.username] = c;
    let out = '';
    assert.equal(await tokenCommand(t.deps, 'create', ['--username', a.username], { out: (s) => { out += s; }, err: () => {} }), 0);
    tokens[a.username] = out.trim();
  }
});
after(async () => { await t?.close(); });

/** The csm push endpoint over the child unit (set again when a removal probe took it), as the central authority. */
async function pushOverChild(): Promise<number> {
  const central = await loadActor(t.deps, (await t.deps.db.selectFrom('accounts').select('id').where('username', '=', ADMIN_USERNAME).executeTakeFirstOrThrow()).id);
  const p = await setPushTarget(t.deps, central, 'csm', { jurisdictionOid: CHILD, ...PUSH }, null);
  assert.ok(p.ok);
  return p.id;
}

/** What a route is about, and input that succeeds when the caller is allowed. */
type Probe =
  | { about: 'account'; body?: (id: number) => Record<string, unknown> | [string, string][]; control?: { state: string; email: string } }
  | { about: 'unit'; body: (unit: string, n: number) => Record<string, unknown> }
  | { about: 'list'; queries?: (u: TargetName, i: number) => string[]; body?: Record<string, unknown> }
  // Give a grant: to this holder (id, username) over this jurisdiction.
  | { about: 'holder'; body: (id: number, username: string, jurisdiction: string) => Record<string, unknown> }
  // One grant, by id in the path.
  | { about: 'grant' }
  // One SCIM token of a system (SSO-6), by id in the path.
  | { about: 'scimToken' }
  // One SCIM push endpoint of a system (SSO-6), by id in the path.
  | { about: 'scimPush' }
  // One of the account's passkeys (AUTH-11), by account and passkey id in the path.
  | { about: 'passkey' }
  // One of the account's registered certificates (AUTH-8), by account and certificate id in the path.
  | { about: 'certificate' }
  /** One of the caller's own objects by id (AUTH-8: /me/certificates/:certId): anyone else's is "not found". */
  | { about: 'own' }
  /** The central authority's alone (the system registry's owners, SSO-1): "not found" for every other actor. */
  | { about: 'central'; body?: () => Record<string, unknown> }
  /** An organisation by OID in the path (INC-1 contacts, INC-8 competent authority): every outside target's unit. */
  | { about: 'org'; body?: (username: string) => Record<string, unknown> }
  /** One security incident (INC-8), reported by the agency: no administration grant sees or acts on it. */
  | { about: 'incident'; body?: () => Record<string, unknown> };

const pageCreate = (unit: string, n: number) => ({
  unitOid: unit, username: `matrix${String(n).padStart(5, '0')}`, name: '新增測試', nationalId: nationalIdOf(500 + n), birthMonth: '3', birthDay: '7',
});
/** The same account as pageCreate, as a one-row import CSV. */
const csvCreate = (unit: string, n: number) => {
  const c = pageCreate(unit, n);
  return `username,name,national_id,birth_month,birth_day,unit_oid\n${c.username},${c.name},${c.nationalId},3,7,${unit}\n`;
};
const grantQueries = (u: TargetName) => ['', `?jurisdiction=${TARGETS[u]}`, '?kind=unit_supervisor', `?account=${ids[u]}`];
const searches = (u: TargetName, i: number) => ['', '?q=' + encodeURIComponent('測試'), `?q=${u}`, `?unit=${TARGETS[u]}`, `?nationalId=${nationalIdOf(i)}`, '?pageSize=100'];

const incidentStep = { about: 'incident', body: () => ({ level: 3, reason: '提高等級', note: '測試' }) } as const;
const PROBES: Record<string, Probe> = {
  // INC-1..INC-4, INC-8: incident roles are role grants of the incident system, not administration grants.
  'GET /api/v1/incidents': { about: 'list' },
  'POST /api/v1/incidents': { about: 'unit', body: (unit) => ({ agencyOid: unit, title: '矩陣測試事件', level: 1 }) },
  'POST /api/v1/incidents/phone': { about: 'unit', body: (unit) => ({ agencyOid: unit, title: '矩陣測試', level: 3, awareAt: '2026-11-25T01:00:00Z', phoneAt: '2026-11-25T01:30:00Z' }) },
  'GET /api/v1/incidents/:id': { about: 'incident' },
  'PATCH /api/v1/incidents/:id': { about: 'incident', body: () => ({ title: '改寫', submit: true }) },
  'POST /api/v1/incidents/:id/review': incidentStep,
  'POST /api/v1/incidents/:id/centre-review': incidentStep,
  'POST /api/v1/incidents/:id/direct-review': incidentStep,
  'POST /api/v1/incidents/:id/support': incidentStep,
  'POST /api/v1/incidents/:id/level': incidentStep,
  'POST /api/v1/incidents/:id/backfill': { about: 'incident', body: () => ({ title: '補登' }) },
  // INC-5: containment, closure, investigation and the reports' PDFs (409 while no report is in).
  'POST /api/v1/incidents/:id/contained': { about: 'incident', body: () => ({ note: '已復原' }) },
  'POST /api/v1/incidents/:id/closure': { about: 'incident', body: () => ({ items: { summary: '概述' } }) },
  'POST /api/v1/incidents/:id/closure-review': { about: 'incident', body: () => ({ decision: 'approve' }) },
  'POST /api/v1/incidents/:id/investigation': { about: 'incident', body: () => ({ items: { findings: '調查' } }) },
  'GET /api/v1/incidents/:id/closure.pdf': { about: 'incident' },
  'GET /api/v1/incidents/:id/investigation.pdf': { about: 'incident' },
  // INC-6, INC-7: statistics (counts within the caller's scope), drills, the timeline exports.
  'GET /api/v1/incidents/statistics': { about: 'list' },
  'POST /api/v1/incidents/:id/drill-complete': { about: 'incident', body: () => ({ note: '演練結束' }) },
  'POST /api/v1/incidents/:id/drill-report': { about: 'incident', body: () => ({ meetingAt: '2026-11-20', meetingNotes: '檢討', summary: '成果' }) },
  'GET /api/v1/incidents/:id/timeline.csv': { about: 'incident' },
  'GET /api/v1/incidents/:id/timeline.json': { about: 'incident' },
  // INC-9: optional deadline profiles per incident, their steps, and which an agency may choose (central only).
  'POST /api/v1/incidents/:id/profiles': { about: 'incident', body: () => ({ profiles: [] }) },
  'POST /api/v1/incidents/:id/profile-step': { about: 'incident', body: () => ({ kind: 'early_warning_sent' }) },
  'PUT /api/v1/incidents/authorities/:oid/profiles': { about: 'org', body: () => ({ profiles: ['gdpr-art33'] }) },
  'GET /api/v1/incidents/contacts/:oid': { about: 'org' },
  'POST /api/v1/incidents/contacts/:oid': { about: 'org', body: (username) => ({ username, role: 'security_contact' }) },
  'DELETE /api/v1/incidents/contacts/:oid/:accountId/:role': { about: 'org' },
  'POST /api/v1/incidents/contacts/:oid/confirm': { about: 'org', body: () => ({ confirm: true }) },
  'PUT /api/v1/incidents/authorities/:oid': { about: 'org', body: () => ({ isCompetentAuthority: true, competentAuthorityOid: null }) },
  'GET /admin': { about: 'list' },
  'GET /admin/accounts': { about: 'list', queries: searches },
  'GET /admin/accounts/new': { about: 'list' },
  'POST /admin/accounts': { about: 'unit', body: pageCreate },
  'POST /admin/accounts/delete': { about: 'account', body: (id) => [['ids', String(id)], ['confirm', '1']] },
  'GET /admin/accounts/:id': { about: 'account' },
  'POST /admin/accounts/:id': { about: 'account', body: () => ({ name: '改名測試', title: '科長' }) },
  'POST /admin/accounts/:id/state': { about: 'account', body: () => ({ state: 'disabled' }) },
  'POST /admin/accounts/:id/unlock': { about: 'account' },
  'POST /admin/accounts/:id/reset-password': { about: 'account' },
  'POST /admin/accounts/:id/one-day-password': { about: 'account' },
  'POST /admin/accounts/:id/resend-mail': { about: 'account', control: { state: 'not_activated', email: 'control@example.gov.tw' } },
  'GET /admin/accounts/:id/roles': { about: 'account' },
  'POST /admin/accounts/:id/roles': { about: 'account', body: () => ({ roles: 'bms_user' }) },
  'POST /admin/accounts/:id/passkeys/:passkeyId/remove': { about: 'passkey' },
  'POST /admin/accounts/:id/certificates/:certId/remove': { about: 'certificate' },
  // AUTH-8: the trusted certificate authorities are the central authority's alone.
  'GET /admin/certificates/trust': { about: 'central' },
  'POST /admin/certificates/trust': { about: 'central', body: () => ({ certificate: trustPems[0] }) },
  'POST /admin/certificates/trust/:id/remove': { about: 'central' },
  'GET /api/v1/certificates/trust': { about: 'central' },
  'POST /api/v1/certificates/trust': { about: 'central', body: () => ({ certificate: trustPems[1] }) },
  'DELETE /api/v1/certificates/trust/:id': { about: 'central' },
  // AUTH-8, ADM-5: registered certificates, the caller's own and an account's within the jurisdiction.
  'GET /api/v1/me/certificates': { about: 'list' },
  'DELETE /api/v1/me/certificates/:certId': { about: 'own' },
  'GET /api/v1/accounts/:id/certificates': { about: 'account' },
  'DELETE /api/v1/accounts/:id/certificates/:certId': { about: 'certificate' },
  'GET /admin/accounts/import': { about: 'list' },
  'POST /admin/accounts/import': { about: 'unit', body: (unit, n) => ({ csv: csvCreate(unit, n), dryRun: '0' }) },
  'GET /admin/accounts/export.csv': { about: 'list' },
  'GET /admin/accounts/username-check': { about: 'list', queries: (u) => [`?username=${u}&unit=${TARGETS[u]}`, `?username=freename1&unit=${TARGETS[u]}`] },
  'GET /admin/systems': { about: 'list' },
  'GET /admin/systems/:code/admins': { about: 'list' },
  'GET /admin/systems/:code/owner': { about: 'central' },
  'POST /admin/systems/:code/owner': { about: 'central', body: () => ({ ownerOid: AGENCY }) },
  // Who may apply is part of the registry every administrator may read (system.read); only the central authority changes it.
  'GET /admin/systems/:code/apply-scope': { about: 'list' },
  'POST /admin/systems/:code/apply-scope': { about: 'central', body: () => ({ subtrees: '2.16.886.101.90027' }) },
  // GOV-2: the inactive accounts of the jurisdiction (every target is inactive: see `inactive` below).
  'GET /admin/inactivity': { about: 'list', queries: (u) => ['', `?unit=${TARGETS[u]}`, '?used=never', '?used=used'] },
  'GET /admin/inactivity/export.csv': { about: 'list', queries: (u) => ['', `?unit=${TARGETS[u]}`] },
  'GET /api/v1/inactivity': { about: 'list', queries: (u) => ['', `?unit=${TARGETS[u]}`, '?used=used&pageSize=100'] },
  // OPS-7: the dashboard's counts are of the jurisdiction (checked number by number in test/governance/dashboard).
  'GET /admin/dashboard': { about: 'list' },
  'GET /api/v1/dashboard': { about: 'list' },
  'GET /admin/audit': { about: 'list' },
  'GET /admin/audit/export.csv': { about: 'list' },
  // GOV-1 issue 15: the audit trail's signed checkpoints.
  'GET /admin/audit/checkpoints': { about: 'central' },
  'GET /api/v1/audit/checkpoints': { about: 'central' },
  // Issue 14: the scheduled jobs and their runs.
  'GET /admin/jobs': { about: 'central' },
  'GET /admin/jobs/:name': { about: 'central' },
  'GET /api/v1/jobs': { about: 'central' },
  'GET /api/v1/accounts': { about: 'list', queries: searches },
  'POST /api/v1/accounts': { about: 'unit', body: (unit, n) => ({ ...pageCreate(unit, n), birthMonth: 3, birthDay: 7 }) },
  'GET /api/v1/accounts/:id': { about: 'account' },
  'PATCH /api/v1/accounts/:id': { about: 'account', body: () => ({ name: '改名測試', title: '科長' }) },
  'POST /api/v1/accounts/:id/state': { about: 'account', body: () => ({ state: 'disabled' }) },
  'POST /api/v1/accounts/:id/unlock': { about: 'account' },
  'POST /api/v1/accounts/:id/reset-password': { about: 'account' },
  'POST /api/v1/accounts/:id/one-day-password': { about: 'account' },
  'POST /api/v1/accounts/:id/resend-mail': { about: 'account', control: { state: 'not_activated', email: 'control@example.gov.tw' } },
  'POST /api/v1/accounts/delete': { about: 'account', body: (id) => ({ ids: [id], confirm: true }) },
  'GET /api/v1/accounts/:id/roles': { about: 'account' },
  'PUT /api/v1/accounts/:id/roles': { about: 'account', body: () => ({ roles: ['bms_user'] }) },
  'POST /api/v1/accounts/import': { about: 'unit', body: (unit, n) => ({ csv: csvCreate(unit, n), dryRun: false }) },
  'GET /api/v1/accounts/export.csv': { about: 'list' },
  'GET /api/v1/systems': { about: 'list' },
  'GET /api/v1/systems/:code/admins': { about: 'list' },
  'GET /admin/grants': { about: 'list', queries: grantQueries },
  'GET /admin/grants/new': { about: 'list', queries: (u) => [`?account=${ids[u]}`] },
  'POST /admin/grants': { about: 'holder', body: (_id, username, jurisdiction) => ({ username, kind: 'helpdesk', jurisdiction, categories: 'csm' }) },
  'GET /admin/grants/:id/revoke': { about: 'grant' },
  'POST /admin/grants/:id/revoke': { about: 'grant' },
  'GET /api/v1/grants': { about: 'list', queries: grantQueries },
  'POST /api/v1/grants': { about: 'holder', body: (accountId, _u, jurisdictionOid) => ({ accountId, kind: 'helpdesk', jurisdictionOid, categories: ['csm'] }) },
  'DELETE /api/v1/grants/:id': { about: 'grant' },
  'PATCH /api/v1/systems/:code': { about: 'central', body: () => ({ ownerOid: AGENCY }) },
  'PUT /api/v1/systems/:code/apply-scope': { about: 'central', body: () => ({ subtrees: ['2.16.886.101.90027'] }) },
  // SSO-6: a system's SCIM tokens, each bound to a subtree.
  'GET /api/v1/systems/:code/scim-tokens': { about: 'list' },
  'POST /api/v1/systems/:code/scim-tokens': { about: 'unit', body: (unit) => ({ jurisdictionOid: unit, label: 'matrix' }) },
  'POST /api/v1/systems/:code/scim-tokens/:id/revoke': { about: 'scimToken' },
  'GET /admin/systems/:code/scim-tokens': { about: 'list' },
  'POST /admin/systems/:code/scim-tokens': { about: 'unit', body: (unit) => ({ jurisdictionOid: unit, label: 'matrix', days: '30' }) },
  'POST /admin/systems/:code/scim-tokens/:id/revoke': { about: 'scimToken' },
  'GET /api/v1/systems/:code/scim-push': { about: 'list' },
  'POST /api/v1/systems/:code/scim-push': { about: 'unit', body: (unit) => ({ jurisdictionOid: unit, ...PUSH }) },
  'POST /api/v1/systems/:code/scim-push/:id/remove': { about: 'scimPush' },
  'POST /admin/systems/:code/scim-push': { about: 'unit', body: (unit) => ({ pushOid: unit, pushUrl: PUSH.url, pushSecret: PUSH.secret }) },
  'POST /admin/systems/:code/scim-push/:id/remove': { about: 'scimPush' },
};
/**
 * Routes under these prefixes have a matrix test of their own (single sign-on, announcements,
 * requests, account-review campaigns: test/governance/campaigns-matrix.test.ts), each of which
 * fails when it meets a route under its prefix it does not know.
 */
const OWN_MATRIX = ['/admin/sso', '/api/v1/sso', '/admin/announcements', '/api/v1/announcements', '/admin/requests', '/api/v1/requests', '/api/v1/applications',
  '/admin/campaigns', '/api/v1/campaigns'];
/** Public by design (no personal data): the API description and the OID look-up (ORG-2). */
const PUBLIC = new Set(['/api/v1/openapi.json', '/api/v1/orgs']);

/** Every administrator route in the app; an unknown one fails here until the test learns to call it. */
const adminRoutes = () => routesWithProbes(t.app,
  (url) => (url === '/admin' || url.startsWith('/admin/') || url.startsWith('/api/v1/')) && !PUBLIC.has(url) && !under(OWN_MATRIX)(url),
  PROBES, 'test/admin/matrix.test.ts');

const call = (...args: Parameters<ReturnType<typeof caller>>) => caller(t, clients, tokens)(...args);

const fill = (url: string, id: number) => url.replace(':id', String(id)).replace(':code', 'csm').replace(':name', 'requests.due');

/**
 * The page without what merely repeats the caller's own query: the header (its language link
 * carries the current URL) and the search fields' values. What remains is what the server found.
 */
function withoutEcho(html: string, query: string): string {
  let out = withoutHeader(html);
  for (const v of new URLSearchParams(query.replace(/^\?/, '')).values()) if (v) out = out.replaceAll(`value="${v}"`, '');
  return out;
}

async function snapshot() {
  const db = t.deps.db;
  const targetIds = Object.values(ids);
  const [accounts, passwords, roles, sessions, throttles, total, grants, systems, passkeys, scimTokens, certificates, scimPush] = await Promise.all([
    db.selectFrom('accounts').selectAll().where('id', 'in', targetIds).orderBy('id').execute(),
    db.selectFrom('passwords').selectAll().where('account_id', 'in', targetIds).orderBy('account_id').execute(),
    db.selectFrom('role_grants').select(['account_id', 'role_code']).where('account_id', 'in', targetIds).orderBy('account_id').orderBy('role_code').execute(),
    db.selectFrom('sessions').select(['account_id', 'id_hash']).where('account_id', 'in', targetIds).orderBy('id_hash').execute(),
    db.selectFrom('login_throttle').select(['key', 'failures']).orderBy('key').execute(),
    db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('admin_grants').selectAll().orderBy('id').execute(),
    db.selectFrom('application_systems').select(['code', 'owner_oid']).orderBy('code').execute(),
    db.selectFrom('passkeys').select(['id', 'account_id', 'name']).where('account_id', 'in', targetIds).orderBy('id').execute(),
    db.selectFrom('scim_tokens').select(['id', 'jurisdiction_oid', 'revoked_at']).orderBy('id').execute(),
    db.selectFrom('cert_bindings').select(['id', 'account_id', 'serial']).where('account_id', 'in', targetIds).orderBy('id').execute(),
    db.selectFrom('scim_push_targets').select(['id', 'jurisdiction_oid', 'url', 'secret_enc']).orderBy('id').execute(),
  ]);
  return JSON.stringify({ accounts, passwords, roles, sessions, throttles: throttles.filter((x) => x.key.startsWith('u:')), total: Number(total.n), grants, systems, passkeys, scimTokens, certificates, scimPush });
}

test('ADM-2: every /admin and /api/v1 route refuses, or hides, every account outside the caller\'s jurisdiction, and changes nothing there', async () => {
  const routes = adminRoutes();
  assert.ok(routes.length >= 29, `the route table lists the administrator routes (${routes.length})`);
  const before = await snapshot();
  let n = 0, calls = 0;
  for (const a of ACTORS) {
    const outside = outsideOf(a);
    for (const r of routes) {
      const p = r.probe;
      for (const u of outside) {
        const i = ALL.indexOf(u);
        if (p.about === 'org') {
          const url = r.url.replace(':oid', TARGETS[u]).replace(':accountId', String(ids[u])).replace(':role', 'security_contact');
          const res = await call(a.username, r.method, url, p.body?.(u));
          calls++;
          assert.ok([404, 422].includes(res.status), `${a.username} ${r.key} → ${TARGETS[u]}: ${res.status}`);
          assert.ok(!res.text.includes(nameOf(u)), `${a.username} ${r.key} names ${u}`);
        } else if (p.about === 'incident') {
          if (u !== outside[0]) continue;
          const res = await call(a.username, r.method, r.url.replace(':id', String(incidentId)), p.body?.());
          calls++;
          assert.equal(res.status, 404, `${a.username} ${r.key}: ${res.status}`);
        } else if (p.about === 'central') {
          if (u !== outside[0]) continue;
          const res = await call(a.username, r.method, fill(r.url, 0), p.body?.());
          calls++;
          assert.equal(res.status, 404, `${a.username} ${r.key}: ${res.status}`);
        } else if (p.about === 'own') {
          const res = await call(a.username, r.method, r.url.replace(':certId', String(certIds[u])));
          calls++;
          assert.equal(res.status, 404, `${a.username} ${r.key} → ${u}'s certificate must be "not found"`);
        } else if (p.about === 'passkey' || p.about === 'certificate') {
          const res = await call(a.username, r.method, fill(r.url, ids[u]).replace(':passkeyId', String(passkeyIds[u])).replace(':certId', String(certIds[u])));
          calls++;
          assert.equal(res.status, 404, `${a.username} ${r.key} → ${u} (${TARGETS[u]}) must be "not found"`);
        } else if (p.about === 'account' || p.about === 'grant' || p.about === 'scimToken' || p.about === 'scimPush') {
          const res = await call(a.username, r.method, fill(r.url, p.about === 'grant' ? grantIds[u] : p.about === 'scimToken' ? scimTokenIds[u] : p.about === 'scimPush' ? scimPushIds[u] : ids[u]), p.about === 'account' ? p.body?.(ids[u]) : undefined);
          calls++;
          assert.equal(res.status, 404, `${a.username} ${r.key} → ${u} (${TARGETS[u]}) must be "not found"`);
        } else if (p.about === 'holder') {
          // The holder outside, over its own unit and over the actor's own jurisdiction: both refused.
          for (const jurisdiction of new Set([TARGETS[u], a.oid ?? TARGETS[u]])) {
            const res = await call(a.username, r.method, r.url, p.body(ids[u], u, jurisdiction));
            calls++;
            assert.ok([404, 422].includes(res.status), `${a.username} ${r.key} to ${u} over ${jurisdiction}: ${res.status}`);
            assert.ok(!res.text.includes(nameOf(u)), `${a.username} ${r.key} names ${u}`);
          }
        } else if (p.about === 'unit') {
          const res = await call(a.username, r.method, fill(r.url, 0), p.body(TARGETS[u], ++n));
          calls++;
          assert.ok([404, 422].includes(res.status), `${a.username} ${r.key} in ${TARGETS[u]}: ${res.status}`);
        } else {
          // Lists without a query need one call, not one per outside account.
          for (const q of p.queries?.(u, i) ?? (u === outside[0] ? [''] : [])) {
            const res = await call(a.username, r.method, fill(r.url, 0) + q, p.body);
            calls++;
            assert.ok([200, 400, 404].includes(res.status), `${a.username} ${r.key}${q}: ${res.status}`);
            const text = withoutEcho(res.text, q);
            for (const o of outside) {
              for (const leak of [nameOf(o), `"${o}"`, `>${o}<`, maskNationalId(nationalIdOf(ALL.indexOf(o)))]) assert.ok(!text.includes(leak), `${a.username} ${r.key}${q} shows ${o}`);
              assert.doesNotMatch(text, oidToken(TARGETS[o]), `${a.username} ${r.key}${q} shows the unit ${TARGETS[o]}`);
            }
            for (const other of outsideActors(a)) assert.ok(!text.includes(nameOf(other.username)), `${a.username} ${r.key}${q} lists the administrator ${other.username}`);
          }
        }
      }
    }
  }
  assert.ok(calls > 500, `${calls} calls`);
  assert.equal(await snapshot(), before, 'nothing outside any jurisdiction changed, and no account was created');
});

test('GOV-2: the inactivity list has every target for the central authority, and exactly the inside ones for each administrator', async () => {
  const usernames = async (who: string) => {
    const r = await call(who, 'GET', '/api/v1/inactivity?pageSize=100');
    assert.equal(r.status, 200, who);
    return (JSON.parse(r.text) as { items: { username: string }[] }).items.map((i) => i.username).filter((u) => u in TARGETS).sort();
  };
  assert.deepEqual(await usernames(ADMIN_USERNAME), [...ALL].sort());
  for (const a of ACTORS.filter((x) => x.kind)) assert.deepEqual(await usernames(a.username), ALL.filter((u) => isWithin(TARGETS[u], a.oid!)).sort(), a.username);
});

test('ADM-4: the search page counts exactly the accounts inside the jurisdiction', async () => {
  for (const a of ACTORS.filter((x) => x.kind)) {
    const inside = ALL.filter((u) => isWithin(TARGETS[u], a.oid!));
    const r = await call(a.username, 'GET', '/admin/accounts?q=' + encodeURIComponent('測試'));
    assert.equal(r.status, 200, a.username);
    assert.match(r.text, new RegExp(`共 ${inside.length} 筆`), a.username);
    assert.deepEqual([...r.text.matchAll(/data-account="([^"]+)"/g)].map((m) => m[1]).sort(), [...inside].sort(), a.username);
  }
});

test('the probes are real: the same calls succeed for an account inside the jurisdiction (so a route that skipped authorize would have failed above)', async () => {
  let n = 100000;
  for (const r of adminRoutes()) {
    const p = r.probe;
    if (p.about === 'central') {
      const res = await call(ADMIN_USERNAME, r.method, fill(r.url, 0), p.body?.());
      assert.ok([200, 201, 303].includes(res.status), `${r.key} for the central authority: ${res.status} ${res.text.slice(0, 200)}`);
      continue;
    }
    if (p.about === 'list') {
      const res = await call('raagency1', r.method, fill(r.url, 0), p.body);
      assert.ok([200, 404].includes(res.status), r.key); // the audit pages are the central authority's
      continue;
    }
    if (p.about === 'own') {
      const me = await t.deps.db.selectFrom('accounts').select('id').where('username', '=', 'raagency1').executeTakeFirstOrThrow();
      const res = await call('raagency1', r.method, r.url.replace(':certId', String(await giveCertificate(t.deps, me.id))));
      assert.equal(res.status, 200, `${r.key} on the caller's own: ${res.status} ${res.text.slice(0, 200)}`);
      continue;
    }
    if (p.about === 'incident') {
      // The central authority may act on every incident: the route works for whoever may (or its rules answer: step done, same level).
      const res = await call(ADMIN_USERNAME, r.method, r.url.replace(':id', String(incidentId)), p.body?.());
      assert.ok([200, 409, 422].includes(res.status), `${r.key} for the central authority: ${res.status} ${res.text.slice(0, 200)}`);
      continue;
    }
    if (p.about === 'unit' && r.url.startsWith('/api/v1/incidents')) {
      const res = await call(ADMIN_USERNAME, r.method, r.url, p.body(AGENCY, ++n));
      assert.equal(res.status, 201, `${r.key}: ${res.status} ${res.text.slice(0, 200)}`);
      continue;
    }
    if (p.about === 'org') {
      // Inside: the agency's registry, a contact of its own (raagency1 may manage it; the competent authority is the central authority's).
      const control = `control${++n}`;
      const id = await createAccount(t.deps, { username: control, password: PASSWORD, unitOid: CHILD, name: '對照組' });
      await giveRoles(t.deps, id, 'incident_security_contact');
      const who = r.url.includes('/authorities/') ? ADMIN_USERNAME : 'raagency1';
      const res = await call(who, r.method, r.url.replace(':oid', AGENCY).replace(':accountId', String(id)).replace(':role', 'security_contact'), p.body?.(control));
      assert.equal(res.status, 200, `${r.key} inside the jurisdiction: ${res.status} ${res.text.slice(0, 200)}`);
      continue;
    }
    if (p.about === 'unit') {
      const res = await call('raagency1', r.method, fill(r.url, 0), p.body(CHILD, ++n));
      assert.ok([201, 303].includes(res.status), `${r.key}: ${res.status} ${res.text.slice(0, 200)}`);
      continue;
    }
    const control = `control${++n}`;
    const id = await createAccount(t.deps, {
      username: control, password: PASSWORD, unitOid: CHILD, name: '對照組', state: p.about === 'account' ? p.control?.state : undefined,
      profile: { nationalId: nationalIdOf(n), birthMonth: 3, birthDay: 7, email: p.about === 'account' ? p.control?.email : undefined },
    });
    if (p.about === 'holder') {
      const res = await call('raagency1', r.method, r.url, p.body(id, control, CHILD));
      assert.ok([201, 303].includes(res.status), `${r.key}: ${res.status} ${res.text.slice(0, 300)}`);
      continue;
    }
    const path = p.about === 'grant'
      ? fill(r.url, await createGrant(t.deps, null, { accountId: id, kind: 'unit_supervisor', jurisdictionOid: CHILD, categories: ['csm'] }, null))
      : p.about === 'scimToken' ? fill(r.url, scimTokenIds.child001)
      // Each removal takes its own endpoint over the child (set again: the earlier probe removed it).
      : p.about === 'scimPush' ? fill(r.url, await pushOverChild())
      : p.about === 'passkey' ? fill(r.url, id).replace(':passkeyId', String(await givePasskey(t.deps, id)))
      : p.about === 'certificate' ? fill(r.url, id).replace(':certId', String(await giveCertificate(t.deps, id)))
      : fill(r.url, id);
    const res = await call('raagency1', r.method, path, p.about === 'account' ? p.body?.(id) : undefined);
    assert.ok([200, 201, 204, 303].includes(res.status), `${r.key} inside the jurisdiction: ${res.status} ${res.text.slice(0, 300)}`);
  }
});
