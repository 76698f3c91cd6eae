// bench/cert helper, run in its own process so its peak RSS is the CRL work's alone:
//   node --import tsx bench/cert/crl-child.ts parse <crl.der> <issuer.pem>
//     the streaming reader over the whole CRL, signature verified (src/auth/cert/crl.ts);
//   node --import tsx bench/cert/crl-child.ts load <crl.der> <issuer.pem> <database url>
//     the refresh job's load (parse, verify, replace the issuer's rows in one transaction).
// Prints one JSON line: { ms, entries, peakRssMb, baseRssMb }.
import fs from 'node:fs';
import crypto from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { readCrl } from '../../src/auth/cert/crl.ts';

const [mode, crlFile, issuerFile, dbUrl] = process.argv.slice(2);
const peakMb = () => process.resourceUsage().maxRSS / 1024;

async function main() {
  const der = new Uint8Array(fs.readFileSync(crlFile));
  const issuerPem = fs.readFileSync(issuerFile, 'utf8');
  if (mode === 'parse') {
    const base = peakMb();
    const spki = new Uint8Array(new x509.X509Certificate(issuerPem).publicKey.rawData);
    const t0 = performance.now();
    let n = 0;
    const head = readCrl(der, spki, () => { n++; });
    const ms = performance.now() - t0;
    console.log(JSON.stringify({ ms, entries: head.entries, counted: n, peakRssMb: peakMb(), baseRssMb: base }));
    return;
  }
  const { loadConfig } = await import('../../src/config.ts');
  const { createDeps } = await import('../../src/server.ts');
  const { listTrust } = await import('../../src/auth/cert/store.ts');
  const { loadCrl } = await import('../../src/auth/cert/crl-refresh.ts');
  const env: Record<string, string> = { TESSERA_SECRET_KEY: process.env.BENCH_SECRET_KEY ?? crypto.randomBytes(32).toString('hex'), LOG_LEVEL: 'warn', TESSERA_JOBS_POLL_MS: '0', TESSERA_AUDIT_SEAL_MS: '0' };
  env.DATABASE_URL = dbUrl;
  const deps = await createDeps({ ...loadConfig(env), port: 0 }, {});
  const issuer = (await listTrust(deps.db)).find((r) => r.kind === 'intermediate')!;
  const base = peakMb();
  const t0 = performance.now();
  const r = await loadCrl(deps, issuer, der, 'file://' + crlFile);
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, entries: r.entries, peakRssMb: peakMb(), baseRssMb: base }));
  await deps.db.destroy();
  process.exit(0);
}
main().catch((e) => { console.error(e); process.exit(1); });
