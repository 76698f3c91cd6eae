// Single sign-on through a real relying party over HTTP (SSO-2..4, GOV-1): openid-client v6 in
// test/helpers/oidc-rp.ts against the provider under /oidc; the browser side is the test Client
// (cookie jar + CSRF) going through Tessera's own login, consent and refusal pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { signInThrough, startTestRp, verifyJwt, type TestRp } from '../helpers/oidc-rp.ts';
import { ACR } from '../../src/sso/auth-context.ts';
import { revokeConsent } from '../../src/sso/consents.ts';
import { giveRoles } from '../helpers/factories.ts';

const PASSWORD = 'Correct-Horse-9';
const AGENCY = '2.16.886.101.90027.20002';
const UNIT = '2.16.886.101.90027.20002.20011';

let t: TestApp;
let csm: TestRp; // the relying party of system csm
let bms: TestRp; // and of system bms
let userId: number;

async function grantRoles(accountId: number, roles: string[]): Promise<void> {
  await giveRoles(t.deps, accountId, ...roles);
}

const browser = () => new Client('');
const signIn = (c: Client, rp: TestRp, o: { username?: string; consent?: 'accept' | 'cancel'; start?: string } = {}) =>
  signInThrough(c, o.start ?? rp.loginUrl, { rpUrl: rp.url, username: o.username, password: PASSWORD, captcha: () => t.lastCaptcha(), consent: o.consent });

const auditActions = async (accountId: number) => (await t.deps.db.selectFrom('audit_events').select(['action', 'result', 'target_id', 'details'])
  .where('actor_account_id', '=', accountId).orderBy('seq').execute());

before(async () => {
  t = await startTestApp();
  userId = await createAccount(t.deps, {
    username: 'ssouser01', password: PASSWORD, unitOid: UNIT, name: '王小明',
    profile: { email: 'ming@example.gov.tw', mobile: '0912345678' },
  });
  await grantRoles(userId, ['csm_user', 'csm_fi', 'bms_user']);
  csm = await startTestRp(t, { systemCode: 'csm' });
  bms = await startTestRp(t, { systemCode: 'bms' });
});

after(async () => {
  await csm?.close();
  await bms?.close();
  await t?.close();
});

test('SSO-2: discovery names the issuer, PKCE S256, ES256 and the Tessera scopes; the JWKS has an ES256 and an RS256 key', async () => {
  const meta = await (await fetch(`${t.url}/oidc/.well-known/openid-configuration`)).json() as Record<string, unknown>;
  assert.equal(meta.issuer, `${t.url}/oidc`);
  assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
  assert.deepEqual(meta.response_types_supported, ['code']);
  assert.ok((meta.id_token_signing_alg_values_supported as string[]).includes('ES256'));
  assert.ok((meta.scopes_supported as string[]).includes('tessera'));
  assert.ok((meta.grant_types_supported as string[]).includes('client_credentials'));
  assert.equal(meta.backchannel_logout_supported, true);
  const jwks = await (await fetch(meta.jwks_uri as string)).json() as { keys: { alg: string; d?: string }[] };
  assert.deepEqual(jwks.keys.map((k) => k.alg).sort(), ['ES256', 'RS256']);
  assert.ok(jwks.keys.every((k) => k.d === undefined), 'no private part published');
});

