// 管理授權 through the pages and the JSON API (ADM-1, ADM-2, ADM-7, ACC-8; issue 9 item 9): the
// central authority designates a school's 主帳號 (seed 001 「系統確認相關資訊後會幫學校建立主帳號」)
// and registration administrators; a registration administrator designates the help desk and
// unit supervisors of its subtree; nobody beyond their own grant; revoke judged like the give;
// every give and revoke audited and mailed; refusals are clear 4xx that change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { caller, withoutHeader } from '../helpers/matrix.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { tokenCommand } from '../../src/admin/cli.ts';

const PASSWORD = 'Correct-Horse-9';
const SCHOOL = '2.16.886.111.90001.10300';
const AGENCY = '2.16.886.101.90027.20002';
const CHILD = AGENCY + '.20011';
const SIBLING = '2.16.886.101.90029.20002';

let t: TestApp;
const clients: Record<string, Client> = {};
const tokens: Record<string, string> = {};
const ids: Record<string, number> = {};
const call = (...args: Parameters<ReturnType<typeof caller>>) => caller(t, clients, tokens)(...args);
const db = () => t.deps.db;

async function signIn(username: string, password = PASSWORD) {
  const c = new Client(t.url);
  assert.equal((await login(t, c, username, password)).status, 303, username);
  clients[username] = c;
  let out = '';
  assert.equal(await tokenCommand(t.deps, 'create', ['--username', username], { out: (s) => { out += s; }, err: () => {} }), 0);
  tokens[username] = out.trim();
}

before(async () => {
  t = await startTestApp();
  const people: [string, string, string][] = [
    ['010300_principal', SCHOOL, '張主任'], ['agencyclerk', AGENCY, '王科員'], ['childclerk', CHILD, '陳股員'],
    ['siblingclerk', SIBLING, '林專員'], ['raagency1', '2.16.886.101', '李管理'], ['rasibling', '2.16.886.101', '吳管理'],
  ];
  for (const [username, unitOid, name] of people) {
    ids[username] = await createAccount(t.deps, { username, password: PASSWORD, unitOid, name, profile: { email: `${username.replace('_', '.')}@example.gov.tw` } });
  }
  await createGrant(t.deps, null, { accountId: ids.raagency1, kind: 'registration_admin', jurisdictionOid: AGENCY, categories: ['csm', 'bms'] }, null);
  await createGrant(t.deps, null, { accountId: ids.rasibling, kind: 'registration_admin', jurisdictionOid: SIBLING, categories: ['csm'] }, null);
  await signIn(ADMIN_USERNAME, ADMIN_PASSWORD);
  await signIn('raagency1');
  await signIn('rasibling');
  await signIn('agencyclerk');
});
after(async () => { await t?.close(); });

