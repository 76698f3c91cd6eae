// Citizen-certificate sign-in through HTTP (AUTH-8, ACC-6, SSO-2, ADM-5, GOV-1): the central
// authority configures the trust (root, MOICA-like G2 and G3) on its page; the CRL job loads the
// issuers' CRLs from a distribution point on 127.0.0.1; a user registers a card (CN and last 4
// digits of the national ID must match) and signs in with a signature over a one-time challenge,
// as HiPKI's local service returns it. Each refusal of the pipeline is triggered by a real
// certificate and checked by its reason code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../../helpers/app.ts';
import { Client, hiddenFields } from '../../helpers/client.ts';
import { createAccount } from '../../helpers/accounts.ts';
import { signedIn } from '../../helpers/login.ts';
import { giveGrant } from '../../helpers/factories.ts';
import { MINUTE, DAY } from '../../../src/platform/clock.ts';
import { checkDigitFor } from '../../../src/accounts/national-id.ts';
import { jobNamed } from '../../../src/governance/jobs/table.ts';
import { runJobNow } from '../../../src/governance/jobs/scheduler.ts';
import { x509 } from '../../../src/auth/cert/certificate.ts';
import { tokenCommand } from '../../../src/admin/cli.ts';
import {
  makeHierarchy, makeCitizen, makeCrl, startPkiServer, signPkcs7, signPkcs1, POLICY_L2, type Issued, type PkiServer,
} from '../../helpers/pki.ts';

const PASSWORD = 'Correct-Horse-9';
const UNIT = '2.16.886.101.90027.20002.20011';
const OCSP_UNIT = '2.16.886.101.90027.20002.20011.20033';
const SOFT_UNIT = '2.16.886.101.90029.20002';
const L3_ONLY_UNIT = '2.16.886.101.20003.20008.20074';

let t: TestApp;
let pki: PkiServer;
let h: Awaited<ReturnType<typeof makeHierarchy>>;
let revokedEarly: Issued;
let n = 0;

const nationalId = (i: number) => { const first9 = `A1${String(2345000 + i).padStart(7, '0')}`; return first9 + checkDigitFor(first9); };

interface JsonRes { status: number; body: any }
async function json(c: Client, path: string, body: Record<string, unknown>): Promise<JsonRes> {
  const r = await c.request('POST', path, JSON.stringify(body), { 'content-type': 'application/json', accept: 'application/json' });
  let parsed: unknown = r.body;
  try { parsed = JSON.parse(r.body); } catch { /* an HTML page */ }
  return { status: r.status, body: parsed };
}
const csrfOf = async (c: Client) => hiddenFields((await c.get('/account/certificates')).body)._csrf;
const lastAudit = (action: string) => t.deps.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('seq', 'desc').executeTakeFirstOrThrow();
const detailsOf = (e: { details: unknown }) => (typeof e.details === 'string' ? JSON.parse(e.details) : e.details) as Record<string, any>;

async function setPolicy(oid: string, settings: Record<string, unknown>) {
  const now = t.clock.now();
  await t.deps.db.insertInto('policies').values({ oid, settings: JSON.stringify(settings), updated_at: now })
    .onConflict((oc) => oc.column('oid').doUpdateSet({ settings: JSON.stringify(settings), updated_at: now })).execute();
}

/** A user whose name and national ID are on the card: the account, a password session, and the card. */
async function citizen(o: { unit?: string; issuer?: Issued; name?: string; cardName?: string; cardLast4?: string; ocsp?: boolean } = {}) {
  const i = ++n;
  const name = o.name ?? '林建國';
  const id = nationalId(i);
  const username = `citizen${String(i).padStart(3, '0')}`;
  const accountId = await createAccount(t.deps, { username, password: PASSWORD, unitOid: o.unit ?? UNIT, name, profile: { nationalId: id } });
  const issuer = o.issuer ?? h.g3;
  const card = await makeCitizen(issuer, {
    name: o.cardName ?? name, last4: o.cardLast4 ?? id.slice(-4), crlUrl: `${pki.url}/${issuer === h.g2 ? 'g2' : 'g3'}.crl`, ocspUrl: `${pki.url}/ocsp`,
  });
  return { accountId, username, card };
}

