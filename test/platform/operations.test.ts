// Issue 15, "Operating it in production" (OPS-2, OPS-4, OPS-6): a database restart is ridden out,
// an unresponsive database answers 503 in time, a wrong secret key is refused, commands other than
// serve and migrate refuse an old schema, two instances bootstrap one database, X-Forwarded-For is
// believed only as far as configured, SIGTERM drains, and /metrics has what an operator needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { startTestApp, freshPgDatabase, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { login, signedIn } from '../helpers/login.ts';
import { serve, ready, kill } from '../helpers/serve.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PG = process.env.TESSERA_TEST_PG_URL;
const KEY = () => crypto.randomBytes(32).toString('hex');
const ON_PG = 'runs in the PostgreSQL pass';

/** The tessera command as a process (stdout, stderr, exit code). */
async function tessera(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(path.join(ROOT, 'node_modules/.bin/node'), [path.join(ROOT, 'bin/tessera.js'), ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', TESSERA_ARGON2_MEMORY_KIB: '4096', TESSERA_ARGON2_TIME: '1', ...env },
  });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr, ms: Date.now() - started };
}

/** A database for a CLI test: a fresh PostgreSQL database in the PostgreSQL pass, else a data directory. */
async function cliDatabase(): Promise<Record<string, string>> {
  return PG ? { DATABASE_URL: await freshPgDatabase(PG) } : { TESSERA_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-ops-')) };
}

const noStack = (s: string) => assert.doesNotMatch(s, /^\s+at /m, 'no stack trace');

test('OPS-6 issue 15: commands other than serve and migrate refuse an old schema and say to run tessera migrate; migrate then lets them run', async () => {
  const env: Record<string, string> = { TESSERA_SECRET_KEY: KEY(), ...(await cliDatabase()) };
  for (const args of [['audit', 'verify'], ['org', 'export', path.join(os.tmpdir(), 'ops-orgs.csv')]]) {
    const r = await tessera(env, ...args);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /^tessera: the database schema is older than this version of Tessera \(\d+ migrations pending\): run `tessera migrate` first/);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  }
  const m = await tessera(env, 'migrate');
  assert.equal(m.code, 0, m.stderr);
  const v = await tessera(env, 'audit', 'verify');
  assert.equal(v.code, 0, v.stderr);
  // Issue 15: the embedded data directory is the owner's only (PGlite's files were 0666).
  if (env.TESSERA_DATA_DIR) {
    const open = fs.readdirSync(env.TESSERA_DATA_DIR, { recursive: true }).map((f) => path.join(env.TESSERA_DATA_DIR, String(f)))
      .filter((f) => !fs.lstatSync(f).isSymbolicLink() && (fs.statSync(f).mode & 0o077) !== 0);
    assert.deepEqual(open, [], 'no file or folder readable or writable by group or others');
    assert.equal(fs.statSync(env.TESSERA_DATA_DIR).mode & 0o777, 0o700);
  }
  // OPS-2: another TESSERA_SECRET_KEY on this database is refused, naming the problem, not the key.
  const other = KEY();
  const wrong = await tessera({ ...env, TESSERA_SECRET_KEY: other }, 'audit', 'verify');
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^tessera: TESSERA_SECRET_KEY is not the key this database was first started with/);
  assert.ok(!wrong.stderr.includes(other) && !wrong.stderr.includes(env.TESSERA_SECRET_KEY), 'the key is never printed');
  noStack(wrong.stderr);
});

test('OPS-2 issue 15: start fails with one clear line after TESSERA_DB_CONNECT_TIMEOUT_MS when the database does not answer', async () => {
  // A server that accepts connections and never says a word: a hung database.
  const sockets: net.Socket[] = [];
  const silent = net.createServer((s) => { sockets.push(s); });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as net.AddressInfo).port;
  try {
    const r = await tessera({ DATABASE_URL: `postgres://tessera:pw-not-shown@127.0.0.1:${port}/tessera`, TESSERA_SECRET_KEY: KEY(), TESSERA_DB_CONNECT_TIMEOUT_MS: '700' }, 'migrate');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^tessera: the database \(DATABASE_URL\) did not answer: .* \(TESSERA_DB_CONNECT_TIMEOUT_MS=700\)\n$/);
    assert.ok(!r.stderr.includes('pw-not-shown'), 'the URL (and its password) is not printed');
    // Without the timeout the process would wait on the silent server until the test's own limit;
    // the bound is loose because node's start alone takes seconds on a loaded machine.
    assert.ok(r.ms < 60_000, `gave up in ${r.ms} ms`);
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
  }
});