test('SSO-2, SSO-3: code + PKCE through the Tessera login and consent; ID token validated; userinfo carries the roles of the requesting system only', async () => {
  const c = browser();
  const trace = await signIn(c, csm, { username: 'ssouser01', consent: 'accept' });
  assert.ok(trace.loginShown, 'no Tessera session: the login page');
  assert.deepEqual(trace.consentClaims, ['sub', 'name', 'preferred_username', 'email', 'phone_number', 'organization_oid', 'organization_name', 'unit_oid', 'unit_name', 'roles']);
  assert.equal(trace.rpStatus, 200, trace.rpBody ?? "");
  assert.match(trace.rpBody!, /<dt>roles<\/dt><dd>csm_fi, csm_user<\/dd>/);

  const { idClaims, userinfo, tokens } = csm.last!;
  assert.equal(idClaims.iss, `${t.url}/oidc`);
  assert.equal(idClaims.aud, 'csm');
  assert.equal(idClaims.sub, String(userId));
  assert.equal(idClaims.acr, ACR.password);
  assert.deepEqual(idClaims.amr, ['pwd']);
  assert.equal(typeof idClaims.auth_time, 'number');
  const header = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0], 'base64url').toString()) as { alg: string; kid: string };
  assert.equal(header.alg, 'ES256');
  await verifyJwt(`${t.url}/oidc/jwks`, tokens.id_token!); // signature against the published key

  assert.equal(userinfo.name, '王小明');
  assert.equal(userinfo.preferred_username, 'ssouser01');
  assert.equal(userinfo.email, 'ming@example.gov.tw');
  assert.equal(userinfo.phone_number, '0912345678');
  assert.equal(userinfo.organization_oid, AGENCY);
  assert.equal(userinfo.organization_name, '臺中市政府經濟發展局商業科');
  assert.equal(userinfo.unit_oid, UNIT);
  assert.deepEqual(userinfo.roles, ['csm_fi', 'csm_user'], 'roles of csm only: bms_user is not released to csm');

  const consent = await t.deps.db.selectFrom('sso_consents').selectAll().where('account_id', '=', userId).where('system_code', '=', 'csm').executeTakeFirst();
  assert.ok(consent?.claims.includes('roles'));
  const events = await auditActions(userId);
  assert.ok(events.some((e) => e.action === 'sso.consent' && e.target_id === 'csm'));
  assert.ok(events.some((e) => e.action === 'sso.login' && e.result === 'ok' && e.target_id === 'csm' && (e.details as { acr?: string }).acr === ACR.password));

  // The same browser again: no login, no consent.
  const again = await signIn(c, csm);
  assert.equal(again.loginShown, false);
  assert.equal(again.consentClaims, undefined, 'consent is asked on first use only');
  assert.equal(again.rpStatus, 200);

  // Another system: its own consent, and its own roles.
  const other = await signIn(c, bms, { consent: 'accept' });
  assert.equal(other.loginShown, false, 'one Tessera sign-in serves every system');
  assert.ok(other.consentClaims, 'first use of bms asks');
  assert.deepEqual(bms.last!.userinfo.roles, ['bms_user']);

  // A new browser: the Tessera login again, but the stored consent stands.
  const second = await signIn(browser(), csm, { username: 'ssouser01' });
  assert.ok(second.loginShown);
  assert.equal(second.consentClaims, undefined);
  assert.equal(second.rpStatus, 200);
});

