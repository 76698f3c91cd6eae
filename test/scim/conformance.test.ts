// SSO-6: the SCIM 2.0 conformance suite through HTTP on a real database (RFC 7643, RFC 7644):
// discovery, every filter operator and their combinations, sorting, paging edges, projections,
// every PATCH form, ETag 412, uniqueness 409, the error schema and content type, and the request
// shapes Entra ID and Okta actually send. The token belongs to a registration administrator of an
// agency for the csm category; a sibling agency's people exist and must never show.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { giveRoles } from '../helpers/factories.ts';
import { loadActor } from '../../src/access/actor.ts';
import { setPolicy } from '../../src/orgs/service.ts';
import { administrator, issueToken, scimWith, PASSWORD, SCIM_TYPE, type ScimRes } from './helpers.ts';

const AGENCY = '2.16.886.101.90027.20002';
const CHILD = AGENCY + '.20011';
const SIBLING = '2.16.886.101.90029.20002';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const TES = 'urn:tessera:params:scim:schemas:extension:tessera:2.0:User';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let t: TestApp;
let scim: ReturnType<typeof scimWith>;
let raId: number;
const ids: Record<string, number> = {};

before(async () => {
  t = await startTestApp();
  const central = await loadActor(t.deps, (await t.deps.db.selectFrom('accounts').select('id').where('username', '=', ADMIN_USERNAME).executeTakeFirstOrThrow()).id);
  // SCIM never carries the national ID: this agency activates by e-mail link and does not require it.
  const p = await setPolicy(t.deps, central, AGENCY, { 'initialPassword.scheme': 'email_link', 'nationalId.required': 'false' }, null);
  assert.ok(p.ok, JSON.stringify(p));
  const ra = await administrator(t, 'raagency1', 'registration_admin', AGENCY, ['csm']);
  raId = ra.id;
  scim = scimWith(t, await issueToken(t, ra.apiToken, 'csm', AGENCY));
  const people: [string, string, Record<string, unknown>, string?][] = [
    ['alice001', AGENCY, { email: 'alice@example.gov.tw', title: '科長', department: '商業科', officePhone: '04-22289111', staffCode: 'E001' }],
    ['bob00001', CHILD, { email: 'bob@example.gov.tw', title: '科員', mobile: '0912345678' }],
    ['carol001', AGENCY, { title: '技士' }, 'disabled'],
    ['dave0001', CHILD + '.20033', {}],
    ['sibling1', SIBLING, { email: 'sib@example.gov.tw', title: '科長' }],
  ];
  for (const [u, unit, profile, state] of people) {
    ids[u] = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: unit, name: `測試${u}`, state, profile });
  }
  await giveRoles(t.deps, ids.alice001, 'csm_user');
  await giveRoles(t.deps, ids.sibling1, 'csm_user');
});
after(() => t?.close());

const names = (r: ScimRes) => r.body.Resources.map((u: { userName: string }) => u.userName).sort();
const list = async (query: string) => {
  const r = await scim('GET', '/Users?' + query);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r;
};
const filter = async (f: string) => names(await list('filter=' + encodeURIComponent(f)));
const isScimError = (r: ScimRes, status: number, scimType?: string) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.match(r.headers.get('content-type') ?? '', /^application\/scim\+json/);
  assert.deepEqual(r.body.schemas, [ERROR]);
  assert.equal(r.body.status, String(status));
  if (scimType) assert.equal(r.body.scimType, scimType);
  assert.equal(typeof r.body.detail, 'string');
};
const IN_SCOPE = ['alice001', 'bob00001', 'carol001', 'dave0001'];

