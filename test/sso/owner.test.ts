// A system's owning organisation (SSO-1, ADM-2, issue 9 item 1) through the public surface: the
// central authority sets and reads it on the registry's page, API and CLI (shown by name; bad
// input a localised 422 that changes nothing; audited), and it decides who manages the system's
// client. Changes to the client's redirect URIs and its secret are audited and mailed, through the
// outbox to a real SMTP receiver, to the system's other administrators — and to no one else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { apiToken, jsonCall } from '../helpers/api.ts';
import { startSmtp, type TestSmtp } from '../helpers/mail.ts';
import { ownSystems } from '../helpers/systems.ts';
import { AGENCY, PARENT, SIBLING, LOOK_ALIKE } from '../helpers/matrix.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { tokenCommand } from '../../src/admin/cli.ts';
import { systemCommand } from '../../src/sso/systems/cli.ts';
import type { GrantKind } from '../../src/access/authorize.ts';

const PASSWORD = 'Correct-Horse-9';
let t: TestApp;
let smtp: TestSmtp;
const clients: Record<string, Client> = {};
const tokens: Record<string, string> = {};

/** Administrators around the agency; `mail` marks who must hear of a change to csm once it is the agency's. */
const PEOPLE: { username: string; name: string; kind: GrantKind; oid: string; categories: string[]; mail: boolean }[] = [
  { username: 'racsm0001', name: '變更者甲', kind: 'registration_admin', oid: AGENCY, categories: ['csm'], mail: false }, // the one who changes it
  { username: 'racsm0002', name: '同機關乙', kind: 'registration_admin', oid: AGENCY, categories: ['csm', 'bms'], mail: true },
  { username: 'raparent1', name: '上級機關丙', kind: 'registration_admin', oid: PARENT, categories: ['*'], mail: true },
  { username: 'rabms0001', name: '他類別丁', kind: 'registration_admin', oid: AGENCY, categories: ['bms'], mail: false },
  { username: 'rasibling', name: '他機關戊', kind: 'registration_admin', oid: SIBLING, categories: ['csm'], mail: false },
  { username: 'ralookalk', name: '相似前綴己', kind: 'registration_admin', oid: LOOK_ALIKE, categories: ['csm'], mail: false },
  { username: 'helpdesk1', name: '客服庚', kind: 'helpdesk', oid: AGENCY, categories: ['*'], mail: false },
];
const emailOf = (u: string) => `${u}@example.gov.tw`;
const CENTRAL_EMAIL = 'central@example.gov.tw';

const api = (method: string, path: string, who: string, body?: unknown, lang?: string) => jsonCall(t, tokens[who], method, path, body, lang);

const ownerOf = async (code: string) => (await t.deps.db.selectFrom('application_systems').select('owner_oid').where('code', '=', code).executeTakeFirstOrThrow()).owner_oid;
const ownerAudits = () => t.deps.db.selectFrom('audit_events').select(['actor_account_id', 'target_id', 'details']).where('action', '=', 'system.owner').orderBy('seq').execute();
const rowOf = (html: string, code: string) => html.match(new RegExp(`<tr><td><code>${code}</code></td>[\\s\\S]*?</tr>`))![0];

before(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url } });
  await t.deps.db.updateTable('accounts').set({ email: CENTRAL_EMAIL }).where('username', '=', ADMIN_USERNAME).execute();
  for (const p of PEOPLE) {
    const id = await createAccount(t.deps, { username: p.username, password: PASSWORD, name: p.name, unitOid: '2.16.886.101', profile: { email: emailOf(p.username) } });
    await createGrant(t.deps, null, { accountId: id, kind: p.kind, jurisdictionOid: p.oid, categories: p.categories }, null);
  }
  for (const username of [ADMIN_USERNAME, ...PEOPLE.map((p) => p.username)]) {
    const c = new Client(t.url);
    assert.equal((await login(t, c, username, username === ADMIN_USERNAME ? ADMIN_PASSWORD : PASSWORD)).status, 303, username);
    clients[username] = c;
    tokens[username] = await apiToken(t, username);
  }
});
after(async () => { await t?.close(); await smtp?.close(); });

