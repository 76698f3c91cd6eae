// SSO-2 step-up with a real relying party (openid-client, test/helpers/oidc-rp.ts): the ID token's
// acr/amr say how the user signed in; a system flagged "certificate required", or a client's
// acr_values / acr claim request, sends a password-session user through certificate sign-in and
// back into the same authorization, instead of only refusing (AUTH-8, AUTH-9).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { Client } from '../../helpers/client.ts';
import { signedIn } from '../../helpers/login.ts';
import { giveRoles } from '../../helpers/factories.ts';
import { signInThrough, startTestRp, type TestRp } from '../../helpers/oidc-rp.ts';
import { ACR } from '../../../src/sso/auth-context.ts';
import { certWorld, setPolicy, type CertWorld } from './world.ts';

const UNIT = '2.16.886.101.90027.20002.20011';
const PASSWORD = 'Correct-Horse-9';

let t: TestApp;
let w: CertWorld;
let psm: TestRp; // certificate required
let csm: TestRp; // no flag

before(async () => {
  t = await startTestApp();
  w = await certWorld(t, 'D4');
  await setPolicy(t, '2.16.886.101', { 'login.certificate': true });
  psm = await startTestRp(t, { systemCode: 'psm', certificateRequired: true });
  csm = await startTestRp(t, { systemCode: 'csm' });
});
after(async () => { await psm?.close(); await csm?.close(); await w?.close(); await t?.close(); });

/** A user with a registered card and roles in both systems, signed in with the password (a Client('') for absolute URLs). */
async function passwordUser() {
  const u = await w.citizen({ unit: UNIT });
  await giveRoles(t.deps, u.accountId, 'psm_bob_6k', 'csm_user');
  const c = await signedIn(t, u.username, PASSWORD);
  assert.equal((await w.register(c, u.card)).status, 200);
  return { ...u, c: c.on('') };
}

/** Follows redirects and Refresh hops like a browser until a page that stays (or the RP's answer). */
async function follow(c: Client, start: string): Promise<{ status: number; url: string; body: string }> {
  let next = start;
  for (let hop = 0; hop < 20; hop++) {
    const u = new URL(next);
    if (u.origin === psm.url || u.origin === csm.url) {
      const r = await fetch(u, { redirect: 'manual' });
      const loc = r.headers.get('location');
      if (r.status === 302 && loc) { next = new URL(loc, u).href; continue; }
      return { status: r.status, url: u.href, body: await r.text() };
    }
    const r = await c.get(u.href);
    if (r.status >= 300 && r.status < 400 && r.location) { next = new URL(r.location, u).href; continue; }
    const refresh = r.headers.get('refresh');
    if (r.status === 200 && refresh) { next = new URL(refresh.replace(/^\d+;\s*url=/i, ''), u).href; continue; }
    return { status: r.status, url: u.href, body: r.body };
  }
  throw new Error('too many hops');
}

/** From the refusal page: the step-up link, certificate sign-in there, and on through consent to the system. */
async function stepUp(c: Client, refusal: { body: string }, card: Parameters<CertWorld['login']>[0], rp: TestRp) {
  const href = refusal.body.match(/<a href="(\/login\/certificate\?next=[^"]+)" data-testid="step-up"/)?.[1];
  assert.ok(href, 'the refusal page offers certificate sign-in');
  const page = await c.get(t.url + href);
  assert.equal(page.status, 200, 'a signed-in user may open the certificate page on the way to a system');
  const next = new URL(href, t.url).searchParams.get('next')!;
  assert.match(next, /^\/sso\/interaction\//);
  const done = await w.login(card, c, next);
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.redirect, next);
  return signInThrough(c, t.url + next, { rpUrl: rp.url, consent: 'accept' });
}

test('SSO-2 AUTH-8: a certificate-required system sends a password session to certificate sign-in and back into the flow; the ID token says certificate (acr, amr sc/hwk)', async () => {
  const u = await passwordUser();
  const refused = await follow(u.c, psm.loginUrl);
  assert.equal(refused.status, 403);
  assert.match(refused.body, /必須使用自然人憑證登入/);
  const trace = await stepUp(u.c, refused, u.card, psm);
  assert.equal(trace.rpStatus, 200, trace.rpBody?.slice(0, 300) ?? "");
  assert.equal(psm.last!.idClaims.sub, String(u.accountId));
  assert.equal(psm.last!.idClaims.acr, ACR.certificate);
  assert.deepEqual(psm.last!.idClaims.amr, ['sc', 'hwk', 'pin']);
  // The password session gave way to the certificate session.
  const sessions = await t.deps.db.selectFrom('sessions').select('auth_method').where('account_id', '=', u.accountId).execute();
  assert.deepEqual(sessions.map((s) => s.auth_method), ['certificate']);
  const e = await t.deps.db.selectFrom('audit_events').select('details').where('action', '=', 'auth.login.certificate').where('target_id', '=', String(u.accountId))
    .orderBy('seq', 'desc').executeTakeFirstOrThrow();
  assert.equal((e.details as { stepUp?: boolean }).stepUp, true);
  // Next time the certificate session goes straight in.
  const again = await signInThrough(u.c, psm.loginUrl, { rpUrl: psm.url, consent: 'accept' });
  assert.equal(again.rpStatus, 200);
  assert.equal(again.refusal, undefined);
});

test('SSO-2: acr_values are honoured — a password session gets acr password/amr pwd; asking for the certificate steps up; asking for a passkey refuses a password with unmet_authentication_requirements; a stronger sign-in meets a weaker request', async () => {
  const u = await passwordUser();
  const plain = await signInThrough(u.c, csm.loginUrl, { rpUrl: csm.url, consent: 'accept' });
  assert.equal(plain.rpStatus, 200);
  assert.equal(csm.last!.idClaims.acr, ACR.password);
  assert.deepEqual(csm.last!.idClaims.amr, ['pwd']);

  // A passkey (or stronger) asked for: the page explains, returning tells the client why.
  const passkey = await signInThrough(u.c, `${csm.loginUrl}?acr_values=${encodeURIComponent(ACR.passkey)}`, { rpUrl: csm.url, consent: 'accept' });
  assert.match(passkey.refusal ?? '', /要求以更強的方式登入/);
  assert.equal(passkey.rpStatus, 400);
  assert.equal(csm.lastError?.error, 'unmet_authentication_requirements');

  // The certificate asked for: the same step-up as a certificate-required system.
  const refused = await follow(u.c, `${csm.loginUrl}?acr_values=${encodeURIComponent(ACR.certificate)}`);
  assert.equal(refused.status, 403);
  assert.match(refused.body, /必須使用自然人憑證登入/);
  const trace = await stepUp(u.c, refused, u.card, csm);
  assert.equal(trace.rpStatus, 200, trace.rpBody?.slice(0, 300) ?? "");
  assert.equal(csm.last!.idClaims.acr, ACR.certificate);

  // The certificate session meets a request for a password sign-in, and for a passkey.
  for (const acr of [ACR.password, `${ACR.passkey} ${ACR.password}`]) {
    const r = await signInThrough(u.c, `${csm.loginUrl}?acr_values=${encodeURIComponent(acr)}`, { rpUrl: csm.url, consent: 'accept' });
    assert.equal(r.rpStatus, 200, acr);
    assert.equal(csm.last!.idClaims.acr, ACR.certificate);
  }
});
