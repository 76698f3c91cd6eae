// Signing-key rotation (SSO-2 JWKS rotation): `tessera sso rotate-keys` publishes new keys before
// they sign, keeps the old public keys while their tokens may still be presented, then drops them.
// Also: a relying party that needs RS256 gets RS256 ID tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { signInThrough, startTestRp, verifyJwt, type TestRp } from '../helpers/oidc-rp.ts';
import { ssoCommand } from '../../src/sso/cli.ts';
import { KEY_ACTIVATION_DELAY_MS, KEY_RELOAD_INTERVAL_MS, KEY_RETENTION_MS, planKeys } from '../../src/sso/key-plan.ts';
import { giveRoles } from '../helpers/factories.ts';

const PASSWORD = 'Correct-Horse-9';
let t: TestApp;
let rp: TestRp;

const header = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString()) as { kid: string; alg: string };
const jwksKids = async () => ((await (await fetch(`${t.url}/oidc/jwks`)).json()) as { keys: { kid: string; alg: string }[] }).keys;
const signIn = async () => {
  rp.forgetKeys();
  const trace = await signInThrough(new Client(''), rp.loginUrl, { rpUrl: rp.url, username: 'keyuser01', password: PASSWORD, captcha: () => t.lastCaptcha(), consent: 'accept' });
  assert.equal(trace.rpStatus, 200, trace.rpBody ?? "");
  return rp.last!.tokens.id_token!;
};
async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await ssoCommand(t.deps, args[0], args.slice(1), { out: (s) => { out += s; }, err: (s) => { out += s; } });
  return { code, out };
}

before(async () => {
  t = await startTestApp();
  const id = await createAccount(t.deps, { username: 'keyuser01', password: PASSWORD });
  await giveRoles(t.deps, id, 'csm_user');
  rp = await startTestRp(t, { systemCode: 'csm' });
});
after(async () => { await rp?.close(); await t?.close(); });

test('SSO-2: rotate-keys keeps the old kid in the JWKS and tokens it signed still verify; the new key signs after activation; the old one goes after retention', async () => {
  const oldToken = await signIn();
  const oldKid = header(oldToken).kid;
  assert.equal(header(oldToken).alg, 'ES256');

  const r = await cli('rotate-keys');
  assert.equal(r.code, 0);
  const created = r.out.match(/created ([^;]+);/)![1].split(', ');
  assert.equal(created.length, 2, 'an ES256 and an RS256 key');
  const newEs = (await t.deps.db.selectFrom('sso_signing_keys').select(['kid', 'alg']).where('kid', 'in', created).execute()).find((k) => k.alg === 'ES256')!.kid;

  // Published at the next reload, before it signs: instances that have not reloaded yet still sign with the old key.
  t.clock.advance(KEY_RELOAD_INTERVAL_MS);
  let kids = (await jwksKids()).map((k) => k.kid);
  assert.ok(kids.includes(newEs) && kids.includes(oldKid));
  assert.equal(header(await signIn()).kid, oldKid, 'not signing before activation');

  t.clock.advance(KEY_ACTIVATION_DELAY_MS);
  kids = (await jwksKids()).map((k) => k.kid);
  assert.ok(kids.includes(oldKid), 'the old public key stays');
  await verifyJwt(`${t.url}/oidc/jwks`, oldToken); // a token signed with the old key still verifies
  const newToken = await signIn();
  assert.equal(header(newToken).kid, newEs, 'the new key signs');

  // After retention the old key is no longer published, and the next rotation deletes it.
  t.clock.advance(KEY_RETENTION_MS + KEY_RELOAD_INTERVAL_MS);
  kids = (await jwksKids()).map((k) => k.kid);
  assert.ok(!kids.includes(oldKid), 'dropped after its tokens expired');
  assert.ok(kids.includes(newEs));
  await assert.rejects(verifyJwt(`${t.url}/oidc/jwks`, oldToken), /unknown kid/);
  const again = await cli('rotate-keys');
  assert.match(again.out, new RegExp(`dropped .*${oldKid}`));
  assert.equal(await t.deps.db.selectFrom('sso_signing_keys').select('kid').where('kid', '=', oldKid).executeTakeFirst(), undefined);
  const listed = await cli('keys');
  assert.match(listed.out, new RegExp(`${newEs}  ES256  signing`));
  // The private parts are stored encrypted, never as JWK text.
  const stored = await t.deps.db.selectFrom('sso_signing_keys').select('private_jwk_enc').execute();
  assert.ok(stored.every((k) => k.private_jwk_enc.startsWith('v1.') && !k.private_jwk_enc.includes('"d"')));
  const audit = await t.deps.db.selectFrom('audit_events').select('action').where('action', '=', 'sso.keys.rotate').execute();
  assert.equal(audit.length, 2);
});