async function register(c: Client, card: Issued, sign = signPkcs7): Promise<JsonRes> {
  const ch = await json(c, '/account/certificates/challenge', { _csrf: await csrfOf(c) });
  assert.equal(ch.status, 200, JSON.stringify(ch.body));
  return json(c, '/account/certificates', { _csrf: await csrfOf(c), format: sign === signPkcs7 ? 'pkcs7' : 'pkcs1', signature: await sign(card, ch.body.tbs), certificate: card.der && Buffer.from(card.der).toString('base64'), tbs: ch.body.tbs });
}

async function registered(o: Parameters<typeof citizen>[0] = {}) {
  const u = await citizen(o);
  const c = await signedIn(t, u.username, PASSWORD);
  const r = await register(c, u.card);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { ...u, c };
}

/** Certificate sign-in from a fresh browser: challenge, the card's signature, the answer. */
async function certLogin(card: Issued, o: { tamper?: (tbs: string) => string; format?: 'pkcs7' | 'pkcs1'; client?: Client; between?: () => Promise<void> | void } = {}) {
  const c = o.client ?? new Client(t.url);
  const ch = await json(c, '/login/certificate/challenge', {});
  assert.equal(ch.status, 200);
  await o.between?.();
  const tbs = o.tamper ? o.tamper(ch.body.tbs) : ch.body.tbs;
  const signature = o.format === 'pkcs1' ? await signPkcs1(card, tbs) : await signPkcs7(card, tbs);
  const r = await json(c, '/login/certificate', { format: o.format ?? 'pkcs7', signature, certificate: Buffer.from(card.der).toString('base64'), tbs });
  return { ...r, c, tbs };
}

before(async () => {
  t = await startTestApp();
  h = await makeHierarchy();
  pki = await startPkiServer([h.g2, h.g3]);
  // The central authority trusts the root and both intermediates, on its page.
  const admin = await signedIn(t, ADMIN_USERNAME, ADMIN_PASSWORD);
  for (const [ca, crl] of [[h.root, ''], [h.g2, `${pki.url}/g2.crl`], [h.g3, '']] as const) {
    const r = await admin.submit('/admin/certificates/trust', '/admin/certificates/trust', { certificate: ca.pem, crlUrl: crl });
    assert.equal(r.status, 303, r.body.slice(0, 500));
  }
  revokedEarly = await makeCitizen(h.g3, { name: '王小明', last4: '0000' });
  pki.crls.set('/g2.crl', await makeCrl(h.g2, []));
  pki.crls.set('/g3.crl', await makeCrl(h.g3, [revokedEarly.serial], { number: 42 }));
  await setPolicy('2.16.886.101', { 'login.certificate': true });
  await setPolicy(OCSP_UNIT, { 'cert.ocsp': true });
  await setPolicy(SOFT_UNIT, { 'cert.ocsp': true, 'cert.revocationSoftFail': true });
  await setPolicy(L3_ONLY_UNIT, { 'cert.policyOids': ['2.16.886.101.0.3.3'] });
  // G2's CRL comes from its configured URL; G3's from the distribution point its certificates name,
  // learned when the first one is registered: the job runs once more after that.
  const first = await runJobNow(t.deps, jobNamed('cert.crl.refresh')!);
  assert.equal(first.status, 'finished', first.error ?? '');
  assert.equal(first.counts?.refreshed, 1);
  // G3's CRL is not loaded yet: a registration fails closed (revocation status unknown) and
  // teaches the job G3's distribution point, from which the next run fetches it.
  const u = await citizen();
  const c = await signedIn(t, u.username, PASSWORD);
  const early = await register(c, u.card);
  assert.equal(early.status, 422);
  assert.equal(early.body.error, 'cert.revocationUnknown');
  const run = await runJobNow(t.deps, jobNamed('cert.crl.refresh')!);
  assert.equal(run.counts?.refreshed, 1, JSON.stringify(run.counts));
  const crlAudit = detailsOf(await lastAudit('auth.certificate.crl'));
  assert.equal(crlAudit.crlNumber, '42');
  assert.equal(crlAudit.entries, 1);
  assert.equal(crlAudit.source, `${pki.url}/g3.crl`);
});
after(async () => { await pki?.close(); await t?.close(); });

