// Passkeys through HTTP (AUTH-11, ACC-6, ADM-5, GOV-1): registration and usernameless sign-in with
// a software authenticator (test/helpers/webauthn.ts); the ceremony challenge's expiry, single use
// and binding to the browser; counter regression; refusals that all read the same; the AAGUID
// policy; removal by the user and by an administrator within the jurisdiction only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, freshPgDatabase, type TestApp } from '../helpers/app.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { Client, hiddenFields } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { signedIn, alertText, login } from '../helpers/login.ts';
import { giveGrant, giveRoles } from '../helpers/factories.ts';
import { signInThrough, startTestRp } from '../helpers/oidc-rp.ts';
import { ACR } from '../../src/sso/auth-context.ts';
import { SoftAuthenticator } from '../helpers/webauthn.ts';
import { MINUTE } from '../../src/platform/clock.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

const PASSWORD = 'Correct-Horse-9';
const UNIT = '2.16.886.101.90027.20002.20011';
const SIBLING = '2.16.886.101.90029.20002';
const ICLOUD = 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd';
const NEUTRAL = '無法以通行密鑰登入。請確認所選的通行密鑰已註冊於本平台且帳號可以使用，或改用帳號密碼登入。';

interface JsonRes { status: number; body: any }
async function json(c: Client, path: string, body: Record<string, unknown>): Promise<JsonRes> {
  const r = await c.request('POST', path, JSON.stringify(body), { 'content-type': 'application/json', accept: 'application/json' });
  let parsed: unknown = r.body;
  try { parsed = JSON.parse(r.body); } catch { /* an HTML page */ }
  return { status: r.status, body: parsed };
}

async function csrfOf(c: Client): Promise<string> {
  return hiddenFields((await c.get('/account/passkeys')).body)._csrf;
}

async function registrationOptions(c: Client) {
  const r = await json(c, '/account/passkeys/options', { _csrf: await csrfOf(c) });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.options;
}

async function register(c: Client, a: SoftAuthenticator): Promise<JsonRes> {
  const options = await registrationOptions(c);
  assert.equal(options.authenticatorSelection.residentKey, 'required');
  assert.equal(options.authenticatorSelection.userVerification, 'required');
  return json(c, '/account/passkeys', { _csrf: await csrfOf(c), credential: a.register(options, t.url) });
}

async function loginOptions(c: Client) {
  const r = await json(c, '/login/passkey/options', {});
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.options.allowCredentials ?? [], [], 'usernameless: no credentials listed');
  return r.body.options;
}

async function passkeyLogin(c: Client, a: SoftAuthenticator, opts: { step?: number; badSignature?: boolean } = {}): Promise<JsonRes> {
  const options = await loginOptions(c);
  return json(c, '/login/passkey', { credential: a.assert(options, t.url, opts) });
}

async function userWithPasskey(username: string, a: SoftAuthenticator, unitOid = UNIT) {
  const id = await createAccount(t.deps, { username, password: PASSWORD, unitOid });
  const c = await signedIn(t, username, PASSWORD);
  const r = await register(c, a);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { id, c };
}

const passkeyRows = (accountId: number) => t.deps.db.selectFrom('passkeys').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
const lastAudit = (action: string) => t.deps.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('seq', 'desc').executeTakeFirstOrThrow();

test('AUTH-11 ACC-6: register a passkey, then usernameless sign-in lands on the portal with a passkey session', async () => {
  const a = new SoftAuthenticator({ aaguid: ICLOUD, synced: true });
  const { id, c } = await userWithPasskey('passkey01', a);
  const rows = await passkeyRows(id);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].name, 'iCloud Keychain', 'named from the AAGUID');
  assert.equal(rows[0].aaguid, ICLOUD);
  assert.equal(rows[0].backup_eligible, true);
  assert.deepEqual(rows[0].transports, ['internal']);
  const page = await c.get('/account/passkeys');
  assert.match(page.body, /iCloud Keychain/);
  assert.match(page.body, /可同步（雲端備份）/);
  assert.match(page.body, /尚未使用/);
  assert.equal((await lastAudit('auth.passkey.register')).actor_account_id, id);

  // A second one of an unknown model is "通行密鑰 2", device-bound.
  const b = new SoftAuthenticator();
  assert.equal((await register(c, b)).status, 200);
  assert.equal((await passkeyRows(id))[1].name, '通行密鑰 2');

  t.clock.advance(MINUTE);
  const fresh = new Client(t.url);
  const r = await passkeyLogin(fresh, a);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.redirect, '/');
  assert.ok(fresh.cookie('tessera_sid'), 'the same session cookie as a password login');
  const home = await fresh.get('/');
  assert.equal(home.status, 200);
  assert.match(home.body, /data-testid="last-passkey-login">無紀錄</, 'the previous passkey login: none before this one');
  assert.match(home.body, /data-testid="last-password-login">2026-11-25 10:00:00</, 'the password login stays shown');
  const session = await t.deps.db.selectFrom('sessions').selectAll().where('account_id', '=', id).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  assert.equal(session.auth_method, 'passkey');
  const audit = await lastAudit('auth.login.passkey');
  assert.equal(audit.result, 'ok');
  assert.equal((audit.details as { method: string }).method, 'passkey');
  const used = (await passkeyRows(id))[0];
  assert.ok(used.last_used_at, 'last used is recorded');
  const account = await t.deps.db.selectFrom('accounts').select('last_passkey_login_at').where('id', '=', id).executeTakeFirstOrThrow();
  assert.ok(account.last_passkey_login_at);

  // The next passkey sign-in shows this one as the previous.
  t.clock.advance(MINUTE);
  const again = new Client(t.url);
  assert.equal((await passkeyLogin(again, a)).status, 200);
  assert.match((await again.get('/')).body, /data-testid="last-passkey-login">2026-11-25 10:0\d:00</);
});

