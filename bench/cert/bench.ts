// Citizen-certificate benchmark (AUTH-8, issue 11), run through bench/cert/run.sh (a throw-away
// PostgreSQL; BENCH_PG_URL). In one run:
//   1. the ceiling: raw RSA-2048 (SHA-256, PKCS#1 v1.5) signature verifications per second on one core;
//   2. a generated MOICA-sized CRL (BENCH_CRL_ENTRIES, default 412,000, made with OpenSSL as
//      RECIPES.md says) read by the streaming reader in a child process: time and peak RSS;
//   3. the cold load of that CRL into the database by the refresh job's code (child process): time
//      and peak RSS (goals ≤ 3 s, ≤ 200 MB);
//   4. the per-sign-in revocation look-up (one indexed row + the CRL state) against the loaded
//      table: p50/p95 over listed and unlisted serials;
//   5. full certificate sign-ins over HTTP (challenge → the card's PKCS#1 signature → session)
//      from BENCH_CLIENTS concurrent clients for BENCH_SECONDS, against password sign-ins (the
//      baseline) in the same process and run: logins/s, p50/p95, the ratio to the ceiling.
// Tessera runs in this process (Fastify on 127.0.0.1), the load generator too: 2 shared cores, so
// the figures are conservative. Prints a table; asserts nothing about time.
import 'reflect-metadata';
import crypto, { webcrypto } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { createDeps, buildApp } from '../../src/server.ts';
import { insertAccount, setPassword } from '../../src/accounts/store.ts';
import { addTrust } from '../../src/auth/cert/trust.ts';
import { insertBinding, listTrust, revocationRow } from '../../src/auth/cert/store.ts';
import { parseCertificate } from '../../src/auth/cert/certificate.ts';
import { makeHierarchy, makeCitizen, signPkcs1, type Issued } from '../../test/helpers/pki.ts';

const ENTRIES = Number(process.env.BENCH_CRL_ENTRIES ?? 412_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const USERS = 40;
const DB = 'tessera_cert_bench';
const PASSWORD = 'Bench-Cert-Login-2026';
const adminUrl = process.env.BENCH_PG_URL;
if (!adminUrl) { console.error('BENCH_PG_URL is not set: run bash bench/cert/run.sh'); process.exit(2); }
const SECRET = crypto.randomBytes(32).toString('hex');
const say = (s: string) => process.stdout.write(s + '\n');
const dbUrl = () => { const u = new URL(adminUrl); u.pathname = '/' + DB; return u.toString(); };
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN; };
const f1 = (n: number) => n.toFixed(1);

// ---- 1. the ceiling ---------------------------------------------------------------------------
function rsaCeiling(seconds = 3): number {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const data = crypto.randomBytes(120);
  const sig = crypto.sign('sha256', data, privateKey);
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) if (!crypto.verify('sha256', data, publicKey, sig)) throw new Error('verify failed');
    n += 100;
  }
  return n / ((performance.now() - t0) / 1000);
}

// ---- 2. a MOICA-sized CRL, with OpenSSL --------------------------------------------------------
async function bigCrl(dir: string, issuer: Issued): Promise<{ file: string; serials: string[] }> {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', issuer.keys.privateKey));
  fs.writeFileSync(path.join(dir, 'ca.key'), `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`);
  fs.writeFileSync(path.join(dir, 'ca.pem'), issuer.pem);
  const serials: string[] = [];
  const lines: string[] = [];
  for (let i = 0; i < ENTRIES; i++) {
    // 16 random bytes, first nibble 1..7: positive, no leading zero (as the reader normalises).
    const hex = (1 + (i % 7)).toString(16) + crypto.randomBytes(16).toString('hex').slice(1);
    serials.push(hex);
    lines.push(`R\t341231235959Z\t240101000000Z\t${hex.toUpperCase()}\tunknown\t/CN=u${i}`);
  }
  fs.writeFileSync(path.join(dir, 'index.txt'), lines.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'crlnumber'), '01\n');
  fs.writeFileSync(path.join(dir, 'ca.cnf'), `[ca]\ndefault_ca=d\n[d]\ndatabase=./index.txt\ncrlnumber=./crlnumber\ndefault_md=sha256\ndefault_crl_days=7\ncertificate=./ca.pem\nprivate_key=./ca.key\ncrl_extensions=crl_ext\n[crl_ext]\nauthorityKeyIdentifier=keyid:always\n`);
  execFileSync('openssl', ['ca', '-config', 'ca.cnf', '-gencrl', '-out', 'big.crl.pem'], { cwd: dir, stdio: 'pipe' });
  execFileSync('openssl', ['crl', '-in', 'big.crl.pem', '-outform', 'DER', '-out', 'big.crl'], { cwd: dir, stdio: 'pipe' });
  return { file: path.join(dir, 'big.crl'), serials };
}

