// Admin-search benchmark (run through bench/admin-search/run.sh, which starts a throw-away
// PostgreSQL and passes its admin URL as BENCH_PG_URL):
//   1. a fresh database, migrated and bootstrapped by Tessera's own code (createDeps, bootstrap);
//   2. ~6,000 organisations under 2.16.886.101 and 1,000,000 accounts with realistic names and
//      valid national IDs, sealed and blind-indexed with the same Keyring and secret the server
//      uses; bulk loaded with multi-row INSERT … SELECT FROM unnest(…), secondary indexes built
//      after the load from the migrations' own definitions; VACUUM ANALYZE;
//   3. registration-administrator grants at a ministry, an agency and a unit (plus the central
//      authority) and an API token for each, through src/admin's services;
//   4. Tessera as a child process (`node dist/cli.js serve`); GET /api/v1/accounts with each
//      token at concurrency 1 and 4: keyword searches, national-ID search, jurisdiction paging;
//   5. EXPLAIN (ANALYZE, BUFFERS) of the exact SQL the search runs (captured from the same
//      searchAccounts code through a logging Kysely), and its count (capped at 1,000) timed against
//      the exact count as the baseline in the same run.
// Everything on 127.0.0.1; every loop bounded; the child is stopped at the end and on failure.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { createDeps } from '../../src/server.ts';
import type { Deps } from '../../src/platform/deps.ts';
import type { Database } from '../../src/db/types.ts';
import { bootstrapCentralAuthority } from '../../src/accounts/bootstrap.ts';
import { insertAccount, nationalIdIndex } from '../../src/accounts/store.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { createApiToken } from '../../src/access/tokens.ts';
import { searchAccounts, COUNT_CAP, type AccountFilters } from '../../src/admin/account-directory.ts';
import { loadActor } from '../../src/access/actor.ts';
import { normaliseUsername } from '../../src/accounts/username.ts';
import { isWithin } from '../../src/orgs/oid.ts';
import { rng, nameModel, drawName, drawNationalId, absentNationalId, orgTree, Weighted, ROOT, TITLES, type OrgNode } from './data.ts';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1_000_000);
const SEED = Number(process.env.BENCH_SEED ?? 20261125);
const CELL_SECONDS = Number(process.env.BENCH_CELL_SECONDS ?? 4);
const CELL_MAX = Number(process.env.BENCH_CELL_REQUESTS ?? 400);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,4').split(',').map(Number);
const GOAL_P95_MS = 25;
const BATCH = 5000;
const SECRET_HEX = '11'.repeat(32);
const USERNAME = 'benchcentral';
const PASSWORD = 'Bench-Admin-Search-2026';
const DB_NAME = 'tessera_admin_search';
const HARD_LIMIT_MS = Number(process.env.BENCH_HARD_LIMIT_S ?? 1500) * 1000;

const adminUrl = process.env.BENCH_PG_URL;
if (!adminUrl) {
  console.error('BENCH_PG_URL is not set: run `npm run bench:admin-search` (bench/admin-search/run.sh)');
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, '../..');
const outDir = path.resolve(process.env.BENCH_OUT ?? path.join(root, 'tmp/bench-admin-search'));
fs.mkdirSync(outDir, { recursive: true });
let child: ChildProcess | undefined;
let logFile = '';

const hardStop = setTimeout(() => { console.error(`bench: still running after ${HARD_LIMIT_MS / 1000} s; stopping`); stopChild(); process.exit(1); }, HARD_LIMIT_MS);
hardStop.unref();
function stopChild(): void {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}
process.on('exit', stopChild);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (s: string) => process.stdout.write(s + '\n');

function dbUrl(name: string): string {
  const u = new URL(adminUrl!);
  u.pathname = '/' + name;
  return u.toString();
}

