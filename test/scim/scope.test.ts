// SSO-6 ADM-2: the SCIM routes and the token's subtree. (1) A matrix walked from the route table:
// every /scim/v2 resource route, called with tokens over a sibling, the parent, a child and a
// look-alike prefix, answers "not found" for, never lists, never counts and never changes an
// account outside. (2) A property test over random OID trees (seeded PRNG) full of look-alike
// arcs (…7.1 / …7.12 / …7.13): for random tokens, nothing outside the token's subtree is ever
// listed, counted, read, created, patched, replaced, deleted or given a role — and the inside is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { giveGrant, giveRoles } from '../helpers/factories.ts';
import { AGENCY, SIBLING, PARENT, CHILD, LOOK_ALIKE, routesWithProbes, under } from '../helpers/matrix.ts';
import { importOrgs, setPolicy } from '../../src/orgs/service.ts';
import { loadActor } from '../../src/access/actor.ts';
import { isWithin } from '../../src/orgs/oid.ts';
import { issueScimToken } from '../../src/scim/tokens.ts';
import { scimWith, PASSWORD } from './helpers.ts';

const TES = 'urn:tessera:params:scim:schemas:extension:tessera:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let t: TestApp;
let central: Awaited<ReturnType<typeof loadActor>>;
let seq = 0;

/** A registration administrator over `oid` for csm, and a SCIM token they issue over `root` (inside their grant). */
async function tokenOver(oid: string, root = oid): Promise<string> {
  const username = `scimadm${String(++seq).padStart(4, '0')}`;
  const id = await createAccount(t.deps, { username, password: PASSWORD, unitOid: '2.16.886.101', name: `管理者${seq}` });
  await giveGrant(t.deps, id, 'registration_admin', oid, ['csm']);
  const r = await issueScimToken(t.deps, await loadActor(t.deps, id), 'csm', { jurisdictionOid: root }, null);
  assert.ok(r.ok, JSON.stringify(r));
  return r.token;
}

before(async () => {
  t = await startTestApp();
  central = await loadActor(t.deps, (await t.deps.db.selectFrom('accounts').select('id').where('username', '=', ADMIN_USERNAME).executeTakeFirstOrThrow()).id);
  const r = await importOrgs(t.deps, null, `oid,name,agency_code,tenant_code,kind\n${LOOK_ALIKE},相似前綴機關,,,agency\n${LOOK_ALIKE}.20002,相似前綴單位,,,unit\n`, { dryRun: false });
  assert.deepEqual(r.errors, []);
});
after(() => t?.close());

/** Accounts, roles and tokens' view of the world outside a subtree, to compare before and after. */
async function outsideState(root: string) {
  const db = t.deps.db;
  const accounts = (await db.selectFrom('accounts').selectAll().orderBy('id').execute()).filter((a) => !isWithin(a.unit_oid, root));
  const ids = accounts.map((a) => a.id);
  const roles = ids.length ? await db.selectFrom('role_grants').select(['account_id', 'role_code']).where('account_id', 'in', ids).orderBy('account_id').orderBy('role_code').execute() : [];
  return JSON.stringify({ accounts, roles });
}

type Probe = { about: 'list'; query?: string; body?: unknown } | { about: 'user'; body?: unknown } | { about: 'create' } | { about: 'group'; body: (id: number) => unknown }
  | { about: 'groupDelete' };
const PROBES: Record<string, Probe> = {
  'GET /scim/v2/Users': { about: 'list', query: '?count=200' },
  'POST /scim/v2/Users/.search': { about: 'list', body: { count: 200, filter: 'not (userName eq "nobody")' } },
  'GET /scim/v2/Users/:id': { about: 'user' },
  'POST /scim/v2/Users': { about: 'create' },
  'PUT /scim/v2/Users/:id': { about: 'user', body: { userName: 'x', name: { formatted: '改名' } } },
  'PATCH /scim/v2/Users/:id': { about: 'user', body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] } },
  'DELETE /scim/v2/Users/:id': { about: 'user' },
  'GET /scim/v2/Groups': { about: 'list', query: '?count=200' },
  'POST /scim/v2/Groups/.search': { about: 'list', body: { filter: 'id eq "csm_user"' } },
  'GET /scim/v2/Groups/:id': { about: 'list' },
  'PATCH /scim/v2/Groups/:id': { about: 'group', body: (id) => ({ schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: String(id) }] }] }) },
  'PUT /scim/v2/Groups/:id': { about: 'group', body: (id) => ({ displayName: 'csm_admin', members: [{ value: String(id) }] }) },
  'POST /scim/v2/Groups': { about: 'group', body: (id) => ({ displayName: `scope${id}`, members: [{ value: String(id) }] }) },
  // A role of the central registry, held outside every token's subtree: never deleted through SCIM.
  'DELETE /scim/v2/Groups/:id': { about: 'groupDelete' },
};
/** Public by design (RFC 7644 §4: the service's own description, no personal data). */
const DISCOVERY = ['/scim/v2/ServiceProviderConfig', '/scim/v2/ResourceTypes', '/scim/v2/Schemas'];

