// OIDC benchmark (run through bench/oidc/run.sh, which starts a throw-away PostgreSQL — with
// pg_stat_statements loaded — and passes its admin URL as BENCH_PG_URL):
//   1. a fresh database, migrated and bootstrapped by Tessera's own code (createDeps, bootstrap);
//      a user holding a role in system csm; csm's client (code + refresh, client_secret_basic) and
//      a machine client of system bms (client_credentials, client_secret_basic), both through
//      upsertClient (src/sso/clients.ts);
//   2. Tessera as a child process (`node dist/cli.js serve`, captcha off) and the ceiling
//      (ceiling.ts: oidc-provider with its in-memory adapter, configured alike) as another;
//   3. per target, refresh chains started by real authorization code + PKCE sign-ins through the
//      provider's pages (Tessera: its login form, argon2 and all, and the consent page once), then
//      the code exchange; signed in before each cell, enough that no chain is refreshed more than
//      BENCH_CHAIN_LENGTH times (48: a 12 h refresh family of 15-minute access tokens);
//   4. cells of BENCH_SECONDS at each concurrency, Tessera and the ceiling one after the other:
//      refresh-token grants (each rotates; the chain goes on with the new token), userinfo
//      (GET /me with the chain's latest access token), client-credentials grants, and the JWKS as a
//      reference without database; every answer checked (200 and the token or claims present);
//      an ID-token signature checked against the JWKS once per cell;
//   5. a table: grants/s, per vCPU, ratio to the ceiling, latency, CPU per grant by process,
//      SQL statements per grant (pg_stat_statements), RSS and errors.
// Everything on 127.0.0.1; every loop is bounded; both children are stopped at the end and on failure.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import pg from 'pg';
import { loadConfig } from '../../src/config.ts';
import { createDeps } from '../../src/server.ts';
import { bootstrapCentralAuthority } from '../../src/accounts/bootstrap.ts';
import { insertAccount, setPassword } from '../../src/accounts/store.ts';
import { upsertClient } from '../../src/sso/clients.ts';
import { accountClaims } from '../../src/sso/claims.ts';
import { TTL } from '../../src/sso/provider.ts';
import type { CeilingSpec } from './ceiling.ts';
import { cores, rssKib } from './cpu.ts';
import { keepAliveAgent, request } from './http.ts';
import { clientCredentials, codeLogin, discover, jwks, refresh, userinfo, verifyIdToken, type Chain, type Client, type Outcome, type Target } from './flows.ts';
import { runCell, type CellResult } from './load.ts';

const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,8,32').split(',').map(Number);
const GRANTS = (process.env.BENCH_GRANTS ?? 'refresh,userinfo,client_credentials,jwks').split(',') as Grant[];
const CELL_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CELL_MAX = Number(process.env.BENCH_CELL_REQUESTS ?? 200_000);
const HARD_LIMIT_MS = Number(process.env.BENCH_HARD_LIMIT_S ?? 420) * 1000;
/** Refreshes per chain before a virtual client moves to a fresh one: 12 h refresh family ÷ 15 min access tokens. */
const CHAIN_LENGTH = Number(process.env.BENCH_CHAIN_LENGTH ?? 48);
const LOGIN_PARALLEL = 4;
const GOALS = { refreshPerVcpu: 1000, clientCredentialsPerVcpu: 1500 };
const SECRET_HEX = '22'.repeat(32);
const ADMIN = { username: 'benchcentral', password: 'Bench-Oidc-Central-2026' };
const USER = { username: 'benchoidc01', password: 'Bench-Oidc-User-2026' };
const UNIT = '2.16.886.101.90027.20002.20011';
const SYSTEM = 'csm', ROLE = 'csm_user', MACHINE_SYSTEM = 'bms';
const DB_NAME = 'tessera_oidc_bench';

const adminUrl = process.env.BENCH_PG_URL;
if (!adminUrl) {
  console.error('BENCH_PG_URL is not set: run `npm run bench:oidc` (bench/oidc/run.sh)');
  process.exit(2);
}
const pgDir = process.env.BENCH_PG_DIR;
const statements = process.env.BENCH_PG_STATEMENTS !== 'off';
const root = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
const logFiles: string[] = [];