test('SSO-2: rotate-keys --immediate signs with the new key at once and drops the old ones (a leaked key)', async () => {
  const before = await signIn();
  const r = await cli('rotate-keys', '--immediate');
  assert.equal(r.code, 0);
  assert.match(r.out, new RegExp(`dropped .*${header(before).kid}`));
  t.clock.advance(KEY_RELOAD_INTERVAL_MS);
  assert.ok(!(await jwksKids()).some((k) => k.kid === header(before).kid));
  assert.notEqual(header(await signIn()).kid, header(before).kid);
  assert.equal((await cli('rotate-keys', '--bogus')).code, 2);
});

test('SSO-2 issue 13: an ID token naming a key this instance has not loaded (rotated elsewhere) makes it reload its keys at once', async () => {
  await signIn(); // the provider is built and its keys loaded
  const r = await cli('rotate-keys');
  assert.equal(r.code, 0);
  const all = (await t.deps.db.selectFrom('sso_signing_keys').select('kid').execute()).map((k) => k.kid);
  const known = new Set((await jwksKids()).map((k) => k.kid));
  const fresh = all.filter((k) => !known.has(k));
  assert.ok(fresh.length > 0, 'the rotation is not yet seen by this instance (its reload interval has not passed)');
  // A system sends back a token signed with the new key (by another instance): only its header matters here.
  const hint = [Buffer.from(JSON.stringify({ alg: 'ES256', kid: fresh[0] })).toString('base64url'), 'e30', 'sig'].join('.');
  await fetch(`${t.url}/oidc/session/end?id_token_hint=${hint}&client_id=csm`);
  const after = new Set((await jwksKids()).map((k) => k.kid));
  for (const k of fresh) assert.ok(after.has(k), `${k} published without waiting ${KEY_RELOAD_INTERVAL_MS} ms`);
});

test('SSO-2: a relying party registered for RS256 receives RS256 ID tokens that verify against the JWKS', async () => {
  const user = await t.deps.db.selectFrom('accounts').select('id').where('username', '=', 'keyuser01').executeTakeFirstOrThrow();
  await giveRoles(t.deps, user.id, 'fms_user');
  const rs = await startTestRp(t, { systemCode: 'fms', idTokenSignedResponseAlg: 'RS256' });
  try {
    const trace = await signInThrough(new Client(''), rs.loginUrl, { rpUrl: rs.url, username: 'keyuser01', password: PASSWORD, captcha: () => t.lastCaptcha(), consent: 'accept' });
    assert.equal(trace.rpStatus, 200, trace.rpBody ?? "");
    const jwt = rs.last!.tokens.id_token!;
    assert.equal(header(jwt).alg, 'RS256');
    await verifyJwt(`${t.url}/oidc/jwks`, jwt);
  } finally {
    await rs.close();
  }
});

test('key plan: pending keys are published but do not sign; superseded keys stay RETENTION, then expire', () => {
  const at = (m: number) => new Date(Date.UTC(2026, 0, 1) + m * 60_000);
  const rows = [
    { kid: 'es1', alg: 'ES256', activatesAt: at(0) }, { kid: 'rs1', alg: 'RS256', activatesAt: at(0) },
    { kid: 'es2', alg: 'ES256', activatesAt: at(10) },
  ];
  let p = planKeys(rows, at(5));
  assert.equal(p.signing.get('ES256'), 'es1');
  assert.deepEqual(p.published, ['es1', 'rs1', 'es2']);
  p = planKeys(rows, at(11));
  assert.equal(p.signing.get('ES256'), 'es2');
  assert.deepEqual(p.published, ['es2', 'rs1', 'es1']);
  p = planKeys(rows, new Date(at(10).getTime() + KEY_RETENTION_MS));
  assert.deepEqual(p.expired, ['es1']);
  assert.deepEqual(p.published, ['es2', 'rs1']);
});