test('AUTH-8 ACC-6 SSO-2 GOV-1: register the card, refresh the CRL job, sign in with the card (PKCS#7 and PKCS#1); session is a certificate session', async () => {
  const u = await citizen();
  const c = await signedIn(t, u.username, PASSWORD);
  const r = await register(c, u.card);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const rows = await t.deps.db.selectFrom('cert_bindings').selectAll().where('account_id', '=', u.accountId).execute();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].serial, u.card.serial);
  assert.equal(rows[0].common_name, '林建國');
  assert.match((await c.get('/account/certificates')).body, /林建國/);

  const ok = await certLogin(u.card);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.redirect, '/');
  const session = await t.deps.db.selectFrom('sessions').select(['auth_method']).where('account_id', '=', u.accountId).orderBy('created_at', 'desc').execute();
  assert.ok(session.some((s) => s.auth_method === 'certificate'));
  const acct = await t.deps.db.selectFrom('accounts').select('last_certificate_login_at').where('id', '=', u.accountId).executeTakeFirstOrThrow();
  assert.equal(acct.last_certificate_login_at?.getTime(), t.clock.now().getTime());
  const e = await lastAudit('auth.login.certificate');
  assert.equal(e.result, 'ok');
  assert.equal(detailsOf(e).revocation.source, 'crl');
  assert.equal(detailsOf(e).revocation.crlNumber, '42');
  const home = await ok.c.get('/');
  assert.equal(home.status, 200);
  assert.ok(home.body.includes('data-testid="last-certificate-login"'));

  const pk1 = await certLogin(u.card, { format: 'pkcs1' });
  assert.equal(pk1.status, 200, JSON.stringify(pk1.body));
});

