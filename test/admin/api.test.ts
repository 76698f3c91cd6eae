// The administration API through HTTP (ADM-2, ADM-4, ADM-5, ADM-7, SSO-1): a jurisdiction matrix
// of actors (central, an agency, its sibling, parent and child, a look-alike prefix, help-desk)
// over accounts spread across those units, and the token checks, walked over the route table so
// a new /api/v1 route that skips the token or the jurisdiction fails here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { startTestApp, ADMIN_USERNAME, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { importOrgs } from '../../src/orgs/service.ts';
import { checkDigitFor, maskNationalId } from '../../src/accounts/national-id.ts';
import { tokenCommand } from '../../src/admin/cli.ts';
import { createGrant, assignRole } from '../../src/admin/grants.ts';
import { loadActor } from '../../src/access/actor.ts';
import { type GrantKind } from '../../src/access/authorize.ts';
import { withinScope } from '../../src/access/jurisdiction-sql.ts';
import { isWithin } from '../../src/orgs/oid.ts';
import { HttpError } from '../../src/platform/http/errors.ts';
import { DAY, MINUTE } from '../../src/platform/clock.ts';

const PASSWORD = 'Correct-Horse-9';
const AGENCY = '2.16.886.101.90027.20002';
const SIBLING = '2.16.886.101.90029.20002';
const PARENT = '2.16.886.101.90027';
const CHILD = '2.16.886.101.90027.20002.20011';
const LOOK_ALIKE = '2.16.886.101.9002';
/** Actors' own accounts sit at the root, which only the central authority reaches. */
const ACTOR_UNIT = '2.16.886.101';

/** Target accounts: one per unit, named so a keyword finds exactly one. */
const TARGETS = {
  parent01: PARENT,
  agency01: AGENCY,
  child001: CHILD,
  grandch1: CHILD + '.20033',
  sibling1: SIBLING,
  lookalk1: LOOK_ALIKE,
  lookchd1: LOOK_ALIKE + '.20002',
} as const;
type TargetName = keyof typeof TARGETS;
const ALL = Object.keys(TARGETS) as TargetName[];
const nameOf = (u: TargetName) => `測試${u}`;
const nationalIdOf = (i: number) => { const first9 = `A1${String(2345600 + i).padStart(7, '0')}`; return first9 + checkDigitFor(first9); };

interface ActorCase { username: string; kind?: GrantKind; oid?: string; sees: TargetName[] | 'none' }
const within = (root: string) => ALL.filter((u) => isWithin(TARGETS[u], root));
const ACTORS: ActorCase[] = [
  { username: ADMIN_USERNAME, sees: ALL },
  { username: 'raagency1', kind: 'registration_admin', oid: AGENCY, sees: within(AGENCY) },
  { username: 'rasibling', kind: 'registration_admin', oid: SIBLING, sees: within(SIBLING) },
  { username: 'raparent1', kind: 'registration_admin', oid: PARENT, sees: within(PARENT) },
  { username: 'rachild01', kind: 'registration_admin', oid: CHILD, sees: within(CHILD) },
  { username: 'ralookalk', kind: 'registration_admin', oid: LOOK_ALIKE, sees: within(LOOK_ALIKE) },
  { username: 'helpdesk1', kind: 'helpdesk', oid: AGENCY, sees: within(AGENCY) },
  { username: 'plainuser', sees: 'none' },
];

let t: TestApp;
const ids = {} as Record<TargetName, number>;
const tokens: Record<string, string> = {};
let deletedId: number;

async function issueToken(username: string, extra: string[] = []): Promise<string> {
  let out = '';
  const code = await tokenCommand(t.deps, 'create', ['--username', username, ...extra], { out: (s) => { out += s; }, err: () => {} });
  assert.equal(code, 0);
  return out.trim();
}

