// Single sign-on through a real relying party over HTTP (SSO-2..4, GOV-1): openid-client v6 in
// test/helpers/oidc-rp.ts against the provider under /oidc; the browser side is the test Client
// (cookie jar + CSRF) going through Tessera's own login, consent and refusal pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { Client } from './helpers/client.ts';
import { createAccount } from './helpers/accounts.ts';
import { signInThrough, startTestRp, verifyJwt, type TestRp } from './helpers/oidc-rp.ts';
import { ACR } from '../src/sso/auth-context.ts';
import { revokeConsent } from '../src/sso/consents.ts';

const PASSWORD = 'Correct-Horse-9';
const AGENCY = '2.16.886.101.90027.20002';
const UNIT = '2.16.886.101.90027.20002.20011';

let t: TestApp;
let csm: TestRp; // the relying party of system csm
let bms: TestRp; // and of system bms
let userId: number;

async function grantRoles(accountId: number, roles: string[]): Promise<void> {
  await t.deps.db.insertInto('role_grants').values(roles.map((role_code) => ({ account_id: accountId, role_code, granted_by: null, granted_at: t.clock.now() }))).execute();
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