test('AUTH-11: a sign-in challenge expires after 5 minutes and is single use', async () => {
  const a = new SoftAuthenticator({ counter: 1 });
  await userWithPasskey('passkey02', a);
  const c = new Client(t.url);
  const options = await loginOptions(c);
  t.clock.advance(5 * MINUTE + 1000);
  const late = await json(c, '/login/passkey', { credential: a.assert(options, t.url) });
  assert.equal(late.status, 401);
  assert.equal(late.body.message, NEUTRAL);
  assert.equal(c.cookie('tessera_sid'), undefined);

  const c2 = new Client(t.url);
  const options2 = await loginOptions(c2);
  const cookie = c2.cookie('tessera_pk')!;
  const answer = a.assert(options2, t.url);
  assert.equal((await json(c2, '/login/passkey', { credential: answer })).status, 200);
  // The same answer again, from the same browser with its ceremony cookie restored: refused.
  const replay = new Client(t.url);
  replay.setCookie('tessera_pk', cookie);
  const r = await json(replay, '/login/passkey', { credential: answer });
  assert.equal(r.status, 401);
  assert.equal(r.body.message, NEUTRAL);
  assert.equal(replay.cookie('tessera_sid'), undefined);

  // Registration challenges expire too.
  const u = await signedIn(t, 'passkey02', PASSWORD);
  const regOptions = await registrationOptions(u);
  t.clock.advance(5 * MINUTE + 1000);
  const reg = await json(u, '/account/passkeys', { _csrf: await csrfOf(u), credential: new SoftAuthenticator().register(regOptions, t.url) });
  assert.equal(reg.status, 422);
  assert.equal(reg.body.error, 'passkey.challengeFailed');
});

test('AUTH-11: a challenge issued to another browser or session is refused', async () => {
  const a = new SoftAuthenticator();
  await userWithPasskey('passkey03', a);
  const first = new Client(t.url);
  const second = new Client(t.url);
  const theirs = await loginOptions(first);
  await loginOptions(second);
  const r = await json(second, '/login/passkey', { credential: a.assert(theirs, t.url) });
  assert.equal(r.status, 401);
  assert.equal(r.body.message, NEUTRAL);
  assert.equal(second.cookie('tessera_sid'), undefined);
  // Without the ceremony cookie at all.
  const none = new Client(t.url);
  assert.equal((await json(none, '/login/passkey', { credential: a.assert(await loginOptions(new Client(t.url)), t.url) })).status, 401);

  // Registration: session B answers session A's challenge (same account, two sessions).
  const sa = await signedIn(t, 'passkey03', PASSWORD);
  const sb = await signedIn(t, 'passkey03', PASSWORD);
  const optionsA = await registrationOptions(sa);
  const reg = await json(sb, '/account/passkeys', { _csrf: await csrfOf(sb), credential: new SoftAuthenticator().register(optionsA, t.url) });
  assert.equal(reg.status, 422);
  assert.equal(reg.body.error, 'passkey.challengeFailed');
});