test('SSO-6 ADM-2: every /scim/v2 route, with tokens over a sibling, the parent, a child and a look-alike prefix, hides and leaves untouched every account outside', async () => {
  const targets: Record<string, string> = { parent01: PARENT, agency01: AGENCY, child001: CHILD, grandch1: CHILD + '.20033', sibling1: SIBLING, lookalk1: LOOK_ALIKE, lookchd1: LOOK_ALIKE + '.20002' };
  const ids: Record<string, number> = {};
  for (const [u, unit] of Object.entries(targets)) {
    ids[u] = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: unit, name: `對象${u}` });
    await giveRoles(t.deps, ids[u], 'csm_admin');
  }
  const routes = routesWithProbes(t.app, (url) => under(['/scim/v2'])(url) && !under(DISCOVERY)(url) && url !== '/scim/v2/*', PROBES, 'test/scim/scope.test.ts');
  assert.equal(routes.length, Object.keys(PROBES).length);
  let calls = 0;
  for (const root of [AGENCY, SIBLING, PARENT, CHILD, LOOK_ALIKE]) {
    const scim = scimWith(t, await tokenOver(root));
    const before = await outsideState(root);
    const outside = Object.keys(targets).filter((u) => !isWithin(targets[u], root));
    for (const r of routes) {
      const p = r.probe;
      const url = r.url.replace('/scim/v2', '').replace(':id', p.about === 'user' ? ':id' : 'csm_admin');
      if (p.about === 'list') {
        const res = await scim(r.method, url + (p.query ?? ''), p.body);
        calls++;
        assert.equal(res.status, 200, `${root} ${r.method} ${r.url}`);
        const text = JSON.stringify(res.body);
        for (const u of outside) assert.ok(!text.includes(`對象${u}`) && !text.includes(`"${ids[u]}"`), `${root} ${r.method} ${r.url} shows ${u}`);
      } else if (p.about === 'groupDelete') {
        const res = await scim(r.method, url);
        calls++;
        assert.equal(res.status, 403, `${root} ${r.method} ${r.url}`);
      } else if (p.about === 'create') {
        for (const u of outside) {
          const res = await scim('POST', url, { userName: `new${u}`, name: { formatted: '新' }, emails: [{ value: 'x@example.gov.tw' }], [TES]: { unitOid: targets[u] } });
          calls++;
          assert.equal(res.status, 400, `${root} creates in ${targets[u]}`);
        }
      } else {
        for (const u of outside) {
          const res: { status: number } = p.about === 'group' ? await scim(r.method, url, p.body(ids[u])) : await scim(r.method, url.replace(':id', String(ids[u])), p.body);
          calls++;
          assert.equal(res.status, p.about === 'group' ? 400 : 404, `${root} ${r.method} ${r.url} → ${u}`);
        }
      }
    }
    assert.equal(await outsideState(root), before, `nothing outside ${root} changed`);
  }
  assert.ok(calls > 100, `${calls} calls`);
});

