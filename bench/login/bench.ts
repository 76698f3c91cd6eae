// Login benchmark (run through bench/login/run.sh, which starts a throw-away PostgreSQL and
// passes its admin URL as BENCH_PG_URL):
//   1. the argon2id verify ceiling of this machine with the configured parameters
//      (concurrency = number of cores, ~5 s) — a login can never be faster than its verify;
//   2. Tessera started as a child process on PostgreSQL (captcha off, bootstrap password given),
//      its RSS when idle;
//   3. full HTTP logins (GET /login for the CSRF cookie and field, POST /login expecting 303 to /)
//      from N concurrent clients for ~10 s, RSS sampled throughout;
// then prints a table with the ratio to the ceiling and the goals. Everything on 127.0.0.1; every
// loop is bounded in time; the child is stopped at the end (and on any failure).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import pg from 'pg';
import { loadConfig } from '../../src/config.ts';
import { SESSION_COOKIE } from '../../src/auth/sessions.ts';
import { CSRF_COOKIE } from '../../src/platform/http/context.ts';

const ARGON2_SECONDS = 5;
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const GOALS = { ratio: 0.85, rssIdleMb: 150, rssPeakMb: 300 };
const USERNAME = 'benchadmin';
const PASSWORD = 'Bench-Login-Ceiling-2026';
const HARD_LIMIT_MS = 180_000; // the whole run, whatever happens

const adminUrl = process.env.BENCH_PG_URL;
if (!adminUrl) {
  console.error('BENCH_PG_URL is not set: run `npm run bench:login` (bench/login/run.sh)');
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, '../..');
const cores = os.availableParallelism();
let child: ChildProcess | undefined;
let logFile = '';

const hardStop = setTimeout(() => { console.error(`bench: still running after ${HARD_LIMIT_MS / 1000} s; stopping`); stopChild(); process.exit(1); }, HARD_LIMIT_MS);
hardStop.unref();

function stopChild(): void {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}
process.on('exit', stopChild);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (kib: number) => kib / 1024;

// ---- 1. argon2id ceiling ---------------------------------------------------------------------
async function argon2Ceiling(params: { memoryCost: number; timeCost: number; parallelism: number }): Promise<number> {
  const stored = await hash(PASSWORD, { algorithm: Algorithm.Argon2id, ...params });
  // Warm-up: the first calls allocate.
  await Promise.all(Array.from({ length: cores }, () => verify(stored, PASSWORD)));
  let done = 0;
  const before = cpuSnap();
  const start = performance.now();
  const end = start + ARGON2_SECONDS * 1000;
  await Promise.all(Array.from({ length: cores }, async () => {
    while (performance.now() < end) {
      if (!(await verify(stored, PASSWORD))) throw new Error('argon2 verify returned false');
      done++;
    }
  }));
  const d = cpuDelta(before, cpuSnap());
  argonOtherShare = d.other / d.capacity;
  return done / ((performance.now() - start) / 1000);
}
let argonOtherShare = 0;