const hardStop = setTimeout(() => { console.error(`bench: still running after ${HARD_LIMIT_MS / 1000} s; stopping`); stopChildren(); process.exit(1); }, HARD_LIMIT_MS);
hardStop.unref();
function stopChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
}
process.on('exit', stopChildren);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (s: string) => process.stdout.write(s + '\n');
const mb = (kib: number) => (kib / 1024).toFixed(0);

function dbUrl(name: string): string {
  const u = new URL(adminUrl!);
  u.pathname = '/' + name;
  return u.toString();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

// ---- 1. database and setup data ----------------------------------------------------------------
interface Setup { client: Client; machine: Client; claims: Record<string, unknown> & { sub: string } }

async function setUp(port: number): Promise<Setup> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME}`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const config = loadConfig({ DATABASE_URL: dbUrl(DB_NAME), TESSERA_SECRET_KEY: SECRET_HEX, TESSERA_CAPTCHA: 'off', LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1' });
  const deps = await createDeps(config, { poolSize: 2 });
  try {
    await bootstrapCentralAuthority(deps, ADMIN);
    const now = deps.clock.now();
    const id = await insertAccount(deps.db, deps.keyring, now, {
      username: USER.username, unitOid: UNIT, state: 'enabled',
      profile: {
        name: '王小明', nationalId: null, birthMonth: null, birthDay: null, email: 'bench.oidc@example.gov.tw', mobile: '0912345678',
        title: null, department: null, address: null, officePhone: null, officeExt: null, fax: null, staffCode: null, postalCode: null,
      },
    });
    await setPassword(deps.db, id, await deps.hasher.hash(USER.password), now, 'password', false, null);
    await deps.db.insertInto('role_grants').values({ account_id: id, role_code: ROLE, granted_by: null, granted_at: now }).execute();
    const redirectUri = 'http://127.0.0.1/bench-oidc/cb'; // never fetched: the code is read from the redirect
    const [rp, machine] = await deps.db.transaction().execute(async (trx) => [
      await upsertClient(trx, deps, { systemCode: SYSTEM, authMethod: 'client_secret_basic', grantTypes: ['authorization_code', 'refresh_token'], redirectUris: [redirectUri] }),
      await upsertClient(trx, deps, { systemCode: MACHINE_SYSTEM, authMethod: 'client_secret_basic', grantTypes: ['client_credentials'] }),
    ]);
    if (!rp.ok || !rp.secret || !machine.ok || !machine.secret) throw new Error(`client registration refused: ${JSON.stringify([rp, machine])}`);
    const claims = await accountClaims(deps.db, id, SYSTEM);
    if (!claims) throw new Error('the bench user has no claims');
    return {
      client: { id: SYSTEM, secret: rp.secret, redirectUri },
      machine: { id: MACHINE_SYSTEM, secret: machine.secret, redirectUri: '' },
      claims,
    };
  } finally {
    await deps.db.destroy();
  }
}

// ---- 2. the two servers ----------------------------------------------------------------------------
function spawnLogged(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const logFile = path.join(os.tmpdir(), `bench-oidc-${name}-${process.pid}.log`);
  logFiles.push(logFile);
  const out = fs.openSync(logFile, 'w');
  const c = spawn(path.join(root, 'node_modules/.bin/node'), args, { cwd: root, env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  children.push(c);
  return c;
}

async function waitFor(name: string, c: ChildProcess, url: URL): Promise<void> {
  const agent = keepAliveAgent(1);
  const deadline = Date.now() + 60_000;
  try {
    while (Date.now() < deadline) {
      if (c.exitCode !== null) throw new Error(`${name} exited with code ${c.exitCode}; log: ${logFiles.at(-1)}`);
      try { if ((await request(agent, url, 'GET')).status === 200) return; } catch { /* not listening yet */ }
      await sleep(200);
    }
    throw new Error(`${name} not ready after 60 s`);
  } finally { agent.destroy(); }
}

const baseEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME, LANG: process.env.LANG });
const profileArgs = (name: string) => process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`, `--cpu-prof-name=${name}.cpuprofile`] : [];