test('SSO-1 ADM-2 (issue 9 item 1): the central authority sets a system\'s owning organisation on the page, the API and the CLI, shown by name; only then do the owner\'s administrators manage its client', async () => {
  // Every sample system starts platform-wide: a subtree's csm administrator cannot reach the national client.
  const list = await clients[ADMIN_USERNAME].get('/admin/systems');
  assert.match(rowOf(list.body, 'csm'), /全平臺共用（國家根節點）/);
  assert.match(rowOf(list.body, 'csm'), /href="\/admin\/systems\/csm\/owner"/);
  assert.equal((await clients.racsm0001.get('/admin/sso/csm')).status, 404);
  assert.doesNotMatch((await clients.racsm0001.get('/admin/systems')).body, /\/owner"/, 'no change link for others');
  assert.equal((await clients.racsm0001.get('/admin/systems/csm/owner')).status, 404);

  // Bad input: a localised 422 that changes nothing.
  let r = await clients[ADMIN_USERNAME].submit('/admin/systems/csm/owner', '/admin/systems/csm/owner', { ownerOid: '2.16.886.101.x' });
  assert.equal(r.status, 422);
  assert.match(r.body, /請輸入正確的 OID/);
  r = await clients[ADMIN_USERNAME].submit('/admin/systems/csm/owner', '/admin/systems/csm/owner', { ownerOid: '2.16.886.101.99999' });
  assert.equal(r.status, 422);
  assert.match(r.body, /不是已登錄的機關/);
  assert.equal(await ownerOf('csm'), '2.16.886');
  assert.equal((await ownerAudits()).length, 0);

  // The page: the agency owns csm, shown by name.
  r = await clients[ADMIN_USERNAME].submit('/admin/systems/csm/owner', '/admin/systems/csm/owner', { ownerOid: ` ${AGENCY} ` });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/admin/systems?saved=csm');
  const after = (await clients[ADMIN_USERNAME].get(r.location!)).body;
  assert.match(after, /已變更「公司登記管理系統」的擁有機關/);
  assert.match(rowOf(after, 'csm'), /臺中市政府經濟發展局商業科/);
  assert.equal(await ownerOf('csm'), AGENCY);
  assert.equal((await clients.racsm0001.get('/admin/sso/csm')).status, 200, 'the owner\'s csm administrator now manages it');
  assert.equal((await clients.rasibling.get('/admin/sso/csm')).status, 404);
  assert.equal((await clients.ralookalk.get('/admin/sso/csm')).status, 404, '…9002 does not cover …90027');
  const [event] = await ownerAudits();
  assert.deepEqual(event.details, { before: '2.16.886', after: AGENCY });
  assert.equal(event.target_id, 'csm');

  // The API: set, shown with the name; refused to anyone else; bad input a 422 in the caller's language.
  let a = await api('PATCH', '/api/v1/systems/bms', ADMIN_USERNAME, { ownerOid: PARENT });
  assert.equal(a.status, 200);
  assert.equal(a.body.ownerOid, PARENT);
  assert.equal(a.body.ownerName, '臺中市政府');
  a = await api('PATCH', '/api/v1/systems/bms', ADMIN_USERNAME, { ownerOid: 'nonsense' }, 'en');
  assert.equal(a.status, 422);
  assert.match(a.body.errors.ownerOid, /Enter a valid OID/);
  assert.equal((await api('PATCH', '/api/v1/systems/bms', 'raparent1', { ownerOid: SIBLING })).status, 404);
  assert.equal(await ownerOf('bms'), PARENT);
  const items = (await api('GET', '/api/v1/systems', 'racsm0001')).body.items as { code: string; ownerOid: string; ownerName: string | null }[];
  assert.deepEqual(items.find((s) => s.code === 'fms'), { ...items.find((s) => s.code === 'fms'), ownerOid: '2.16.886', ownerName: null });

  // The CLI: read, set back to platform-wide, refuse a stray OID.
  const io = () => { const o = { out: '', err: '' }; return { o, io: { out: (s: string) => { o.out += s; }, err: (s: string) => { o.err += s; } } }; };
  let c = io();
  assert.equal(await systemCommand(t.deps, 'owner', ['bms'], c.io), 0);
  assert.equal(c.o.out, `bms: owned by ${PARENT} (臺中市政府)\n`);
  c = io();
  assert.equal(await systemCommand(t.deps, 'owner', ['bms', '2.16.886'], c.io), 0);
  assert.equal(c.o.out, 'bms: owned by 2.16.886 (全平臺共用（國家根節點）)\n');
  c = io();
  assert.equal(await systemCommand(t.deps, 'owner', ['bms', '2.16.886.999'], c.io), 1);
  assert.match(c.o.err, /neither a registered organisation nor the national root/);
  c = io();
  assert.equal(await systemCommand(t.deps, 'owner', ['nosuch'], c.io), 1);
  assert.equal(await ownerOf('bms'), '2.16.886');
  assert.equal((await ownerAudits()).length, 3);
});

test('SSO-2 (issue 9 item 1): redirect-URI changes and secret rotation are audited and mailed to the system\'s other administrators only', async () => {
  await ownSystems(t, AGENCY, ['csm']);
  const expected = [CENTRAL_EMAIL, ...PEOPLE.filter((p) => p.mail).map((p) => emailOf(p.username))].sort();
  const outbox = async (since: number) => (await t.deps.db.selectFrom('outbox').select(['id', 'recipient', 'subject']).where('id', '>', since).orderBy('id').execute());
  const last = async () => Number((await t.deps.db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m ?? 0);

  // Creating the client sets its first redirect URIs; then a change adds one and drops one.
  assert.equal((await api('PATCH', '/api/v1/sso/clients/csm', 'racsm0001', { authMethod: 'client_secret_basic', redirectUris: ['https://csm.example.gov.tw/cb'] })).status, 200);
  let mark = await last();
  const res = await api('PATCH', '/api/v1/sso/clients/csm', 'racsm0001', { redirectUris: ['https://csm.example.gov.tw/cb2', 'https://evil.example.com/steal'] });
  assert.equal(res.status, 200);
  let rows = await outbox(mark);
  assert.deepEqual(rows.map((m) => m.recipient).sort(), expected, 'the other administrators of csm, not the actor, another category, a sibling, the look-alike or the help-desk');
  for (const to of expected) {
    const m = await smtp.waitFor((x) => x.to === to && x.text.includes('https://evil.example.com/steal'));
    assert.equal(m.subject, 'Tessera 單一簽入用戶端變更通知：公司登記管理系統');
    assert.match(m.text, /新增：\n {2}https:\/\/csm\.example\.gov\.tw\/cb2\n {2}https:\/\/evil\.example\.com\/steal\n移除：\n {2}https:\/\/csm\.example\.gov\.tw\/cb\n/);
    assert.match(m.text, /變更者：變更者甲/);
    assert.match(m.text, new RegExp(`${t.url}/admin/sso/csm`));
  }
  const update = await t.deps.db.selectFrom('audit_events').select('details').where('action', '=', 'sso.client.update').orderBy('seq', 'desc').executeTakeFirstOrThrow();
  const d = update.details as { before: { redirectUris: string[] }; after: { redirectUris: string[] }; notified: number };
  assert.deepEqual([d.before.redirectUris, d.after.redirectUris, d.notified], [['https://csm.example.gov.tw/cb'], ['https://csm.example.gov.tw/cb2', 'https://evil.example.com/steal'], expected.length]);

  // A save that leaves the redirect URIs alone mails no one.
  mark = await last();
  assert.equal((await api('PATCH', '/api/v1/sso/clients/csm', 'racsm0001', { enabled: true })).status, 200);
  assert.deepEqual(await outbox(mark), []);

  // Rotating the secret on the page: mailed to the same people; the secret itself never is.
  mark = await last();
  const page = await clients.racsm0001.submit('/admin/sso/csm', '/admin/sso/csm/secret', {});
  assert.equal(page.status, 200);
  const secret = page.body.match(/data-testid="client-secret">([^<]+)</)![1];
  rows = await outbox(mark);
  assert.deepEqual(rows.map((m) => m.recipient).sort(), expected);
  for (const to of expected) {
    const m = await smtp.waitFor((x) => x.to === to && x.text.includes('舊密鑰已立即失效'));
    assert.ok(!m.text.includes(secret) && !m.html.includes(secret));
  }
  const rotated = await t.deps.db.selectFrom('audit_events').select(['actor_account_id', 'details']).where('action', '=', 'sso.client.secret').executeTakeFirstOrThrow();
  assert.deepEqual(rotated.details, { rotated: true, notified: expected.length });
});