function bar(done: number, total: number, t0: number, width = 30): string {
  const ratio = total === 0 ? 1 : done / total;
  const filled = Math.round(ratio * width);
  const s = (performance.now() - t0) / 1000;
  const eta = ratio > 0 ? s / ratio - s : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')}  ${s.toFixed(0)} s, ~${eta.toFixed(0)} s left`;
}
/** A progress line: redrawn in place on a terminal, every 10% otherwise. */
function progress(label: string) {
  const t0 = performance.now();
  let lastTenth = -1;
  return {
    update(done: number, total: number) {
      if (process.stdout.isTTY) process.stdout.write(`\r${label} ${bar(done, total, t0)}`);
      else { const tenth = Math.floor((10 * done) / total); if (tenth !== lastTenth) { lastTenth = tenth; say(`${label} ${bar(done, total, t0)}`); } }
    },
    end() { if (process.stdout.isTTY) process.stdout.write('\n'); return (performance.now() - t0) / 1000; },
  };
}

// ---- 1. database, migrations, bootstrap -----------------------------------------------------------
async function freshDatabase(): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${DB_NAME}`);
  await c.query(`CREATE DATABASE ${DB_NAME}`);
  await c.end();
}

function serverEnv(port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH, HOME: process.env.HOME, LANG: process.env.LANG,
    DATABASE_URL: dbUrl(DB_NAME), HOST: '127.0.0.1', PORT: String(port),
    TESSERA_CAPTCHA: 'off', TESSERA_SECRET_KEY: SECRET_HEX,
    TESSERA_BOOTSTRAP_USERNAME: USERNAME, TESSERA_BOOTSTRAP_PASSWORD: PASSWORD,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  };
}

// ---- 2. data ---------------------------------------------------------------------------------------
interface Generated {
  nodes: OrgNode[];
  /** Accounts per node (own unit only) and per subtree. */
  own: Map<string, number>;
  subtree: Map<string, number>;
  /** For sampling national-ID searches: every live account's ID and unit. */
  ids: string[];
  idUnits: string[];
  taken: Set<string>;
  nameCharCounts: Map<string, number>;
  seconds: { orgs: number; accounts: number; indexes: number; vacuum: number };
}

const ACCOUNT_COLUMNS: [string, string][] = [
  ['username', 'text'], ['username_norm', 'text'], ['unit_oid', 'text'], ['state', 'text'], ['name', 'text'],
  ['national_id_enc', 'text'], ['national_id_hmac', 'text'], ['birth_month', 'int2'], ['birth_day', 'int2'],
  ['email', 'text'], ['mobile', 'text'], ['title', 'text'], ['department', 'text'], ['office_phone', 'text'],
  ['office_ext', 'text'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'], ['activated_at', 'timestamptz'],
  ['last_password_login_at', 'timestamptz'],
];
const INSERT_SQL = `INSERT INTO accounts (${ACCOUNT_COLUMNS.map((c) => c[0]).join(', ')})
  SELECT * FROM unnest(${ACCOUNT_COLUMNS.map((c, i) => `$${i + 1}::${c[1]}[]`).join(', ')})`;

async function generate(deps: Deps, pool: pg.Pool): Promise<Generated> {
  const r = rng(SEED);
  const nodes = orgTree(r);
  const t0 = performance.now();
  await pool.query(`INSERT INTO orgs (oid, parent_oid, name, kind) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
    [nodes.map((n) => n.oid), nodes.map((n) => n.parent), nodes.map((n) => n.name), nodes.map((n) => n.kind)]);
  const orgSeconds = (performance.now() - t0) / 1000;
  say(`organisations: ${nodes.length} under ${ROOT} (${nodes.filter((n) => n.level === 1).length} ministries, ${nodes.filter((n) => n.level === 2).length} agencies, ${nodes.filter((n) => n.level === 3).length} units, ${nodes.filter((n) => n.level === 4).length} sub-units)`);

  // Secondary indexes are built once after the load (much faster than maintaining a GIN index
  // row by row), from the definitions the migrations created; constraint indexes stay.
  const idx = (await pool.query<{ indexname: string; indexdef: string }>(`
    SELECT i.indexname, i.indexdef FROM pg_indexes i
    WHERE i.schemaname = 'public' AND i.tablename = 'accounts'
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`)).rows;
  for (const i of idx) await pool.query(`DROP INDEX ${i.indexname}`);

  const unitPick = new Weighted(nodes.map((n) => n.oid), nodes.map((n) => n.weight));
  const model = nameModel();
  const own = new Map<string, number>();
  const taken = new Set<string>();
  const ids: string[] = [], idUnits: string[] = [];
  const nameCharCounts = new Map<string, number>();
  const now = Date.now();
  const DAY = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const bar1 = progress('accounts');
  const inflight: Promise<unknown>[] = [];
  let done = 0;
  // 2 batches in flight: PostgreSQL inserts one while this process seals the next.
  for (let start = 0; start < ACCOUNTS; start += BATCH) {
    const n = Math.min(BATCH, ACCOUNTS - start);
    const cols: (string | number | null)[][] = ACCOUNT_COLUMNS.map(() => new Array(n));
    for (let k = 0; k < n; k++) {
      const seq = start + k + 1;
      const unit = unitPick.pick(r);
      own.set(unit, (own.get(unit) ?? 0) + 1);
      const x = r();
      const state = x < 0.88 ? 'enabled' : x < 0.93 ? 'not_activated' : x < 0.98 ? 'disabled' : 'deleted';
      const username = `u${String(seq).padStart(7, '0')}`;
      const created = now - Math.floor(r() * 8 * 365 * DAY);
      const live = state !== 'deleted';
      const name = live ? drawName(model, r) : '已刪除帳號';
      const nid = live ? drawNationalId(r, taken) : null;
      if (nid) { ids.push(nid); idUnits.push(unit); }
      if (live) for (const ch of name) nameCharCounts.set(ch, (nameCharCounts.get(ch) ?? 0) + 1);
      const row = [
        username, normaliseUsername(username), unit, state, name,
        nid ? deps.keyring.encrypt(nid) : null, nid ? nationalIdIndex(deps.keyring, nid) : null,
        live ? 1 + Math.floor(r() * 12) : null, live ? 1 + Math.floor(r() * 28) : null,
        live ? `${username}@mail.example.gov.tw` : null, live ? `09${String(Math.floor(r() * 1e8)).padStart(8, '0')}` : null,
        live ? TITLES[Math.floor(r() * TITLES.length)] : null, null,
        live ? `02-2${String(Math.floor(r() * 1e7)).padStart(7, '0')}` : null, live && r() < 0.7 ? String(1000 + Math.floor(r() * 9000)) : null,
        iso(created), iso(created + Math.floor(r() * DAY * 30)),
        state === 'enabled' || state === 'disabled' ? iso(created + DAY) : null,
        state === 'enabled' && r() < 0.8 ? iso(now - Math.floor(r() * 90 * DAY)) : null,
      ];
      for (let c = 0; c < row.length; c++) cols[c][k] = row[c];
    }
    if (inflight.length >= 2) await inflight.shift();
    const p = pool.query(INSERT_SQL, cols).then(() => { done += n; bar1.update(done, ACCOUNTS); });
    p.catch(() => { /* awaited below */ });
    inflight.push(p);
  }
  await Promise.all(inflight);
  const accountSeconds = bar1.end();

  const t1 = performance.now();
  const c = await pool.connect();
  try {
    await c.query(`SET maintenance_work_mem = '1GB'`);
    await c.query(`SET max_parallel_maintenance_workers = 2`);
    for (const i of idx) { process.stdout.write(`index ${i.indexname}… `); const ti = performance.now(); await c.query(i.indexdef); say(`${((performance.now() - ti) / 1000).toFixed(1)} s`); }
  } finally { c.release(); }
  const indexSeconds = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  await pool.query('VACUUM (ANALYZE) accounts');
  await pool.query('VACUUM (ANALYZE) orgs');
  await pool.query('CHECKPOINT');
  const vacuumSeconds = (performance.now() - t2) / 1000;

  const subtree = new Map<string, number>();
  for (const [oid, k] of own) {
    let o = oid;
    for (;;) {
      subtree.set(o, (subtree.get(o) ?? 0) + k);
      if (o === ROOT) break;
      o = o.slice(0, o.lastIndexOf('.'));
    }
  }
  return { nodes, own, subtree, ids, idUnits, taken, nameCharCounts, seconds: { orgs: orgSeconds, accounts: accountSeconds, indexes: indexSeconds, vacuum: vacuumSeconds } };
}

