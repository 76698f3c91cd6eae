// Issue 15 (AUTH-8, OPS-2): a certificate sign-in challenge is single use across instances. Two
// Tessera instances on one PostgreSQL database share the trust, the CRLs and the registrations; the
// same signed answer posted to both at the same moment signs in exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startTestApp, freshPgDatabase, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../../helpers/app.ts';
import { Client, hiddenFields } from '../../helpers/client.ts';
import { createAccount } from '../../helpers/accounts.ts';
import { signedIn } from '../../helpers/login.ts';
import { checkDigitFor } from '../../../src/accounts/national-id.ts';
import { jobNamed } from '../../../src/governance/jobs/table.ts';
import { runJobNow } from '../../../src/governance/jobs/scheduler.ts';
import { makeHierarchy, makeCitizen, makeCrl, startPkiServer, signPkcs7, type PkiServer } from '../../helpers/pki.ts';

const PG = process.env.TESSERA_TEST_PG_URL;
const ON_PG = 'runs in the PostgreSQL pass (PGlite is one process: nothing runs at the same moment)';
const PASSWORD = 'Correct-Horse-9';
const UNIT = '2.16.886.101.90027.20002.20011';

let a: TestApp, b: TestApp;
let pki: PkiServer;
let h: Awaited<ReturnType<typeof makeHierarchy>>;

async function json(c: Client, path: string, body: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const r = await c.request('POST', path, JSON.stringify(body), { 'content-type': 'application/json', accept: 'application/json' });
  let parsed: unknown = r.body;
  try { parsed = JSON.parse(r.body); } catch { /* a page */ }
  return { status: r.status, body: parsed };
}

before(async () => {
  if (!PG) return;
  const env = { DATABASE_URL: await freshPgDatabase(PG), TESSERA_SECRET_KEY: crypto.randomBytes(32).toString('hex'), LOG_LEVEL: 'error' };
  a = await startTestApp({ env });
  b = await startTestApp({ env, bootstrap: false });
  h = await makeHierarchy();
  pki = await startPkiServer([h.g2, h.g3]);
  pki.crls.set('/g3.crl', await makeCrl(h.g3, []));
  const admin = await signedIn(a, ADMIN_USERNAME, ADMIN_PASSWORD);
  for (const [ca, crl] of [[h.root, ''], [h.g2, ''], [h.g3, `${pki.url}/g3.crl`]] as const) {
    assert.equal((await admin.submit('/admin/certificates/trust', '/admin/certificates/trust', { certificate: ca.pem, crlUrl: crl })).status, 303);
  }
  await a.deps.db.insertInto('policies').values({ oid: '2.16.886.101', settings: JSON.stringify({ 'login.certificate': true }), updated_at: a.clock.now() }).execute();
  assert.equal((await runJobNow(a.deps, jobNamed('cert.crl.refresh')!)).status, 'finished');
});
after(async () => { await pki?.close(); await a?.close(); await b?.close(); });

test('AUTH-8 OPS-2 issue 15: one certificate sign-in answer posted on two instances at once signs in exactly once', { skip: !PG && ON_PG }, async () => {
  for (let i = 0; i < 3; i++) {
    const first9 = `A1${String(7770000 + i).padStart(7, '0')}`;
    const nationalId = first9 + checkDigitFor(first9);
    const username = `certrace${i}`;
    const id = await createAccount(a.deps, { username, password: PASSWORD, unitOid: UNIT, name: '林建國', profile: { nationalId } });
    const card = await makeCitizen(h.g3, { name: '林建國', last4: nationalId.slice(-4), crlUrl: `${pki.url}/g3.crl` });
    // 憑證註冊 on instance a.
    const owner = await signedIn(a, username, PASSWORD);
    const csrf = async () => hiddenFields((await owner.get('/account/certificates')).body)._csrf;
    const ch = await json(owner, '/account/certificates/challenge', { _csrf: await csrf() });
    assert.equal(ch.status, 200, JSON.stringify(ch.body));
    const reg = await json(owner, '/account/certificates', { _csrf: await csrf(), format: 'pkcs7', signature: await signPkcs7(card, ch.body.tbs), certificate: Buffer.from(card.der).toString('base64'), tbs: ch.body.tbs });
    assert.equal(reg.status, 200, JSON.stringify(reg.body));
    // One challenge, one signed answer, sent to both instances at the same moment.
    const c = new Client(a.url);
    const login = await json(c, '/login/certificate/challenge', {});
    assert.equal(login.status, 200);
    const answer = { format: 'pkcs7', signature: await signPkcs7(card, login.body.tbs), certificate: Buffer.from(card.der).toString('base64'), tbs: login.body.tbs };
    const [r1, r2] = await Promise.all([json(c, '/login/certificate', answer), json(c.on(b.url), '/login/certificate', answer)]);
    assert.deepEqual([r1.status, r2.status].sort(), [200, 401], `${r1.status} ${JSON.stringify(r1.body)} / ${r2.status} ${JSON.stringify(r2.body)}`);
    assert.equal((r1.status === 401 ? r1 : r2).body.error, 'cert.challengeReused');
    const ok = await a.deps.db.selectFrom('audit_events').select('seq').where('action', '=', 'auth.login.certificate').where('result', '=', 'ok').where('target_id', '=', String(id)).execute();
    assert.equal(ok.length, 1, 'one certificate sign-in');
  }
});