const grantsOf = (accountId: number) => db().selectFrom('admin_grants').select(['id', 'kind', 'jurisdiction_oid', 'categories']).where('account_id', '=', accountId).orderBy('id').execute();
const allGrants = async () => JSON.stringify(await db().selectFrom('admin_grants').selectAll().orderBy('id').execute());
const mailsTo = (to: string) => db().selectFrom('outbox').select(['subject', 'body_text']).where('recipient', '=', to).orderBy('id').execute();
const auditOf = (action: string, target: number) => db().selectFrom('audit_events').select(['actor_account_id', 'details']).where('action', '=', action).where('target_id', '=', String(target)).execute();
const mainText = (html: string) => withoutHeader(html).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test('ADM-1 ADM-7 ACC-8 seed 001 (issue 9 item 9): the central authority makes a school\'s 主帳號 on the page by school code; audited, mailed, and the holder manages the school\'s sub-accounts', async () => {
  const index = await call(ADMIN_USERNAME, 'GET', '/admin');
  assert.match(index.text, /href="\/admin\/grants"/, 'linked from the administration index');
  const form = await call(ADMIN_USERNAME, 'GET', `/admin/grants/new?account=${ids['010300_principal']}`);
  assert.equal(form.status, 200);
  assert.match(form.text, /為 張主任（010300_principal）新增管理授權/);
  assert.match(form.text, /<option value="main_account"[^>]*>主帳號<\/option>/);
  assert.match(form.text, /<option value="registration_admin"[^>]*>業務帳號註冊管理者<\/option>/);
  assert.doesNotMatch(form.text, /value="central"/, 'the central authority\'s own grant stays with the operator');
  assert.match(form.text, /公司登記管理系統/, 'categories by their systems\' names');

  const r = await call(ADMIN_USERNAME, 'POST', '/admin/grants', [['username', '010300_principal'], ['kind', 'main_account'], ['jurisdiction', '010300'], ['categories', '*']]);
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const [g] = await grantsOf(ids['010300_principal']);
  assert.deepEqual({ ...g, id: 0 }, { id: 0, kind: 'main_account', jurisdiction_oid: SCHOOL, categories: ['*'] });
  const done = await call(ADMIN_USERNAME, 'GET', `/admin/grants?done=given&g=${g.id}`);
  assert.match(done.text, /已授權 張主任（010300_principal）為「主帳號」：範例高級中學（2\.16\.886\.111\.90001\.10300）。/);
  const row = mainText(done.text.match(/<tr data-grant="\d+">[\s\S]*?<\/tr>/g)!.find((x) => x.includes('010300_principal'))!);
  assert.match(row, /張主任 010300_principal 主帳號 範例高級中學 2\.16\.886\.111\.90001\.10300 全部應用系統類別/);
  assert.doesNotMatch(mainText(done.text), /main_account|registration_admin/, 'kinds by name, never codes');

  const [event] = await auditOf('admin_grant.create', ids['010300_principal']);
  assert.equal(event.actor_account_id, (await db().selectFrom('accounts').select('id').where('username', '=', ADMIN_USERNAME).executeTakeFirstOrThrow()).id);
  assert.deepEqual({ ...(event.details as Record<string, unknown>), grantId: 0 }, { grantId: 0, kind: 'main_account', jurisdictionOid: SCHOOL, categories: ['*'], via: 'admin' });
  const [mail] = await mailsTo('010300.principal@example.gov.tw');
  assert.match(mail.subject, /您已成為「主帳號」/);
  assert.match(mail.body_text, /管轄範圍：範例高級中學（2\.16\.886\.111\.90001\.10300）/);

  await signIn('010300_principal');
  const tenant = await call('010300_principal', 'GET', '/tenant/accounts');
  assert.equal(tenant.status, 200);
  assert.match(tenant.text, /<h1[^>]*>子帳號管理<\/h1>/);
});

test('ADM-7 (issue 9 item 9): the give form refuses, at the field and changing nothing, an unknown or out-of-reach account, a 主帳號 outside a school, a holder outside the school, a duplicate', async () => {
  const before = await allGrants();
  const give = (who: string, username: string, kind: string, jurisdiction: string) =>
    call(who, 'POST', '/admin/grants', [['username', username], ['kind', kind], ['jurisdiction', jurisdiction]]);
  const cases: [string, string, string, string, RegExp][] = [
    [ADMIN_USERNAME, 'nosuchperson', 'helpdesk', AGENCY, /找不到此帳號，或不在您的管轄範圍內/],
    ['raagency1', 'siblingclerk', 'helpdesk', AGENCY, /找不到此帳號，或不在您的管轄範圍內/],
    ['raagency1', 'childclerk', 'helpdesk', SIBLING, /找不到此機關或學校，或不在您的管轄範圍內/],
    [ADMIN_USERNAME, 'agencyclerk', 'helpdesk', '2.16.886.101.90027.20002.99999', /找不到此機關或學校/],
    [ADMIN_USERNAME, 'agencyclerk', 'main_account', AGENCY, /主帳號的管轄範圍必須是有校代碼的學校/],
    [ADMIN_USERNAME, 'agencyclerk', 'main_account', '010300', /主帳號必須是該校的帳號/],
    [ADMIN_USERNAME, '010300_principal', 'main_account', SCHOOL, /此帳號已有相同類型、相同管轄範圍的授權/],
    ['raagency1', 'childclerk', 'registration_admin', AGENCY, /您不能給予此類授權/],
  ];
  for (const [who, username, kind, jurisdiction, message] of cases) {
    const r = await give(who, username, kind, jurisdiction);
    assert.equal(r.status, 422, `${who} ${username} ${kind} ${jurisdiction}`);
    assert.match(r.text, message, `${who} ${username} ${kind} ${jurisdiction}`);
    assert.match(r.text, /aria-invalid="true"/);
  }
  assert.equal(await allGrants(), before);
  for (const url of ['/admin/grants', '/admin/grants/new']) assert.equal((await call('agencyclerk', 'GET', url)).status, 404, `${url}: a plain user has no grant to give`);
});