test('AUTH-11: a counter that goes backwards is refused; a synced passkey reporting 0 is not', async () => {
  const a = new SoftAuthenticator({ counter: 5 });
  const { id } = await userWithPasskey('passkey04', a);
  assert.equal((await passkeyLogin(new Client(t.url), a, { step: 1 })).status, 200);
  assert.equal(Number((await passkeyRows(id))[0].counter), 6);
  a.counter = 3;
  const c = new Client(t.url);
  const r = await passkeyLogin(c, a, { step: 0 });
  assert.equal(r.status, 401);
  assert.equal(r.body.message, NEUTRAL);
  assert.equal(c.cookie('tessera_sid'), undefined);
  const audit = await lastAudit('auth.login.passkey');
  assert.equal(audit.result, 'failed');
  assert.equal((audit.details as { reason: string }).reason, 'counter');
  // Same counter again is a regression too.
  a.counter = 6;
  assert.equal((await passkeyLogin(new Client(t.url), a, { step: 0 })).status, 401);

  const synced = new SoftAuthenticator({ synced: true });
  await userWithPasskey('passkey05', synced);
  for (let i = 0; i < 2; i++) assert.equal((await passkeyLogin(new Client(t.url), synced, { step: 0 })).status, 200, 'counter 0 every time');
});

test('AUTH-11 AUTH-1: a disabled account, an unknown passkey and a bad signature all get the same neutral refusal', async () => {
  const a = new SoftAuthenticator();
  const { id } = await userWithPasskey('passkey06', a);
  await t.deps.db.updateTable('accounts').set({ state: 'disabled' }).where('id', '=', id).execute();
  const disabled = await passkeyLogin(new Client(t.url), a);
  const unknown = await passkeyLogin(new Client(t.url), new SoftAuthenticator());
  await t.deps.db.updateTable('accounts').set({ state: 'enabled' }).where('id', '=', id).execute();
  const badSig = await passkeyLogin(new Client(t.url), a, { badSignature: true });
  for (const r of [disabled, unknown, badSig]) {
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { error: 'passkey.loginFailed', message: NEUTRAL });
  }
  const reasons = (await t.deps.db.selectFrom('audit_events').select('details').where('action', '=', 'auth.login.passkey').orderBy('seq', 'desc').limit(3).execute())
    .map((e) => (e.details as { reason: string }).reason);
  assert.deepEqual(reasons, ['verify', 'unknown_credential', 'disabled']);
  assert.equal((await passkeyLogin(new Client(t.url), a)).status, 200, 'enabled again: signs in');
  // A username locked out by wrong passwords (AUTH-2) is refused the same way until it is unlocked.
  for (let i = 0; i < 3; i++) await login(t, new Client(t.url), 'passkey06', 'Wrong-Password-' + i);
  const locked = await passkeyLogin(new Client(t.url), a);
  assert.equal(locked.status, 401);
  assert.deepEqual(locked.body, { error: 'passkey.loginFailed', message: NEUTRAL });
  assert.equal(((await lastAudit('auth.login.passkey')).details as { reason: string }).reason, 'locked');
});

test('AUTH-11: user verification is required, at registration and at sign-in', async () => {
  const id = await createAccount(t.deps, { username: 'passkey07', password: PASSWORD, unitOid: UNIT });
  const c = await signedIn(t, 'passkey07', PASSWORD);
  const r = await register(c, new SoftAuthenticator({ uv: false }));
  assert.equal(r.status, 422);
  assert.equal(r.body.error, 'passkey.verifyFailed');
  assert.equal((await passkeyRows(id)).length, 0);
  const a = new SoftAuthenticator();
  assert.equal((await register(c, a)).status, 200);
  (a.opts as { uv?: boolean }).uv = false;
  const login = await passkeyLogin(new Client(t.url), a);
  assert.equal(login.status, 401);
});

test('AUTH-11 ORG-3: the subtree\'s AAGUID deny and allow lists apply at registration; passkeys can be turned off', async () => {
  const unit = '2.16.886.101.90027.20002.20031';
  const now = t.clock.now();
  await t.deps.db.insertInto('orgs').values({ oid: unit, name: '通行密鑰測試科', kind: 'unit', created_at: now, updated_at: now }).onConflict((oc) => oc.doNothing()).execute();
  await t.deps.db.insertInto('policies').values({ oid: unit, settings: JSON.stringify({ 'passkey.aaguidDeny': [ICLOUD] }), updated_at: now }).execute();
  const id = await createAccount(t.deps, { username: 'passkey08', password: PASSWORD, unitOid: unit });
  const c = await signedIn(t, 'passkey08', PASSWORD);
  const denied = await register(c, new SoftAuthenticator({ aaguid: ICLOUD }));
  assert.equal(denied.status, 422);
  assert.equal(denied.body.message, '您所屬單位的政策不允許使用這個型號的驗證器（通行密鑰）。請改用其他裝置或密碼管理工具。');
  assert.equal((await passkeyRows(id)).length, 0);
  assert.equal((await lastAudit('auth.passkey.register')).result, 'denied');
  assert.equal((await register(c, new SoftAuthenticator())).status, 200, 'another model is fine');

  const yubi = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';
  await t.deps.db.updateTable('policies').set({ settings: JSON.stringify({ 'passkey.aaguidAllow': [yubi] }) }).where('oid', '=', unit).execute();
  assert.equal((await register(c, new SoftAuthenticator())).status, 422, 'not on the allow list');
  assert.equal((await register(c, new SoftAuthenticator({ aaguid: yubi }))).status, 200);

  await t.deps.db.updateTable('policies').set({ settings: JSON.stringify({ 'login.passkey': false }) }).where('oid', '=', unit).execute();
  const off = await json(c, '/account/passkeys/options', { _csrf: await csrfOf(c) });
  assert.equal(off.status, 422);
  assert.equal(off.body.error, 'passkey.disabledByPolicy');
});