test('AUTH-8: the negative matrix at sign-in — each failure with its own reason code', async () => {
  const u = await registered();
  const expect = async (card: Issued, code: string, o: Parameters<typeof certLogin>[1] = {}) => {
    const r = await certLogin(card, o);
    assert.equal(r.status, 401, `${code}: ${JSON.stringify(r.body)}`);
    const e = await lastAudit('auth.login.certificate');
    assert.equal(detailsOf(e).reason, code, `audited reason for ${code}`);
    return r;
  };
  const expired = await makeCitizen(h.g3, { name: '林建國', notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2026-11-01T00:00:00Z') });
  assert.equal((await expect(expired, 'cert.expired')).body.error, 'cert.expired');
  const future = await makeCitizen(h.g3, { name: '林建國', notBefore: new Date('2026-12-01T00:00:00Z') });
  assert.equal((await expect(future, 'cert.notYetValid')).body.error, 'cert.notYetValid');
  const foreign = await makeCitizen(h.otherMoica, { name: '林建國' });
  assert.equal((await expect(foreign, 'cert.unknownIssuer')).body.error, 'cert.unknownIssuer');
  // Signed by G3 but naming G2's key: same issuer DN, wrong key identifier — no chain.
  const lookAlike = await makeCitizen(h.g3, { name: '林建國', akiFrom: h.g2 });
  assert.equal((await expect(lookAlike, 'cert.unknownIssuer')).body.error, 'cert.unknownIssuer');
  assert.equal((await expect(revokedEarly, 'cert.revoked')).body.error, 'cert.revoked');
  const noSign = await makeCitizen(h.g3, { name: '林建國', keyUsage: x509.KeyUsageFlags.keyEncipherment });
  assert.equal((await expect(noSign, 'cert.keyUsage')).body.error, 'cert.keyUsage');
  // Unregistered: the message is the neutral one, the audit says why.
  const stranger = await makeCitizen(h.g3, { name: '陳大文' });
  assert.equal((await expect(stranger, 'cert.notRegistered')).body.error, 'cert.loginFailed');
  // Signature over other data, wrong origin, the nonce of another browser.
  await expect(u.card, 'cert.signature', { tamper: (s) => s.replace(/:login:/, ':register:') });
  assert.equal((await expect(u.card, 'cert.challengeOrigin', { tamper: (s) => s.replace(/http:\/\/127\.0\.0\.1:\d+/, 'https://evil.example') })).body.error, 'cert.challengeOrigin');
  const other = new Client(t.url);
  const otherCh = await json(other, '/login/certificate/challenge', {});
  await expect(u.card, 'cert.challengeReused', { tamper: () => otherCh.body.tbs });
  // A bad signature (another key signs the right text).
  const wrongKey = await certLogin(u.card, {});
  assert.equal(wrongKey.status, 200);
  const c = new Client(t.url);
  const ch = await json(c, '/login/certificate/challenge', {});
  const forged = await json(c, '/login/certificate', { format: 'pkcs1', signature: await signPkcs1(stranger, ch.body.tbs), certificate: Buffer.from(u.card.der).toString('base64'), tbs: ch.body.tbs });
  assert.equal(forged.status, 401);
  assert.equal(forged.body.error, 'cert.signature');
});

test('AUTH-8: the challenge is single use and lives 5 minutes', async () => {
  const u = await registered();
  const r = await certLogin(u.card);
  assert.equal(r.status, 200);
  // Replay the very same answer.
  const c = new Client(t.url);
  const ch = await json(c, '/login/certificate/challenge', {});
  const answer = { format: 'pkcs7', signature: await signPkcs7(u.card, ch.body.tbs) };
  const cookie = c.cookie('tessera_cert')!;
  assert.equal((await json(c, '/login/certificate', answer)).status, 200);
  const replay = new Client(t.url);
  replay.setCookie('tessera_cert', cookie);
  const again = await json(replay, '/login/certificate', answer);
  assert.equal(again.status, 401);
  assert.equal(again.body.error, 'cert.challengeReused');
  const late = await certLogin(u.card, { between: () => t.clock.advance(5 * MINUTE + 1000) });
  assert.equal(late.status, 401);
  assert.equal(late.body.error, 'cert.challengeExpired');
});

test('AUTH-8: revocation by OCSP, OCSP down fails closed by default and soft-fails where the subtree says so; CRL past nextUpdate is unknown', async () => {
  const before = pki.ocspHits;
  const o = await registered({ unit: OCSP_UNIT });
  assert.equal((await certLogin(o.card)).status, 200);
  assert.equal(pki.ocspHits, before + 1, 'the responder was asked once (registration), the sign-in used the cached answer');
  const good = detailsOf(await lastAudit('auth.login.certificate'));
  assert.equal(good.revocation.source, 'ocsp');
  assert.equal(typeof good.revocation.ocspAgeSeconds, 'number');
  // Cached for a window: the responder's later answer is seen once the window has passed.
  pki.ocsp.set(o.card.serial, 'revoked');
  assert.equal((await certLogin(o.card)).status, 200, 'answer cached');
  t.clock.advance(6 * MINUTE);
  const revoked = await certLogin(o.card);
  assert.equal(revoked.status, 401);
  assert.equal(revoked.body.error, 'cert.revoked');
  assert.equal(detailsOf(await lastAudit('auth.login.certificate')).revocation.source, 'ocsp');

  const closed = await registered({ unit: OCSP_UNIT });
  const soft = await registered({ unit: SOFT_UNIT });
  pki.ocspDown = true;
  t.clock.advance(6 * MINUTE);
  try {
    const r1 = await certLogin(closed.card);
    assert.equal(r1.status, 401);
    assert.equal(r1.body.error, 'cert.revocationUnknown');
    const r2 = await certLogin(soft.card);
    assert.equal(r2.status, 200, JSON.stringify(r2.body));
    assert.equal(detailsOf(await lastAudit('auth.login.certificate')).revocation.softFail, true);
  } finally { pki.ocspDown = false; }

  // CRL past its nextUpdate (2026-12-02) and not refreshed: status unknown, refused.
  const plain = await registered();
  const saved = t.clock.now();
  t.clock.set('2026-12-03T00:00:00Z');
  try {
    const r = await certLogin(plain.card);
    assert.equal(r.status, 401);
    assert.equal(r.body.error, 'cert.revocationUnknown');
  } finally { t.clock.set(saved); }
});

test('AUTH-8: a policy the subtree does not accept is refused', async () => {
  const u = await citizen({ unit: L3_ONLY_UNIT });
  const c = await signedIn(t, u.username, PASSWORD);
  const r = await register(c, u.card);
  assert.equal(r.status, 422);
  assert.equal(r.body.error, 'cert.policy');
  assert.equal((await makeCitizen(h.g3, { name: 'x', policies: [POLICY_L2] })).cert.getExtension(x509.CertificatePolicyExtension)?.policies[0], POLICY_L2);
});

test('AUTH-8: registration refuses a card with another name, another ID, or one registered to someone else', async () => {
  const nameBad = await citizen({ cardName: '林建民' });
  const c1 = await signedIn(t, nameBad.username, PASSWORD);
  assert.equal((await register(c1, nameBad.card)).body.error, 'cert.nameMismatch');
  const idBad = await citizen({ cardLast4: '9999' });
  const c2 = await signedIn(t, idBad.username, PASSWORD);
  assert.equal((await register(c2, idBad.card)).body.error, 'cert.idMismatch');
  const owner = await registered();
  const thief = await citizen();
  const c3 = await signedIn(t, thief.username, PASSWORD);
  const stolen = await register(c3, owner.card);
  assert.equal(stolen.status, 422);
  assert.equal(stolen.body.error, 'cert.otherAccount');
  assert.equal((await register(owner.c, owner.card)).body.error, 'cert.alreadyRegistered');
  // The registration challenge belongs to the session: another session's answer is refused.
  const ch = await json(c3, '/account/certificates/challenge', { _csrf: await csrfOf(c3) });
  const cross = await json(owner.c, '/account/certificates', { _csrf: await csrfOf(owner.c), format: 'pkcs7', signature: await signPkcs7(owner.card, ch.body.tbs) });
  assert.equal(cross.body.error, 'cert.challengeReused');
});

test('AUTH-8 ADM-5: the user removes a card; an administrator removes one within the jurisdiction only', async () => {
  const u = await registered();
  const [row] = await t.deps.db.selectFrom('cert_bindings').select('id').where('account_id', '=', u.accountId).execute();
  const gone = await u.c.submit('/account/certificates', `/account/certificates/${row.id}/remove`, {});
  assert.equal(gone.status, 303);
  assert.equal((await certLogin(u.card)).body.error, 'cert.loginFailed');
  const again = await register(u.c, u.card);
  assert.equal(again.status, 200);
  const [row2] = await t.deps.db.selectFrom('cert_bindings').select('id').where('account_id', '=', u.accountId).execute();
  // An administrator of another subtree: not found, nothing removed; one over the unit: removed.
  const outsider = await createAccount(t.deps, { username: 'adminout1', password: PASSWORD, unitOid: SOFT_UNIT });
  await giveGrant(t.deps, outsider, 'registration_admin', SOFT_UNIT);
  const oc = await signedIn(t, 'adminout1', PASSWORD);
  const denied = await oc.submit('/', `/admin/accounts/${u.accountId}/certificates/${row2.id}/remove`, {});
  assert.equal(denied.status, 404);
  assert.equal((await t.deps.db.selectFrom('cert_bindings').select('id').where('id', '=', row2.id).execute()).length, 1);
  const insider = await createAccount(t.deps, { username: 'adminin01', password: PASSWORD, unitOid: UNIT });
  await giveGrant(t.deps, insider, 'registration_admin', '2.16.886.101.90027');
  const ic = await signedIn(t, 'adminin01', PASSWORD);
  const page = await ic.get(`/admin/accounts/${u.accountId}`);
  assert.match(page.body, new RegExp(`/admin/accounts/${u.accountId}/certificates/${row2.id}/remove`));
  const removed = await ic.submit(`/admin/accounts/${u.accountId}`, `/admin/accounts/${u.accountId}/certificates/${row2.id}/remove`, {});
  assert.equal(removed.status, 303);
  assert.equal((await t.deps.db.selectFrom('cert_bindings').select('id').where('id', '=', row2.id).execute()).length, 0);
  assert.equal(detailsOf(await lastAudit('auth.certificate.remove')).certificate, row2.id);
});

test('AUTH-8 ADM-5: the certificate API — the holder lists and unbinds their own; an administrator lists and unbinds within the jurisdiction, outside is "not found"', async () => {
  const u = await registered();
  const tokenOf = async (username: string) => {
    let out = '';
    assert.equal(await tokenCommand(t.deps, 'create', ['--username', username], { out: (x) => { out += x; }, err: () => {} }), 0);
    return out.trim();
  };
  const call = async (token: string, method: string, path: string) => {
    const r = await fetch(`${t.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    return { status: r.status, body: await r.json() as any };
  };
  const mine = await tokenOf(u.username);
  const list = await call(mine, 'GET', '/me/certificates');
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 1);
  const item = list.body.items[0];
  assert.equal(item.serial, u.card.serial);
  assert.equal(item.commonName, '林建國');
  assert.match(item.thumbprint, /^[0-9a-f]{64}$/);
  assert.equal(item.notAfter, '2030-01-01T00:00:00.000Z');

  const insider = await createAccount(t.deps, { username: 'apiadmin1', password: PASSWORD, unitOid: UNIT });
  await giveGrant(t.deps, insider, 'registration_admin', '2.16.886.101.90027');
  const outsider = await createAccount(t.deps, { username: 'apiadmout', password: PASSWORD, unitOid: SOFT_UNIT });
  await giveGrant(t.deps, outsider, 'registration_admin', SOFT_UNIT);
  const [inTok, outTok] = [await tokenOf('apiadmin1'), await tokenOf('apiadmout')];
  assert.deepEqual((await call(inTok, 'GET', `/accounts/${u.accountId}/certificates`)).body.items.map((i: any) => i.id), [item.id]);
  assert.equal((await call(outTok, 'GET', `/accounts/${u.accountId}/certificates`)).status, 404);
  assert.equal((await call(outTok, 'DELETE', `/accounts/${u.accountId}/certificates/${item.id}`)).status, 404);
  assert.equal((await call(outTok, 'DELETE', `/me/certificates/${item.id}`)).status, 404, 'another person\'s certificate is not one\'s own');
  assert.equal((await call(mine, 'GET', '/me/certificates')).body.items.length, 1, 'nothing removed');

  const removed = await call(mine, 'DELETE', `/me/certificates/${item.id}`);
  assert.deepEqual([removed.status, removed.body], [200, { removed: true }]);
  assert.equal((await call(mine, 'GET', '/me/certificates')).body.items.length, 0);
  assert.equal((await call(mine, 'DELETE', `/me/certificates/${item.id}`)).status, 404);
  assert.equal((await certLogin(u.card)).body.error, 'cert.loginFailed', 'an unbound card no longer signs in');

  assert.equal((await register(u.c, u.card)).status, 200);
  const [again] = (await call(inTok, 'GET', `/accounts/${u.accountId}/certificates`)).body.items;
  assert.equal((await call(inTok, 'DELETE', `/accounts/${u.accountId}/certificates/${again.id}`)).status, 200);
  const e = await lastAudit('auth.certificate.remove');
  assert.equal(e.actor_account_id, insider);
  assert.equal(detailsOf(e).certificate, again.id);
});

test('AUTH-8: the login page links certificate sign-in; its page explains the PIN and lock-out and links the unblock service', async () => {
  const c = new Client(t.url);
  const login = await c.get('/login');
  assert.match(login.body, /href="\/login\/certificate"/);
  const p = await c.get('/login/certificate');
  assert.equal(p.status, 200);
  assert.match(p.body, /PIN/);
  assert.match(p.body, /moica\.nat\.gov\.tw/);
  assert.match(p.body, /鎖卡/);
  t.clock.advance(0 * DAY);
});
