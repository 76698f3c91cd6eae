// Single-sign-on administration through HTTP (SSO-2, SSO-3): each system's OpenID Connect client
// on /admin/sso and /api/v1/sso for administrators whose categories cover the system; bad input
// refused with localised messages and nothing changed; the client secret shown once and stored
// only encrypted; the consent report inside the caller's jurisdiction; the user's own consents.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { apiToken, jsonCall } from '../helpers/api.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { ownSystems } from '../helpers/systems.ts';
import { tokenCommand } from '../../src/admin/cli.ts';
import { giveConsent, giveRoles } from '../helpers/factories.ts';

const PASSWORD = 'Correct-Horse-9';
const AGENCY = '2.16.886.101.90027.20002';
const CHILD = AGENCY + '.20011';
const SIBLING = '2.16.886.101.90029.20002';
let t: TestApp;
const clients: Record<string, Client> = {};
const tokens: Record<string, string> = {};
const ids: Record<string, number> = {};

const main = (html: string) => html.match(/<main[\s\S]*<\/main>/)![0];
const fieldError = (html: string, field: string) => html.match(new RegExp(`id="${field}-error" class="field-error">([^<]*)<`))?.[1];
const GOOD = { authMethod: 'client_secret_basic', grantTypes: ['authorization_code', 'refresh_token'], redirectUris: 'https://csm.example.gov.tw/callback', idTokenAlg: 'ES256', enabled: '1' };

/** The client form as urlencoded pairs (check boxes repeat their name). */
function form(fields: Record<string, string | string[]>): string {
  return new URLSearchParams(Object.entries(fields).flatMap(([k, v]) => [v].flat().map((x) => [k, x] as [string, string]))).toString();
}

async function postForm(who: string, page: string, action: string, fields: Record<string, string | string[]>) {
  const c = clients[who];
  const csrf = (await c.get(page)).body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
  return c.request('POST', action, form({ _csrf: csrf, ...fields }), { 'content-type': 'application/x-www-form-urlencoded' });
}

const api = (method: string, path: string, who: string, body?: unknown, lang?: string) => jsonCall(t, tokens[who], method, path, body, lang);