before(async () => {
  t = await startTestApp();
  const r = await importOrgs(t.deps, null, `oid,name,agency_code,tenant_code,kind\n${LOOK_ALIKE},相似前綴機關（範例）,,,agency\n${LOOK_ALIKE}.20002,相似前綴單位（範例）,,,unit\n`, { dryRun: false });
  assert.deepEqual(r.errors, []);
  for (const [i, u] of ALL.entries()) {
    ids[u] = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: TARGETS[u], name: nameOf(u), profile: { nationalId: nationalIdOf(i) } });
  }
  deletedId = await createAccount(t.deps, { username: 'deleted1', password: PASSWORD, unitOid: AGENCY, name: nameOf('agency01' as TargetName) + '已刪除', state: 'deleted' });
  for (const a of ACTORS) {
    if (a.username !== ADMIN_USERNAME) {
      const id = await createAccount(t.deps, { username: a.username, password: PASSWORD, unitOid: ACTOR_UNIT, name: '管理者' + a.username });
      if (a.kind) await createGrant(t.deps, null, { accountId: id, kind: a.kind, jurisdictionOid: a.oid!, categories: ['csm', 'bms'] }, null);
    }
    tokens[a.username] = await issueToken(a.username);
  }
});
after(async () => { await t?.close(); });

async function api(path: string, token: string | null = null, headers: Record<string, string> = {}) {
  const r = await fetch(t.url + path, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const text = await r.text();
  // The CSV export (text/csv) is checked as text; every other answer is JSON.
  const json = text && !(r.headers.get('content-type') ?? '').startsWith('text/csv');
  return { status: r.status, text, body: json ? JSON.parse(text) : null, headers: r.headers };
}

interface Page { total: number; items: { id: number; username: string; nationalIdMasked: string | null }[] }
const targetsIn = (p: Page) => p.items.map((i) => i.username).filter((u): u is TargetName => u in TARGETS).sort();
const sorted = (xs: readonly string[]) => [...xs].sort();

test('ADM-2 ADM-4: each actor lists and counts exactly the accounts of its subtree (sibling, parent, child, look-alike)', async () => {
  for (const a of ACTORS) {
    if (a.sees === 'none') continue;
    // The keyword 測試 matches every target and no actor account, so the central authority's total is exact too.
    const r = await api('/api/v1/accounts?q=測試&pageSize=100', tokens[a.username]);
    assert.equal(r.status, 200, a.username);
    assert.deepEqual(targetsIn(r.body), sorted(a.sees), `${a.username}: rows`);
    assert.equal(r.body.total, a.sees.length, `${a.username}: total`);
    assert.equal(r.body.items.length, a.sees.length, `${a.username}: no row besides the targets`);
    assert.ok(!r.text.includes('deleted1'), 'deleted accounts are never listed');
    if (a.username !== ADMIN_USERNAME) {
      const all = await api('/api/v1/accounts?pageSize=100', tokens[a.username]);
      assert.deepEqual(targetsIn(all.body), sorted(a.sees), `${a.username}: unfiltered rows`);
      assert.equal(all.body.total, a.sees.length, `${a.username}: unfiltered total`);
    }
  }
});

test('ADM-4: paging one row at a time gives the same set and the same total on every page', async () => {
  for (const a of ACTORS.filter((x) => x.sees !== 'none' && x.sees.length > 1)) {
    const seen: string[] = [];
    const n = (a.sees as TargetName[]).length;
    for (let page = 1; page <= n + 1; page++) {
      const r = await api(`/api/v1/accounts?q=測試&pageSize=1&page=${page}`, tokens[a.username]);
      assert.equal(r.body.total, n, `${a.username} page ${page}`);
      assert.equal(r.body.items.length, page <= n ? 1 : 0);
      seen.push(...targetsIn(r.body));
    }
    assert.deepEqual(sorted(seen), sorted(a.sees as TargetName[]), a.username);
  }
});

test('ADM-4: search by national ID (blind index), unit subtree and name keyword stays inside the jurisdiction', async () => {
  for (const a of ACTORS.filter((x) => x.sees !== 'none')) {
    const sees = a.sees as TargetName[];
    for (const [i, u] of ALL.entries()) {
      const byId = await api(`/api/v1/accounts?nationalId=${nationalIdOf(i).toLowerCase()}`, tokens[a.username]);
      assert.equal(byId.status, 200);
      assert.deepEqual(targetsIn(byId.body), sees.includes(u) ? [u] : [], `${a.username} national ID of ${u}`);
      assert.equal(byId.body.total, sees.includes(u) ? 1 : 0);
      if (sees.includes(u)) assert.equal(byId.body.items[0].nationalIdMasked, maskNationalId(nationalIdOf(i)));
      assert.ok(!byId.text.includes(nationalIdOf(i)), 'the national ID is never answered in clear');

      const byName = await api(`/api/v1/accounts?q=${encodeURIComponent(u)}`, tokens[a.username]);
      assert.deepEqual(targetsIn(byName.body), sees.includes(u) ? [u] : [], `${a.username} keyword ${u}`);

      const byUnit = await api(`/api/v1/accounts?q=測試&unit=${TARGETS[u]}`, tokens[a.username]);
      assert.deepEqual(targetsIn(byUnit.body), sorted(sees.filter((s) => isWithin(TARGETS[s], TARGETS[u]))), `${a.username} unit ${TARGETS[u]}`);
      assert.equal(byUnit.body.total, byUnit.body.items.length);
    }
  }
});

test('ADM-2: an account outside the jurisdiction is 404, answered exactly like an unknown one', async () => {
  for (const a of ACTORS) {
    const unknown = await api('/api/v1/accounts/999999', tokens[a.username]);
    assert.equal(unknown.status, 404);
    for (const u of ALL) {
      const r = await api(`/api/v1/accounts/${ids[u]}`, tokens[a.username]);
      if (a.sees !== 'none' && a.sees.includes(u)) {
        assert.equal(r.status, 200, `${a.username} → ${u}`);
        assert.equal(r.body.username, u);
        assert.equal(r.body.unitOid, TARGETS[u]);
      } else {
        assert.equal(r.status, 404, `${a.username} must not see ${u}`);
        assert.equal(r.text, unknown.text, 'same body as an unknown id');
      }
    }
    assert.equal((await api(`/api/v1/accounts/${deletedId}`, tokens[a.username])).status, 404, 'deleted is gone for everyone');
  }
});

test('ADM-1: an account without administration grants has no account search', async () => {
  assert.equal((await api('/api/v1/accounts', tokens.plainuser)).status, 404);
  assert.equal((await api('/api/v1/systems', tokens.plainuser)).status, 200, 'the system registry is not personal data');
});

/** Every /api/v1 route in the app, with its path parameters filled in. */
function apiRoutes(): { method: string; url: string; fill: (id: number) => string }[] {
  return t.app.routeTable.filter((r) => r.url.startsWith('/api/v1/')).map((r) => {
    const params = [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]);
    const unknown = params.filter((p) => !['id', 'code', 'oid', 'accountId', 'role', 'certId'].includes(p));
    assert.deepEqual(unknown, [], `${r.url}: teach this test a value for the path parameter(s) ${unknown.join(', ')}`);
    // An incident agency's OID, a contact's account and role (INC-1): the agency of the targets; a
    // registered certificate's id (AUTH-8): the target's id (someone else's certificate is "not found").
    return { ...r, fill: (id: number) => r.url.replace(':id', String(id)).replace(':code', 'csm').replace(':oid', '2.16.886.101.90027.20002')
      .replace(':accountId', String(id)).replace(':role', 'security_contact').replace(':certId', String(id)) };
  });
}
/** Public by design: the API description and the OID look-up (ORG-2). Nothing else. */
const PUBLIC = new Set(['/api/v1/openapi.json', '/api/v1/orgs']);

