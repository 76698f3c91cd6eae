// AUTH-9 login-method policy through HTTP and the pages (seed 002 五/六, seed 003 四.7): where a
// subtree requires the card, the initial password opens the first sign-in (開帳), a chosen password
// serves only to register the card within the grace days, the one-day password lapses for an
// account that registered no card in time, and a passkey does not stand in for the card unless
// the policy says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../../helpers/app.ts';
import { Client, hiddenFields } from '../../helpers/client.ts';
import { login, alertText, signedIn } from '../../helpers/login.ts';
import { DAY, HOUR } from '../../../src/platform/clock.ts';
import { effectivePolicy } from '../../../src/orgs/policy.ts';
import { passkeyMethodAllowed, passwordMethodRefusal } from '../../../src/auth/login-method.ts';
import { certWorld, setPolicy, type CertWorld } from './world.ts';

const UNIT = '2.16.886.101.90027.20002.20011';
const OPEN_UNIT = '2.16.886.101.90029.20002';
const NEW_PASSWORD = 'Brand-New-Pass-42';

let t: TestApp;
let w: CertWorld;

before(async () => {
  t = await startTestApp();
  w = await certWorld(t, 'C3');
  await setPolicy(t, '2.16.886.101', { 'login.certificate': true });
  await setPolicy(t, '2.16.886.101.90027', { 'login.certificate': true, 'login.certificateRequired': true });
});
after(async () => { await w?.close(); await t?.close(); });

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

test('AUTH-9 ACC-6: where the card is required, the initial password activates, a password serves to register the card within the grace days, then only the card signs in', async () => {
  const u = await w.citizen({ unit: UNIT, kind: 'initial', password: 'Initial-Pass-1' });
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
  const lapsed = await w.citizen({ unit: UNIT, kind: 'initial', password: 'Initial-Pass-2' });
  await activate(lapsed.username, 'Initial-Pass-2');
  const carded = await w.citizen({ unit: UNIT, kind: 'initial', password: 'Initial-Pass-3' });
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