test('AUTH-9 AUTH-11: where the subtree requires the card, a passkey signs in only where the policy lets it stand in for the card', async () => {
  const unit = '2.16.886.101.90027.20002.20032';
  const now = t.clock.now();
  await t.deps.db.insertInto('orgs').values({ oid: unit, name: '憑證必要測試科', kind: 'unit', created_at: now, updated_at: now }).onConflict((oc) => oc.doNothing()).execute();
  const a = new SoftAuthenticator();
  const { id } = await userWithPasskey('passkey19', a, unit);
  assert.equal((await passkeyLogin(new Client(t.url), a)).status, 200, 'no card required: the passkey signs in');
  await t.deps.db.insertInto('policies').values({ oid: unit, settings: JSON.stringify({ 'login.certificate': true, 'login.certificateRequired': true }), updated_at: now }).execute();
  const refused = await passkeyLogin(new Client(t.url), a);
  assert.equal(refused.status, 401);
  const e = await lastAudit('auth.login.passkey');
  assert.equal(e.target_id, String(id));
  assert.deepEqual([(e.details as any).reason, (e.details as any).certificateRequired], ['policy', true]);
  await t.deps.db.updateTable('policies').set({ settings: JSON.stringify({ 'login.certificate': true, 'login.certificateRequired': true, 'login.passkeyInsteadOfCertificate': true }) }).where('oid', '=', unit).execute();
  assert.equal((await passkeyLogin(new Client(t.url), a)).status, 200, 'the policy lets the passkey stand in');
});

test('AUTH-11: renaming and removing one\'s own passkey; a removed passkey no longer signs in', async () => {
  const a = new SoftAuthenticator();
  const { id, c } = await userWithPasskey('passkey09', a);
  const [row] = await passkeyRows(id);
  const renamed = await c.submit('/account/passkeys', `/account/passkeys/${row.id}/rename`, { name: '  辦公室 筆電 ' });
  assert.equal(renamed.status, 303);
  assert.equal((await passkeyRows(id))[0].name, '辦公室 筆電');
  const empty = await c.submit('/account/passkeys', `/account/passkeys/${row.id}/rename`, { name: '  ' });
  assert.equal(empty.status, 422);
  assert.equal(alertText(empty.body), '請輸入名稱。');

  // Someone else's passkey is not found, and stays.
  const other = new SoftAuthenticator();
  const { id: otherId } = await userWithPasskey('passkey10', other);
  const [otherRow] = await passkeyRows(otherId);
  assert.equal((await c.submit('/account/passkeys', `/account/passkeys/${otherRow.id}/remove`, {})).status, 404);
  assert.equal((await passkeyRows(otherId)).length, 1);

  const removed = await c.submit('/account/passkeys', `/account/passkeys/${row.id}/remove`, {});
  assert.equal(removed.status, 303);
  assert.equal((await passkeyRows(id)).length, 0);
  const audit = await lastAudit('auth.passkey.remove');
  assert.equal(audit.actor_account_id, id);
  const r = await passkeyLogin(new Client(t.url), a);
  assert.equal(r.status, 401);
  assert.equal(r.body.message, NEUTRAL);
});