function child(args: string[]): { ms: number; entries: number; peakRssMb: number; baseRssMb: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'crl-child.ts'), ...args], { encoding: 'utf8', env: { ...process.env, BENCH_SECRET_KEY: SECRET } });
  if (r.status !== 0) throw new Error(`crl-child ${args[0]} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

// ---- HTTP helpers ------------------------------------------------------------------------------
interface Jar { cookies: Map<string, string> }
async function call(base: string, jar: Jar, method: string, p: string, body?: unknown, form = false) {
  const headers: Record<string, string> = { accept: form ? 'text/html' : 'application/json' };
  if (jar.cookies.size) headers.cookie = [...jar.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  if (body !== undefined) headers['content-type'] = form ? 'application/x-www-form-urlencoded' : 'application/json';
  const res = await fetch(base + p, { method, headers, redirect: 'manual', body: body === undefined ? undefined : form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body) });
  for (const c of res.headers.getSetCookie()) { const [pair] = c.split(';'); const i = pair.indexOf('='); jar.cookies.set(pair.slice(0, i), pair.slice(i + 1)); }
  return { status: res.status, text: await res.text() };
}

async function loadPhase(name: string, one: (i: number) => Promise<number>): Promise<{ name: string; perSecond: number; p50: number; p95: number; n: number; errors: number }> {
  const lat: number[] = [];
  let errors = 0;
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
    let i = c;
    while (performance.now() < end) {
      try { lat.push(await one(i)); } catch { errors++; }
      i += CLIENTS;
    }
  }));
  return { name, perSecond: lat.length / ((performance.now() - t0) / 1000), p50: pct(lat, 50), p95: pct(lat, 95), n: lat.length, errors };
}

async function main() {
  say(`bench/cert: ${os.availableParallelism()} cores, ${CLIENTS} clients, ${SECONDS} s per load phase, CRL of ${ENTRIES.toLocaleString('en')} entries`);
  const ceiling = rsaCeiling();
  say(`1. RSA-2048 verify, one core: ${Math.round(ceiling).toLocaleString('en')}/s`);

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  const config = loadConfig({
    DATABASE_URL: dbUrl(), TESSERA_SECRET_KEY: SECRET, LOG_LEVEL: 'warn',
    TESSERA_JOBS_POLL_MS: '0', TESSERA_AUDIT_SEAL_MS: '0', TESSERA_CAPTCHA: 'off', TESSERA_BASE_URL: 'https://tessera.bench.example',
  });
  const deps = await createDeps({ ...config, port: 0 }, {});
  const h = await makeHierarchy();
  await addTrust(deps, null, { certificate: h.root.pem }, null);
  await addTrust(deps, null, { certificate: h.g3.pem }, null);
  const g3 = (await listTrust(deps.db)).find((r) => r.kind === 'intermediate')!;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-cert-bench-'));
  try {
    const g0 = performance.now();
    const crl = await bigCrl(dir, h.g3);
    const bytes = fs.statSync(crl.file).size;
    say(`   CRL generated with OpenSSL in ${f1((performance.now() - g0) / 1000)} s: ${(bytes / 1e6).toFixed(1)} MB DER`);
    fs.writeFileSync(path.join(dir, 'issuer.pem'), h.g3.pem);
    const parse = child(['parse', crl.file, path.join(dir, 'issuer.pem')]);
    say(`2. streaming read (signature verified): ${f1(parse.ms)} ms for ${parse.entries.toLocaleString('en')} entries; peak RSS ${f1(parse.peakRssMb)} MB (process base ${f1(parse.baseRssMb)} MB)`);
    const load = child(['load', crl.file, path.join(dir, 'issuer.pem'), dbUrl()]);
    say(`3. cold load into PostgreSQL (read + replace the issuer's rows, one transaction): ${f1(load.ms / 1000)} s; peak RSS ${f1(load.peakRssMb)} MB (base ${f1(load.baseRssMb)} MB) — goals ≤ 3 s, ≤ 200 MB`);

    // 4. The sign-in's revocation read.
    const probe = Array.from({ length: 2000 }, (_, i) => (i % 2 ? crl.serials[Math.floor(Math.random() * crl.serials.length)] : crypto.randomBytes(16).toString('hex').replace(/^0+/, '')));
    const lookups: number[] = [];
    let listed = 0;
    for (const s of probe) {
      const t0 = performance.now();
      const r = await revocationRow(deps.db, g3.subject_key_id, s);
      lookups.push(performance.now() - t0);
      if (r.revoked) listed++;
    }
    say(`4. revocation look-up per sign-in: p50 ${f1(pct(lookups, 50) * 1000)} µs, p95 ${f1(pct(lookups, 95) * 1000)} µs (${listed}/${probe.length} listed, as expected ${probe.length / 2})`);

    // 5. Users with a registered card (not on the CRL) and the same password.
    const now = deps.clock.now();
    const hash = await deps.hasher.hash(PASSWORD);
    await sql`INSERT INTO orgs (oid, parent_oid, name, kind) VALUES ('2.16.886.101', NULL, '評測機關', 'agency') ON CONFLICT DO NOTHING`.execute(deps.db);
    await deps.db.insertInto('policies').values({ oid: '2.16.886.101', settings: JSON.stringify({ 'login.certificate': true }), updated_at: now })
      .onConflict((oc) => oc.column('oid').doUpdateSet({ settings: JSON.stringify({ 'login.certificate': true }) })).execute();
    const cards: Issued[] = [];
    for (let i = 0; i < USERS; i++) {
      const username = `certbench${String(i).padStart(3, '0')}`;
      const id = await insertAccount(deps.db, deps.keyring, now, {
        username, unitOid: '2.16.886.101', state: 'enabled',
        profile: { name: '林建國', nationalId: null, birthMonth: null, birthDay: null, email: null, mobile: null, title: null, department: null, address: null, officePhone: null, officeExt: null, fax: null, staffCode: null, postalCode: null },
      });
      await setPassword(deps.db, id, hash, now, 'password', false, null);
      const card = await makeCitizen(h.g3, { name: '林建國' });
      const info = await parseCertificate(card.der);
      await insertBinding(deps.db, {
        account_id: id, issuer_key_id: g3.subject_key_id, serial: info.serial, subject_key_id: info.subjectKeyId, thumbprint: info.thumbprint,
        issuer: info.issuer, common_name: info.commonName, not_after: info.notAfter, created_at: now,
      });
      cards.push(card);
    }
    const { app } = await buildApp(deps);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const certOnce = async (i: number) => {
        const jar: Jar = { cookies: new Map() };
        const card = cards[i % cards.length];
        const ch = await call(base, jar, 'POST', '/login/certificate/challenge', {});
        if (ch.status !== 200) throw new Error(`challenge ${ch.status}`);
        const tbs = (JSON.parse(ch.text) as { tbs: string }).tbs;
        const signature = await signPkcs1(card, tbs);
        const t0 = performance.now();
        const r = await call(base, jar, 'POST', '/login/certificate', { format: 'pkcs1', signature, certificate: Buffer.from(card.der).toString('base64'), tbs });
        const ms = performance.now() - t0;
        if (r.status !== 200) throw new Error(`certificate login ${r.status} ${r.text.slice(0, 200)}`);
        return ms;
      };
      const passwordOnce = async (i: number) => {
        const jar: Jar = { cookies: new Map() };
        const page = await call(base, jar, 'GET', '/login', undefined, true);
        const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
        const t0 = performance.now();
        const r = await call(base, jar, 'POST', '/login', { _csrf: csrf, username: `certbench${String(i % USERS).padStart(3, '0')}`, password: PASSWORD }, true);
        const ms = performance.now() - t0;
        if (r.status !== 303) throw new Error(`password login ${r.status}`);
        return ms;
      };
      await certOnce(0); await passwordOnce(0); // warm-up (first requests compile and connect)
      const cert = await loadPhase('certificate (challenge → PKCS#1 → session)', certOnce);
      const pwd = await loadPhase('password (argon2id, the baseline)', passwordOnce);
      say('5. sign-ins over HTTP (latency of the POST that signs in, seen by the client on 127.0.0.1)');
      say('   | method | logins/s | p50 ms | p95 ms | n | errors |');
      say('   | --- | --- | --- | --- | --- | --- |');
      for (const r of [cert, pwd]) say(`   | ${r.name} | ${f1(r.perSecond)} | ${f1(r.p50)} | ${f1(r.p95)} | ${r.n} | ${r.errors} |`);
      say(`   certificate logins/s ÷ RSA verify ceiling (one core): ${(cert.perSecond / ceiling).toFixed(3)}; certificate ÷ password logins/s: ${(cert.perSecond / pwd.perSecond).toFixed(2)}; p95 goal ≤ 50 ms: ${cert.p95 <= 50 ? 'met' : 'not met'}`);
    } finally {
      await app.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await deps.db.destroy();
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