/** mulberry32: a small seeded PRNG, so a failing tree can be replayed from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let x = a; x = Math.imul(x ^ (x >>> 15), x | 1); x ^= x + Math.imul(x ^ (x >>> 7), x | 61); return ((x ^ (x >>> 14)) >>> 0) / 4294967296; };
}
const ARCS = ['1', '12', '13', '2', '21', '3'];

test('SSO-6 ADM-2: property — over random OID trees with look-alike arcs and random tokens, nothing outside the token\'s subtree is listed, counted, read, created, patched or deleted', async () => {
  const seeds = [1, 2, 3];
  for (const seed of seeds) {
    const rand = prng(seed);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const top = `2.16.886.101.${700 + seed}`;
    const nodes = new Set([top]);
    while (nodes.size < 14) { const parent = pick([...nodes]); if (parent.split('.').length < 9) nodes.add(`${parent}.${pick(ARCS)}`); }
    const sorted = [...nodes].sort((a, b) => a.split('.').length - b.split('.').length);
    const csv = 'oid,name,agency_code,tenant_code,kind\n' + sorted.map((o, i) => `${o},隨機機關${seed}-${i},,,${i === 0 ? 'agency' : 'unit'}`).join('\n') + '\n';
    const imp = await importOrgs(t.deps, null, csv, { dryRun: false });
    assert.deepEqual(imp.errors, [], `seed ${seed}`);
    const p = await setPolicy(t.deps, central, top, { 'initialPassword.scheme': 'email_link', 'nationalId.required': 'false' }, null);
    assert.ok(p.ok);
    const people: { id: number; unit: string; username: string }[] = [];
    for (let i = 0; i < 24; i++) {
      const unit = pick(sorted);
      const username = `p${seed}x${String(i).padStart(4, '0')}`;
      const id = await createAccount(t.deps, { username, password: PASSWORD, unitOid: unit, name: `隨機人${seed}-${i}` });
      if (rand() < 0.5) await giveRoles(t.deps, id, 'csm_user');
      people.push({ id, unit, username });
    }
    for (let k = 0; k < 3; k++) {
      const root = pick(sorted);
      // The issuer's grant is the root itself or an ancestor inside the tree: the token is narrower still.
      const grantAt = pick(sorted.filter((o) => isWithin(root, o)));
      const scim = scimWith(t, await tokenOver(grantAt, root));
      const inside = people.filter((x) => isWithin(x.unit, root) && x.username !== 'gone');
      const outside = people.filter((x) => !isWithin(x.unit, root));
      const before = await outsideState(root);
      const label = `seed ${seed} token ${root}`;

      const listed = await scim('GET', `/Users?count=200&filter=${encodeURIComponent(`userName sw "p${seed}x"`)}`);
      assert.equal(listed.status, 200, label);
      assert.equal(listed.body.totalResults, inside.length, `${label}: counted`);
      assert.deepEqual(listed.body.Resources.map((u: { id: string }) => Number(u.id)).sort((a: number, b: number) => a - b), inside.map((x) => x.id).sort((a, b) => a - b), `${label}: listed`);
      for (const u of listed.body.Resources) assert.ok(isWithin(u[TES].unitOid, root), `${label}: ${u[TES].unitOid}`);
      const negated = await scim('GET', `/Users?count=0&filter=${encodeURIComponent(`not (userName sw "p${seed}x") or userName sw "p${seed}x"`)}`);
      assert.ok(negated.body.totalResults >= inside.length && negated.body.totalResults <= inside.length + 40, `${label}: not() reaches nothing outside`);
      const group = await scim('GET', '/Groups/csm_user');
      for (const m of group.body.members) assert.ok(inside.some((x) => String(x.id) === m.value), `${label}: member ${m.value} outside`);

      for (const o of outside) {
        assert.equal((await scim('GET', `/Users/${o.id}`)).status, 404, `${label}: read ${o.unit}`);
        assert.equal((await scim('PATCH', `/Users/${o.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: '越權' }] })).status, 404, `${label}: patch ${o.unit}`);
        assert.equal((await scim('PUT', `/Users/${o.id}`, { userName: o.username, name: { formatted: '越權' } })).status, 404, `${label}: put ${o.unit}`);
        assert.equal((await scim('DELETE', `/Users/${o.id}`)).status, 404, `${label}: delete ${o.unit}`);
        assert.equal((await scim('PATCH', '/Groups/csm_admin', { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: String(o.id) }] }] })).status, 400, `${label}: role to ${o.unit}`);
        const created = await scim('POST', '/Users', { userName: `c${seed}${k}${o.id}`, name: { formatted: '越權' }, emails: [{ value: 'x@example.gov.tw' }], [TES]: { unitOid: o.unit } });
        assert.equal(created.status, 400, `${label}: create in ${o.unit}`);
      }
      if (inside.length && outside.length) {
        const moved = await scim('PATCH', `/Users/${inside[0].id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: `${TES}:unitOid`, value: outside[0].unit }] });
        assert.equal(moved.status, 400, `${label}: move out to ${outside[0].unit}`);
      }
      assert.equal(await outsideState(root), before, `${label}: nothing outside changed`);
      // The probes are real: inside, the same calls succeed.
      const mine = await scim('POST', '/Users', { userName: `m${seed}${k}${String(Date.now()).slice(-6)}`, name: { formatted: '自己人' }, emails: [{ value: 'x@example.gov.tw' }], [TES]: { unitOid: root } });
      assert.equal(mine.status, 201, `${label}: create inside ${JSON.stringify(mine.body)}`);
      assert.equal((await scim('PATCH', `/Users/${mine.body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: '科員' }] })).status, 200);
      assert.equal((await scim('DELETE', `/Users/${mine.body.id}`)).status, 204);
    }
  }
});