test('ADM-1 ADM-2 ADM-7 (issue 9 item 9): /api/v1/grants — a registration administrator gives a help desk in its subtree, lists and filters, revokes; nothing beyond its grant', async () => {
  const api = (method: string, url: string, body?: Record<string, unknown>, who = 'raagency1') => call(who, method, url, body);
  const before = await allGrants();
  const refused: [Record<string, unknown>, string][] = [
    [{ accountId: ids.childclerk, kind: 'registration_admin', jurisdictionOid: CHILD, categories: ['csm'] }, 'not another registration administrator'],
    [{ accountId: ids.childclerk, kind: 'main_account', jurisdictionOid: CHILD, categories: [] }, 'not a main account'],
    [{ accountId: ids.childclerk, kind: 'helpdesk', jurisdictionOid: SIBLING, categories: [] }, 'not outside its subtree'],
    [{ accountId: ids.childclerk, kind: 'helpdesk', jurisdictionOid: '2.16.886.101.90027', categories: [] }, 'not above it'],
    [{ accountId: ids.childclerk, kind: 'unit_supervisor', jurisdictionOid: CHILD, categories: ['psm'] }, 'not beyond its categories'],
    [{ accountId: ids.childclerk, kind: 'unit_supervisor', jurisdictionOid: CHILD, categories: ['*'] }, 'not all categories'],
    [{ accountId: ids.siblingclerk, kind: 'helpdesk', jurisdictionOid: CHILD, categories: [] }, 'not to an account outside its jurisdiction'],
  ];
  for (const [body, why] of refused) assert.equal((await api('POST', '/api/v1/grants', body)).status, 404, why);
  for (const body of [{ accountId: ids.childclerk, kind: 'central', jurisdictionOid: CHILD }, { accountId: ids.childclerk, kind: 'helpdesk', jurisdictionOid: '2.16..886' }, { accountId: 'x', kind: 'helpdesk', jurisdictionOid: CHILD }]) {
    assert.equal((await api('POST', '/api/v1/grants', body)).status, 400, JSON.stringify(body));
  }
  const unknownOrg = await api('POST', '/api/v1/grants', { accountId: ids.childclerk, kind: 'helpdesk', jurisdictionOid: CHILD + '.99999' });
  assert.equal(unknownOrg.status, 422);
  assert.deepEqual(Object.keys(JSON.parse(unknownOrg.text).errors), ['jurisdiction']);
  assert.equal(await allGrants(), before, 'no refusal wrote anything');

  const given = await api('POST', '/api/v1/grants', { accountId: ids.childclerk, kind: 'helpdesk', jurisdictionOid: CHILD, categories: ['csm'] });
  assert.equal(given.status, 201, given.text);
  const g = JSON.parse(given.text);
  assert.deepEqual({ ...g, id: 0, createdAt: '' }, {
    id: 0, accountId: ids.childclerk, username: 'childclerk', name: '陳股員', kind: 'helpdesk', jurisdictionOid: CHILD,
    jurisdictionName: '商業科登記股（範例）', categories: ['csm'], createdAt: '',
  });
  const dup = await api('POST', '/api/v1/grants', { accountId: ids.childclerk, kind: 'helpdesk', jurisdictionOid: CHILD, categories: ['bms'] });
  assert.equal(dup.status, 422);
  assert.match(JSON.parse(dup.text).errors.kind, /相同類型、相同管轄範圍/);

  const list = JSON.parse((await api('GET', '/api/v1/grants?pageSize=100')).text);
  assert.deepEqual(list.items.map((x: { username: string }) => x.username).sort(), ['childclerk', 'raagency1'], 'its subtree only: not rasibling, not the school');
  const filtered = async (q: string) => JSON.parse((await api('GET', `/api/v1/grants?${q}`)).text).items.map((x: { id: number }) => x.id);
  assert.deepEqual(await filtered(`kind=helpdesk&jurisdiction=${CHILD}&account=${ids.childclerk}`), [g.id]);
  assert.deepEqual(await filtered('kind=registration_admin'), (await grantsOf(ids.raagency1)).map((x) => x.id));
  assert.deepEqual(await filtered(`jurisdiction=${SIBLING}`), [], 'a filter cannot widen the scope');
  assert.equal((await api('GET', '/api/v1/grants?jurisdiction=2.16..886')).status, 400);
  assert.equal((await api('GET', '/api/v1/grants', undefined, 'rasibling')).text.includes('childclerk'), false);

  // Revoke: outside its scope "not found"; its own grant 409; one it could not have given 403.
  assert.equal((await api('DELETE', `/api/v1/grants/${g.id}`, undefined, 'rasibling')).status, 404);
  const own = (await grantsOf(ids.raagency1))[0].id;
  assert.equal((await api('DELETE', `/api/v1/grants/${own}`)).status, 409);
  const mainId = await createGrant(t.deps, null, { accountId: ids.childclerk, kind: 'unit_supervisor', jurisdictionOid: CHILD, categories: ['fms'] }, null);
  assert.equal((await api('DELETE', `/api/v1/grants/${mainId}`)).status, 403, 'beyond its categories: it sees it but may not take it');
  assert.equal((await api('DELETE', '/api/v1/grants/abc')).status, 400);

  const mailsBefore = (await mailsTo('childclerk@example.gov.tw')).length;
  assert.equal((await api('DELETE', `/api/v1/grants/${g.id}`)).status, 204);
  assert.deepEqual((await grantsOf(ids.childclerk)).map((x) => x.id), [mainId]);
  const [event] = await auditOf('admin_grant.revoke', ids.childclerk);
  assert.deepEqual({ ...(event.details as Record<string, unknown>) }, { grantId: g.id, kind: 'helpdesk', jurisdictionOid: CHILD, categories: ['csm'], via: 'admin' });
  assert.equal(event.actor_account_id, ids.raagency1);
  const mails = await mailsTo('childclerk@example.gov.tw');
  assert.equal(mails.length, mailsBefore + 1);
  assert.match(mails.at(-1)!.subject, /「客服」授權已撤銷/);
  assert.equal((await api('DELETE', `/api/v1/grants/${g.id}`)).status, 404, 'gone');
  await db().deleteFrom('admin_grants').where('id', '=', mainId).execute();
});