/** The server's database URL: loopback TCP, or with BENCH_PG_UNIX=1 the server's Unix-domain socket (pg.sh puts it in the data directory). */
function serverDbUrl(): string {
  if (process.env.BENCH_PG_UNIX !== '1' || !pgDir) return dbUrl(DB_NAME);
  const u = new URL(dbUrl(DB_NAME));
  u.searchParams.set('host', pgDir);
  return u.toString();
}

async function startTessera(port: number): Promise<number> {
  // BENCH_TESSERA_BUNDLE: another build of the server (e.g. a proposed change) in the same harness.
  // As `npm start` runs it (package.json): V8's young generation capped; BENCH_SEMI_SPACE=default lifts it.
  const semiSpace = process.env.BENCH_SEMI_SPACE === 'default' ? [] : ['--max-semi-space-size=4'];
  const c = spawnLogged('tessera', [...profileArgs('tessera'), ...semiSpace, process.env.BENCH_TESSERA_BUNDLE ?? 'dist/cli.js', 'serve'], {
    ...baseEnv(), DATABASE_URL: serverDbUrl(), HOST: '127.0.0.1', PORT: String(port), TESSERA_BASE_URL: `http://127.0.0.1:${port}`,
    TESSERA_CAPTCHA: 'off', TESSERA_SECRET_KEY: SECRET_HEX,
    TESSERA_BOOTSTRAP_USERNAME: ADMIN.username, TESSERA_BOOTSTRAP_PASSWORD: ADMIN.password,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  });
  await waitFor('tessera', c, new URL(`http://127.0.0.1:${port}/readyz`));
  return c.pid!;
}

async function startCeiling(port: number, spec: CeilingSpec): Promise<number> {
  const c = spawnLogged('ceiling', [...profileArgs('ceiling'), '--import', 'tsx', 'bench/oidc/ceiling.ts'], { ...baseEnv(), PORT: String(port), BENCH_CEILING: JSON.stringify(spec) });
  await waitFor('ceiling', c, new URL(`http://127.0.0.1:${port}/.well-known/openid-configuration`));
  return c.pid!;
}

// ---- 3. SQL statements per grant (pg_stat_statements on the Tessera database) -------------------
class Statements {
  private constructor(private readonly c: pg.Client) {}

  static async open(): Promise<Statements | undefined> {
    if (!statements) return undefined;
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return new Statements(c);
  }

  async reset(): Promise<void> { await this.c.query('SELECT pg_stat_statements_reset()'); }

  /** Statements executed on the bench database since the reset: total calls and the busiest ones. */
  async read(): Promise<{ calls: number; top: { calls: number; ms: number; query: string }[] }> {
    const r = await this.c.query<{ calls: string; ms: number; query: string }>(`
      SELECT s.calls, s.total_exec_time AS ms, s.query FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE d.datname = $1 ORDER BY s.calls DESC`, [DB_NAME]);
    const rows = r.rows.map((x) => ({ calls: Number(x.calls), ms: Number(x.ms), query: x.query.replace(/\s+/g, ' ') }));
    return { calls: rows.reduce((a, x) => a + x.calls, 0), top: rows.slice(0, 8) };
  }

  close(): Promise<void> { return this.c.end(); }
}

// ---- 4. cells ------------------------------------------------------------------------------------
type Grant = 'refresh' | 'userinfo' | 'client_credentials' | 'jwks';
interface Side {
  target: Target; pid: number; client: Client; machine: Client; idleRssKib: number;
  /** The chain each virtual client is on, and signed-in chains not used yet. */
  chains: (Chain | undefined)[]; pool: Chain[];
  logins: number; loginSeconds: number; dead: number; overLength: number;
  /** Refresh rates measured so far (warm-up, then each cell), by concurrency: the pool's size follows them. */
  rates: Map<number, number>;
}
interface Cell { grant: Grant; concurrency: number; tessera: CellResult; ceiling: CellResult; sql?: Awaited<ReturnType<Statements['read']>> }

