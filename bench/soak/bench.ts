// Soak benchmark (issue 15, OPS-2; run through bench/soak/run.sh, which starts a throw-away
// PostgreSQL and passes its admin URL as BENCH_PG_URL):
//   1. a fresh database set up by Tessera's own code: the central authority, a user, 600 accounts
//      to search, a machine client (client_credentials) and an API token;
//   2. Tessera as a child process (`node dist/cli.js serve`, captcha off, sealer and outbox on);
//   3. capacity: the mix — a full password login (GET /login, POST /login → 303), a token
//      (client_credentials at the token endpoint), an account search (GET /api/v1/accounts?q=…) in
//      turn — from BENCH_CLIENTS closed-loop clients for BENCH_CAPACITY_SECONDS: operations/s;
//   4. the soak: the same mix as an open loop at BENCH_LOAD_SHARE (70 %) of that rate for
//      BENCH_SOAK_MINUTES; every answer checked; RSS sampled every second;
//   5. first tenth against last tenth side by side: operations, errors, p50/p95 latency, RSS.
// Everything on 127.0.0.1; every loop bounded; the child is stopped at the end and on failure.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config.ts';
import { createDeps } from '../../src/server.ts';
import { bootstrapCentralAuthority } from '../../src/accounts/bootstrap.ts';
import { insertAccount, setPassword } from '../../src/accounts/store.ts';
import { upsertClient } from '../../src/sso/clients.ts';
import { createApiToken } from '../../src/access/tokens.ts';
import { basicAuth, FORM, form, hiddenFields, Jar, keepAliveAgent, request } from '../oidc/http.ts';
import { rssKib } from '../oidc/cpu.ts';

const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
const CAPACITY_SECONDS = Number(process.env.BENCH_CAPACITY_SECONDS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const SHARE = Number(process.env.BENCH_LOAD_SHARE ?? 0.7);
const MAX_IN_FLIGHT = 256;
const DB_NAME = 'tessera_soak';
const SECRET_HEX = '22'.repeat(32);
const ADMIN = { username: 'soakcentral', password: 'Bench-Soak-Central-2026' };
const USER = { username: 'soakuser01', password: 'Bench-Soak-User-2026' };
const UNIT = '2.16.886.101.90027.20002.20011';
const MACHINE_SYSTEM = 'bms';
const HARD_LIMIT_MS = (MINUTES * 60 + CAPACITY_SECONDS + 300) * 1000;
const SURNAMES = ['陳', '林', '黃', '張', '李', '王', '吳', '劉', '蔡', '楊'];
const GIVEN = ['怡君', '志明', '淑芬', '建宏', '美玲', '俊傑', '雅婷', '家豪', '佳穎', '冠宇'];

const adminUrl = process.env.BENCH_PG_URL;
if (!adminUrl) { console.error('BENCH_PG_URL is not set: run `npm run bench:soak` (bench/soak/run.sh)'); process.exit(2); }
const root = path.resolve(import.meta.dirname, '../..');
let child: ChildProcess | undefined;
const hardStop = setTimeout(() => { console.error('bench: past its hard limit; stopping'); stopChild(); process.exit(1); }, HARD_LIMIT_MS);
hardStop.unref();
function stopChild(): void { if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM'); }
process.on('exit', stopChild);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (s: string) => process.stdout.write(s + '\n');

function dbUrl(): string { const u = new URL(adminUrl!); u.pathname = '/' + DB_NAME; return u.toString(); }
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
  });
}

interface Setup { machineSecret: string; token: string }
async function setUp(): Promise<Setup> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME}`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const deps = await createDeps(loadConfig({ DATABASE_URL: dbUrl(), TESSERA_SECRET_KEY: SECRET_HEX, TESSERA_CAPTCHA: 'off', LOG_LEVEL: 'warn' }), { poolSize: 4 });
  try {
    await bootstrapCentralAuthority(deps, ADMIN);
    const now = deps.clock.now();
    const empty = { nationalId: null, birthMonth: null, birthDay: null, email: null, mobile: null, title: null, department: null, address: null, officePhone: null, officeExt: null, fax: null, staffCode: null, postalCode: null };
    const id = await insertAccount(deps.db, deps.keyring, now, { username: USER.username, unitOid: UNIT, state: 'enabled', profile: { ...empty, name: '王小明', email: 'soak@example.gov.tw' } });
    await setPassword(deps.db, id, await deps.hasher.hash(USER.password), now, 'password', false, null);
    for (let i = 0; i < 600; i++) {
      await insertAccount(deps.db, deps.keyring, now, {
        username: `soakacct${String(i).padStart(4, '0')}`, unitOid: UNIT, state: 'enabled',
        profile: { ...empty, name: SURNAMES[i % 10] + GIVEN[Math.floor(i / 10) % 10], department: '資訊處' },
      });
    }
    const machine = await deps.db.transaction().execute((trx) => upsertClient(trx, deps, { systemCode: MACHINE_SYSTEM, authMethod: 'client_secret_basic', grantTypes: ['client_credentials'] }));
    if (!machine.ok || !machine.secret) throw new Error(`client registration refused: ${JSON.stringify(machine)}`);
    const token = await createApiToken(deps, ADMIN.username, { label: 'soak' });
    return { machineSecret: machine.secret, token: token.token };
  } finally { await deps.db.destroy(); }
}

async function startTessera(port: number): Promise<number> {
  const logFile = path.join(os.tmpdir(), `tessera-soak-${process.pid}.log`);
  const out = fs.openSync(logFile, 'w');
  child = spawn(path.join(root, 'node_modules/.bin/node'), ['--max-semi-space-size=4', 'dist/cli.js', 'serve'], {
    cwd: root, stdio: ['ignore', out, out],
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, LANG: process.env.LANG, DATABASE_URL: dbUrl(), HOST: '127.0.0.1', PORT: String(port),
      TESSERA_CAPTCHA: 'off', TESSERA_SECRET_KEY: SECRET_HEX, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', TESSERA_BASE_URL: `http://127.0.0.1:${port}`,
    },
  });
  fs.closeSync(out);
  const agent = keepAliveAgent(1);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tessera exited with code ${child.exitCode}; log: ${logFile}`);
    try { if ((await request(agent, new URL(`http://127.0.0.1:${port}/readyz`), 'GET')).status === 200) return child.pid!; } catch { /* not yet */ }
    await sleep(200);
  }
  throw new Error(`tessera not ready after 60 s; log: ${logFile}`);
}