test('every /api/v1 route (from the route table) except the OpenAPI document and OID look-up refuses a missing or bad token with 401', async () => {
  const routes = apiRoutes().filter((r) => !PUBLIC.has(r.url));
  assert.ok(routes.length >= 6, 'the route table lists the administration routes (GET and HEAD)');
  for (const r of routes) {
    for (const auth of [undefined, 'Bearer ', 'Bearer not-a-token', `Bearer ${'A'.repeat(43)}`, `Basic ${tokens[ADMIN_USERNAME]}`, tokens[ADMIN_USERNAME]]) {
      const res = await fetch(t.url + r.fill(ids.agency01), { method: r.method, headers: auth === undefined ? {} : { authorization: auth } });
      assert.equal(res.status, 401, `${r.method} ${r.url} with ${auth === undefined ? 'no' : JSON.stringify(auth.slice(0, 12))} authorization`);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
      if (r.method === 'GET') assert.equal((await res.json()).error, 'api.unauthorized');
    }
  }
  for (const url of PUBLIC) assert.equal((await api(url)).status, 200, `${url} is public`);
});

test('ADM-2: every /api/v1 route answers an out-of-jurisdiction actor with 404 or a body without the accounts it must not see', async () => {
  for (const a of ACTORS.filter((x) => x.username !== ADMIN_USERNAME)) {
    const outside = ALL.filter((u) => a.sees === 'none' || !a.sees.includes(u));
    for (const r of apiRoutes().filter((x) => !PUBLIC.has(x.url) && x.method === 'GET')) {
      for (const u of r.url.includes(':id') ? outside : [outside[0]]) {
        const res = await api(r.fill(ids[u]), tokens[a.username]);
        if (r.url.includes(':id')) { assert.equal(res.status, 404, `${a.username} ${r.url} → ${u}`); continue; }
        for (const o of outside) {
          assert.ok(!res.text.includes(`"${o}"`) && !res.text.includes(nameOf(o)), `${a.username} ${r.url} leaks ${o}`);
        }
      }
    }
  }
});