test('SSO-6: discovery — ServiceProviderConfig, ResourceTypes and Schemas describe what is supported, as application/scim+json, without a token', async () => {
  const anon = scimWith(t, null);
  const spc = await anon('GET', '/ServiceProviderConfig');
  assert.equal(spc.status, 200);
  assert.match(spc.headers.get('content-type')!, /^application\/scim\+json/);
  assert.equal(spc.body.patch.supported, true);
  assert.equal(spc.body.bulk.supported, false);
  assert.deepEqual(spc.body.filter, { supported: true, maxResults: 200 });
  assert.equal(spc.body.sort.supported, true);
  assert.equal(spc.body.etag.supported, true);
  assert.equal(spc.body.authenticationSchemes[0].type, 'oauthbearertoken');
  const rt = await anon('GET', '/ResourceTypes');
  assert.deepEqual(rt.body.Resources.map((r: { id: string }) => r.id), ['User', 'Group']);
  assert.deepEqual(rt.body.Resources[0].schemaExtensions.map((e: { schema: string }) => e.schema), [ENT, TES]);
  assert.equal((await anon('GET', '/ResourceTypes/User')).body.endpoint, '/Users');
  const schemas = await anon('GET', '/Schemas');
  const byId = Object.fromEntries(schemas.body.Resources.map((s: { id: string }) => [s.id, s]));
  assert.deepEqual(Object.keys(byId).sort(), ['urn:ietf:params:scim:schemas:core:2.0:Group', 'urn:ietf:params:scim:schemas:core:2.0:User', ENT, TES].sort());
  const tessera = byId[TES].attributes.map((a: { name: string }) => a.name);
  assert.deepEqual(tessera, ['organizationOid', 'organizationName', 'unitOid', 'unitName', 'title', 'officePhone']);
  assert.doesNotMatch(JSON.stringify(schemas.body), /national/i, 'the national ID is never part of any schema');
  const userName = byId['urn:ietf:params:scim:schemas:core:2.0:User'].attributes.find((a: { name: string }) => a.name === 'userName');
  assert.equal(userName.caseExact, false);
  assert.equal(userName.uniqueness, 'server');
  isScimError(await anon('GET', '/Schemas/urn:nope'), 404);
});

test('SSO-6: without a valid token every resource endpoint is 401 in the SCIM error schema', async () => {
  for (const s of [scimWith(t, null), scimWith(t, 'x'.repeat(43)), scimWith(t, 'not a token')]) {
    for (const [m, p] of [['GET', '/Users'], ['GET', `/Users/${ids.alice001}`], ['POST', '/Users'], ['GET', '/Groups']] as const) {
      const r = await s(m, p, m === 'POST' ? { userName: 'x' } : undefined);
      isScimError(r, 401);
      assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/);
    }
  }
});