type Kind = 'login' | 'token' | 'search';
const KINDS: Kind[] = ['login', 'token', 'search'];
interface Sample { at: number; ms: number; kind: Kind; ok: boolean; why?: string }

function operations(base: string, s: Setup) {
  const agent = keepAliveAgent(MAX_IN_FLIGHT);
  const u = (p: string) => new URL(base + p);
  const tokenUrl = u('/oidc/token');
  let q = 0;
  const ops: Record<Kind, () => Promise<string | null>> = {
    login: async () => {
      const jar = new Jar();
      const page = await request(agent, u('/login'), 'GET');
      jar.store(page);
      if (page.status !== 200) return `login page ${page.status}`;
      const r = await request(agent, u('/login'), 'POST', { ...FORM, ...jar.header() }, form({ ...hiddenFields(page.body), username: USER.username, password: USER.password }));
      return r.status === 303 && r.headers.location === '/' ? null : `login ${r.status}`;
    },
    token: async () => {
      const r = await request(agent, tokenUrl, 'POST', { ...FORM, authorization: basicAuth(MACHINE_SYSTEM, s.machineSecret) }, 'grant_type=client_credentials');
      return r.status === 200 && r.body.includes('"access_token"') ? null : `token ${r.status}`;
    },
    search: async () => {
      const name = SURNAMES[q++ % 10];
      const r = await request(agent, u(`/api/v1/accounts?q=${encodeURIComponent(name)}&pageSize=20`), 'GET', { authorization: `Bearer ${s.token}` });
      return r.status === 200 && r.body.includes('"items"') ? null : `search ${r.status}`;
    },
  };
  return async (kind: Kind, samples: Sample[], t0: number): Promise<void> => {
    const start = performance.now();
    let why: string | null;
    try { why = await ops[kind](); } catch (e) { why = `${kind} ${(e as Error).message}`; }
    samples.push({ at: start - t0, ms: performance.now() - start, kind, ok: why === null, ...(why ? { why } : {}) });
  };
}

