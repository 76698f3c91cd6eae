// AUTH-8: the test PKI is a real one — the chain verifies, the citizen certificate carries what
// MOICA's does, the CRL is signed by its issuer and the OCSP responder answers on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHierarchy, makeCitizen, makeCrl, startPkiServer, POLICY_L2 } from '../../helpers/pki.ts';
import { parseCertificate, x509 } from '../../../src/auth/cert/certificate.ts';

test('AUTH-8: test hierarchy — G2 and G3 share a DN, differ by key id; citizen certificate carries CN, last 4 of the ID, policy, CRL DP and OCSP', async () => {
  const h = await makeHierarchy();
  const pki = await startPkiServer([h.g2, h.g3]);
  try {
    assert.equal(h.g2.cert.subject, h.g3.cert.subject);
    const g2 = await parseCertificate(h.g2.pem), g3 = await parseCertificate(h.g3.der);
    assert.notEqual(g2.subjectKeyId, g3.subjectKeyId);
    const c = await makeCitizen(h.g3, { name: '林建國', last4: '6789', crlUrl: `${pki.url}/g3.crl`, ocspUrl: `${pki.url}/ocsp` });
    const info = await parseCertificate(c.pem);
    assert.equal(info.commonName, '林建國');
    assert.equal(info.nationalIdLast4, '6789');
    assert.equal(info.authorityKeyId, g3.subjectKeyId);
    assert.deepEqual(info.policies, [POLICY_L2]);
    assert.deepEqual(info.crlUrls, [`${pki.url}/g3.crl`]);
    assert.deepEqual(info.ocspUrls, [`${pki.url}/ocsp`]);
    assert.ok(await c.cert.verify({ publicKey: h.g3.cert.publicKey, signatureOnly: true }));
    assert.ok(!(await c.cert.verify({ publicKey: h.g2.cert.publicKey, signatureOnly: true })));
    const crl = new x509.X509Crl(await makeCrl(h.g3, [c.serial]));
    assert.ok(await crl.verify({ publicKey: h.g3.cert.publicKey }));
    assert.equal(crl.entries[0].serialNumber.toLowerCase().replace(/^(00)+/, ''), c.serial);
  } finally { await pki.close(); }
});