/** Signs in `n` new chains, LOGIN_PARALLEL at a time, into the side's pool. */
async function signIn(s: Side, n: number): Promise<void> {
  const t0 = performance.now();
  let left = n;
  await Promise.all(Array.from({ length: Math.min(LOGIN_PARALLEL, n) }, async () => {
    while (left > 0) { left--; s.pool.push(await codeLogin(s.target, s.client, USER)); s.logins++; }
  }));
  s.loginSeconds += (performance.now() - t0) / 1000;
}

/**
 * Before a refresh cell: enough fresh chains that no chain needs more than CHAIN_LENGTH refreshes,
 * from the rate measured at the nearest lower concurrency (scaled by the concurrency's growth, at
 * most 4×), with half as much again to spare. Sign-ins happen here, never inside a measured cell.
 */
async function fillPool(s: Side, concurrency: number): Promise<void> {
  const lower = [...s.rates.keys()].filter((c) => c <= concurrency);
  const nearest = Math.max(...lower);
  const expected = s.rates.get(nearest)! * (nearest < concurrency ? Math.min(concurrency / nearest, 4) : 1) * 1.5 * CELL_SECONDS;
  const mine = slots(s, concurrency);
  const held = mine.reduce((a, c) => a + (c?.alive ? Math.max(0, CHAIN_LENGTH - c.uses) : 0), 0);
  const missing = Math.ceil(Math.max(0, expected - held - s.pool.length * CHAIN_LENGTH) / CHAIN_LENGTH);
  if (missing > 0) await signIn(s, missing);
}

/** The chains of the first n virtual clients (undefined: none yet, or lost). */
const slots = (s: Side, n: number) => Array.from({ length: n }, (_, i) => s.chains[i]);

/** The chain of virtual client `vc`: the next fresh one when its own is dead or long enough. */
function chainOf(s: Side, vc: number): Chain | undefined {
  const c = s.chains[vc];
  if (c?.alive && c.uses < CHAIN_LENGTH) return c;
  if (c && !c.alive) s.dead++;
  const next = s.pool.pop();
  if (next) return (s.chains[vc] = next);
  if (c?.alive) { s.overLength++; return c; } // the pool ran dry: go on with the long chain
  s.chains[vc] = undefined;
  return undefined;
}

function opFor(grant: Grant, s: Side, idTokens: string[]): (vc: number) => Promise<Outcome> | undefined {
  if (grant === 'client_credentials') return () => clientCredentials(s.target, s.machine);
  if (grant === 'jwks') return () => jwks(s.target);
  if (grant === 'userinfo') return (vc) => { const c = chainOf(s, vc); return c ? userinfo(s.target, c, ROLE) : undefined; };
  return (vc) => { const c = chainOf(s, vc); return c ? refresh(s.target, s.client, c, idTokens.length ? undefined : (t) => idTokens.push(t)) : undefined; };
}

async function cell(grant: Grant, concurrency: number, tessera: Side, ceiling: Side, stats: Statements | undefined): Promise<Cell> {
  const results: CellResult[] = [];
  let sql: Cell['sql'];
  for (const s of [tessera, ceiling]) {
    if (grant === 'refresh') await fillPool(s, concurrency);
    else if (grant === 'userinfo') {
      const missing = slots(s, concurrency).filter((c) => !c?.alive).length;
      if (missing > s.pool.length) await signIn(s, missing - s.pool.length);
    }
    const idTokens: string[] = [];
    if (s === tessera) await stats?.reset();
    const r = await runCell({ concurrency, seconds: CELL_SECONDS, maxOps: CELL_MAX, serverPid: s.pid, pgDir: s === tessera ? pgDir : undefined, op: opFor(grant, s, idTokens) });
    results.push(r);
    if (grant === 'refresh') s.rates.set(concurrency, Math.max(r.rate, s.rates.get(concurrency) ?? 0));
    if (s === tessera && stats) sql = await stats.read();
    if (idTokens[0]) await verifyIdToken(s.target, idTokens[0]);
    await sleep(500);
  }
  return { grant, concurrency, tessera: results[0], ceiling: results[1], sql };
}

