// OPS-2, SSO-2: two Tessera instances on one PostgreSQL serve one single sign-on flow. Every step
// alternates instances: the authorization request on A, the Tessera login on B, the consent on A,
// the code exchange on B (the relying party's endpoints point at B), refresh on A, userinfo on B;
// a key rotation run against A's database is seen by B.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { startTestApp, freshPgDatabase } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { signInThrough, startTestRp } from '../helpers/oidc-rp.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { ssoCommand } from '../../src/sso/cli.ts';
import { KEY_ACTIVATION_DELAY_MS, KEY_RELOAD_INTERVAL_MS } from '../../src/sso/key-plan.ts';
import { giveRoles } from '../helpers/factories.ts';

const pg = process.env.TESSERA_TEST_PG_URL;
const PASSWORD = 'Correct-Horse-9';

test('SSO-2: a flow started on one instance finishes on the other; keys rotated on one are used by both', { skip: !pg && 'runs in the PostgreSQL pass (PGlite is one process)' }, async () => {
  const env = { DATABASE_URL: await freshPgDatabase(pg!), TESSERA_SECRET_KEY: '42'.repeat(32) };
  const clock = new ManualClock('2026-11-25T02:00:00Z');
  const a = await startTestApp({ env, clock });
  const b = await startTestApp({ env, clock, bootstrap: false });
  // One public address for both (a load balancer in front): the issuer is A's URL on both.
  b.deps.config.baseUrl = a.deps.config.baseUrl;
  const rp = await startTestRp(a, { systemCode: 'csm' });
  try {
    const id = await createAccount(a.deps, { username: 'twoinst01', password: PASSWORD });
    await giveRoles(a.deps, id, 'csm_user');

    // The browser's requests go to A and B in turn; the captcha is answered from the instance that issued it.
    let turn = 0;
    let lastInstance = a;
    const route = (u: string) => {
      const url = new URL(u);
      if (url.origin !== a.url) return u;
      lastInstance = turn++ % 2 === 0 ? a : b;
      return lastInstance.url + url.pathname + url.search;
    };
    const trace = await signInThrough(new Client(''), rp.loginUrl, {
      rpUrl: rp.url, username: 'twoinst01', password: PASSWORD, consent: 'accept', route,
      captcha: () => lastInstance.lastCaptcha(),
    });
    assert.ok(trace.loginShown && trace.consentClaims, 'login and consent shown');
    assert.equal(trace.rpStatus, 200, trace.rpBody ?? "");
    assert.ok(turn >= 4, `the browser steps alternated between the instances (${turn} requests)`);
    assert.deepEqual(rp.last!.userinfo.roles, ['csm_user']);

    // The relying party's token and userinfo calls, and a refresh, on B.
    const viaB: oidc.CustomFetch = (url, options) => fetch(url.replace(a.url, b.url), options as RequestInit);
    const config = await rp.configuration();
    config[oidc.customFetch] = viaB;
    const refreshed = await oidc.refreshTokenGrant(config, rp.last!.tokens.refresh_token!);
    assert.ok(refreshed.access_token);
    const info = await oidc.fetchUserInfo(config, refreshed.access_token, String(id));
    assert.equal(info.sub, String(id));
    // The old refresh token, presented to A now, is a reuse.
    config[oidc.customFetch] = (url, options) => fetch(url, options as RequestInit);
    await assert.rejects(oidc.refreshTokenGrant(config, rp.last!.tokens.refresh_token!), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');

    // A rotation (the CLI on A's database) is published and then used by B too.
    let out = '';
    assert.equal(await ssoCommand(a.deps, 'rotate-keys', [], { out: (s) => { out += s; }, err: () => {} }), 0);
    const created = out.match(/created ([^;]+);/)![1].split(', ');
    clock.advance(KEY_RELOAD_INTERVAL_MS + KEY_ACTIVATION_DELAY_MS);
    const kidsOnB = ((await (await fetch(`${b.url}/oidc/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    assert.ok(created.every((k) => kidsOnB.includes(k)), 'B publishes the keys created through A');
  } finally {
    await rp.close();
    await a.close();
    await b.close();
  }
});