// ---- 3. administrators, grants, tokens --------------------------------------------------------------
interface Admin { level: string; oid: string; size: number; username: string; token: string; accountId: number }

function closestTo<T>(items: T[], key: (t: T) => number, target: number): T {
  return items.reduce((best, t) => (Math.abs(key(t) - target) < Math.abs(key(best) - target) ? t : best));
}

async function createAdmins(deps: Deps, g: Generated): Promise<Admin[]> {
  const size = (oid: string) => g.subtree.get(oid) ?? 0;
  const ministries = g.nodes.filter((n) => n.level === 1);
  const ministry = ministries.reduce((a, b) => (size(b.oid) > size(a.oid) ? b : a));
  const agency = closestTo(g.nodes.filter((n) => n.level === 2), (n) => size(n.oid), 20_000);
  const unit = closestTo(g.nodes.filter((n) => n.level === 3), (n) => size(n.oid), 800);
  const picks: [string, string][] = [['ministry', ministry.oid], ['agency', agency.oid], ['unit', unit.oid]];
  const admins: Admin[] = [];
  const now = deps.clock.now();
  for (const [level, oid] of picks) {
    const username = `bench${level}admin`;
    const accountId = await insertAccount(deps.db, deps.keyring, now, {
      username, unitOid: oid, state: 'enabled',
      profile: { name: '測試管理者', nationalId: null, birthMonth: null, birthDay: null, email: null, mobile: null, title: null, department: null, address: null, officePhone: null, officeExt: null, fax: null, staffCode: null, postalCode: null },
    });
    await createGrant(deps, null, { accountId, kind: 'registration_admin', jurisdictionOid: oid, categories: ['*'] }, null);
    const t = await createApiToken(deps, username, { days: 1, label: 'bench:admin-search' });
    admins.push({ level, oid, size: size(oid), username, token: t.token, accountId });
  }
  const central = await deps.db.selectFrom('accounts').select('id').where('username_norm', '=', USERNAME).executeTakeFirstOrThrow();
  const t = await createApiToken(deps, USERNAME, { days: 1, label: 'bench:admin-search' });
  admins.push({ level: 'central', oid: '(all)', size: ACCOUNTS, username: USERNAME, token: t.token, accountId: central.id });
  return admins;
}