const pct = (xs: number[], p: number) => { if (!xs.length) return NaN; const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const f1 = (n: number) => Number.isFinite(n) ? n.toFixed(1) : '–';

async function main() {
  say(`Soak: ${MINUTES} min at ${Math.round(SHARE * 100)} % of the measured capacity of the login + token + admin-search mix; capacity over ${CAPACITY_SECONDS} s with ${CLIENTS} clients.`);
  const setup = await setUp();
  const port = await freePort();
  const pid = await startTessera(port);
  const run = operations(`http://127.0.0.1:${port}`, setup);
  await sleep(2000);
  const idleRss = rssKib(pid) / 1024;

  // Capacity: closed loop.
  const warm: Sample[] = [];
  await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => { for (let i = 0; i < 3; i++) await run(KINDS[(c + i) % 3], warm, performance.now()); }));
  const cap: Sample[] = [];
  const c0 = performance.now();
  let turn = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (performance.now() - c0 < CAPACITY_SECONDS * 1000) await run(KINDS[turn++ % 3], cap, c0);
  }));
  const capSeconds = (performance.now() - c0) / 1000;
  const capacity = cap.filter((x) => x.ok).length / capSeconds;
  say(`Capacity: ${capacity.toFixed(1)} operations/s (${cap.length} in ${capSeconds.toFixed(1)} s, ${cap.filter((x) => !x.ok).length} errors; p95 ${f1(pct(cap.map((x) => x.ms), 0.95))} ms); idle RSS ${idleRss.toFixed(0)} MB`);
  const capWhy = new Map<string, number>();
  for (const e of cap.filter((x) => !x.ok)) capWhy.set(e.why!, (capWhy.get(e.why!) ?? 0) + 1);
  for (const [w, n] of capWhy) say(`  capacity error: ${w} × ${n}`);
  for (const k of KINDS) say(`  ${k.padEnd(6)} p50 ${f1(pct(cap.filter((x) => x.kind === k).map((x) => x.ms), 0.5))} ms, p95 ${f1(pct(cap.filter((x) => x.kind === k).map((x) => x.ms), 0.95))} ms`);

  // Soak: open loop at SHARE × capacity, arrivals evenly spaced, in-flight bounded.
  const rate = capacity * SHARE;
  const durationMs = MINUTES * 60_000;
  const samples: Sample[] = [];
  const rss: { at: number; mb: number }[] = [];
  let inFlight = 0, overload = 0, issued = 0;
  const pending = new Set<Promise<void>>();
  const t0 = performance.now();
  const sampler = setInterval(() => rss.push({ at: performance.now() - t0, mb: rssKib(pid) / 1024 }), 1000);
  say(`Soak: ${rate.toFixed(1)} operations/s for ${MINUTES} min…`);
  let lastReport = 0;
  for (;;) {
    const now = performance.now() - t0;
    if (now >= durationMs) break;
    const due = Math.floor((now / 1000) * rate);
    while (issued < due) {
      issued++;
      if (inFlight >= MAX_IN_FLIGHT) { overload++; samples.push({ at: now, ms: 0, kind: KINDS[issued % 3], ok: false, why: 'over the in-flight bound' }); continue; }
      inFlight++;
      const p = run(KINDS[issued % 3], samples, t0).finally(() => { inFlight--; pending.delete(p); });
      pending.add(p);
    }
    if (now - lastReport >= 30_000) { lastReport = now; say(`  ${(now / 60_000).toFixed(1)} min: ${samples.length} done, ${samples.filter((x) => !x.ok).length} errors, in flight ${inFlight}, RSS ${(rssKib(pid) / 1024).toFixed(0)} MB`); }
    await sleep(5);
  }
  await Promise.all(pending);
  clearInterval(sampler);

  const tenth = durationMs / 10;
  const part = (lo: number, hi: number) => {
    const xs = samples.filter((x) => x.at >= lo && x.at < hi);
    const r = rss.filter((x) => x.at >= lo && x.at < hi).map((x) => x.mb);
    return { n: xs.length, errors: xs.filter((x) => !x.ok).length, rate: xs.length / ((hi - lo) / 1000), p50: pct(xs.filter((x) => x.ok).map((x) => x.ms), 0.5), p95: pct(xs.filter((x) => x.ok).map((x) => x.ms), 0.95), rss: r.length ? r.reduce((a, b) => a + b, 0) / r.length : NaN, rssMax: r.length ? Math.max(...r) : NaN };
  };
  const first = part(0, tenth), last = part(durationMs - tenth, durationMs + 1);
  const errors = samples.filter((x) => !x.ok);
  say('');
  say(`| | first tenth | last tenth |`);
  say(`|---|---:|---:|`);
  say(`| operations | ${first.n} | ${last.n} |`);
  say(`| operations/s | ${first.rate.toFixed(1)} | ${last.rate.toFixed(1)} |`);
  say(`| errors | ${first.errors} | ${last.errors} |`);
  say(`| p50 latency (ms) | ${f1(first.p50)} | ${f1(last.p50)} |`);
  say(`| p95 latency (ms) | ${f1(first.p95)} | ${f1(last.p95)} |`);
  say(`| RSS mean / max (MB) | ${f1(first.rss)} / ${f1(first.rssMax)} | ${f1(last.rss)} / ${f1(last.rssMax)} |`);
  say('');
  say(`Whole soak: ${samples.length} operations, ${errors.length} errors (${overload} over the in-flight bound), p95 ${f1(pct(samples.filter((x) => x.ok).map((x) => x.ms), 0.95))} ms, RSS ${f1(Math.min(...rss.map((x) => x.mb)))}–${f1(Math.max(...rss.map((x) => x.mb)))} MB`);
  const why = new Map<string, number>();
  for (const e of errors) why.set(e.why!, (why.get(e.why!) ?? 0) + 1);
  for (const [w, n] of why) say(`  error: ${w} × ${n}`);
  const flat = last.p95 <= first.p95 * 1.5 + 5 && last.rss <= first.rss * 1.2 + 10;
  say(`Goals: 0 errors ${errors.length === 0 ? 'met' : 'NOT met'}; p95 and RSS flat (last tenth within 1.5× p95 + 5 ms and 1.2× RSS + 10 MB of the first) ${flat ? 'met' : 'NOT met'}.`);
  stopChild();
  process.exitCode = errors.length === 0 && flat ? 0 : 1;
}

main().catch((e) => { console.error(e); stopChild(); process.exit(1); });