const clientRow = (code: string) => t.deps.db.selectFrom('sso_clients').selectAll().where('system_code', '=', code).executeTakeFirst();
const auditCount = async () => Number((await t.deps.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

before(async () => {
  t = await startTestApp();
  // csm and bms owned by the agency: its administrators manage them by category (SSO-1).
  await ownSystems(t, AGENCY, ['csm', 'bms']);
  const people: [string, string, string, (id: number) => Promise<unknown>][] = [
    ['racsm0001', '公司系統管理者', '2.16.886.101', (id) => createGrant(t.deps, null, { accountId: id, kind: 'registration_admin', jurisdictionOid: AGENCY, categories: ['csm'] }, null)],
    ['rabms0001', '商業系統管理者', '2.16.886.101', (id) => createGrant(t.deps, null, { accountId: id, kind: 'registration_admin', jurisdictionOid: AGENCY, categories: ['bms'] }, null)],
    ['helpdesk1', '客服人員', '2.16.886.101', (id) => createGrant(t.deps, null, { accountId: id, kind: 'helpdesk', jurisdictionOid: AGENCY, categories: ['*'] }, null)],
    ['csmuser01', '同意者甲', AGENCY, async () => {}],
    ['csmuser02', '未同意乙', CHILD, async () => {}],
    ['csmuser03', '外單位丙', SIBLING, async () => {}],
    ['plainuser', '一般使用者', AGENCY, async () => {}],
  ];
  for (const [username, name, unitOid, setup] of people) {
    ids[username] = await createAccount(t.deps, { username, password: PASSWORD, name, unitOid });
    await setup(ids[username]);
  }
  for (const u of ['csmuser01', 'csmuser02', 'csmuser03']) {
    await giveRoles(t.deps, ids[u], 'csm_user');
  }
  // A second role in the same system counts the holder once.
  await giveRoles(t.deps, ids.csmuser01, 'csm_admin');
  for (const u of ['csmuser01', 'csmuser03']) {
    await giveConsent(t.deps, ids[u], 'csm', ['sub', 'name', 'email', 'roles']);
  }
  for (const username of [ADMIN_USERNAME, ...people.map((p) => p[0])]) {
    const c = new Client(t.url);
    assert.equal((await login(t, c, username, username === ADMIN_USERNAME ? ADMIN_PASSWORD : PASSWORD)).status, 303, username);
    clients[username] = c;
    tokens[username] = await apiToken(t, username);
  }
});
after(async () => { await t?.close(); });

test('SSO-2: /admin/sso lists exactly the systems whose category the caller\'s grants cover', async () => {
  const all = (await t.deps.db.selectFrom('application_systems').select('code').execute()).map((r) => r.code).sort();
  const systemsOn = async (who: string) => [...(await clients[who].get('/admin/sso')).body.matchAll(/<tr data-system="([^"]+)">/g)].map((m) => m[1]).sort();
  assert.deepEqual(await systemsOn(ADMIN_USERNAME), all);
  assert.deepEqual(await systemsOn('racsm0001'), ['csm']);
  assert.deepEqual(await systemsOn('rabms0001'), ['bms']);
  for (const who of ['helpdesk1', 'plainuser', 'csmuser01']) assert.equal((await clients[who].get('/admin/sso')).status, 404, who);
  assert.equal((await new Client(t.url).get('/admin/sso')).status, 303, 'anonymous: to the login page');
  assert.deepEqual((await api('GET', '/api/v1/sso/clients', 'racsm0001')).body.items.map((s: { code: string }) => s.code), ['csm']);
  assert.equal((await api('GET', '/api/v1/sso/clients', 'helpdesk1')).status, 404);
  for (const path of ['/admin/sso/bms', '/admin/sso/bms/consents', '/admin/sso/nosuch']) {
    assert.equal((await clients.racsm0001.get(path)).status, 404, path);
  }
  // Not a system code by its declared shape (issue 10): refused before any query.
  assert.equal((await clients.racsm0001.get('/admin/sso/..%2Fcsm')).status, 400);
});

test('SSO-2: bad client settings get localised messages per field and change nothing', async () => {
  const rowBefore = await clientRow('csm');
  const events = await auditCount();
  const cases: [Record<string, string | string[]>, string, string][] = [
    [{ redirectUris: 'http://csm.example.gov.tw/cb' }, 'redirectUris', '網址須使用 https（僅本機 localhost 可用 http）。'],
    [{ redirectUris: 'https://csm.example.gov.tw/cb#frag' }, 'redirectUris', '網址須為完整網址（含 https://），且不得含 # 片段或帳號密碼。'],
    [{ redirectUris: '' }, 'redirectUris', '使用 authorization_code 須至少登錄一個重新導向網址。'],
    [{ grantTypes: ['refresh_token'] }, 'grantTypes', 'refresh_token 須搭配 authorization_code。'],
    [{ authMethod: 'none', grantTypes: ['authorization_code', 'client_credentials'] }, 'grantTypes', '公開用戶端（none）不得使用 client_credentials。'],
    [{ authMethod: 'private_key_jwt', jwks: '' }, 'jwks', 'private_key_jwt 須提供用戶端公鑰（JWK Set，不得含私鑰）。'],
    [{ authMethod: 'private_key_jwt', jwks: '{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"secret"}]}' }, 'jwks', 'private_key_jwt 須提供用戶端公鑰（JWK Set，不得含私鑰）。'],
    [{ jwks: 'not json' }, 'jwks', 'private_key_jwt 須提供用戶端公鑰（JWK Set，不得含私鑰）。'],
    [{ backchannelLogoutUri: 'javascript:alert(1)' }, 'backchannelLogoutUri', '網址須為完整網址（含 https://），且不得含 # 片段或帳號密碼。'],
    [{ initiateLoginUri: 'ftp://csm.example.gov.tw/' }, 'initiateLoginUri', '網址須為完整網址（含 https://），且不得含 # 片段或帳號密碼。'],
    [{ authMethod: 'magic' }, 'authMethod', '用戶端驗證方式須為 client_secret_basic、client_secret_post、private_key_jwt 或 none。'],
    [{ idTokenAlg: 'none' }, 'idTokenAlg', 'ID Token 簽章演算法須為 ES256 或 RS256。'],
  ];
  for (const [fields, field, message] of cases) {
    const r = await postForm('racsm0001', '/admin/sso/csm', '/admin/sso/csm', { ...GOOD, ...fields });
    assert.equal(r.status, 422, JSON.stringify(fields));
    const shown = field === 'idTokenAlg' ? r.body.match(/id="idTokenAlg-error" class="field-error">([^<]*)</)?.[1] : fieldError(r.body, field);
    assert.equal(shown, message, JSON.stringify(fields));
    assert.match(r.body, /role="alert">輸入資料有誤/);
  }
  // What was typed stays in the form.
  const r = await postForm('racsm0001', '/admin/sso/csm', '/admin/sso/csm', { ...GOOD, redirectUris: 'http://bad.example/cb', initiateLoginUri: 'https://keep.example/login' });
  assert.match(r.body, /http:\/\/bad\.example\/cb<\/textarea>/);
  assert.match(r.body, /value="https:\/\/keep\.example\/login"/);
  // In English.
  await clients.racsm0001.get('/lang/en?next=/');
  const en = await postForm('racsm0001', '/admin/sso/csm', '/admin/sso/csm', { ...GOOD, grantTypes: ['refresh_token'] });
  assert.equal(fieldError(en.body, 'grantTypes'), 'refresh_token needs authorization_code.');
  await clients.racsm0001.get('/lang/zh-TW?next=/');

  assert.deepEqual(await clientRow('csm'), rowBefore, 'no client written');
  assert.equal(await auditCount(), events, 'nothing audited');
});

test('SSO-2: the first save creates the client and shows its secret once; it is stored only encrypted', async () => {
  const r = await postForm('racsm0001', '/admin/sso/csm', '/admin/sso/csm', {
    ...GOOD, postLogoutRedirectUris: 'https://csm.example.gov.tw/bye\nhttps://csm.example.gov.tw/bye\n\n', initiateLoginUri: 'https://csm.example.gov.tw/login',
    backchannelLogoutUri: 'https://csm.example.gov.tw/backchannel', certificateRequired: '1',
  });
  assert.equal(r.status, 200, 'the answer is the page with the secret, not a redirect');
  const secret = r.body.match(/data-testid="client-secret">([^<]+)</)![1];
  assert.ok(secret.length >= 32);
  assert.match(r.body, /這是唯一一次顯示此密鑰/);
  const row = (await clientRow('csm'))!;
  assert.ok(row.secret_enc && !row.secret_enc.includes(secret), 'the column does not hold the secret');
  assert.equal(t.deps.keyring.decrypt(row.secret_enc), secret, 'it holds it encrypted');
  assert.deepEqual(row.post_logout_redirect_uris, ['https://csm.example.gov.tw/bye'], 'blank lines and repeats dropped');
  assert.equal(row.certificate_required, true);
  assert.equal(row.backchannel_logout_uri, 'https://csm.example.gov.tw/backchannel');

  const page = (await clients.racsm0001.get('/admin/sso/csm')).body;
  assert.ok(!page.includes(secret), 'never shown again');
  assert.match(page, /data-testid="secret-state">已設定/);
  assert.doesNotMatch(JSON.stringify((await api('GET', '/api/v1/sso/clients/csm', 'racsm0001')).body), new RegExp(secret));
  const audit = await t.deps.db.selectFrom('audit_events').select(['action', 'details']).where('target_id', '=', 'csm').where('action', 'like', 'sso.%').orderBy('seq').execute();
  assert.deepEqual(audit.map((a) => a.action), ['sso.client.create']);
  assert.ok(!JSON.stringify(audit).includes(secret), 'the audit trail does not hold the secret');

  // A second save keeps the secret; the list shows the client enabled.
  const again = await postForm('racsm0001', '/admin/sso/csm', '/admin/sso/csm', { ...GOOD, initiateLoginUri: 'https://csm.example.gov.tw/login' });
  assert.equal(again.status, 303);
  assert.equal(again.location, '/admin/sso/csm?done=saved');
  assert.equal(t.deps.keyring.decrypt((await clientRow('csm'))!.secret_enc!), secret);
  assert.equal((await clientRow('csm'))!.certificate_required, false, 'an unticked box clears the flag');
  assert.match((await clients.racsm0001.get('/admin/sso')).body, /<tr data-system="csm">[\s\S]*?啟用/);
});

test('SSO-2: a new secret replaces the old one at once; only secret-based clients have one', async () => {
  const old = t.deps.keyring.decrypt((await clientRow('csm'))!.secret_enc!);
  const r = await postForm('racsm0001', '/admin/sso/csm', '/admin/sso/csm/secret', {});
  assert.equal(r.status, 200);
  const secret = r.body.match(/data-testid="client-secret">([^<]+)</)![1];
  assert.notEqual(secret, old);
  const enc = (await clientRow('csm'))!.secret_enc!;
  assert.ok(!enc.includes(secret));
  assert.equal(t.deps.keyring.decrypt(enc), secret);
  assert.equal((await clients.rabms0001.request('POST', '/admin/sso/csm/secret', form({ _csrf: 'x' }), { 'content-type': 'application/x-www-form-urlencoded' })).status, 403, 'no CSRF token');
  const bms = await postForm('rabms0001', '/admin/sso', '/admin/sso/csm/secret', {});
  assert.equal(bms.status, 404, 'another category\'s administrator');
  assert.equal(t.deps.keyring.decrypt((await clientRow('csm'))!.secret_enc!), secret, 'unchanged by the refused call');

  // private_key_jwt with public keys: the shared secret is dropped; asking for one is refused.
  const jwk = '{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","use":"sig"}]}';
  const pk = await postForm('racsm0001', '/admin/sso/csm', '/admin/sso/csm', { ...GOOD, authMethod: 'private_key_jwt', jwks: jwk });
  assert.equal(pk.status, 303);
  const row = (await clientRow('csm'))!;
  assert.equal(row.secret_enc, null);
  assert.equal(row.auth_method, 'private_key_jwt');
  assert.deepEqual(row.jwks, JSON.parse(jwk));
  assert.match((await clients.racsm0001.get('/admin/sso/csm')).body, /目前的驗證方式不使用用戶端密鑰/);
  const refused = await postForm('racsm0001', '/admin/sso/csm', '/admin/sso/csm/secret', {});
  assert.equal(refused.status, 409);
  assert.match(refused.body, /此驗證方式不使用用戶端密鑰/);
  assert.equal((await api('POST', '/api/v1/sso/clients/csm/secret', 'racsm0001')).status, 409);
  // Back to a secret: a new one is generated on that save, shown once.
  const back = await postForm('racsm0001', '/admin/sso/csm', '/admin/sso/csm', GOOD);
  assert.equal(back.status, 200);
  const fresh = back.body.match(/data-testid="client-secret">([^<]+)</)![1];
  assert.equal(t.deps.keyring.decrypt((await clientRow('csm'))!.secret_enc!), fresh);
});

test('SSO-2: the API reads and changes the client like the pages, and only the caller\'s systems', async () => {
  let r = await api('PATCH', '/api/v1/sso/clients/bms', 'rabms0001', {
    authMethod: 'client_secret_post', grantTypes: ['authorization_code'], redirectUris: ['https://bms.example.gov.tw/cb'], initiateLoginUri: 'https://bms.example.gov.tw/start',
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.configured, true);
  const secret = r.body.clientSecret;
  assert.ok(typeof secret === 'string' && secret.length >= 32, 'the new client\'s secret, this once');
  assert.equal(t.deps.keyring.decrypt((await clientRow('bms'))!.secret_enc!), secret);
  assert.ok(!(await clientRow('bms'))!.secret_enc!.includes(secret));

  r = await api('PATCH', '/api/v1/sso/clients/bms', 'rabms0001', { enabled: false });
  assert.equal(r.status, 200);
  assert.equal(r.body.client.enabled, false);
  assert.deepEqual(r.body.client.redirectUris, ['https://bms.example.gov.tw/cb'], 'fields left out keep their value');
  assert.equal(r.body.clientSecret, undefined, 'no new secret');
  assert.equal(r.body.client.hasSecret, true);

  r = await api('PATCH', '/api/v1/sso/clients/bms', 'rabms0001', { redirectUris: ['http://bms.example.gov.tw/cb'] }, 'en');
  assert.equal(r.status, 422);
  assert.equal(r.body.errors.redirectUris, 'A URI must use https (http only for localhost).');
  assert.deepEqual((await clientRow('bms'))!.redirect_uris, ['https://bms.example.gov.tw/cb']);
  const encBefore = (await clientRow('bms'))!.secret_enc;
  r = await api('PATCH', '/api/v1/sso/clients/bms', 'rabms0001', { secret_enc: 'x', enabled: false });
  assert.equal((await clientRow('bms'))!.secret_enc, encBefore, 'a field the schema does not list never reaches the table');

  r = await api('POST', '/api/v1/sso/clients/bms/secret', 'rabms0001');
  assert.equal(r.status, 200);
  assert.equal(r.body.clientId, 'bms');
  assert.notEqual(r.body.clientSecret, secret);

  for (const who of ['racsm0001', 'helpdesk1', 'plainuser']) {
    assert.equal((await api('GET', '/api/v1/sso/clients/bms', who)).status, 404, who);
    assert.equal((await api('PATCH', '/api/v1/sso/clients/bms', who, { enabled: true })).status, 404, who);
    assert.equal((await api('POST', '/api/v1/sso/clients/bms/secret', who)).status, 404, who);
    assert.equal((await api('GET', '/api/v1/sso/clients/bms/consents', who)).status, 404, who);
  }
  assert.equal((await clientRow('bms'))!.enabled, false, 'unchanged by the refused calls');
  assert.equal((await api('GET', '/api/v1/sso/clients/nosuch', ADMIN_USERNAME)).status, 404);
});

test('SSO-3: the consent report lists role holders inside the jurisdiction, consented or not', async () => {
  // racsm0001's jurisdiction is AGENCY: csmuser03 (sibling unit) is outside.
  const page = (await clients.racsm0001.get('/admin/sso/csm/consents')).body;
  const rows = [...page.matchAll(/<tr data-account="([^"]+)" data-consented="(yes|no)">/g)].map((m) => `${m[1]}:${m[2]}`);
  assert.deepEqual(rows, ['csmuser01:yes', 'csmuser02:no']);
  assert.match(page, /共 2 人具有此系統的角色：已同意 1 人，未同意 1 人。/);
  assert.doesNotMatch(main(page), /csmuser03|外單位丙|90029/);
  const pending = (await clients.racsm0001.get('/admin/sso/csm/consents?status=pending')).body;
  assert.deepEqual([...pending.matchAll(/data-account="([^"]+)"/g)].map((m) => m[1]), ['csmuser02']);

  const central = (await clients[ADMIN_USERNAME].get('/admin/sso/csm/consents')).body;
  assert.deepEqual([...central.matchAll(/data-account="([^"]+)"/g)].map((m) => m[1]).sort(), ['csmuser01', 'csmuser02', 'csmuser03']);
  assert.match(central, /共 3 人具有此系統的角色：已同意 2 人，未同意 1 人。/);

  const r = await api('GET', '/api/v1/sso/clients/csm/consents?status=consented', 'racsm0001');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((i: { username: string }) => i.username), ['csmuser01']);
  assert.equal(r.body.holders, 2);
  assert.equal(r.body.consented, 1);
  assert.deepEqual(r.body.items[0].claims, ['sub', 'name', 'email', 'roles']);
  // bms administrator: the csm report does not exist for it.
  assert.equal((await clients.rabms0001.get('/admin/sso/csm/consents')).status, 404);
});

test('SSO-3: users see their own consents and revoke them; the report follows', async () => {
  const page = (await clients.csmuser01.get('/consents')).body;
  assert.match(page, /<tr data-system="csm">/);
  assert.match(page, /<li>姓名<\/li><li>電子郵件<\/li><li>您在此系統的角色<\/li>/, 'labelled as on the consent page');
  assert.doesNotMatch((await clients.csmuser02.get('/consents')).body, /data-system=/, 'nobody else\'s');
  assert.match((await clients.csmuser02.get('/consents')).body, /您尚未同意任何系統取得您的資料/);

  // Revoking a consent one never gave is "not found"; it touches nobody else's.
  assert.equal((await postForm('csmuser02', '/consents', '/consents/csm/revoke', {})).status, 404);
  assert.equal((await clients.csmuser01.request('POST', '/consents/csm/revoke', form({ _csrf: 'forged' }), { 'content-type': 'application/x-www-form-urlencoded' })).status, 403);
  const r = await postForm('csmuser01', '/consents', '/consents/csm/revoke', {});
  assert.equal(r.status, 303);
  assert.equal(r.location, '/consents?done=revoked');
  assert.match((await clients.csmuser01.get('/consents?done=revoked')).body, /已撤回同意授權/);
  const left = await t.deps.db.selectFrom('sso_consents').select(['account_id', 'system_code']).execute();
  assert.deepEqual(left, [{ account_id: ids.csmuser03, system_code: 'csm' }]);
  assert.match((await clients.racsm0001.get('/admin/sso/csm/consents')).body, /已同意 0 人，未同意 2 人/);
  const ev = await t.deps.db.selectFrom('audit_events').select(['actor_account_id', 'action']).where('action', '=', 'sso.consent.revoke').execute();
  assert.deepEqual(ev, [{ actor_account_id: ids.csmuser01, action: 'sso.consent.revoke' }]);
  assert.equal((await new Client(t.url).get('/consents')).status, 303, 'anonymous: to the login page');
});

test('SSO-2 (issue 9 item 19): the client API answers the issuer and the discovery URL, and the owning organisation', async () => {
  const one = await api('GET', '/api/v1/sso/clients/csm', 'racsm0001');
  assert.equal(one.status, 200);
  assert.equal(one.body.issuer, `${t.url}/oidc`);
  assert.equal(one.body.discoveryUrl, `${t.url}/oidc/.well-known/openid-configuration`);
  assert.equal(one.body.ownerOid, AGENCY);
  const list = await api('GET', '/api/v1/sso/clients', 'racsm0001');
  assert.deepEqual(list.body.items.map((i: { discoveryUrl: string }) => i.discoveryUrl), [`${t.url}/oidc/.well-known/openid-configuration`]);
});