test('OPS-4 issue 15: /readyz answers 503 within TESSERA_READY_TIMEOUT_MS while the database does not answer', { skip: !PG && ON_PG }, async () => {
  const t = await startTestApp({ env: { TESSERA_READY_TIMEOUT_MS: '500' } });
  const blocker = new pg.Client({ connectionString: t.deps.config.databaseUrl });
  await blocker.connect();
  try {
    assert.equal((await fetch(`${t.url}/readyz`)).status, 200);
    // The migration table locked by another session: readiness's queries wait on it.
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE kysely_migration IN ACCESS EXCLUSIVE MODE');
    const started = Date.now();
    const r = await fetch(`${t.url}/readyz`);
    assert.equal(r.status, 503);
    assert.deepEqual(await r.json(), { status: 'database unreachable' });
    assert.ok(Date.now() - started < 1500, `answered in ${Date.now() - started} ms`);
    await blocker.query('ROLLBACK');
    assert.equal((await fetch(`${t.url}/readyz`)).status, 200);
  } finally {
    await blocker.end();
    await t.close();
  }
});

test('OPS-2 OPS-4 issue 15: /readyz reports a database whose keyed check value is not this key\'s', async () => {
  const t = await startTestApp();
  try {
    assert.equal((await (await fetch(`${t.url}/readyz`)).json()).status, 'ready');
    await sql`UPDATE key_check SET check_value = 'another key'`.execute(t.deps.db);
    const r = await fetch(`${t.url}/readyz`);
    assert.equal(r.status, 503);
    assert.deepEqual(await r.json(), { status: 'secret key mismatch' });
  } finally { await t.close(); }
});

// ---- A database restart: a throw-away PostgreSQL server of this test's own (scripts/pg.sh) ----

const pgBin = () => fs.readdirSync('/usr/lib/postgresql', { withFileTypes: true }).map((d) => `/usr/lib/postgresql/${d.name}/bin`).filter((d) => fs.existsSync(`${d}/pg_ctl`)).sort().pop();
const havePgServer = (() => { try { return Boolean(pgBin()); } catch { return false; } })();