test('SSO-2: refresh tokens rotate; a used refresh token is refused and its whole family revoked', async () => {
  const c = browser();
  await signIn(c, csm, { username: 'ssouser01' });
  const config = await csm.configuration();
  const first = csm.last!.tokens;
  assert.ok(first.refresh_token, 'a refresh token is issued to a client allowed refresh_token');
  const second = await oidc.refreshTokenGrant(config, first.refresh_token);
  assert.ok(second.refresh_token && second.refresh_token !== first.refresh_token, 'rotated');
  assert.equal(second.claims()?.sub, String(userId), 'a fresh ID token for the same subject');
  const info = await oidc.fetchUserInfo(config, second.access_token, String(userId));
  assert.deepEqual(info.roles, ['csm_fi', 'csm_user']);

  await assert.rejects(oidc.refreshTokenGrant(config, first.refresh_token), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');
  // Reuse means theft: the newer token and its access token die with the family.
  await assert.rejects(oidc.refreshTokenGrant(config, second.refresh_token!), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');
  await assert.rejects(oidc.fetchUserInfo(config, second.access_token, String(userId)));

  // Two redemptions of one refresh token at the same moment: exactly one gets tokens.
  await signIn(c, csm);
  const racing = csm.last!.tokens.refresh_token!;
  const both = await Promise.allSettled([oidc.refreshTokenGrant(config, racing), oidc.refreshTokenGrant(config, racing)]);
  assert.equal(both.filter((r) => r.status === 'fulfilled').length, 1, 'one winner');
  const lost = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  assert.equal((lost.reason as oidc.ResponseBodyError).error, 'invalid_grant');
});

test('SSO-2: client credentials for a machine client; introspection of own tokens only; a wrong secret or a client without the grant is refused', async () => {
  const machine = await startTestRp(t, { systemCode: 'spms', grantTypes: ['client_credentials'] });
  try {
    const config = await machine.configuration();
    const r = await oidc.clientCredentialsGrant(config, {});
    assert.equal(r.token_type.toLowerCase(), 'bearer');
    assert.ok(r.access_token.length > 20);
    // OPS-4 issue 15: grants are counted by type on /metrics.
    assert.match(await (await fetch(`${t.url}/metrics`)).text(), /^tessera_oidc_grants_total\{type="client_credentials"\} [1-9]\d*$/m);
    const intro = await oidc.tokenIntrospection(config, r.access_token);
    assert.equal(intro.active, true);
    assert.equal(intro.client_id, 'spms');
    // Another system may not look into (or revoke) this system's tokens.
    assert.equal((await oidc.tokenIntrospection(await csm.configuration(), r.access_token)).active, false);

    const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    const wrong = await fetch(`${t.url}/oidc/token`, { method: 'POST', headers: { authorization: basic('spms', 'x'.repeat(43)), 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    assert.equal(wrong.status, 401);
    assert.equal((await wrong.json() as { error: string }).error, 'invalid_client');
    // csm is an interactive client: it may not take tokens for itself.
    const notMachine = await fetch(`${t.url}/oidc/token`, { method: 'POST', headers: { authorization: basic('csm', csm.clientSecret!), 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    assert.equal(notMachine.status, 400);
    assert.deepEqual(await notMachine.json(), { error: 'invalid_request', error_description: 'requested grant type is not allowed for this client' });
  } finally {
    await machine.close();
  }
});

test('SSO-2: a redirect_uri not registered is refused on a Tessera page, never redirected; PKCE is required', async () => {
  const c = browser();
  const start = new URL(await (await fetch(csm.loginUrl, { redirect: 'manual' })).headers.get('location')!);
  const bad = new URL(start);
  bad.searchParams.set('redirect_uri', 'https://evil.example/cb');
  const r = await c.get(bad.href);
  assert.equal(r.status, 400);
  assert.equal(r.location, null);
  assert.match(r.body, /返回網址與登錄的不符/);
  const noPkce = new URL(start);
  noPkce.searchParams.delete('code_challenge');
  noPkce.searchParams.delete('code_challenge_method');
  const p = await c.get(noPkce.href);
  assert.equal(p.status, 303);
  const back = new URL(p.location!);
  assert.equal(back.origin, csm.url);
  assert.equal(back.searchParams.get('error'), 'invalid_request');
});

test('SSO-2: prompt=none without a Tessera session answers login_required to the system', async () => {
  const trace = await signIn(browser(), csm, { start: `${csm.loginUrl}?prompt=none` });
  assert.equal(trace.rpStatus, 400);
  assert.equal(csm.lastError?.error, 'login_required');
});

test('SSO-3: cancel on the consent page → access_denied to the system, nothing stored', async () => {
  const id = await createAccount(t.deps, { username: 'ssocancel1', password: PASSWORD, unitOid: UNIT });
  await grantRoles(id, ['csm_user']);
  const trace = await signIn(browser(), csm, { username: 'ssocancel1', consent: 'cancel' });
  assert.ok(trace.consentClaims);
  assert.equal(trace.rpStatus, 400);
  assert.equal(csm.lastError?.error, 'access_denied');
  assert.equal(await t.deps.db.selectFrom('sso_consents').select('account_id').where('account_id', '=', id).executeTakeFirst(), undefined);
});

test('SSO-3: a revoked consent is asked again though the browser still holds a grant; the revoked tokens stop working', async () => {
  const id = await createAccount(t.deps, { username: 'ssorevoke1', password: PASSWORD, unitOid: UNIT });
  await grantRoles(id, ['csm_user']);
  const c = browser();
  const first = await signIn(c, csm, { username: 'ssorevoke1', consent: 'accept' });
  assert.ok(first.consentClaims);
  const tokens = csm.last!.tokens;
  const gone = await t.deps.db.transaction().execute((trx) => revokeConsent(trx, t.deps, id, 'csm'));
  assert.ok(gone?.includes('roles'));
  const config = await csm.configuration();
  await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token!), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');
  await assert.rejects(oidc.fetchUserInfo(config, tokens.access_token, String(id)));
  const again = await signIn(c, csm, { consent: 'accept' });
  assert.equal(again.loginShown, false, 'still signed in to Tessera');
  assert.ok(again.consentClaims, 'asked again');
  assert.equal(again.rpStatus, 200);
});

test('SSO-4: a user holding no role in the system is refused with a clear page and access_denied', async () => {
  const id = await createAccount(t.deps, { username: 'ssonorole1', password: PASSWORD, unitOid: UNIT });
  await grantRoles(id, ['bms_user']); // a role elsewhere does not open csm
  const trace = await signIn(browser(), csm, { username: 'ssonorole1', consent: 'accept' });
  assert.match(trace.refusal ?? '', /沒有任何角色/);
  assert.equal(trace.consentClaims, undefined, 'no consent is asked for a system the user may not enter');
  assert.equal(trace.rpStatus, 400);
  assert.equal(csm.lastError?.error, 'access_denied');
  const events = await auditActions(id);
  assert.ok(events.some((e) => e.action === 'sso.login' && e.result === 'denied' && (e.details as { reason?: string }).reason === 'no_role'));
});

test('SSO-2: a certificate-required system refuses a password session with a clear page and unmet_authentication_requirements', async () => {
  const id = await createAccount(t.deps, { username: 'ssocert001', password: PASSWORD, unitOid: UNIT });
  await grantRoles(id, ['psm_bob_6k']);
  const psm = await startTestRp(t, { systemCode: 'psm', certificateRequired: true });
  try {
    const trace = await signIn(browser(), psm, { username: 'ssocert001', consent: 'accept' });
    assert.match(trace.refusal ?? '', /必須使用自然人憑證登入/);
    assert.equal(trace.rpStatus, 400);
    assert.equal(psm.lastError?.error, 'unmet_authentication_requirements');
  } finally {
    await psm.close();
  }
});

test('SSO-2: RP-initiated logout of everything ends the Tessera session and delivers back-channel logout to every system signed in', async () => {
  const id = await createAccount(t.deps, { username: 'ssologout1', password: PASSWORD, unitOid: UNIT });
  await grantRoles(id, ['csm_user', 'bms_user']);
  const c = browser();
  await signIn(c, csm, { username: 'ssologout1', consent: 'accept' });
  const csmTokens = csm.last!.tokens;
  await signIn(c, bms, { consent: 'accept' });
  const bmsTokens = bms.last!.tokens;
  const before = { csm: csm.backchannelLogouts.length, bms: bms.backchannelLogouts.length };

  const end = await fetch(csm.logoutUrl, { redirect: 'manual' });
  const page = await c.get(end.headers.get('location')!);
  assert.equal(page.status, 200);
  assert.match(page.body, /要同時登出 Tessera 與所有已登入的系統嗎/);
  const action = page.body.match(/<form method="post" action="([^"]+\/session\/end\/confirm)"/)![1];
  const xsrf = page.body.match(/name="xsrf" value="([^"]+)"/)![1];
  const done = await c.post(action, { xsrf, logout: 'yes' });
  assert.equal(done.status, 303);
  assert.equal(new URL(done.location!).href, `${csm.url}/logged-out`);

  for (const [rp, n] of [[csm, before.csm], [bms, before.bms]] as const) {
    await rp.waitForBackchannelLogouts(n + 1);
    assert.equal(rp.backchannelLogouts.length, n + 1, `${rp.clientId} received a logout token`);
    const token = rp.backchannelLogouts.at(-1)!;
    assert.equal(token.sub, String(id));
    assert.equal(typeof token.sid, 'string');
    assert.ok((token.events as Record<string, unknown>)['http://schemas.openid.net/event/backchannel-logout']);
  }
  assert.equal(csm.backchannelLogouts.at(-1)!.sid, csm.last!.idClaims.sid, 'the sid of the ID token the system holds');
  // The Tessera session is gone, and the systems' tokens with it.
  const home = await c.get(`${t.url}/`);
  assert.equal(home.status, 303);
  assert.match(home.location!, /^\/login/);
  await assert.rejects(oidc.refreshTokenGrant(await csm.configuration(), csmTokens.refresh_token!));
  await assert.rejects(oidc.refreshTokenGrant(await bms.configuration(), bmsTokens.refresh_token!));
  assert.ok((await auditActions(id)).some((e) => e.action === 'sso.logout' && (e.details as { everything?: boolean }).everything === true));
  // Signing in again needs the Tessera login.
  assert.ok((await signIn(c, csm, {})).loginShown);
});

test('SSO-2: signing out of Tessera itself signs out of the systems: back-channel logout, tokens revoked, the next system visit needs the login', async () => {
  const id = await createAccount(t.deps, { username: 'ssologout2', password: PASSWORD, unitOid: UNIT });
  await grantRoles(id, ['csm_user']);
  const c = browser();
  await signIn(c, csm, { username: 'ssologout2', consent: 'accept' });
  const tokens = csm.last!.tokens;
  const before = csm.backchannelLogouts.length;
  const home = await c.get(`${t.url}/profile`);
  const csrf = home.body.match(/name="_csrf" value="([^"]+)"/)![1];
  const out = await c.post(`${t.url}/logout`, { _csrf: csrf });
  assert.equal(out.status, 303);
  await csm.waitForBackchannelLogouts(before + 1);
  assert.equal(csm.backchannelLogouts.length, before + 1);
  assert.equal(csm.backchannelLogouts.at(-1)!.sub, String(id));
  await assert.rejects(oidc.refreshTokenGrant(await csm.configuration(), tokens.refresh_token!));
  const again = await signIn(c, csm, { start: `${csm.loginUrl}?prompt=none` });
  assert.equal(csm.lastError?.error, 'login_required', 'no silent sign-in after the Tessera logout');
  assert.equal(again.rpStatus, 400);
});

test('SSO-4: when the last role in the system is taken away, the system can no longer refresh; a disabled account neither', async () => {
  const id = await createAccount(t.deps, { username: 'ssorole002', password: PASSWORD, unitOid: UNIT });
  await grantRoles(id, ['csm_user']);
  await signIn(browser(), csm, { username: 'ssorole002', consent: 'accept' });
  const config = await csm.configuration();
  const next = await oidc.refreshTokenGrant(config, csm.last!.tokens.refresh_token!);
  await t.deps.db.deleteFrom('role_grants').where('account_id', '=', id).execute();
  await assert.rejects(oidc.refreshTokenGrant(config, next.refresh_token!), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');

  const id2 = await createAccount(t.deps, { username: 'ssodisab01', password: PASSWORD, unitOid: UNIT });
  await grantRoles(id2, ['csm_user']);
  await signIn(browser(), csm, { username: 'ssodisab01', consent: 'accept' });
  const tokens = csm.last!.tokens;
  await t.deps.db.updateTable('accounts').set({ state: 'disabled' }).where('id', '=', id2).execute();
  await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token!), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');
  await assert.rejects(oidc.fetchUserInfo(config, tokens.access_token, String(id2)));
});

test('SSO-2: prompt=login makes the user sign in to Tessera again before the system gets a code', async () => {
  const id = await createAccount(t.deps, { username: 'ssoprompt1', password: PASSWORD, unitOid: UNIT });
  await grantRoles(id, ['csm_user']);
  const c = browser();
  await signIn(c, csm, { username: 'ssoprompt1', consent: 'accept' });
  const firstSid = c.cookie('tessera_sid');
  assert.equal((await signIn(c, csm)).loginShown, false);
  const forced = await signIn(c, csm, { start: `${csm.loginUrl}?prompt=login`, username: 'ssoprompt1' });
  assert.ok(forced.loginShown, 'the login page again');
  assert.equal(forced.rpStatus, 200);
  assert.notEqual(c.cookie('tessera_sid'), firstSid, 'a new Tessera session');
});

test('SSO-2, AUTH-4: a forced password change in the middle of a system sign-in goes on to the system afterwards', async () => {
  const id = await createAccount(t.deps, { username: 'ssoforce01', password: PASSWORD, unitOid: UNIT, kind: 'initial' });
  await grantRoles(id, ['csm_user']);
  const trace = await signInThrough(browser(), csm.loginUrl, {
    rpUrl: csm.url, username: 'ssoforce01', password: PASSWORD, captcha: () => t.lastCaptcha(), consent: 'accept', newPassword: 'Brand-New-Bridge-77',
  });
  assert.deepEqual(trace.pages.slice(0, 2), ['/login', '/password/change']);
  assert.ok(trace.consentClaims);
  assert.equal(trace.rpStatus, 200, trace.rpBody ?? '');
  assert.equal(csm.last!.idClaims.sub, String(id));
});