test('SSO-6: GET /Users lists the token\'s subtree only, with totalResults, ListResponse schema, the Tessera extension and never the national ID', async () => {
  const r = await list('');
  assert.deepEqual(r.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
  assert.equal(r.body.totalResults, 4);
  assert.equal(r.body.startIndex, 1);
  assert.equal(r.body.itemsPerPage, 4);
  assert.deepEqual(names(r), IN_SCOPE);
  const alice = r.body.Resources.find((u: { userName: string }) => u.userName === 'alice001');
  assert.equal(alice.id, String(ids.alice001));
  assert.equal(alice.name.formatted, '測試alice001');
  assert.equal(alice.active, true);
  assert.deepEqual(alice.emails, [{ value: 'alice@example.gov.tw', type: 'work', primary: true }]);
  assert.deepEqual(alice[ENT], { department: '商業科', employeeNumber: 'E001', organization: '臺中市政府經濟發展局商業科' });
  assert.equal(alice[TES].unitOid, AGENCY);
  assert.equal(alice[TES].organizationOid, AGENCY);
  assert.equal(alice[TES].officePhone, '04-22289111');
  assert.match(alice.meta.version, /^W\/".+"$/);
  assert.equal(alice.meta.location, `${t.url}/scim/v2/Users/${ids.alice001}`);
  assert.equal(r.body.Resources.find((u: { userName: string }) => u.userName === 'carol001').active, false);
  assert.doesNotMatch(JSON.stringify(r.body), /national|A1\d{8}/i);
});

test('SSO-6: each filter operator — eq (userName case-insensitive, id case-exact) ne co sw ew pr gt ge lt le', async () => {
  assert.deepEqual(await filter('userName eq "ALICE001"'), ['alice001']);
  assert.deepEqual(await filter(`id eq "${ids.bob00001}"`), ['bob00001']);
  assert.deepEqual(await filter('id eq "abc"'), []);
  assert.deepEqual(await filter('userName ne "alice001"'), ['bob00001', 'carol001', 'dave0001']);
  assert.deepEqual(await filter('emails co "EXAMPLE.gov"'), ['alice001', 'bob00001']);
  assert.deepEqual(await filter('userName sw "b"'), ['bob00001']);
  assert.deepEqual(await filter('userName ew "0001"'), ['bob00001', 'dave0001']);
  assert.deepEqual(await filter('title pr'), ['alice001', 'bob00001', 'carol001']);
  assert.deepEqual(await filter('userName gt "bob00001"'), ['carol001', 'dave0001']);
  assert.deepEqual(await filter('userName ge "bob00001"'), ['bob00001', 'carol001', 'dave0001']);
  assert.deepEqual(await filter('userName lt "bob00001"'), ['alice001']);
  assert.deepEqual(await filter('userName le "bob00001"'), ['alice001', 'bob00001']);
  assert.deepEqual(await filter('meta.lastModified ge "2000-01-01T00:00:00Z"'), IN_SCOPE);
  assert.deepEqual(await filter('meta.created lt "2000-01-01T00:00:00Z"'), []);
  assert.deepEqual(await filter('active eq false'), ['carol001']);
  assert.deepEqual(await filter('title eq null'), ['dave0001']);
  assert.deepEqual(await filter('sibling1 pr or userName eq "sibling1"'.replace('sibling1 pr or ', '')), [], 'a look-up of someone outside finds nothing');
});

test('SSO-6: filter combinations — and, or, not, grouping, precedence, value paths, schema-URN paths', async () => {
  assert.deepEqual(await filter('title eq "科長" or title eq "科員" and userName sw "x"'), ['alice001']);
  assert.deepEqual(await filter('(title eq "科長" or title eq "科員") and userName sw "b"'), ['bob00001']);
  assert.deepEqual(await filter('not (title pr)'), ['dave0001']);
  assert.deepEqual(await filter('not (emails pr) and not (active eq false)'), ['dave0001']);
  assert.deepEqual(await filter('emails[type eq "work" and value co "alice"]'), ['alice001']);
  assert.deepEqual(await filter('phoneNumbers[type eq "mobile"]'), ['bob00001']);
  assert.deepEqual(await filter('phoneNumbers.value sw "04-"'), ['alice001']);
  assert.deepEqual(await filter(`${ENT}:department eq "商業科"`), ['alice001']);
  assert.deepEqual(await filter(`${ENT}:employeeNumber eq "E001"`), ['alice001']);
  assert.deepEqual(await filter(`${TES}:unitOid sw "${CHILD}"`), ['bob00001', 'dave0001']);
  assert.deepEqual(await filter(`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "dave0001"`), ['dave0001']);
  assert.deepEqual(await filter('name.formatted co "carol"'), ['carol001']);
});

test('SSO-6: a malformed filter, an unsupported attribute or an operator a type lacks is 400 invalidFilter', async () => {
  for (const f of ['userName eq', 'userName eq "a" and', 'nationalId eq "A123456789"', 'password pr', 'active gt true', 'meta.created eq "yesterday"',
    'userName eq 5', `${TES}:userName eq "x"`, 'emails[value eq "a"', "userName eq 'a'"]) {
    isScimError(await scim('GET', '/Users?filter=' + encodeURIComponent(f)), 400, 'invalidFilter');
  }
});

test('SSO-6: sortBy/sortOrder, and paging edges — startIndex 0 and past the end, count 0, Okta\'s count=2 probe', async () => {
  assert.deepEqual((await list('sortBy=userName')).body.Resources.map((u: { userName: string }) => u.userName), IN_SCOPE);
  assert.deepEqual((await list('sortBy=userName&sortOrder=descending')).body.Resources.map((u: { userName: string }) => u.userName), [...IN_SCOPE].reverse());
  assert.deepEqual((await list('sortBy=title&sortOrder=ascending&count=1')).body.Resources.map((u: { title?: string }) => u.title), ['技士']);
  const zero = await list('startIndex=0&count=2&sortBy=userName');
  assert.equal(zero.body.startIndex, 1);
  assert.deepEqual(zero.body.Resources.map((u: { userName: string }) => u.userName), ['alice001', 'bob00001']);
  const second = await list('startIndex=3&count=2&sortBy=userName');
  assert.deepEqual(second.body.Resources.map((u: { userName: string }) => u.userName), ['carol001', 'dave0001']);
  const past = await list('startIndex=50&count=10');
  assert.equal(past.body.totalResults, 4);
  assert.deepEqual(past.body.Resources, []);
  assert.equal(past.body.itemsPerPage, 0);
  const count0 = await list('count=0');
  assert.equal(count0.body.totalResults, 4);
  assert.deepEqual(count0.body.Resources, []);
  const probe = await list('startIndex=1&count=2');
  assert.equal(probe.body.totalResults, 4);
  assert.equal(probe.body.Resources.length, 2);
  const negative = await list('count=-5');
  assert.deepEqual(negative.body.Resources, []);
  isScimError(await scim('GET', '/Users?sortBy=nationalId'), 400, 'invalidValue');
  isScimError(await scim('GET', '/Users?count=abc'), 400);
});

test('SSO-6: attributes and excludedAttributes on lists, single reads and /.search; id and schemas always', async () => {
  const only = await list('attributes=userName&filter=' + encodeURIComponent('userName eq "alice001"'));
  assert.deepEqual(Object.keys(only.body.Resources[0]).sort(), ['id', 'schemas', 'userName']);
  const sub = await scim('GET', `/Users/${ids.alice001}?attributes=emails.value,${ENT}:department`);
  assert.deepEqual(sub.body.emails, [{ value: 'alice@example.gov.tw' }]);
  assert.deepEqual(sub.body[ENT], { department: '商業科' });
  assert.equal(sub.body.userName, undefined);
  const without = await scim('GET', `/Users/${ids.alice001}?excludedAttributes=emails,meta,${TES}:officePhone`);
  assert.equal(without.body.emails, undefined);
  assert.equal(without.body.meta, undefined);
  assert.equal(without.body[TES].officePhone, undefined);
  assert.equal(without.body[TES].unitOid, AGENCY);
  assert.equal(without.body.id, String(ids.alice001));
  const search = await scim('POST', '/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'title pr', sortBy: 'userName', attributes: ['userName'], count: 2 });
  assert.equal(search.status, 200);
  assert.equal(search.body.totalResults, 3);
  assert.deepEqual(search.body.Resources.map((u: Record<string, unknown>) => Object.keys(u).sort()), [['id', 'schemas', 'userName'], ['id', 'schemas', 'userName']]);
});

test('SSO-6: GET /Users/{id} answers the ETag; someone outside the subtree, unknown or malformed ids are 404', async () => {
  const r = await scim('GET', `/Users/${ids.alice001}`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('etag'), r.body.meta.version);
  for (const id of [ids.sibling1, 999999, 'abc', '0', '-1']) isScimError(await scim('GET', `/Users/${id}`), 404);
});

let created: { id: string; version: string };

test('SSO-6 ADM-3: POST /Users in Okta\'s shape — 201, Location, ETag, audited as the issuing administrator; the same userName again is 409 uniqueness', async () => {
  const okta = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'okta0001', name: { givenName: '小明', familyName: '王' },
    emails: [{ primary: true, value: 'okta0001@example.gov.tw', type: 'work' }], displayName: '王小明', locale: 'zh-TW', externalId: '00u1', groups: [],
    password: 'ignored-Secret-1', active: true,
  };
  const r = await scim('POST', '/Users', okta);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.match(r.headers.get('content-type')!, /^application\/scim\+json/);
  assert.equal(r.headers.get('location'), `${t.url}/scim/v2/Users/${r.body.id}`);
  assert.equal(r.headers.get('etag'), r.body.meta.version);
  assert.equal(r.body.name.formatted, '王小明');
  assert.equal(r.body[TES].unitOid, AGENCY, 'without a unit the account goes to the token\'s subtree root');
  created = { id: r.body.id, version: r.body.meta.version };
  const row = await t.deps.db.selectFrom('accounts').selectAll().where('id', '=', Number(r.body.id)).executeTakeFirstOrThrow();
  assert.equal(row.state, 'not_activated');
  const event = await t.deps.db.selectFrom('audit_events').selectAll().where('action', '=', 'account.create').where('target_id', '=', r.body.id).executeTakeFirstOrThrow();
  assert.equal(Number(event.actor_account_id), raId);
  const again = await scim('POST', '/Users', { ...okta, userName: 'OKTA0001' });
  isScimError(again, 409, 'uniqueness');
  isScimError(await scim('POST', '/Users', { name: { formatted: 'x' } }), 400, 'invalidValue');
  isScimError(await scim('POST', '/Users', { userName: 'outside1', name: { formatted: '外' }, [TES]: { unitOid: SIBLING } }), 400, 'invalidValue');
  assert.equal(await t.deps.db.selectFrom('accounts').select('id').where('username', '=', 'outside1').executeTakeFirst(), undefined);
  isScimError(await scim('POST', '/Users', '{"userName":'), 400);
});

test('SSO-6 ADM-3: POST /Users in Entra ID\'s shape, with the enterprise extension and active "False"', async () => {
  const r = await scim('POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT], externalId: 'entra-1', userName: 'entra001', active: 'False', displayName: '林美玲',
    emails: [{ primary: true, type: 'work', value: 'entra001@example.gov.tw' }], title: '專員',
    name: { formatted: '林美玲', familyName: '林', givenName: '美玲' }, phoneNumbers: [{ type: 'work', value: '04-1234567' }, { type: 'mobile', value: '0911222333' }],
    [ENT]: { employeeNumber: 'X9', department: '資訊室' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.active, false);
  assert.equal(r.body[ENT].department, '資訊室');
  assert.deepEqual(r.body.phoneNumbers, [{ value: '04-1234567', type: 'work' }, { value: '0911-222333', type: 'mobile' }]);
  assert.equal((await t.deps.db.selectFrom('accounts').select('state').where('id', '=', Number(r.body.id)).executeTakeFirstOrThrow()).state, 'disabled');
});

const patch = (id: string | number, ops: unknown[], headers: Record<string, string> = {}) => scim('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: ops }, headers);

test('SSO-6 ADM-5: every PATCH form — add/replace/remove with a path, without a path, value-filter paths, URN paths, Entra\'s "Replace" and "False"', async () => {
  const id = created.id;
  let r = await patch(id, [{ op: 'add', path: 'title', value: '科員' }]);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.title, '科員');
  r = await patch(id, [{ op: 'replace', path: 'title', value: '股長' }]);
  assert.equal(r.body.title, '股長');
  r = await patch(id, [{ op: 'remove', path: 'title' }]);
  assert.equal(r.body.title, undefined);
  r = await patch(id, [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'new0001@example.gov.tw' }]);
  assert.deepEqual(r.body.emails, [{ value: 'new0001@example.gov.tw', type: 'work', primary: true }]);
  r = await patch(id, [{ op: 'add', path: 'phoneNumbers[type eq "mobile"].value', value: '0922333444' }]);
  assert.deepEqual(r.body.phoneNumbers, [{ value: '0922-333444', type: 'mobile' }]);
  r = await patch(id, [{ op: 'remove', path: 'phoneNumbers[type eq "mobile"]' }]);
  assert.equal(r.body.phoneNumbers, undefined);
  r = await patch(id, [{ op: 'replace', path: `${ENT}:department`, value: '人事室' }]);
  assert.equal(r.body[ENT].department, '人事室');
  r = await patch(id, [{ op: 'add', value: { [ENT]: { employeeNumber: 'E77' }, title: '主任' } }]);
  assert.equal(r.body[ENT].employeeNumber, 'E77');
  assert.equal(r.body[ENT].department, '人事室');
  assert.equal(r.body.title, '主任');
  r = await patch(id, [{ op: 'Replace', value: { 'name.familyName': '陳', 'name.givenName': '大文' } }]);
  assert.equal(r.body.name.formatted, '陳大文');
  r = await patch(id, [{ op: 'replace', path: 'displayName', value: '陳大武' }]);
  assert.equal(r.body.displayName, '陳大武');
  r = await patch(id, [{ op: 'Replace', path: 'active', value: 'False' }]);
  assert.equal(r.body.active, false);
  assert.equal((await t.deps.db.selectFrom('accounts').select('state').where('id', '=', Number(id)).executeTakeFirstOrThrow()).state, 'disabled');
  r = await patch(id, [{ op: 'replace', value: { active: true } }]);
  assert.equal(r.body.active, true);
  r = await patch(id, [{ op: 'replace', path: `${TES}:unitOid`, value: CHILD }]);
  assert.equal(r.body[TES].unitOid, CHILD, 'a move inside the subtree');
  isScimError(await patch(id, [{ op: 'replace', path: `${TES}:unitOid`, value: SIBLING }]), 400, 'invalidValue');
  isScimError(await patch(id, [{ op: 'replace', path: 'userName', value: 'renamed1' }]), 400, 'mutability');
  isScimError(await patch(id, [{ op: 'jump', path: 'title', value: 'x' }]), 400, 'invalidSyntax');
  isScimError(await patch(id, [{ op: 'replace', path: 'emails[type eq "work"', value: 'x' }]), 400, 'invalidPath');
  isScimError(await patch(id, [{ op: 'remove' }]), 400, 'noTarget');
  isScimError(await patch(ids.sibling1, [{ op: 'replace', path: 'title', value: 'x' }]), 404);
  const events = await t.deps.db.selectFrom('audit_events').select(['action', 'actor_account_id']).where('target_id', '=', id).execute();
  assert.ok(events.some((e) => e.action === 'account.update' && Number(e.actor_account_id) === raId));
  assert.ok(events.some((e) => e.action === 'account.state' && Number(e.actor_account_id) === raId));
});

test('SSO-6: PUT replaces the representation; If-Match with a stale version is 412 and changes nothing; "*" and the current one pass', async () => {
  const id = created.id;
  const current = (await scim('GET', `/Users/${id}`)).body;
  const stale = created.version;
  assert.notEqual(stale, current.meta.version);
  isScimError(await patch(id, [{ op: 'replace', path: 'title', value: '不該寫入' }], { 'if-match': stale }), 412);
  assert.notEqual((await scim('GET', `/Users/${id}`)).body.title, '不該寫入');
  const put = await scim('PUT', `/Users/${id}`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'okta0001', name: { formatted: '王小明' }, active: true }, { 'if-match': current.meta.version });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.name.formatted, '王小明');
  assert.equal(put.body.title, undefined, 'left out: cleared');
  assert.equal(put.body.emails, undefined);
  assert.notEqual(put.headers.get('etag'), current.meta.version);
  isScimError(await scim('PUT', `/Users/${id}`, { userName: 'okta0001', name: { formatted: '王' } }, { 'if-match': current.meta.version }), 412);
  assert.equal((await scim('PUT', `/Users/${id}`, { userName: 'okta0001', name: { formatted: '王小明' }, title: '科員' }, { 'if-match': '*' })).status, 200);
});