// ---- 5. report -----------------------------------------------------------------------------------
function table(head: string[], rows: string[][]): void {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(w[i])).join(' | ') + ' |';
  say(line(head));
  say('|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|');
  for (const r of rows) say(line(r));
}

const LABEL: Record<Grant, string> = { refresh: 'refresh_token', client_credentials: 'client_credentials', userinfo: 'userinfo', jwks: 'jwks (reference)' };

function es256SignsPerSecond(): number {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.alloc(600, 1); // about an ID token's header and payload
  let n = 0;
  const end = performance.now() + 1000;
  while (performance.now() < end) { for (let i = 0; i < 100; i++) crypto.sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' }); n += 100; }
  return n;
}

function report(cells: Cell[], tessera: Side, ceiling: Side, es256: number): boolean {
  const f0 = (x: number) => x.toFixed(0), f2 = (x: number) => x.toFixed(2);
  say('');
  say(`Throughput (${CELL_SECONDS} s per cell; per vCPU = rate / ${cores}, the load generator and PostgreSQL share the same ${cores} vCPUs):`);
  table(['grant', 'clients', 'Tessera /s', 'per vCPU', 'ceiling /s', 'per vCPU', 'Tessera/ceiling', 'Tessera p50/p95 ms', 'ceiling p50/p95 ms', 'errors T/C'],
    cells.map((c) => [LABEL[c.grant], String(c.concurrency), f0(c.tessera.rate), f0(c.tessera.rate / cores), f0(c.ceiling.rate), f0(c.ceiling.rate / cores),
      f2(c.tessera.rate / c.ceiling.rate), `${c.tessera.p50.toFixed(1)}/${c.tessera.p95.toFixed(1)}`, `${c.ceiling.p50.toFixed(1)}/${c.ceiling.p95.toFixed(1)}`,
      `${c.tessera.failed}/${c.ceiling.failed}`]));
  say('');
  say('CPU per grant (ms, from /proc) and SQL per grant (pg_stat_statements, BEGIN/COMMIT included):');
  const per = (ms: number, r: CellResult) => (ms / Math.max(1, r.ok)).toFixed(2);
  const pct = (part: number, whole: number) => `${f0(100 * part / whole)}%`;
  table(['grant', 'clients', 'Tessera server', 'PostgreSQL', 'load gen', 'other', 'machine busy', 'main thread', 'SQL/grant', 'ceiling server', 'load gen', 'other', 'machine busy', 'main thread'],
    cells.map((c) => [LABEL[c.grant], String(c.concurrency), per(c.tessera.cpu.server, c.tessera), per(c.tessera.cpu.pg, c.tessera), per(c.tessera.cpu.bench, c.tessera),
      per(c.tessera.cpu.other, c.tessera), pct(c.tessera.cpu.busy, c.tessera.cpu.capacity), pct(c.tessera.cpu.main, c.tessera.cpu.wall),
      c.sql ? (c.sql.calls / Math.max(1, c.tessera.ok)).toFixed(1) : '–',
      per(c.ceiling.cpu.server, c.ceiling), per(c.ceiling.cpu.bench, c.ceiling), per(c.ceiling.cpu.other, c.ceiling),
      pct(c.ceiling.cpu.busy, c.ceiling.cpu.capacity), pct(c.ceiling.cpu.main, c.ceiling.cpu.wall)]));
  say('(main thread: the server\'s JavaScript thread as a share of one vCPU — near 100% it is the limit, whatever the other vCPU does)');

  for (const g of ['refresh', 'userinfo', 'client_credentials'] as Grant[]) {
    const c = cells.filter((x) => x.grant === g && x.sql).at(-1);
    if (!c?.sql) continue;
    say('');
    say(`SQL of one ${LABEL[g]} (cell at ${c.concurrency} clients; calls per grant, mean ms):`);
    for (const s of c.sql.top) say(`  ${(s.calls / Math.max(1, c.tessera.ok)).toFixed(2).padStart(5)} × ${(s.ms / Math.max(1, s.calls)).toFixed(3)} ms  ${s.query.slice(0, 150)}`);
  }

  const best = (g: Grant, side: 'tessera' | 'ceiling') => Math.max(...cells.filter((c) => c.grant === g).map((c) => c[side].rate));
  const bestCell = (g: Grant) => cells.filter((c) => c.grant === g).reduce((a, b) => (b.tessera.rate > a.tessera.rate ? b : a));
  /** Grants per second one vCPU would give if it ran only the server (and PostgreSQL), from the best cell's CPU per grant. */
  const bound = (g: Grant, withPg: boolean) => { const c = bestCell(g); return 1000 * Math.max(1, c.tessera.ok) / (c.tessera.cpu.server + (withPg ? c.tessera.cpu.pg : 0)); };
  const rows: string[][] = [];
  const goal = (label: string, g: Grant, target?: number) => {
    if (!cells.some((c) => c.grant === g)) return;
    const t = best(g, 'tessera') / cores, cl = best(g, 'ceiling') / cores;
    const met = (x: number) => target ? (x >= target ? 'met' : 'missed') : '';
    rows.push([label, `${f0(t)} ${met(t)}`, f0(cl), f2(t / cl), `${f0(bound(g, true))} ${met(bound(g, true))}`, `${f0(bound(g, false))} ${met(bound(g, false))}`, target ? `≥ ${target}` : '']);
  };
  goal('refresh_token', 'refresh', GOALS.refreshPerVcpu);
  goal('client_credentials', 'client_credentials', GOALS.clientCredentialsPerVcpu);
  goal('userinfo', 'userinfo');
  goal('jwks (reference)', 'jwks');
  say('');
  say('Best cell per grant, per vCPU: measured rate / vCPUs (shared with PostgreSQL and the load generator), and what one vCPU');
  say('would give running only Tessera and PostgreSQL, or only Tessera (CPU per grant of the best cell; instances are stateless):');
  table(['grant', 'Tessera /s/vCPU', 'ceiling /s/vCPU', 'ratio', 'Tessera+PG CPU bound', 'Tessera CPU bound', 'goal'], rows);

  const peak = (s: 'tessera' | 'ceiling') => Math.max(...cells.map((c) => c[s].peakRssKib));
  say('');
  say(`RSS: Tessera idle ${mb(tessera.idleRssKib)} MB, peak ${mb(peak('tessera'))} MB, now ${mb(rssKib(tessera.pid))} MB; ceiling idle ${mb(ceiling.idleRssKib)} MB, peak ${mb(peak('ceiling'))} MB`);
  const chains = (s: Side) => `${s.logins} in ${s.loginSeconds.toFixed(1)} s, ${s.dead} replaced after a failed grant, ${s.overLength} refreshes beyond ${CHAIN_LENGTH} (pool dry)`;
  say(`Refresh chains (authorization code + PKCE sign-ins through the pages, outside the cells): Tessera ${chains(tessera)}; ceiling ${chains(ceiling)}`);
  say(`ES256 signature on one core in this process: ${es256.toLocaleString('en')}/s (${(1000 / es256).toFixed(3)} ms); one per refresh (the ID token)`);
  let failed = 0;
  for (const c of cells) for (const [side, r] of [['Tessera', c.tessera], ['ceiling', c.ceiling]] as const) {
    for (const [why, n] of r.errors) { failed += n; say(`  failure ×${n} (${side}, ${LABEL[c.grant]}, ${c.concurrency} clients): ${why}`); }
  }
  return failed === 0;
}

// ---- run -----------------------------------------------------------------------------------------
async function main(): Promise<number> {
  say(`machine: ${cores} vCPUs, ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const es256 = es256SignsPerSecond();
  const [tPort, cPort] = [await freePort(), await freePort()];
  say('setting up the database (migrations, bootstrap, the user, two clients)…');
  const setup = await setUp(tPort);
  say(`starting Tessera on 127.0.0.1:${tPort} and the in-memory ceiling on 127.0.0.1:${cPort}…`);
  const tPid = await startTessera(tPort);
  const cPid = await startCeiling(cPort, {
    ttl: { ...TTL },
    clients: [
      { client_id: setup.client.id, client_secret: setup.client.secret, grant_types: ['authorization_code', 'refresh_token'], redirect_uris: [setup.client.redirectUri] },
      { client_id: setup.machine.id, client_secret: setup.machine.secret, grant_types: ['client_credentials'], redirect_uris: [] },
    ],
    account: setup.claims,
  });
  const maxC = Math.max(...CONCURRENCY);
  const side = async (name: string, issuer: string, pid: number): Promise<Side> => ({
    target: await discover(name, issuer, keepAliveAgent(maxC + LOGIN_PARALLEL)), pid, client: setup.client, machine: setup.machine, idleRssKib: 0,
    chains: [], pool: [], logins: 0, loginSeconds: 0, dead: 0, overLength: 0, rates: new Map(),
  });
  const tessera = await side('Tessera', `http://127.0.0.1:${tPort}/oidc`, tPid);
  const ceiling = await side('ceiling', `http://127.0.0.1:${cPort}`, cPid);

  // Warm-up (JIT, pool connections, the provider's key check), not counted; its refresh rate sizes the first pool.
  for (const s of [tessera, ceiling]) {
    await signIn(s, 1);
    const chain = s.pool.pop()!;
    const WARM = 40;
    let refreshMs = 0;
    for (let i = 0; i < WARM; i++) {
      const t0 = performance.now();
      const r = await refresh(s.target, s.client, chain);
      refreshMs += performance.now() - t0;
      for (const x of [r, await userinfo(s.target, chain, ROLE), await clientCredentials(s.target, s.machine)]) {
        if (!x.ok) throw new Error(`${s.target.name} warm-up failed: ${x.why}`);
      }
    }
    s.rates.set(1, 2 * 1000 / (refreshMs / WARM)); // doubled: the warm-up runs on a cold JIT
  }
  await sleep(1000);
  tessera.idleRssKib = rssKib(tPid);
  ceiling.idleRssKib = rssKib(cPid);

  const stats = await Statements.open();
  const cells: Cell[] = [];
  for (const grant of GRANTS) {
    if (!(grant in LABEL)) throw new Error(`BENCH_GRANTS: unknown grant ${grant}`);
    for (const c of CONCURRENCY) {
      process.stdout.write(`${LABEL[grant]} at ${c} clients… `);
      const x = await cell(grant, c, tessera, ceiling, stats);
      say(`Tessera ${x.tessera.rate.toFixed(0)}/s, ceiling ${x.ceiling.rate.toFixed(0)}/s${x.tessera.failed + x.ceiling.failed ? `, ${x.tessera.failed}+${x.ceiling.failed} failed` : ''}`);
      cells.push(x);
    }
  }
  await stats?.close();
  const ok = report(cells, tessera, ceiling, es256);

  stopChildren();
  await Promise.all(children.map((c) => new Promise<void>((r) => { if (c.exitCode !== null || c.signalCode !== null) r(); else { c.once('exit', () => r()); setTimeout(r, 10_000).unref(); } })));
  tessera.target.agent.destroy();
  ceiling.target.agent.destroy();
  // The servers' logs are kept only when something failed.
  if (ok) for (const f of logFiles) fs.rmSync(f, { force: true });
  say(`\n(${CONCURRENCY.join(', ')} clients, ${CELL_SECONDS} s per cell${ok ? '' : `; logs: ${logFiles.join(', ')}`})`);
  return ok ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  console.error(`logs: ${logFiles.join(', ')}`);
  stopChildren();
  process.exit(1);
});
