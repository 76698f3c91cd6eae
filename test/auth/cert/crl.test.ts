// AUTH-8: the hand-written CRL reader agrees with @peculiar/x509 on small CRLs, refuses a CRL
// another key signed, and reads a CRL of 100,000+ entries (made with OpenSSL, as RECIPES.md says)
// in one pass; time and memory are printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { makeHierarchy, makeCrl } from '../../helpers/pki.ts';
import { readCrl, crlBytes, CrlError } from '../../../src/auth/cert/crl.ts';
import { normaliseSerial, x509 } from '../../../src/auth/cert/certificate.ts';
import { startTestApp } from '../../helpers/app.ts';
import { addTrust } from '../../../src/auth/cert/trust.ts';
import { loadCrl } from '../../../src/auth/cert/crl-refresh.ts';
import { countRevoked, listTrust, revocationRow } from '../../../src/auth/cert/store.ts';

const spki = (c: x509.X509Certificate) => new Uint8Array(c.publicKey.rawData);

test('AUTH-8: the streaming CRL reader lists the same serials, dates and number as @peculiar/x509 on small CRLs', async () => {
  const h = await makeHierarchy();
  for (const serials of [[], ['01'], ['00ff', '7f', '0102030405060708090a0b0c0d0e0f10', 'abcdef']]) {
    const der = await makeCrl(h.g2, serials, { number: 7, nextUpdate: new Date('2026-12-09T00:00:00Z') });
    const got: { s: string; at?: Date }[] = [];
    const head = readCrl(der, spki(h.g2.cert), (s, at) => got.push({ s, at }));
    const lib = new x509.X509Crl(der);
    assert.deepEqual(got.map((g) => g.s), lib.entries.map((e) => normaliseSerial(e.serialNumber)));
    assert.deepEqual(got.map((g) => g.at?.getTime()), lib.entries.map((e) => e.revocationDate.getTime()));
    assert.equal(head.entries, serials.length);
    assert.equal(head.thisUpdate.getTime(), lib.thisUpdate.getTime());
    assert.equal(head.nextUpdate?.getTime(), lib.nextUpdate?.getTime());
    assert.equal(head.crlNumber, '7');
    assert.equal(head.authorityKeyId, (await x509.SubjectKeyIdentifierExtension.create(h.g2.keys.publicKey)).keyId.toLowerCase());
  }
  // G3 shares G2's name but not its key: its CRL does not verify with G2's key.
  const g3crl = await makeCrl(h.g3, ['01']);
  assert.throws(() => readCrl(g3crl, spki(h.g2.cert), () => {}), (e: unknown) => e instanceof CrlError && e.code === 'crl.signature');
  const bad = new Uint8Array(g3crl); bad[bad.length - 300] ^= 1;
  assert.throws(() => readCrl(bad, spki(h.g3.cert), () => {}), CrlError);
  assert.throws(() => readCrl(new Uint8Array([0x30, 0x05, 1, 2]), spki(h.g3.cert), () => {}), (e: unknown) => e instanceof CrlError && e.code === 'crl.malformed');
});

const N = 120_000;
/** A CRL of N entries made by OpenSSL (RECIPES.md), its CA certificate, and the serials it lists. */
function bigCrl(): { der: Uint8Array; caPem: string; want: Set<string> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-'));
  try {
    const lines: string[] = [];
    const want = new Set<string>();
    for (let i = 0; i < N; i++) {
      const s = crypto.randomBytes(8).toString('hex').replace(/^0+/, '1').toUpperCase();
      const hex = s.length % 2 ? '0' + s : s;
      want.add(normaliseSerial(hex));
      lines.push(`R\t341231235959Z\t240101000000Z\t${hex}\tunknown\t/CN=u${i}`);
    }
    fs.writeFileSync(path.join(dir, 'index.txt'), lines.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'crlnumber'), '01\n');
    fs.writeFileSync(path.join(dir, 'ca.cnf'), '[ca]\ndefault_ca=d\n[d]\ndatabase=./index.txt\ncrlnumber=./crlnumber\ndefault_md=sha256\ndefault_crl_days=7\ncertificate=./ca.pem\nprivate_key=./ca.key\n');
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-subj', '/C=TW/O=Test/OU=MOICA Test');
    run('ca', '-config', 'ca.cnf', '-gencrl', '-out', 'big.crl.pem');
    return { der: crlBytes(fs.readFileSync(path.join(dir, 'big.crl.pem'))), caPem: fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8'), want };
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}
let big: ReturnType<typeof bigCrl> | undefined;

test('AUTH-8: a CRL of 120,000 entries (OpenSSL) is verified and read in one pass; time and memory printed', () => {
  big ??= bigCrl();
  const { der, caPem, want } = big;
  const ca = new x509.X509Certificate(caPem);
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const seen: string[] = [];
  const head = readCrl(der, spki(ca), (s) => seen.push(s));
  const ms = performance.now() - t0;
  const rss = process.memoryUsage().rss;
  console.log(`CRL ${N} entries, ${(der.length / 1e6).toFixed(1)} MB: verified and read in ${ms.toFixed(0)} ms; RSS ${(rss0 / 1e6).toFixed(0)} → ${(rss / 1e6).toFixed(0)} MB`);
  assert.equal(head.entries, N);
  assert.equal(seen.length, N);
  assert.ok(seen.every((s) => want.has(s)));
  assert.equal(new Set(seen).size, want.size);
  assert.equal(head.crlNumber, '1');
});

test('AUTH-8: the same CRL loaded into the database (cold load timed); sign-in reads one row per certificate', async () => {
  big ??= bigCrl();
  const t = await startTestApp();
  try {
    const item = await addTrust(t.deps, null, { certificate: big.caPem, crlUrl: 'http://127.0.0.1:9/big.crl' }, null);
    const [issuer] = await listTrust(t.deps.db);
    const t0 = performance.now();
    const r = await loadCrl(t.deps, issuer, big.der, 'http://127.0.0.1:9/big.crl');
    const loadMs = performance.now() - t0;
    assert.equal(r.entries, N);
    assert.equal(await countRevoked(t.deps.db), N);
    const sample = [...big.want].slice(0, 200);
    const t1 = performance.now();
    for (const s of sample) assert.equal((await revocationRow(t.deps.db, item.subjectKeyId, s)).revoked, true);
    const lookupMs = (performance.now() - t1) / sample.length;
    assert.equal((await revocationRow(t.deps.db, item.subjectKeyId, 'ffffffffffffffffff')).revoked, false);
    console.log(`CRL ${N} entries into the database (${process.env.TESSERA_TEST_PG_URL ? 'PostgreSQL' : 'PGlite'}): cold load ${loadMs.toFixed(0)} ms, RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB; revocation read on sign-in ${lookupMs.toFixed(2)} ms`);
  } finally { await t.close(); }
});