// ---- 4. Tessera and HTTP ------------------------------------------------------------------------------
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
interface Res { status: number; body: string }
function request(port: number, urlPath: string, headers: Record<string, string> = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method: 'GET', headers, agent, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function startTessera(port: number): Promise<void> {
  logFile = path.join(outDir, 'tessera.log');
  const out = fs.openSync(logFile, 'w');
  child = spawn(path.join(root, 'node_modules/.bin/node'), ['dist/cli.js', 'serve'], { cwd: root, env: serverEnv(port), stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tessera exited with code ${child.exitCode}; log: ${logFile}`);
    try { if ((await request(port, '/readyz')).status === 200) return; } catch { /* not yet */ }
    await sleep(200);
  }
  throw new Error(`tessera not ready after 60 s; log: ${logFile}`);
}

// ---- measurement ----------------------------------------------------------------------------------------
interface Stats { n: number; failed: number; p50: number; p95: number; p99: number; total: number | null; why?: string }
const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] : NaN);

/** Runs `next()` (a request returning its `total`) from `concurrency` loops for CELL_SECONDS or CELL_MAX calls. */
async function measure(concurrency: number, next: () => Promise<{ ok: boolean; total?: number; why?: string }>): Promise<Stats> {
  for (let i = 0; i < 2; i++) await next(); // warm-up: not counted
  const lat: number[] = [];
  let failed = 0, total: number | null = null, why: string | undefined;
  const end = performance.now() + CELL_SECONDS * 1000;
  let started = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end && started < CELL_MAX) {
      started++;
      const t0 = performance.now();
      let r: { ok: boolean; total?: number; why?: string };
      try { r = await next(); } catch (e) { r = { ok: false, why: (e as Error).message }; }
      const ms = performance.now() - t0;
      if (r.ok) { lat.push(ms); if (r.total !== undefined) total = Math.max(total ?? 0, r.total); } else { failed++; why = r.why; }
    }
  }));
  lat.sort((a, b) => a - b);
  return { n: lat.length, failed, p50: pct(lat, 0.5), p95: pct(lat, 0.95), p99: pct(lat, 0.99), total, why };
}

interface Case { name: string; kind: 'keyword' | 'nationalId' | 'paging'; query: (r: () => number) => Record<string, string> }

function apiCall(port: number, token: string, q: Record<string, string>) {
  return async () => {
    const res = await request(port, `/api/v1/accounts?${new URLSearchParams(q)}`, { authorization: `Bearer ${token}` });
    if (res.status !== 200) return { ok: false, why: `HTTP ${res.status} ${res.body.slice(0, 120)}` };
    return { ok: true, total: (JSON.parse(res.body) as { total: number }).total };
  };
}

// ---- EXPLAIN of the exact SQL ----------------------------------------------------------------------------
/** The statements searchAccounts sends for these filters, captured through a logging Kysely on the same database. */
async function capturedSql(deps: Deps, pool: pg.Pool, actorId: number, f: AccountFilters): Promise<CompiledQuery[]> {
  const captured: CompiledQuery[] = [];
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: (e) => { if (e.level === 'query') captured.push(e.query); } });
  const d: Deps = { ...deps, db };
  await searchAccounts(d, await loadActor(deps, actorId), f);
  // The log fires as each statement completes: put the count first.
  return captured.sort((a, b) => Number(!/count\(\*\)/.test(a.sql)) - Number(!/count\(\*\)/.test(b.sql)));
}

async function explain(pool: pg.Pool, q: { sql: string; parameters: readonly unknown[] }): Promise<string> {
  await pool.query(q.sql, q.parameters as unknown[]); // warm
  const r = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.parameters as unknown[]);
  return r.rows.map((x) => x['QUERY PLAN']).join('\n');
}
/** The plan without cost estimates and with the per-node detail lines that matter. */
function keyLines(plan: string): string {
  return plan.split('\n')
    .filter((l) => /(->|^\S|Index Cond|Recheck Cond|Filter|Rows Removed|Heap Blocks|Buffers|Sort Method|Execution Time|Workers)/.test(l.trim()) || /^[A-Z]/.test(l))
    .map((l) => l.replace(/\s*\(cost=[^)]*\)/, ''))
    .filter((l) => !/Planning:|Planning Time/.test(l))
    .join('\n');
}

/** Two statements sent together on two connections, as searchAccounts does; latency of the pair. */
async function timePair(pool: pg.Pool, qs: { sql: string; parameters: readonly unknown[] }[], reps: number): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 2; i++) await Promise.all(qs.map((q) => pool.query(q.sql, q.parameters as unknown[])));
  const lat: number[] = [];
  const end = performance.now() + Math.min(3, CELL_SECONDS) * 1000;
  for (let i = 0; i < reps && performance.now() < end; i++) {
    const t0 = performance.now();
    await Promise.all(qs.map((q) => pool.query(q.sql, q.parameters as unknown[])));
    lat.push(performance.now() - t0);
  }
  lat.sort((a, b) => a - b);
  return { p50: pct(lat, 0.5), p95: pct(lat, 0.95) };
}

// ---- baseline: the exact count -----------------------------------------------------------------------------
/** The count statement as served, with its cap lifted: the exact count the API gave before the cap. */
function exactCount(q: CompiledQuery): { sql: string; parameters: unknown[] } {
  const parameters = [...q.parameters];
  if (!/ limit \$\d+\) as "m"$/.test(q.sql)) throw new Error(`not a capped count: ${q.sql}`);
  parameters[parameters.length - 1] = 2_147_483_647; // the LIMIT parameter is the count's last
  return { sql: q.sql, parameters };
}

// ---- run ---------------------------------------------------------------------------------------------------
async function main(): Promise<number> {
  say(`machine: ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`);
  await freshDatabase();
  const config = loadConfig({ DATABASE_URL: dbUrl(DB_NAME), TESSERA_SECRET_KEY: SECRET_HEX, TESSERA_CAPTCHA: 'off', LOG_LEVEL: 'warn', TESSERA_OUTBOX_POLL_MS: '0' });
  const deps = await createDeps(config, { poolSize: 4 });
  await bootstrapCentralAuthority(deps, { username: USERNAME, password: PASSWORD });
  const pool = new pg.Pool({ connectionString: dbUrl(DB_NAME), max: 4 });
  const show = async (name: string) => (await pool.query<Record<string, string>>(`SHOW ${name}`)).rows[0][name];
  const pgVersion = await show('server_version');
  const settings: string[] = [];
  for (const n of ['shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'lc_collate', 'fsync', 'jit']) settings.push(`${n}=${await show(n)}`);
  say(`PostgreSQL ${pgVersion}: ${settings.join(', ')}`);

  say(`generating ${ACCOUNTS.toLocaleString('en')} accounts (seed ${SEED})…`);
  const tGen = performance.now();
  const g = await generate(deps, pool);
  const genSeconds = (performance.now() - tGen) / 1000;
  const sizes = (await pool.query<{ db: string; tbl: string; heap: string; idx: string }>(
    `SELECT pg_size_pretty(pg_database_size(current_database())) db, pg_size_pretty(pg_total_relation_size('accounts')) tbl,
            pg_size_pretty(pg_relation_size('accounts')) heap, pg_size_pretty(pg_indexes_size('accounts')) idx`)).rows[0];
  const idxSizes = (await pool.query<{ name: string; size: string }>(
    `SELECT indexrelid::regclass::text name, pg_size_pretty(pg_relation_size(indexrelid)) size FROM pg_index WHERE indrelid = 'accounts'::regclass ORDER BY pg_relation_size(indexrelid) DESC`)).rows;
  say(`generation: ${genSeconds.toFixed(1)} s (orgs ${g.seconds.orgs.toFixed(1)} s, accounts ${g.seconds.accounts.toFixed(1)} s, indexes ${g.seconds.indexes.toFixed(1)} s, vacuum+analyze ${g.seconds.vacuum.toFixed(1)} s)`);
  say(`database ${sizes.db}; accounts ${sizes.tbl} (heap ${sizes.heap}, indexes ${sizes.idx}: ${idxSizes.map((i) => `${i.name} ${i.size}`).join(', ')})`);

  const admins = await createAdmins(deps, g);
  for (const a of admins) say(`grant: ${a.level.padEnd(8)} registration_admin at ${a.oid} — ${a.size.toLocaleString('en')} accounts in its jurisdiction${a.level === 'central' ? ' (central authority)' : ''}`);

  // Keywords chosen from the generated names so their selectivity is known.
  const liveCount = g.ids.length;
  const rare = [...g.nameCharCounts].filter(([ch]) => nameModel().rareChars.includes(ch))
    .reduce((best, e) => (Math.abs(e[1] - liveCount / 2000) < Math.abs(best[1] - liveCount / 2000) ? e : best));
  const keywords: [string, string][] = [['common surname', '陳'], ['rare given-name char', rare[0]], ['2-char fragment', '怡君'], ['3-char full name', '陳怡君']];
  say(`keywords: ${keywords.map(([k, w]) => `${k} 「${w}」`).join(', ')}; 「${rare[0]}」 is in ${rare[1]} names`);

  const cases = (a: Admin): Case[] => {
    const inScope = a.level === 'central' ? g.ids.map((_, i) => i) : g.ids.map((_, i) => i).filter((i) => isWithin(g.idUnits[i], a.oid));
    const rr = rng(SEED + 1);
    const sample = Array.from({ length: 200 }, () => g.ids[inScope[Math.floor(rr() * inScope.length)]]);
    const absent = Array.from({ length: 50 }, () => absentNationalId(rr, g.taken));
    const pages = Math.max(1, Math.min(50, Math.ceil(a.size / 20)));
    return [
      ...keywords.map(([k, w]): Case => ({ name: `keyword: ${k} ${w}`, kind: 'keyword', query: () => ({ q: w }) })),
      { name: 'national ID (80% found)', kind: 'nationalId', query: (r) => ({ nationalId: r() < 0.8 ? sample[Math.floor(r() * sample.length)] : absent[Math.floor(r() * absent.length)] }) },
      { name: 'jurisdiction only, page 1', kind: 'paging', query: () => ({}) },
      { name: `jurisdiction only, page 1–${pages}`, kind: 'paging', query: (r) => ({ page: String(1 + Math.floor(r() * pages)) }) },
    ];
  };

  requireBundle();
  const port = await freePort();
  say(`starting Tessera on 127.0.0.1:${port} (dist/cli.js serve, PostgreSQL, pool 10)…`);
  await startTessera(port);
  for (const a of admins) {
    const w = await apiCall(port, a.token, {})();
    if (!w.ok) throw new Error(`warm-up search as ${a.username} failed: ${w.why}`);
  }

  interface Row { level: string; scope: number; name: string; c: number; s: Stats }
  const rows: Row[] = [];
  for (const c of CONCURRENCY) {
    say(`\nsearching through the API at concurrency ${c} (each cell ≤ ${CELL_SECONDS} s or ${CELL_MAX} requests)…`);
    for (const a of admins) {
      for (const k of cases(a)) {
        const r = rng(SEED + 7);
        const s = await measure(c, () => apiCall(port, a.token, k.query(r))());
        rows.push({ level: a.level, scope: a.size, name: k.name, c, s });
        say(`  ${a.level.padEnd(8)} ${k.name.padEnd(34)} c=${c}  p50 ${s.p50.toFixed(1)}  p95 ${s.p95.toFixed(1)}  p99 ${s.p99.toFixed(1)} ms  (n=${s.n}${s.failed ? `, FAILED ${s.failed}: ${s.why}` : ''}, total ${s.total ?? '–'})`);
      }
    }
  }
  stopChild();
  await new Promise<void>((r) => { if (!child || child.exitCode !== null) r(); else { child.once('exit', () => r()); setTimeout(r, 10_000).unref(); } });
  agent.destroy();

  // Plans of the exact SQL, for the ministry-level administrator (the largest jurisdiction with a
  // non-trivial predicate) and the unit-level one, then the central authority's.
  const plans: string[] = [];
  const planFor = async (a: Admin, label: string, f: AccountFilters) => {
    const qs = await capturedSql(deps, pool, a.accountId, f);
    for (const q of qs) {
      const plan = await explain(pool, q);
      const what = /count\(\*\)/.test(q.sql) ? 'count' : 'page';
      plans.push(`### ${a.level} (${a.oid}, ${a.size} accounts) — ${label} — ${what}\n${q.sql}\n-- parameters: ${JSON.stringify(q.parameters)}\n${plan}\n`);
    }
    return qs;
  };
  const planCases = (a: Admin): [string, AccountFilters][] => [
    [`q=${keywords[0][1]}`, { q: keywords[0][1], page: 1, pageSize: 20 }],
    [`q=${keywords[1][1]}`, { q: keywords[1][1], page: 1, pageSize: 20 }],
    [`q=${keywords[2][1]}`, { q: keywords[2][1], page: 1, pageSize: 20 }],
    [`q=${keywords[3][1]}`, { q: keywords[3][1], page: 1, pageSize: 20 }],
    ['nationalId', { nationalId: g.ids[g.idUnits.findIndex((u) => a.level === 'central' || isWithin(u, a.oid))], page: 1, pageSize: 20 }],
    ['page 1', { page: 1, pageSize: 20 }],
    ['page 50', { page: 50, pageSize: 20 }],
  ];
  say('\nEXPLAIN (ANALYZE, BUFFERS) of the SQL searchAccounts sends (full plans in the file named below)…');
  const baselineSql = new Map<string, CompiledQuery[]>();
  for (const a of admins) for (const [label, f] of planCases(a)) baselineSql.set(`${a.level}|${label}`, await planFor(a, label, f));
  const planFile = path.join(outDir, 'plans.txt');
  fs.writeFileSync(planFile, plans.join('\n'));
  for (const p of plans.filter((x) => /^### ministry/.test(x) || /^### unit .*page 1 —/.test(x))) {
    const [head, sqlLine, , ...rest] = p.split('\n');
    say(`\n${head}\n${sqlLine.slice(0, 400)}${sqlLine.length > 400 ? '…' : ''}\n${keyLines(rest.join('\n'))}`);
  }

  // Baseline in the same run: the same searches with the exact count the API gave before the cap.
  say(`\ncount as served (stops at ${COUNT_CAP} + 1) against the exact count, with the page query beside it as searchAccounts sends them (SQL straight to PostgreSQL, concurrency 1)…`);
  interface CmpRow { level: string; label: string; matches: number; capped: { p50: number; p95: number }; exact: { p50: number; p95: number } }
  const cmp: CmpRow[] = [];
  for (const a of admins) {
    for (const [label] of planCases(a)) {
      const [count, pageQ] = baselineSql.get(`${a.level}|${label}`)!;
      const exact = exactCount(count);
      const matches = Number((await pool.query(exact.sql, exact.parameters)).rows[0].n);
      const served = Number((await pool.query(count.sql, count.parameters as unknown[])).rows[0].n);
      // Same answer up to the cap, or the comparison means nothing.
      if (served !== Math.min(matches, COUNT_CAP + 1)) throw new Error(`capped count ${served}, exact ${matches} (${a.level} ${label})`);
      cmp.push({ level: a.level, label, matches, capped: await timePair(pool, [count, pageQ], 40), exact: await timePair(pool, [exact, pageQ], 40) });
    }
  }

  await pool.end();
  await deps.db.destroy();

  // ---- tables ----
  const table = (header: string[], body: string[][]) => {
    const w = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
    const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(w[i])).join(' | ') + ' |';
    say(line(header));
    say('|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|');
    for (const r of body) say(line(r));
  };
  say(`\nAPI: GET /api/v1/accounts (pageSize 20), latency in ms; goal p95 ≤ ${GOAL_P95_MS} ms`);
  table(['jurisdiction', 'accounts in scope', 'search', 'conc.', 'matches', 'p50', 'p95', 'p99', 'p95 / goal', 'n'],
    rows.map((r) => [r.level, r.scope.toLocaleString('en'), r.name, String(r.c), r.s.total === null ? '–' : r.s.total.toLocaleString('en'),
      r.s.p50.toFixed(1), r.s.p95.toFixed(1), r.s.p99.toFixed(1), `${(r.s.p95 / GOAL_P95_MS).toFixed(2)}${r.s.p95 <= GOAL_P95_MS ? '' : ' ✗'}`, String(r.s.n) + (r.s.failed ? ` (${r.s.failed} failed)` : '')]));
  say(`\nSQL only (count + page together, concurrency 1), p50 / p95 in ms: the count as served (capped at ${COUNT_CAP}) and the exact count (baseline)`);
  const f2 = (x: { p50: number; p95: number }) => `${x.p50.toFixed(1)} / ${x.p95.toFixed(1)}`;
  table(['jurisdiction', 'search', 'matches', `count capped at ${COUNT_CAP}`, 'p95 / goal', 'exact count (baseline)', 'p95 / goal', 'capped / exact p95'],
    cmp.map((c) => [c.level, c.label, c.matches.toLocaleString('en'), f2(c.capped), (c.capped.p95 / GOAL_P95_MS).toFixed(2), f2(c.exact), (c.exact.p95 / GOAL_P95_MS).toFixed(2), (c.capped.p95 / c.exact.p95).toFixed(2)]));
  say(`\ngeneration ${genSeconds.toFixed(1)} s; database ${sizes.db}; plans: ${planFile}`);
  const failed = rows.reduce((s, r) => s + r.s.failed, 0);
  if (!failed) fs.rmSync(logFile, { force: true });
  else say(`${failed} requests failed; Tessera log: ${logFile}`);
  return failed ? 1 : 0;
}

function requireBundle(): void {
  // The server runs as `npm start` runs it: the esbuild bundle (run.sh builds it; build again only if missing).
  if (!fs.existsSync(path.join(root, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `node scripts/build.mjs` (run.sh does)');
}

main().then((code) => process.exit(code), (err) => {
  console.error(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  stopChild();
  process.exit(1);
});
