// AUTH-8: sign-in by a TLS client certificate that the reverse proxy forwards in the configured
// header (URL-encoded PEM, as nginx's $ssl_client_escaped_cert): believed only when the request
// comes from a proxy address TESSERA_TRUST_PROXY lists; the same pipeline then applies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { Client } from '../../helpers/client.ts';
import { createAccount } from '../../helpers/accounts.ts';
import { makeHierarchy, makeCitizen, makeCrl, type Issued } from '../../helpers/pki.ts';
import { addTrust } from '../../../src/auth/cert/trust.ts';
import { loadCrl } from '../../../src/auth/cert/crl-refresh.ts';
import { listTrust } from '../../../src/auth/cert/store.ts';
import { parseCertificate } from '../../../src/auth/cert/certificate.ts';

const HEADER = 'x-ssl-client-cert';
let t: TestApp;
let card: Issued, revoked: Issued;

before(async () => {
  t = await startTestApp({ env: { TESSERA_CERT_TLS_HEADER: HEADER, TESSERA_TRUST_PROXY: '10.9.9.9' } });
  const h = await makeHierarchy();
  await addTrust(t.deps, null, { certificate: h.root.pem }, null);
  await addTrust(t.deps, null, { certificate: h.g3.pem }, null);
  card = await makeCitizen(h.g3, { name: '林建國' });
  revoked = await makeCitizen(h.g3, { name: '林建國' });
  const g3 = (await listTrust(t.deps.db)).find((r) => r.kind === 'intermediate')!;
  await loadCrl(t.deps, g3, await makeCrl(h.g3, [revoked.serial]), 'http://crl.example/g3.crl');
  const now = t.clock.now();
  await t.deps.db.insertInto('policies').values({ oid: '2.16.886.101', settings: JSON.stringify({ 'login.certificate': true }), updated_at: now }).execute();
  const accountId = await createAccount(t.deps, { username: 'tlsuser01', password: 'Correct-Horse-9' });
  for (const c of [card, revoked]) {
    const info = await parseCertificate(c.der);
    await t.deps.db.insertInto('cert_bindings').values({
      account_id: accountId, issuer_key_id: g3.subject_key_id, serial: info.serial, subject_key_id: info.subjectKeyId, thumbprint: info.thumbprint,
      issuer: info.issuer, common_name: info.commonName, not_after: info.notAfter, created_at: now,
    }).execute();
  }
});
after(async () => { await t?.close(); });

const forwarded = (c: Issued) => ({ [HEADER]: encodeURIComponent(c.pem) });
const tlsLogin = async (c: Client, cert: Issued) => {
  const page = await c.get('/login/certificate');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
  return c.request('POST', '/login/certificate/tls', `_csrf=${encodeURIComponent(csrf)}`, { 'content-type': 'application/x-www-form-urlencoded', ...forwarded(cert) });
};
const lastAudit = () => t.deps.db.selectFrom('audit_events').selectAll().where('action', '=', 'auth.login.certificate').orderBy('seq', 'desc').executeTakeFirstOrThrow();
const reasonOf = async () => { const d = (await lastAudit()).details; return (typeof d === 'string' ? JSON.parse(d) : d).reason; };

test('AUTH-8: a forwarded client certificate from an address that is not a listed proxy is refused (and audited); from the proxy it signs in', async () => {
  const c = new Client(t.url);
  const untrusted = await tlsLogin(c, card);
  assert.equal(untrusted.status, 403);
  assert.match(untrusted.body, /無法確認用戶端憑證的來源/);
  assert.equal(c.cookie('tessera_session'), undefined);
  assert.equal(await reasonOf(), 'cert.untrustedProxy');

  t.deps.config.trustProxy = ['127.0.0.1'];
  try {
    const ok = await tlsLogin(c, card);
    assert.equal(ok.status, 303, ok.body.slice(0, 300));
    const e = await lastAudit();
    assert.equal(e.result, 'ok');
    const d = typeof e.details === 'string' ? JSON.parse(e.details) : e.details;
    assert.equal((d as any).via, 'tls');
    const bad = await tlsLogin(new Client(t.url), revoked);
    assert.equal(bad.status, 401);
    assert.equal(await reasonOf(), 'cert.revoked');
  } finally { t.deps.config.trustProxy = ['10.9.9.9']; }
});