test('SSO-6 ADM-5: DELETE /Users/{id} deletes irreversibly (204) and the user is then 404; outside the subtree is 404 and nothing changes', async () => {
  isScimError(await scim('DELETE', `/Users/${ids.sibling1}`), 404);
  assert.equal((await t.deps.db.selectFrom('accounts').select('state').where('id', '=', ids.sibling1).executeTakeFirstOrThrow()).state, 'enabled');
  isScimError(await scim('DELETE', `/Users/${created.id}`, undefined, { 'if-match': 'W/"old"' }), 412);
  const r = await scim('DELETE', `/Users/${created.id}`);
  assert.equal(r.status, 204);
  isScimError(await scim('GET', `/Users/${created.id}`), 404);
  assert.equal((await t.deps.db.selectFrom('accounts').select('state').where('id', '=', Number(created.id)).executeTakeFirstOrThrow()).state, 'deleted');
});

test('SSO-6 ADM-5 ADM-7: Groups are the system\'s roles; members are holders inside the subtree; PATCH adds and removes through role assignment', async () => {
  const groups = await scim('GET', '/Groups');
  assert.equal(groups.status, 200);
  assert.ok(groups.body.Resources.every((g: { id: string }) => g.id.startsWith('csm_')), 'only the token\'s system');
  const user = await scim('GET', '/Groups/csm_user');
  assert.deepEqual(user.body.members.map((m: { value: string }) => m.value), [String(ids.alice001)], 'the sibling agency\'s holder is not listed');
  const byName = await scim('GET', '/Groups?filter=' + encodeURIComponent('displayName eq "csm_user"') + '&excludedAttributes=members');
  assert.equal(byName.body.totalResults, 1);
  assert.equal(byName.body.Resources[0].members, undefined);
  isScimError(await scim('GET', '/Groups/bms_user'), 404, undefined);
  let r = await scim('PATCH', '/Groups/csm_user', { schemas: [PATCH], Operations: [{ op: 'Add', path: 'members', value: [{ value: String(ids.bob00001) }] }] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.members.map((m: { value: string }) => m.value).sort(), [String(ids.alice001), String(ids.bob00001)].sort());
  r = await scim('PATCH', '/Groups/csm_user', { schemas: [PATCH], Operations: [{ op: 'remove', path: `members[value eq "${ids.alice001}"]` }] });
  assert.deepEqual(r.body.members.map((m: { value: string }) => m.value), [String(ids.bob00001)]);
  const ev = await t.deps.db.selectFrom('audit_events').select(['action', 'actor_account_id']).where('action', '=', 'role.set').where('target_id', '=', String(ids.alice001)).execute();
  assert.equal(ev.length, 1);
  isScimError(await scim('PATCH', '/Groups/csm_user', { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: String(ids.sibling1) }] }] }), 400, 'invalidValue');
  const held = await t.deps.db.selectFrom('role_grants').select('role_code').where('account_id', '=', ids.sibling1).execute();
  assert.deepEqual(held.map((h) => h.role_code), ['csm_user'], 'the sibling\'s roles never move');
  r = await scim('PATCH', '/Groups/csm_user', { schemas: [PATCH], Operations: [{ op: 'remove', path: 'members', value: [{ value: String(ids.bob00001) }] }] });
  assert.deepEqual(r.body.members, []);
  assert.deepEqual((await t.deps.db.selectFrom('role_grants').select('account_id').where('role_code', '=', 'csm_user').execute()).map((x) => x.account_id), [ids.sibling1]);
  isScimError(await scim('PATCH', '/Groups/csm_user', { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'renamed' }] }), 400, 'mutability');
});