test('ADM-7 (issue 9 item 9): the account page lists its grants and links to give one; revoke on the page asks first, then revokes', async () => {
  const give = await call('raagency1', 'POST', '/admin/grants', [['username', 'agencyclerk'], ['kind', 'unit_supervisor'], ['jurisdiction', '387000000A'], ['categories', 'bms']]);
  assert.equal(give.status, 303, give.text.slice(0, 500));
  const [g] = await grantsOf(ids.agencyclerk);
  assert.equal(g.jurisdiction_oid, AGENCY, 'found by agency code');

  const account = await call('raagency1', 'GET', `/admin/accounts/${ids.agencyclerk}`);
  const section = mainText(account.text.match(/<section aria-labelledby="grants-h">[\s\S]*?<\/section>/)![0]);
  assert.match(section, /管理授權 .*王科員 agencyclerk 單位主管 臺中市政府經濟發展局商業科 2\.16\.886\.101\.90027\.20002 商業登記資訊系統/);
  assert.match(account.text, new RegExp(`href="/admin/grants/new\\?account=${ids.agencyclerk}"`));
  assert.match(account.text, new RegExp(`href="/admin/grants/${g.id}/revoke"`));

  const confirm = await call('raagency1', 'GET', `/admin/grants/${g.id}/revoke`);
  assert.equal(confirm.status, 200);
  assert.match(confirm.text, /撤銷後，此人立即失去下列管理權限/);
  assert.equal((await grantsOf(ids.agencyclerk)).length, 1, 'asking changes nothing');
  assert.equal((await call('rasibling', 'GET', `/admin/grants/${g.id}/revoke`)).status, 404);
  assert.equal((await call('rasibling', 'POST', `/admin/grants/${g.id}/revoke`)).status, 404);
  const done = await call('raagency1', 'POST', `/admin/grants/${g.id}/revoke`);
  assert.equal(done.status, 303);
  assert.equal((await grantsOf(ids.agencyclerk)).length, 0);
  const after = await call('raagency1', 'GET', '/admin/grants?done=revoked&k=unit_supervisor');
  assert.match(after.text, /已撤銷「單位主管」授權。/);

  const en = new Client(t.url);
  en.setCookie('tessera_lang', 'en');
  assert.equal((await login(t, en, 'raagency1', PASSWORD)).status, 303);
  const page = await en.get('/admin/grants');
  assert.match(page.body, /Administration grants inside your jurisdiction/);
  assert.match(page.body, /Registration administrator/);
});
