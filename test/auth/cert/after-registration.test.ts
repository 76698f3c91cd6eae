// After registration (AUTH-9, SSO-2, GOV-5, AUTH-8, ACC-6), over HTTP against one app and one test
// PKI (world.ts):
// - the login-method policy (seed 002 五/六, seed 003 四.7): where a subtree requires the card, the
//   initial password opens the first sign-in (開帳), a chosen password serves only to register the
//   card within the grace days, the one-day password lapses for an account that registered no card
//   in time, and a passkey does not stand in for the card unless the policy says so;
// - step-up with a real relying party (openid-client, test/helpers/oidc-rp.ts): the ID token's
//   acr/amr say how the user signed in; a system flagged "certificate required", or a client's
//   acr_values, sends a password-session user through certificate sign-in and back into the same
//   authorization, instead of only refusing;
// - certificate-expiry reminders through the job scheduler and the outbox, once per certificate,
//   N days (policy) before the card expires.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../../helpers/app.ts';
import { Client, hiddenFields } from '../../helpers/client.ts';
import { login, alertText, signedIn } from '../../helpers/login.ts';
import { giveRoles } from '../../helpers/factories.ts';
import { signInThrough, startTestRp, type TestRp } from '../../helpers/oidc-rp.ts';
import { DAY, HOUR } from '../../../src/platform/clock.ts';
import { effectivePolicy } from '../../../src/orgs/policy.ts';
import { passkeyMethodAllowed, passwordMethodRefusal } from '../../../src/auth/login-method.ts';
import { ACR } from '../../../src/sso/auth-context.ts';
import { runDueJobs } from '../../../src/governance/jobs/scheduler.ts';
import { jobNamed } from '../../../src/governance/jobs/table.ts';
import { setNextRun } from '../../../src/governance/jobs/store.ts';
import { taipeiDate } from '../../../src/requests/format.ts';
import { certWorld, setPolicy, type CertWorld } from './world.ts';

/** Where the card is required (seed 003's rule). */
const REQUIRED = '2.16.886.101.90027.20002.20011.20033';
/** Certificate sign-in allowed, passwords too. */
const UNIT = '2.16.886.101.90027.20002.20011';
const OPEN_UNIT = '2.16.886.101.90029.20002';
/** No certificate-expiry reminders. */
const QUIET = '2.16.886.101.20003.20008.20074';
const PASSWORD = 'Correct-Horse-9';
const NEW_PASSWORD = 'Brand-New-Pass-42';

let t: TestApp;
let w: CertWorld;
let psm: TestRp; // certificate required
let csm: TestRp; // no flag

before(async () => {
  t = await startTestApp();
  w = await certWorld(t, 'C3');
  await setPolicy(t, '2.16.886.101', { 'login.certificate': true });
  await setPolicy(t, REQUIRED, { 'login.certificate': true, 'login.certificateRequired': true });
  await setPolicy(t, QUIET, { 'reminder.certificateExpiryDays': 0 });
  psm = await startTestRp(t, { systemCode: 'psm', certificateRequired: true });
  csm = await startTestRp(t, { systemCode: 'csm' });
});
after(async () => { await psm?.close(); await csm?.close(); await w?.close(); await t?.close(); });

const lastAudit = (action: string, accountId: number) => t.deps.db.selectFrom('audit_events').select(['result', 'details'])
  .where('action', '=', action).where('target_id', '=', String(accountId)).orderBy('seq', 'desc').executeTakeFirstOrThrow();
const reasonOf = (e: { details: unknown }) => ((typeof e.details === 'string' ? JSON.parse(e.details) : e.details) as { reason?: string }).reason;

/** Seed 003's first sign-in: the initial password, then the forced change (開帳). */
async function activate(username: string, initial: string): Promise<Client> {
  const c = new Client(t.url);
  const r = await login(t, c, username, initial);
  assert.equal(r.status, 303, alertText(r.body) ?? "");
  assert.match(r.location!, /^\/password\/change/);
  const ch = await c.submit('/password/change', '/password/change', { current: initial, next: NEW_PASSWORD, confirm: NEW_PASSWORD });
  assert.equal(ch.status, 303, alertText(ch.body) ?? "");
  return c;
}
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
async function run(name: string) {
  const job = jobNamed(name)!;
  await runDueJobs(t.deps, [job], 'instance-a');
  await setNextRun(t.deps.db, name, t.clock.now(), t.clock.now());
  const [out] = await runDueJobs(t.deps, [job], 'instance-a');
  assert.equal(out?.status, 'finished', JSON.stringify(out));
  return out.counts!;
}
const mailTo = async (to: string) => (await t.deps.db.selectFrom('outbox').select(['subject', 'body_text']).where('recipient', '=', to).execute())
  .filter((m) => /自然人憑證將於/.test(m.subject));