// ---- 2. Tessera as a child process -------------------------------------------------------------
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function freshDatabase(): Promise<string> {
  const name = 'tessera_bench';
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name}`);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(adminUrl!);
  u.pathname = '/' + name;
  return u.toString();
}

function rssKib(pid: number): { rss: number; hwm: number } {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

async function startTessera(databaseUrl: string, port: number): Promise<number> {
  logFile = path.join(os.tmpdir(), `tessera-bench-${process.pid}.log`);
  const out = fs.openSync(logFile, 'w');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, LANG: process.env.LANG,
    DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: String(port),
    TESSERA_CAPTCHA: 'off',
    TESSERA_BOOTSTRAP_USERNAME: USERNAME, TESSERA_BOOTSTRAP_PASSWORD: PASSWORD,
    TESSERA_SECRET_KEY: '00'.repeat(32),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    ...(process.env.UV_THREADPOOL_SIZE ? { UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE } : {}),
    ...(process.env.TESSERA_ARGON2_MEMORY_KIB ? { TESSERA_ARGON2_MEMORY_KIB: process.env.TESSERA_ARGON2_MEMORY_KIB } : {}),
    ...(process.env.TESSERA_ARGON2_TIME ? { TESSERA_ARGON2_TIME: process.env.TESSERA_ARGON2_TIME } : {}),
  };
  child = spawn(path.join(root, 'node_modules/.bin/node'), [
    // BENCH_PROFILE=DIR: write a V8 CPU profile of the server there (open it in Chrome DevTools).
    ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`] : []),
    // As `npm start` runs it (package.json): V8's young generation capped (see README).
    ...(process.env.BENCH_SEMI_SPACE === 'default' ? [] : ['--max-semi-space-size=4']),
    'dist/cli.js', 'serve'], { cwd: root, env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tessera exited with code ${child.exitCode}; log: ${logFile}`);
    try {
      const r = await request('GET', port, '/readyz');
      if (r.status === 200) return child.pid!;
    } catch { /* not listening yet */ }
    await sleep(200);
  }
  throw new Error(`tessera not ready after 60 s; log: ${logFile}`);
}

// ---- CPU accounting: where the machine's time went during a phase -----------------------------
const TICK_MS = 10; // USER_HZ = 100 on Linux
function procCpuMs(pid: number): number {
  try {
    const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS; // utime, stime
  } catch { return 0; }
}
function ppidOf(pid: number): number {
  try { const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); return Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]); } catch { return -1; }
}
function postgresPids(): number[] {
  const dir = process.env.BENCH_PG_DIR;
  if (!dir) return [];
  let master: number;
  try { master = Number(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]); } catch { return []; }
  const pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((p) => ppidOf(p) === master);
  return [master, ...pids];
}
/** A process's CPU by thread kind: MainThread (JS), libuv-worker (thread pool: argon2), V8Worker (GC, JIT). */
function threadCpuMs(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  try {
    for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
      let name = 'other';
      try { name = fs.readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim(); } catch { continue; }
      const st = fs.readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      out[name] = (out[name] ?? 0) + (Number(f[11]) + Number(f[12])) * TICK_MS;
    }
  } catch { /* exited */ }
  return out;
}
interface CpuSnap { server: number; threads: Record<string, number>; pg: number; bench: number; busy: number; wall: number }
function cpuSnap(serverPid?: number): CpuSnap {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  const u = process.cpuUsage();
  return {
    server: serverPid ? procCpuMs(serverPid) : 0,
    threads: serverPid ? threadCpuMs(serverPid) : {},
    pg: postgresPids().reduce((a, p) => a + procCpuMs(p), 0),
    bench: (u.user + u.system) / 1000,
    busy: (total - cpu[3] - cpu[4]) * TICK_MS, // all but idle and iowait, all cores
    wall: performance.now(),
  };
}
function cpuDelta(a: CpuSnap, b: CpuSnap) {
  const thread = (k: string) => (b.threads[k] ?? 0) - (a.threads[k] ?? 0);
  const d = { main: thread('MainThread'), pool: thread('libuv-worker'), v8: thread('V8Worker'), server: b.server - a.server, pg: b.pg - a.pg, bench: b.bench - a.bench, busy: b.busy - a.busy, wall: b.wall - a.wall };
  return { ...d, other: Math.max(0, d.busy - d.server - d.pg - d.bench), capacity: d.wall * cores };
}

// ---- 3. HTTP logins ----------------------------------------------------------------------------
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS * 2 });

interface Res { status: number; headers: http.IncomingHttpHeaders; body: string }

function request(method: string, port: number, urlPath: string, headers: Record<string, string> = {}, body?: string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, headers, agent, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (body !== undefined) req.end(body); else req.end();
  });
}

function cookieValue(res: Res, name: string): string | undefined {
  for (const c of res.headers['set-cookie'] ?? []) {
    const [pair] = c.split(';');
    const i = pair.indexOf('=');
    if (pair.slice(0, i).trim() === name) return pair.slice(i + 1).trim();
  }
  return undefined;
}

/** One full login as a new browser would do it: GET /login, then POST the form. */
async function login(port: number): Promise<{ ok: boolean; why?: string }> {
  const page = await request('GET', port, '/login');
  const csrfCookie = cookieValue(page, CSRF_COOKIE);
  const csrfField = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (page.status !== 200 || !csrfCookie || !csrfField) return { ok: false, why: `GET /login ${page.status}, csrf cookie ${Boolean(csrfCookie)}, field ${Boolean(csrfField)}` };
  const form = new URLSearchParams({ username: USERNAME, password: PASSWORD, _csrf: csrfField.replace(/&amp;/g, '&') }).toString();
  const r = await request('POST', port, '/login', {
    'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(form)), cookie: `${CSRF_COOKIE}=${csrfCookie}`,
  }, form);
  if (r.status === 303 && r.headers.location === '/' && cookieValue(r, SESSION_COOKIE)) return { ok: true };
  return { ok: false, why: `POST /login ${r.status} ${r.headers.location ?? ''}` };
}

async function loadPhase(port: number, pid: number) {
  let ok = 0, failed = 0;
  const errors = new Map<string, number>();
  const latencies: number[] = [];
  let peakRss = rssKib(pid).rss;
  const cpu0 = cpuSnap(pid);
  const sampler = setInterval(() => { try { peakRss = Math.max(peakRss, rssKib(pid).rss); } catch { /* exited */ } }, 50);
  const start = performance.now();
  const end = start + LOAD_SECONDS * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      let r: { ok: boolean; why?: string };
      try { r = await login(port); } catch (e) { r = { ok: false, why: (e as Error).message }; }
      if (r.ok) { ok++; latencies.push(performance.now() - t0); } else { failed++; errors.set(r.why!, (errors.get(r.why!) ?? 0) + 1); }
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuDelta(cpu0, cpuSnap(pid));
  clearInterval(sampler);
  peakRss = Math.max(peakRss, rssKib(pid).rss);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN;
  return { ok, failed, errors, seconds, cpu, rate: ok / seconds, peakRss, p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) };
}

// ---- run -------------------------------------------------------------------------------------
async function main(): Promise<number> {
  const config = loadConfig({ ...process.env, NODE_ENV: undefined });
  const a2 = config.argon2;
  console.log(`machine: ${cores} cores, ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
  console.log(`argon2id m=${a2.memoryCost} KiB, t=${a2.timeCost}, p=${a2.parallelism}: measuring the verify ceiling (${cores} concurrent, ${ARGON2_SECONDS} s)…`);
  const ceiling = await argon2Ceiling(a2);

  const databaseUrl = await freshDatabase();
  const port = await freePort();
  console.log(`starting Tessera on 127.0.0.1:${port} (PostgreSQL, captcha off)…`);
  const pid = await startTessera(databaseUrl, port);
  await sleep(2000); // let start-up settle
  const idle = rssKib(pid).rss;

  // Warm-up (JIT, pool connections), not counted.
  for (let i = 0; i < 3; i++) { const w = await login(port); if (!w.ok) throw new Error(`warm-up login failed: ${w.why}; log: ${logFile}`); }

  console.log(`logging in with ${CLIENTS} concurrent clients for ${LOAD_SECONDS} s…`);
  const load = await loadPhase(port, pid);
  await sleep(1000);
  const after = rssKib(pid);

  stopChild();
  await new Promise<void>((r) => { if (!child || child.exitCode !== null) r(); else { child.once('exit', () => r()); setTimeout(r, 10_000).unref(); } });
  agent.destroy();

  const ratio = load.rate / ceiling;
  const perLogin = (ms: number) => (ms / Math.max(1, load.ok)).toFixed(2);
  const pctOf = (a: number, b: number) => `${(100 * a / b).toFixed(0)}%`;
  const rows: [string, string, string, string][] = [
    ['argon2id verify ceiling', `${ceiling.toFixed(1)} /s`, '', ''],
    ['HTTP logins (GET+POST)', `${load.rate.toFixed(1)} /s`, '', ''],
    ['ratio to ceiling', ratio.toFixed(3), `≥ ${GOALS.ratio}`, ratio >= GOALS.ratio ? 'met' : 'MISSED'],
    ['RSS idle', `${mb(idle).toFixed(0)} MB`, `≤ ${GOALS.rssIdleMb} MB`, mb(idle) <= GOALS.rssIdleMb ? 'met' : 'MISSED'],
    ['RSS peak under load', `${mb(load.peakRss).toFixed(0)} MB`, `≤ ${GOALS.rssPeakMb} MB`, mb(load.peakRss) <= GOALS.rssPeakMb ? 'met' : 'MISSED'],
    ['RSS after load', `${mb(after.rss).toFixed(0)} MB`, '', ''],
    ['login latency p50/p95/p99', `${load.p50.toFixed(0)}/${load.p95.toFixed(0)}/${load.p99.toFixed(0)} ms`, '', ''],
    ['CPU per login: Tessera', `${perLogin(load.cpu.server)} ms`, '', `argon2 ≈ ${(1000 * cores / ceiling).toFixed(1)} ms of it`],
    ['  main thread (JS, I/O)', `${perLogin(load.cpu.main)} ms`, '', ''],
    ['  thread pool (argon2)', `${perLogin(load.cpu.pool)} ms`, '', ''],
    ['  V8 workers (GC, JIT)', `${perLogin(load.cpu.v8)} ms`, '', ''],
    ['CPU per login: PostgreSQL', `${perLogin(load.cpu.pg)} ms`, '', ''],
    ['CPU per login: load generator', `${perLogin(load.cpu.bench)} ms`, '', ''],
    ['CPU per login: other processes', `${perLogin(load.cpu.other)} ms`, '', `${pctOf(load.cpu.other, load.cpu.capacity)} of the machine`],
    ['CPU busy during load', pctOf(load.cpu.busy, load.cpu.capacity), '', `other processes during argon2: ${(100 * argonOtherShare).toFixed(0)}%`],
    ['logins ok / failed', `${load.ok} / ${load.failed}`, '0 failed', load.failed === 0 ? 'met' : 'MISSED'],
  ];
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), ['measure', 'value', 'goal', ''][i].length));
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(w[i])).join(' | ') + ' |';
  console.log('');
  console.log(line(['measure', 'value', 'goal', '']));
  console.log('|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
  for (const [why, n] of load.errors) console.log(`  failure ×${n}: ${why}`);
  const ok = load.failed === 0;
  // The server's log is kept only when something failed.
  if (ok) fs.rmSync(logFile, { force: true });
  console.log(`\n(${CLIENTS} clients, ${load.seconds.toFixed(1)} s${ok ? '' : `; Tessera log: ${logFile}`})`);
  return ok ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  stopChild();
  process.exit(1);
});