test('AUTH-11 ADM-5 ADM-2: an administrator sees and removes passkeys within the jurisdiction; a sibling agency\'s gets 404 and nothing changes', async () => {
  const a = new SoftAuthenticator({ aaguid: ICLOUD });
  const { id } = await userWithPasskey('passkey11', a);
  const [row] = await passkeyRows(id);
  const siblingId = await createAccount(t.deps, { username: 'rasibling1', password: PASSWORD, unitOid: SIBLING });
  await giveGrant(t.deps, siblingId, 'registration_admin', SIBLING);
  const sibling = await signedIn(t, 'rasibling1', PASSWORD);
  assert.equal((await sibling.get(`/admin/accounts/${id}`)).status, 404);
  const csrf = hiddenFields((await sibling.get('/admin/accounts')).body)._csrf;
  const r = await sibling.post(`/admin/accounts/${id}/passkeys/${row.id}/remove`, { _csrf: csrf });
  assert.equal(r.status, 404);
  assert.equal((await passkeyRows(id)).length, 1, 'nothing changed');

  const adminId = await createAccount(t.deps, { username: 'raagency11', password: PASSWORD, unitOid: '2.16.886.101.90027.20002' });
  await giveGrant(t.deps, adminId, 'registration_admin', '2.16.886.101.90027.20002');
  const admin = await signedIn(t, 'raagency11', PASSWORD);
  const pageRes = await admin.get(`/admin/accounts/${id}`);
  assert.equal(pageRes.status, 200);
  assert.match(pageRes.body, /iCloud Keychain/);
  const done = await admin.submit(`/admin/accounts/${id}`, `/admin/accounts/${id}/passkeys/${row.id}/remove`, {});
  assert.equal(done.status, 303);
  assert.equal(done.location, `/admin/accounts/${id}?done=passkey-removed`);
  assert.equal((await passkeyRows(id)).length, 0);
  const audit = await lastAudit('auth.passkey.remove');
  assert.equal(audit.actor_account_id, adminId);
  assert.equal(audit.target_id, String(id));
  assert.equal((await passkeyLogin(new Client(t.url), a)).status, 401);
});

test('AUTH-11 SSO-2: a relying party sees a passkey session as acr passkey, amr hwk + user', async () => {
  const a = new SoftAuthenticator();
  const { id } = await userWithPasskey('passkey12', a);
  await giveRoles(t.deps, id, 'csm_user');
  const c = new Client(t.url);
  assert.equal((await passkeyLogin(c, a)).status, 200);
  const rp = await startTestRp(t, { systemCode: 'csm' });
  try {
    const browser = new Client('');
    browser.setCookie('tessera_sid', c.cookie('tessera_sid')!);
    const trace = await signInThrough(browser, rp.loginUrl, { rpUrl: rp.url, consent: 'accept' });
    assert.equal(trace.loginShown, false, 'the passkey session is used');
    assert.equal(trace.rpStatus, 200, trace.rpBody ?? '');
    assert.equal(rp.last!.idClaims.acr, ACR.passkey);
    assert.deepEqual(rp.last!.idClaims.amr, ['hwk', 'user']);
  } finally {
    await rp.close();
  }
});

const pg = process.env.TESSERA_TEST_PG_URL;

test('AUTH-11 OPS-2: two instances on one PostgreSQL: a ceremony begun on one is finished on the other', { skip: !pg && 'runs in the PostgreSQL pass (PGlite is one process)' }, async () => {
  const env = { DATABASE_URL: await freshPgDatabase(pg!), TESSERA_SECRET_KEY: '42'.repeat(32) };
  const clock = new ManualClock('2026-11-25T02:00:00Z');
  const a = await startTestApp({ env, clock });
  const b = await startTestApp({ env, clock });
  try {
    // Behind one public URL: both instances expect the same origin.
    b.deps.config.baseUrl = a.deps.config.baseUrl;
    await createAccount(a.deps, { username: 'passkey13', password: PASSWORD, unitOid: UNIT });
    const onA = await signedIn(a, 'passkey13', PASSWORD);
    const onB = new Client(b.url);
    for (const k of ['tessera_sid', 'tessera_csrf']) onB.setCookie(k, onA.cookie(k)!);
    const auth = new SoftAuthenticator({ counter: 1 });
    const csrf = hiddenFields((await onA.get('/account/passkeys')).body)._csrf;
    const options = (await json(onA, '/account/passkeys/options', { _csrf: csrf })).body.options;
    const reg = await json(onB, '/account/passkeys', { _csrf: csrf, credential: auth.register(options, a.url) });
    assert.equal(reg.status, 200, JSON.stringify(reg.body));

    const start = new Client(b.url);
    const loginOpts = (await json(start, '/login/passkey/options', {})).body.options;
    const finish = new Client(a.url);
    finish.setCookie('tessera_pk', start.cookie('tessera_pk')!);
    const r = await json(finish, '/login/passkey', { credential: auth.assert(loginOpts, a.url) });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal((await finish.get('/')).status, 200);
  } finally {
    await a.close();
    await b.close();
  }
});