test('SSO-6: a JSON body sent as application/json works too (Okta), and an unknown path under /scim/v2 is a SCIM 404', async () => {
  const r = await scim('POST', '/Users/.search', JSON.stringify({ filter: 'userName eq "alice001"' }), { 'content-type': 'application/json' });
  assert.equal(r.status, 200);
  assert.equal(r.body.totalResults, 1);
  isScimError(await scim('GET', '/Nope'), 404);
  assert.equal(SCIM_TYPE, 'application/scim+json');
});

test('SSO-6: If-Match is compared inside the write\'s transaction — two PUTs (and two group PATCHes) sent at once with one ETag: exactly one succeeds, the other is 412', async () => {
  const id = String(await createAccount(t.deps, { username: 'race0001', password: PASSWORD, unitOid: AGENCY, name: '競賽', profile: { title: '起始' } }));
  for (let round = 0; round < 4; round++) {
    const etag = (await scim('GET', `/Users/${id}`)).body.meta.version;
    const put = (title: string) => scim('PUT', `/Users/${id}`, { userName: 'race0001', name: { formatted: '競賽' }, title }, { 'if-match': etag });
    const rs = await Promise.all([put(`甲${round}`), put(`乙${round}`)]);
    assert.deepEqual(rs.map((r) => r.status).sort(), [200, 412], `round ${round}: ${rs.map((r) => r.status)}`);
    const winner = rs.find((r) => r.status === 200)!;
    assert.equal((await scim('GET', `/Users/${id}`)).body.title, winner.body.title, 'the loser changed nothing');
  }
  const etag = (await scim('GET', '/Groups/csm_admin')).body.meta.version;
  const add = (who: number) => scim('PATCH', '/Groups/csm_admin', { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: String(who) }] }] }, { 'if-match': etag });
  const rs = await Promise.all([add(ids.alice001), add(ids.bob00001)]);
  assert.deepEqual(rs.map((r) => r.status).sort(), [200, 412], JSON.stringify(rs.map((r) => r.body)));
  const holders = await t.deps.db.selectFrom('role_grants').select('account_id').where('role_code', '=', 'csm_admin').execute();
  assert.equal(holders.length, 1, 'only the winner\'s member was added');
});