test('tokens: expired, revoked and disabled-account tokens are refused; last use is written at most once a minute', async () => {
  const short = await issueToken('raagency1', ['--days', '1', '--label', 'short']);
  assert.equal((await api('/api/v1/systems', short)).status, 200);
  const row = () => t.deps.db.selectFrom('api_tokens').select(['last_used_at', 'label', 'token_hash']).where('label', '=', 'short').executeTakeFirstOrThrow();
  const first = (await row()).last_used_at!;
  assert.equal(first.getTime(), t.clock.now().getTime());
  assert.notEqual((await row()).token_hash, short, 'only the hash is stored');
  t.clock.advance(30_000);
  await api('/api/v1/systems', short);
  assert.equal((await row()).last_used_at!.getTime(), first.getTime(), 'not rewritten within a minute');
  t.clock.advance(MINUTE);
  await api('/api/v1/systems', short);
  assert.equal((await row()).last_used_at!.getTime(), t.clock.now().getTime(), 'rewritten after a minute');

  t.clock.advance(DAY);
  assert.equal((await api('/api/v1/systems', short)).status, 401, 'expired after --days 1');
  assert.equal((await api('/api/v1/systems', tokens.raagency1)).status, 200, 'the 90-day token still works');

  const victim = await createAccount(t.deps, { username: 'revokeme1', password: PASSWORD, unitOid: ACTOR_UNIT });
  await createGrant(t.deps, null, { accountId: victim, kind: 'helpdesk', jurisdictionOid: AGENCY, categories: [] }, null);
  const [one, two] = [await issueToken('revokeme1'), await issueToken('revokeme1')];
  assert.equal((await api('/api/v1/accounts', one)).status, 200);
  let out = '';
  assert.equal(await tokenCommand(t.deps, 'revoke', ['--username', 'revokeme1'], { out: (s) => { out += s; }, err: () => {} }), 0);
  assert.match(out, /revoked 2 tokens/);
  for (const tok of [one, two]) assert.equal((await api('/api/v1/accounts', tok)).status, 401, 'revoked');

  const disabled = await createAccount(t.deps, { username: 'disabled1', password: PASSWORD, unitOid: ACTOR_UNIT });
  await createGrant(t.deps, null, { accountId: disabled, kind: 'central', jurisdictionOid: '2.16.886', categories: ['*'] }, null);
  const dtok = await issueToken('disabled1');
  assert.equal((await api('/api/v1/accounts', dtok)).status, 200);
  await t.deps.db.updateTable('accounts').set({ state: 'disabled' }).where('id', '=', disabled).execute();
  assert.equal((await api('/api/v1/accounts', dtok)).status, 401, 'a disabled account\'s token is refused');

  const events = await t.deps.db.selectFrom('audit_events').select('action').where('action', 'like', 'api_token.%').execute();
  assert.ok(events.some((e) => e.action === 'api_token.create') && events.some((e) => e.action === 'api_token.revoke'), 'issuing and revoking are audited');
});

test('token CLI function: usage errors and unknown users', async () => {
  const io = { out: () => {}, err: () => {} };
  assert.equal(await tokenCommand(t.deps, 'create', [], io), 2);
  assert.equal(await tokenCommand(t.deps, 'create', ['--username'], io), 2);
  assert.equal(await tokenCommand(t.deps, 'create', ['--username', 'raagency1', '--days', '0'], io), 1);
  assert.equal(await tokenCommand(t.deps, 'create', ['--username', 'nobody123'], io), 1);
  assert.equal(await tokenCommand(t.deps, 'rotate', ['--username', 'raagency1'], io), 2);
});