class OwnServer {
  constructor(readonly dir: string, readonly port: number, readonly bin: string) {}
  static start(): OwnServer {
    const out = execFileSync('bash', ['-c', '. scripts/pg.sh && pg_start && echo "$PG_DIR $PG_PORT $PG_BIN"'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
    const [dir, port, bin] = out.split(' ');
    return new OwnServer(dir, Number(port), bin);
  }
  get url() { return `postgres://postgres@127.0.0.1:${this.port}/postgres`; }
  private ctl(...args: string[]) {
    const cmd = [`${this.bin}/pg_ctl`, '-D', this.dir, ...args];
    const r = process.getuid?.() === 0 ? spawnSync('runuser', ['-u', 'postgres', '--', ...cmd], { cwd: '/', encoding: 'utf8' }) : spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pg_ctl ${args[0]}: ${r.stderr}`);
  }
  stop() { this.ctl('-m', 'fast', '-w', 'stop'); }
  restart() { this.ctl('-w', '-t', '30', '-l', `${this.dir}/server.log`, '-o', `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c fsync=off`, 'start'); }
  remove() { try { this.ctl('-m', 'immediate', '-w', 'stop'); } catch { /* already stopped */ } fs.rmSync(this.dir, { recursive: true, force: true }); }
}

test('OPS-2 issue 15: a PostgreSQL restart: the instance stays up, answers 503 (page and API) while it is down, and serves the same session again after', { skip: !(PG && havePgServer) && ON_PG }, async () => {
  const server = OwnServer.start();
  let t: TestApp | undefined;
  try {
    t = await startTestApp({ env: { DATABASE_URL: server.url, TESSERA_SECRET_KEY: KEY(), TESSERA_DB_CONNECT_TIMEOUT_MS: '1000' } });
    const admin = await signedIn(t, ADMIN_USERNAME, ADMIN_PASSWORD);
    assert.equal((await admin.get('/')).status, 200);
    // Several pooled connections, idle now: a restart ends each of them (the crash of issue 15).
    await Promise.all(Array.from({ length: 4 }, () => admin.get('/')));
    // And one checked out, as by a request between two statements, when the server goes down.
    await t.deps.db.connection().execute(async (conn) => {
      await sql`SELECT 1`.execute(conn);
      server.stop();
      await new Promise((r) => setTimeout(r, 300));
      await assert.rejects(sql`SELECT 1`.execute(conn));
    });
    const page = await admin.get('/');
    assert.equal(page.status, 503);
    assert.match(page.body, /系統暫時無法服務，請稍後再試。/);
    const api = await new Client(t.url).request('GET', '/api/v1/accounts', undefined, { authorization: `Bearer ${'A'.repeat(43)}` });
    assert.equal(api.status, 503);
    assert.equal(JSON.parse(api.body).error, 'error.unavailable');
    const ready = await fetch(`${t.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal((await fetch(`${t.url}/healthz`)).status, 200, 'the process is alive');
    server.restart();
    const deadline = Date.now() + 15_000;
    while ((await fetch(`${t.url}/readyz`)).status !== 200) {
      assert.ok(Date.now() < deadline, 'ready again within 15 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal((await admin.get('/')).status, 200, 'the session survived the restart');
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    assert.match(metrics, /^tessera_db_connection_errors [1-9]\d*$/m, 'the lost idle connections are counted');
    assert.match(metrics, /^tessera_db_unavailable_requests_total [1-9]\d*$/m);
  } finally {
    await t?.close();
    server.remove();
  }
});

test('OPS-1 OPS-2 issue 15: two instances started together on an empty database both come up, with one central-authority account', { skip: !PG && ON_PG }, async () => {
  for (let trial = 0; trial < 4; trial++) {
    const env = { DATABASE_URL: await freshPgDatabase(PG!), TESSERA_SECRET_KEY: KEY() };
    const started = await Promise.allSettled([startTestApp({ env }), startTestApp({ env })]);
    const failed = started.filter((r) => r.status === 'rejected');
    if (failed.length) {
      // Close the one that came up, so a failure does not hold the test file open.
      for (const r of started) if (r.status === 'fulfilled') await r.value.close();
      assert.fail(`trial ${trial}: ${failed.map((f) => String((f as PromiseRejectedResult).reason)).join('; ')}`);
    }
    const [a, b] = started.map((r) => (r as PromiseFulfilledResult<TestApp>).value);
    try {
      const n = await a.deps.db.selectFrom('accounts').select((e) => e.fn.countAll<number>().as('n')).where('username', '=', ADMIN_USERNAME).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 1, `trial ${trial}`);
      for (const t of [a, b]) assert.equal((await fetch(`${t.url}/readyz`)).status, 200);
      await signedIn(b, ADMIN_USERNAME, ADMIN_PASSWORD);
    } finally {
      await a.close();
      await b.close();
    }
  }
});

test('AUTH-2 GOV-1 issue 15: behind TESSERA_TRUST_PROXY (hops or addresses) a forged leftmost X-Forwarded-For neither chooses the audited address nor evades the per-address limit', async () => {
  for (const trust of ['1', '127.0.0.1']) {
    const t = await startTestApp({ env: { TESSERA_TRUST_PROXY: trust, TESSERA_IP_LOGIN_LIMIT: '2' } });
    try {
      // The proxy (this client, on 127.0.0.1) appends the address it saw; the client forged the rest.
      const from = (forged: string) => new Client(t.url, `${forged}, 203.0.113.7`);
      for (let i = 0; i < 2; i++) assert.equal((await login(t, from(`198.51.100.${i}`), `nosuchuser${i}`, 'Wrong-Guess-1')).status, 401);
      const third = await login(t, from('198.51.100.99'), ADMIN_USERNAME, ADMIN_PASSWORD);
      assert.equal(third.status, 429, `trust ${trust}: still limited with a new forged address`);
      const ips = await t.deps.db.selectFrom('audit_events').select('ip').where('action', '=', 'auth.login.password').execute();
      assert.ok(ips.length >= 2);
      for (const r of ips) assert.equal(r.ip, '203.0.113.7', `trust ${trust}: the address the proxy saw`);
      // Another real client behind the same proxy is not limited.
      assert.equal((await login(t, new Client(t.url, '192.0.2.1, 203.0.113.8'), ADMIN_USERNAME, ADMIN_PASSWORD)).status, 303);
    } finally { await t.close(); }
  }
});

test('OPS-2 OPS-6 issue 15: on SIGTERM serve goes not-ready first, keeps serving for TESSERA_DRAIN_MS, then exits 0', async () => {
  const s = await serve({ TESSERA_SECRET_KEY: KEY(), ...(await cliDatabase()), TESSERA_DRAIN_MS: '1500', TESSERA_OUTBOX_POLL_MS: '0', LOG_LEVEL: 'info' });
  try {
    await ready(s);
    const signalled = Date.now();
    s.child.kill('SIGTERM');
    await new Promise((res) => setTimeout(res, 300));
    const r = await fetch(`${s.url}/readyz`);
    assert.equal(r.status, 503);
    assert.deepEqual(await r.json(), { status: 'draining' });
    assert.equal((await fetch(`${s.url}/login`)).status, 200, 'requests are still served while draining');
    assert.equal(await s.exited, 0);
    assert.ok(Date.now() - signalled >= 1500, 'waited the drain period');
    // The JSON log says so, one JSON object per line.
    const lines = s.output().split('\n').filter((l) => l.startsWith('{'));
    assert.ok(lines.some((l) => JSON.parse(l).msg === 'draining: /readyz answers 503'));
  } finally {
    kill(s);
  }
});

test('OPS-4 issue 15: /metrics shows the build, the database pool, the outbox backlog and its age, job lag and OIDC grants', async () => {
  const t = await startTestApp();
  try {
    await t.deps.db.insertInto('outbox').values({ channel: 'mail', recipient: 'someone@example.gov.tw', subject: 's', body_text: 'b', created_at: new Date(t.clock.now().getTime() - 90_000), next_attempt_at: t.clock.now() }).execute();
    await sql`INSERT INTO job_schedules (name, next_run_at, updated_at) VALUES ('requests.due', ${new Date(t.clock.now().getTime() - 120_000)}, ${t.clock.now()}) ON CONFLICT (name) DO UPDATE SET next_run_at = excluded.next_run_at`.execute(t.deps.db);
    const m = await (await fetch(`${t.url}/metrics`)).text();
    assert.match(m, /^tessera_build_info\{version="\d+\.\d+\.\d+",node="24\.[\d.]+"\} 1$/m);
    assert.match(m, /^tessera_db_pool_connections\{state="in_use"\} \d+$/m);
    assert.match(m, /^tessera_db_pool_waiting \d+$/m);
    assert.match(m, /^tessera_outbox_backlog\{channel="mail"\} 1$/m);
    assert.match(m, /^tessera_outbox_oldest_age_seconds 90$/m);
    assert.match(m, /^tessera_job_lag_seconds\{job="requests\.due"\} 120$/m);
    assert.match(m, /^# TYPE tessera_oidc_grants_total counter$/m);
    assert.match(m, /^# TYPE tessera_db_unavailable_requests_total counter$/m);
  } finally { await t.close(); }
});

test('OPS-3 issue 15: production without SMTP_URL starts but warns loudly, on the terminal and in the JSON log', { skip: !PG && ON_PG }, async () => {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
  });
  const child = spawn(path.join(ROOT, 'node_modules/.bin/node'), [path.join(ROOT, 'bin/tessera.js'), 'serve'], {
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', PORT: String(port), DATABASE_URL: await freshPgDatabase(PG!),
      TESSERA_SECRET_KEY: KEY(), TESSERA_BASE_URL: 'https://id.example.gov.tw', TESSERA_DRAIN_MS: '0', TESSERA_JOBS_POLL_MS: '0',
      TESSERA_ARGON2_MEMORY_KIB: '4096', TESSERA_ARGON2_TIME: '1', TESSERA_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD,
    },
  });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    const deadline = Date.now() + 60_000;
    while (!stdout.includes('Tessera is serving')) {
      assert.ok(Date.now() < deadline && child.exitCode === null, `serve started: ${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(stderr, /^tessera: WARNING: SMTP_URL is not set: no mail is sent/m);
    assert.ok(stdout.split('\n').some((l) => l.startsWith('{') && JSON.parse(l).level === 40 && /SMTP_URL is not set/.test(JSON.parse(l).msg)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