test('SSO-6: externalId is stored per system, returned, filterable (externalId eq, case-exact), unique per system (409) and free for another system', async () => {
  const r = await scim('POST', '/Users', { userName: 'extid001', emails: [{ value: 'extid001@example.gov.tw' }], name: { formatted: '外部一' }, externalId: 'aad-7f3e' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.externalId, 'aad-7f3e');
  assert.equal((await scim('GET', `/Users/${r.body.id}`)).body.externalId, 'aad-7f3e');
  assert.deepEqual(await filter('externalId eq "aad-7f3e"'), ['extid001']);
  assert.deepEqual(await filter('externalId eq "AAD-7F3E"'), [], 'case-exact');
  assert.deepEqual(await filter('externalId sw "aad-" and userName eq "extid001"'), ['extid001']);
  const clash = await scim('POST', '/Users', { userName: 'extid002', emails: [{ value: 'extid002@example.gov.tw' }], name: { formatted: '外部二' }, externalId: 'aad-7f3e' });
  isScimError(clash, 409, 'uniqueness');
  assert.equal(await t.deps.db.selectFrom('accounts').select('id').where('username', '=', 'extid002').executeTakeFirst(), undefined, 'nothing was created');
  const second = await scim('POST', '/Users', { userName: 'extid002', emails: [{ value: 'extid002@example.gov.tw' }], name: { formatted: '外部二' }, externalId: 'okta-00u2' });
  assert.equal(second.status, 201);
  isScimError(await patch(second.body.id, [{ op: 'replace', path: 'externalId', value: 'aad-7f3e' }]), 409, 'uniqueness');
  assert.equal((await scim('GET', `/Users/${second.body.id}`)).body.externalId, 'okta-00u2', 'unchanged');
  const moved = await patch(second.body.id, [{ op: 'replace', value: { externalId: 'okta-00u9', title: '專員' } }]);
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  assert.equal(moved.body.externalId, 'okta-00u9');
  assert.equal((await patch(second.body.id, [{ op: 'remove', path: 'externalId' }])).body.externalId, undefined);
  // Another system's token over the same subtree: its own externalIds, the first system's are not shown.
  const bmsAdmin = await administrator(t, 'rabms001', 'registration_admin', AGENCY, ['bms']);
  const bms = scimWith(t, await issueToken(t, bmsAdmin.apiToken, 'bms', AGENCY));
  const seen = await bms('GET', `/Users/${r.body.id}`);
  assert.equal(seen.body.externalId, undefined);
  const set = await bms('PATCH', `/Users/${r.body.id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'externalId', value: 'aad-7f3e' }] });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.equal(set.body.externalId, 'aad-7f3e', 'unique per system, not across systems');
  assert.equal((await scim('GET', `/Users/${r.body.id}`)).body.externalId, 'aad-7f3e');
  // A deleted user gives its externalId up.
  assert.equal((await scim('DELETE', `/Users/${r.body.id}`)).status, 204);
  const again = await scim('POST', '/Users', { userName: 'extid003', emails: [{ value: 'extid003@example.gov.tw' }], name: { formatted: '外部三' }, externalId: 'aad-7f3e' });
  assert.equal(again.status, 201, JSON.stringify(again.body));
});

test('SSO-6 SSO-1 ADM-7: Group POST creates a role of the token\'s system owned by its subtree; DELETE only such a role held by nobody outside; central roles are 403', async () => {
  const r = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Auditors', members: [{ value: String(ids.alice001) }] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.id, 'csm_auditors', 'the code is the displayName, in the system\'s namespace');
  assert.equal(r.headers.get('location'), `${t.url}/scim/v2/Groups/csm_auditors`);
  assert.deepEqual(r.body.members.map((m: { value: string }) => m.value), [String(ids.alice001)]);
  const role = await t.deps.db.selectFrom('roles').selectAll().where('code', '=', 'csm_auditors').executeTakeFirstOrThrow();
  assert.equal(role.system_code, 'csm');
  const created = await t.deps.db.selectFrom('audit_events').select(['actor_account_id', 'org_oid']).where('action', '=', 'system.role.create').executeTakeFirstOrThrow();
  assert.equal(Number(created.actor_account_id), raId);
  assert.equal(created.org_oid, AGENCY);
  isScimError(await scim('POST', '/Groups', { displayName: 'csm_auditors' }), 409, 'uniqueness');
  isScimError(await scim('POST', '/Groups', { displayName: 'Finance Team' }), 400, 'invalidValue');
  isScimError(await scim('POST', '/Groups', { displayName: 'withoutsider', members: [{ value: String(ids.sibling1) }] }), 400, 'invalidValue');
  assert.equal(await t.deps.db.selectFrom('roles').select('code').where('code', '=', 'csm_withoutsider').executeTakeFirst(), undefined, 'refused before anything was created');
  const other = await scim('POST', '/Groups', { displayName: 'bms_user' });
  assert.equal(other.body.id, 'csm_bms_user', 'never a role of another system');

  isScimError(await scim('DELETE', '/Groups/csm_user'), 403);
  assert.ok(await t.deps.db.selectFrom('roles').select('code').where('code', '=', 'csm_user').executeTakeFirst(), 'a role of the central registry stays');
  const child = scimWith(t, await issueToken(t, (await administrator(t, 'rachild1', 'registration_admin', AGENCY, ['csm'])).apiToken, 'csm', CHILD));
  isScimError(await child('DELETE', '/Groups/csm_auditors'), 403, undefined);
  await giveRoles(t.deps, ids.sibling1, 'csm_auditors');
  isScimError(await scim('DELETE', '/Groups/csm_auditors'), 403);
  await t.deps.db.deleteFrom('role_grants').where('account_id', '=', ids.sibling1).where('role_code', '=', 'csm_auditors').execute();
  isScimError(await scim('DELETE', '/Groups/csm_auditors', undefined, { 'if-match': 'W/"stale"' }), 412);
  const del = await scim('DELETE', '/Groups/csm_auditors', undefined, { 'if-match': r.body.meta.version });
  assert.equal(del.status, 204, JSON.stringify(del.body));
  isScimError(await scim('GET', '/Groups/csm_auditors'), 404);
  assert.deepEqual(await t.deps.db.selectFrom('role_grants').select('account_id').where('role_code', '=', 'csm_auditors').execute(), []);
  const removed = await t.deps.db.selectFrom('audit_events').select(['target_id']).where('action', '=', 'role.remove').execute();
  assert.ok(removed.some((e) => e.target_id === String(ids.alice001)), 'the holder\'s loss is in the audit trail');
});