test('bad input is 400 JSON with a localised message naming the field', async () => {
  const tok = tokens.raagency1;
  for (const [path, field] of [
    ['/api/v1/accounts?page=0', 'querystring.page'], ['/api/v1/accounts?pageSize=1000', 'querystring.pageSize'],
    ['/api/v1/accounts?unit=2.16.886..1', 'querystring.unit'], ['/api/v1/accounts?unit=9.1', 'querystring.unit'],
    ['/api/v1/accounts?nationalId=123', 'querystring.nationalId'], ['/api/v1/accounts/abc', 'params.id'],
  ] as const) {
    const zh = await api(path, tok);
    assert.equal(zh.status, 400, path);
    assert.deepEqual(zh.body.fields, [field], path);
    assert.match(zh.body.message, /輸入資料有誤|OID/, path);
    const en = await api(path, tok, { 'accept-language': 'en' });
    assert.match(en.body.message, /not valid/, path);
  }
  // A keyword is a keyword: LIKE wildcards match only themselves.
  const wild = await api('/api/v1/accounts?q=%25', tok);
  assert.equal(wild.status, 200);
  assert.equal(wild.body.total, 0);
});

test('SSO-1: the systems and role codes of seeds 000, 001 and 003 are listed with categories and flags', async () => {
  const r = await api('/api/v1/systems', tokens.raagency1);
  assert.equal(r.status, 200);
  const roles = new Map<string, string>();
  for (const s of r.body.items) for (const role of s.roles) roles.set(role.code, s.category);
  for (const [code, cat] of [['csm_admin', 'csm'], ['csm_user', 'csm'], ['bms_user', 'bms'], ['fms_user', 'fms'], ['psm_bob_6k', 'psm'], ['psr_admin', 'psm']]) {
    assert.equal(roles.get(code), cat, code);
  }
  const byName = new Map(r.body.items.map((s: { nameZh: string }) => [s.nameZh, s]));
  for (const n of ['管考系統', '資安現況調查系統', '資本門系統']) assert.ok(byName.has(n), n);
  assert.equal((byName.get('商品標示管理系統') as { flags: { certificateRequired?: boolean } }).flags.certificateRequired, true);
});