/** A user who registered a card that expires `days` from now. */
async function holder(days: number, unit = UNIT) {
  const u = await w.citizen({ unit, notAfter: new Date(t.clock.now().getTime() + days * DAY) });
  const c = await signedIn(t, u.username, 'Correct-Horse-9');
  const r = await w.register(c, u.card);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { ...u, email: `${u.username}@example.gov.tw`, notAfter: new Date(t.clock.now().getTime() + days * DAY) };
}
// ---- AUTH-9 login-method policy
test('AUTH-9 ACC-6: where the card is required, the initial password activates, a password serves to register the card within the grace days, then only the card signs in', async () => {
  const u = await w.citizen({ unit: REQUIRED, kind: 'initial', password: 'Initial-Pass-1' });
  const c = await activate(u.username, 'Initial-Pass-1');
  // The home page says by when to register the card.
  const home = await c.get('/');
  assert.equal(home.status, 200);
  assert.match(home.body, /data-testid="certificate-due"[^>]*>[^<]*請於 \d{4}[/-]\d{2}[/-]\d{2}/);
  // Within the grace days a password still signs in (to register the card).
  t.clock.advance(2 * DAY);
  const again = await signedIn(t, u.username, NEW_PASSWORD);
  const reg = await w.register(again, u.card);
  assert.equal(reg.status, 200, JSON.stringify(reg.body));
  assert.doesNotMatch((await again.get('/')).body, /certificate-due/);
  // With a card registered, the password is refused with a clear message that names the card.
  const refused = await login(t, new Client(t.url), u.username, NEW_PASSWORD);
  assert.equal(refused.status, 401);
  assert.match(alertText(refused.body) ?? '', /須以自然人憑證登入；帳號密碼僅供首次登入及一日密碼使用/);
  assert.match(refused.body, /href="\/login\/certificate/, 'the page leads to certificate sign-in');
  assert.equal(reasonOf(await lastAudit('auth.login.password', u.accountId)), 'certificate_required');
  // In English too.
  const enClient = new Client(t.url);
  enClient.setCookie('tessera_lang', 'en');
  const en = await login(t, enClient, u.username, NEW_PASSWORD);
  assert.match(alertText(en.body) ?? '', /requires sign-in with the citizen certificate/);
  // The card signs in.
  const ok = await w.login(u.card);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const after = await ok.c.get('/');
  assert.doesNotMatch(after.body, /data-testid="last-certificate-login">[^<]*從未/);
});

test('AUTH-9 AUTH-7: no card registered within 3 days of activation — the password is refused and the one-day password lapses; with a card, the one-day password serves', async () => {
  const lapsed = await w.citizen({ unit: REQUIRED, kind: 'initial', password: 'Initial-Pass-2' });
  await activate(lapsed.username, 'Initial-Pass-2');
  const carded = await w.citizen({ unit: REQUIRED, kind: 'initial', password: 'Initial-Pass-3' });
  const cc = await activate(carded.username, 'Initial-Pass-3');
  assert.equal((await w.register(cc, carded.card)).status, 200);
  t.clock.advance(3 * DAY + HOUR);

  const pw = await login(t, new Client(t.url), lapsed.username, NEW_PASSWORD);
  assert.equal(pw.status, 401);
  assert.equal(reasonOf(await lastAudit('auth.login.password', lapsed.accountId)), 'certificate_required');

  // The registration administrator enables the one-day password (its value is the initial scheme's).
  const admin = await signedIn(t, ADMIN_USERNAME, ADMIN_PASSWORD);
  for (const u of [lapsed, carded]) {
    const r = await admin.submit(`/admin/accounts/${u.accountId}`, `/admin/accounts/${u.accountId}/one-day-password`, {});
    assert.equal(r.status, 303, r.body.slice(0, 300));
  }
  const oneDay = (nid: string) => `MmDd0725${nid.slice(-4)}`;
  const refused = await login(t, new Client(t.url), lapsed.username, oneDay(lapsed.nationalId));
  assert.equal(refused.status, 401);
  assert.match(alertText(refused.body) ?? '', /一日密碼已失效：帳號開通後未於期限內完成自然人憑證註冊/);
  assert.equal(reasonOf(await lastAudit('auth.login.password', lapsed.accountId)), 'one_day_lapsed');

  const served = await login(t, new Client(t.url), carded.username, oneDay(carded.nationalId));
  assert.equal(served.status, 303, alertText(served.body) ?? "");
  assert.match(served.location!, /^\/password\/change/, 'the one-day password is changed at first use (AUTH-7)');
});

test('AUTH-9: a subtree that does not require the card keeps passwords; the policy keys are validated and inherited', async () => {
  const u = await w.citizen({ unit: OPEN_UNIT });
  const c = await signedIn(t, u.username, 'Correct-Horse-9');
  assert.equal((await w.register(c, u.card)).status, 200);
  t.clock.advance(10 * DAY);
  await signedIn(t, u.username, 'Correct-Horse-9');
  assert.doesNotMatch((await c.get('/')).body, /certificate-due/);

  // The rule itself, on the policy the pages set (nearest setting wins).
  const p = effectivePolicy([
    { oid: '2.16.886', settings: { 'login.certificateRequired': true } },
    { oid: '2.16.886.101', settings: { 'login.certificateGraceDays': 5 } },
  ]).policy;
  const now = new Date('2026-12-10T00:00:00Z');
  const facts = (kind: string, activatedDaysAgo: number | null, hasCertificate: boolean) =>
    ({ kind, activatedAt: activatedDaysAgo === null ? null : new Date(now.getTime() - activatedDaysAgo * DAY), hasCertificate, now });
  assert.equal(passwordMethodRefusal(p, facts('initial', 30, true)), null);
  assert.equal(passwordMethodRefusal(p, facts('password', 4, false)), null);
  assert.equal(passwordMethodRefusal(p, facts('password', 5, false)), 'certificate_required');
  assert.equal(passwordMethodRefusal(p, facts('password', 0, true)), 'certificate_required');
  assert.equal(passwordMethodRefusal(p, facts('one_day', 30, true)), null);
  assert.equal(passwordMethodRefusal(p, facts('one_day', 5, false)), 'one_day_lapsed');
  assert.equal(passwordMethodRefusal(p, facts('password', null, false)), null);
  assert.equal(passkeyMethodAllowed(p), false, 'a passkey does not stand in for a required card');
  assert.equal(passkeyMethodAllowed({ ...p, 'login.passkeyInsteadOfCertificate': true }), true);
  assert.equal(passkeyMethodAllowed({ ...p, 'login.certificateRequired': false }), true);

  // The central authority sets the grace on the policy page; out-of-range values are refused.
  const admin = await signedIn(t, ADMIN_USERNAME, ADMIN_PASSWORD);
  const form = await admin.get(`/orgs/${OPEN_UNIT}`);
  assert.equal(form.status, 200);
  assert.match(form.body, /開帳後可用密碼完成憑證註冊的天數/);
  const bad = await admin.post(`/orgs/${OPEN_UNIT}/policy`, { ...hiddenFields(form.body), 'login.certificateGraceDays': '99' });
  assert.equal(bad.status, 422);
  const good = await admin.post(`/orgs/${OPEN_UNIT}/policy`, { ...hiddenFields(form.body), 'login.certificateGraceDays': '7' });
  assert.equal(good.status, 303);
});

// ---- SSO-2 step-up and acr/amr
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

// ---- GOV-5 certificate-expiry reminders
test('GOV-5 AUTH-8: a registered certificate is reminded of once, 30 days before it expires; one further off waits its turn; a subtree that sets 0 gets none', async () => {
  const soon = await holder(20);
  const later = await holder(45);
  const quiet = await holder(10, QUIET);

  const first = await run('reminders.certificate');
  assert.equal(first.reminded, 1);
  const mails = await mailTo(soon.email);
  assert.equal(mails.length, 1);
  assert.match(mails[0].subject, new RegExp(taipeiDate(soon.notAfter)));
  assert.match(mails[0].body_text, new RegExp(soon.username));
  assert.match(mails[0].body_text, /戶政事務所/);
  assert.match(mails[0].body_text, /\/account\/certificates/);
  assert.equal((await mailTo(later.email)).length, 0, 'expires in 45 days: not yet');
  assert.equal((await mailTo(quiet.email)).length, 0, 'its subtree sends none');
  const e = await t.deps.db.selectFrom('audit_events').select(['target_id', 'details']).where('action', '=', 'auth.certificate.expiryReminder').execute();
  assert.deepEqual(e.map((x) => x.target_id), [String(soon.accountId)]);

  t.clock.advance(DAY);
  assert.equal((await run('reminders.certificate')).reminded, 0, 'once per certificate');
  assert.equal((await mailTo(soon.email)).length, 1);

  t.clock.advance(15 * DAY);
  await run('reminders.certificate');
  assert.equal((await mailTo(later.email)).length, 1, 'its turn came');
  // An expired certificate is not reminded of (the quiet one expired meanwhile, and its subtree says 0 anyway).
  assert.equal((await mailTo(quiet.email)).length, 0);
});