test('SSO-1 REQ-1 issue 9 item 14: which subtrees may apply for a system is listed, and set through the API by the central authority alone (audited)', async () => {
  const scopeOf = async (code: string, token = tokens.raagency1) =>
    (await api('/api/v1/systems', token)).body.items.find((s: { code: string }) => s.code === code).applyScope;
  // The samples follow the seeds: seed 000's systems for the agencies, seed 001's for the schools.
  assert.deepEqual(await scopeOf('spm'), ['2.16.886.101']);
  assert.deepEqual(await scopeOf('csm'), ['2.16.886.101']);
  assert.deepEqual(await scopeOf('capital'), ['2.16.886.111']);
  const put = async (token: string, body: unknown) => {
    const r = await fetch(t.url + '/api/v1/systems/spm/apply-scope', {
      method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    return { status: r.status, body: await r.json() };
  };
  assert.equal((await put(tokens.raagency1, { subtrees: ['2.16.886.101.90027'] })).status, 404, 'not the central authority: not found');
  assert.equal((await put(tokens[ADMIN_USERNAME], { subtrees: ['2.16.886.x'] })).status, 400);
  assert.equal((await put(tokens[ADMIN_USERNAME], { subtrees: ['2'] })).status, 400);
  assert.deepEqual(await scopeOf('spm'), ['2.16.886.101'], 'refusals change nothing');
  const ok = await put(tokens[ADMIN_USERNAME], { subtrees: ['2.16.886.111', '2.16.886.101'] });
  assert.deepEqual(ok, { status: 200, body: { code: 'spm', applyScope: ['2.16.886.101', '2.16.886.111'] } });
  assert.deepEqual(await scopeOf('spm'), ['2.16.886.101', '2.16.886.111']);
  const events = await t.deps.db.selectFrom('audit_events').select(['target_id', 'details']).where('action', '=', 'system.applyScope.set').execute();
  assert.deepEqual(events.map((e) => [e.target_id, e.details]), [['spm', { before: ['2.16.886.101'], after: ['2.16.886.101', '2.16.886.111'] }]]);
  await put(tokens[ADMIN_USERNAME], { subtrees: ['2.16.886.101'] });
});

test('ADM-5 ADM-7: role assignment limited to the grant\'s categories and jurisdiction; no grant beyond one\'s own', async () => {
  const actor = await loadActor(t.deps, (await t.deps.db.selectFrom('accounts').select('id').where('username', '=', 'raagency1').executeTakeFirstOrThrow()).id);
  assert.equal(await assignRole(t.deps, actor, ids.child001, 'csm_user', null), 'added');
  assert.equal(await assignRole(t.deps, actor, ids.child001, 'csm_user', null), 'unchanged');
  await assert.rejects(assignRole(t.deps, actor, ids.child001, 'psr_admin', null), (e: HttpError) => e.status === 403, 'psm is not among csm, bms');
  await assert.rejects(assignRole(t.deps, actor, ids.sibling1, 'csm_user', null), (e: HttpError) => e.status === 404, 'outside the jurisdiction');
  await assert.rejects(assignRole(t.deps, actor, ids.parent01, 'csm_user', null), (e: HttpError) => e.status === 404, 'the parent is outside too');
  const detail = await api(`/api/v1/accounts/${ids.child001}`, tokens.raagency1);
  assert.deepEqual(detail.body.roles, ['csm_user']);

  // The holder is an account the actor may see (issue 9 item 9): one of its own subtree.
  const helper = await createAccount(t.deps, { username: 'newhelper', password: PASSWORD, unitOid: CHILD });
  const give = (kind: GrantKind, oid: string, categories: string[]) => createGrant(t.deps, actor, { accountId: helper, kind, jurisdictionOid: oid, categories }, null);
  await assert.rejects(give('registration_admin', CHILD, ['csm']), HttpError, 'a registration administrator cannot create another');
  await assert.rejects(give('main_account', CHILD, ['csm']), HttpError, 'nor a main-account holder');
  await assert.rejects(give('helpdesk', SIBLING, []), HttpError, 'not outside its jurisdiction');
  await assert.rejects(give('helpdesk', PARENT, []), HttpError, 'not above it');
  await assert.rejects(give('helpdesk', LOOK_ALIKE, []), HttpError, 'not at a look-alike prefix');
  await assert.rejects(give('unit_supervisor', CHILD, ['psm']), HttpError, 'not beyond its categories');
  assert.ok(await give('helpdesk', CHILD, ['csm']) > 0, 'a help-desk grant inside, within its categories');
});

test('ADM-2: the SQL predicate selects exactly the OIDs authorize accepts (random OIDs, look-alikes included)', async () => {
  const arc = fc.constantFrom('101', '9002', '90027', '90029', '20002', '20011', '7', '70');
  const oid = fc.array(arc, { maxLength: 4 }).map((r) => ['2', '16', '886', ...r].join('.'));
  await fc.assert(fc.asyncProperty(fc.uniqueArray(oid, { minLength: 1, maxLength: 40 }), fc.uniqueArray(oid, { maxLength: 3 }), async (oids, roots) => {
    const scope = { all: false as const, roots };
    const r = await sql<{ o: string }>`SELECT o FROM unnest(${oids}::text[]) AS v(o) WHERE ${withinScope('o', scope)}`.execute(t.deps.db);
    assert.deepEqual(r.rows.map((x) => x.o).sort(), oids.filter((o) => roots.some((root) => isWithin(o, root))).sort());
  }), { numRuns: 150 });
});

test('ADM-4: name keywords of one, two and three or more characters, any letter case, find the same people', async () => {
  const unit = '2.16.886.101.90029.20002';
  await createAccount(t.deps, { username: 'kwchen001', password: 'Correct-Horse-9', name: '陳怡君', unitOid: unit });
  await createAccount(t.deps, { username: 'kwwang001', password: 'Correct-Horse-9', name: 'Wang Xiaoming', unitOid: unit });
  await createAccount(t.deps, { username: 'kwlin0001', password: 'Correct-Horse-9', name: '林怡', unitOid: unit });
  const find = async (q: string) => (await api(`/api/v1/accounts?unit=${unit}&q=${encodeURIComponent(q)}&pageSize=100`, tokens[ADMIN_USERNAME]))
    .body.items.map((i: { username: string }) => i.username).filter((u: string) => u.startsWith('kw')).sort();
  assert.deepEqual(await find('怡'), ['kwchen001', 'kwlin0001']);       // one character: the gram index
  assert.deepEqual(await find('怡君'), ['kwchen001']);                    // two characters
  assert.deepEqual(await find('陳怡君'), ['kwchen001']);                  // three: pg_trgm
  assert.deepEqual(await find('君怡'), []);                               // order matters
  assert.deepEqual(await find('w'), ['kwwang001']);                       // letter case does not
  assert.deepEqual(await find('XIAO'), ['kwwang001']);
});
