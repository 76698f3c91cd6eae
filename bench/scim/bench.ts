// SSO-6 benchmark (bash bench/scim/run.sh): SCIM against the admin-search API on the same data in
// the same run. A fresh PostgreSQL database migrated by Tessera's own code; the admin-search
// benchmark's organisation tree (bench/admin-search/data.ts) and BENCH_ACCOUNTS accounts spread
// over its units (bulk INSERT … unnest); a registration administrator over the ministry whose
// subtree is nearest 100,000 accounts (scaled with BENCH_ACCOUNTS), holding a personal API token
// and a SCIM token for csm over that ministry. Tessera runs in this process on 127.0.0.1 (the
// load generator shares its two cores: figures are conservative). Measured at concurrency 1:
//   1. GET /scim/v2/Users?filter=userName eq "…"  vs  GET /api/v1/accounts/{id} (a point read);
//   2. GET /scim/v2/Users?count=200&startIndex=random  vs  GET /api/v1/accounts?unit=…&pageSize=100&page=random;
//   3. paging the whole subtree to the end: SCIM count=200  vs  admin search pageSize=100.
// Prints p50/p95 and ratios. Every loop is bounded.
import pg from 'pg';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.ts';
import { createDeps, buildApp } from '../../src/server.ts';
import { bootstrapCentralAuthority } from '../../src/accounts/bootstrap.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { createApiToken } from '../../src/access/tokens.ts';
import { loadActor } from '../../src/access/actor.ts';
import { issueScimToken } from '../../src/scim/tokens.ts';
import { isWithin } from '../../src/orgs/oid.ts';
import { authenticateScimToken } from '../../src/scim/tokens.ts';
import { listUsers } from '../../src/scim/users.ts';
import { pageUserRowsQuery, userAttrs } from '../../src/scim/user-queries.ts';
import { compileFilter } from '../../src/scim/filter/filter-sql.ts';
import { parseFilter } from '../../src/scim/filter/parse.ts';
import { rng, orgTree, ROOT } from '../admin-search/data.ts';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 200_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const DB = 'tessera_scim_bench';
const adminUrl = process.env.BENCH_PG_URL;
if (!adminUrl) { console.error('BENCH_PG_URL is not set: run bash bench/scim/run.sh'); process.exit(2); }
const say = (s: string) => process.stdout.write(s + '\n');
const dbUrl = () => { const u = new URL(adminUrl); u.pathname = '/' + DB; return u.toString(); };

async function main() {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: dbUrl(), TESSERA_SECRET_KEY: crypto.randomBytes(32).toString('hex'), LOG_LEVEL: 'warn', TESSERA_JOBS_POLL_MS: '0', TESSERA_AUDIT_SEAL_MS: '0', TESSERA_BASE_URL: 'https://tessera.bench.example' });
  const deps = await createDeps({ ...config, port: 0 }, {});
  await bootstrapCentralAuthority(deps, { username: 'benchcentral', password: 'Bench-Scim-2026-x' });
  const pool = new pg.Pool({ connectionString: dbUrl(), max: 2 });

  // ---- data
  const r = rng(20261203);
  const nodes = orgTree(r);
  await pool.query(`INSERT INTO orgs (oid, parent_oid, name, kind) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
    [nodes.map((n) => n.oid), nodes.map((n) => n.parent), nodes.map((n) => n.name), nodes.map((n) => n.kind)]);
  const units = nodes.filter((n) => n.level >= 3);
  const t0 = performance.now();
  const unitOf: string[] = [];
  for (let done = 0; done < ACCOUNTS; done += 5000) {
    const n = Math.min(5000, ACCOUNTS - done);
    const u: string[] = [], unit: string[] = [], name: string[] = [];
    for (let i = 0; i < n; i++) {
      const k = done + i;
      u.push(`u${String(k).padStart(7, '0')}`);
      const oid = units[Math.floor(r() * units.length)].oid;
      unit.push(oid); unitOf.push(oid);
      name.push(`測試${k}`);
    }
    await pool.query(`INSERT INTO accounts (username, username_norm, unit_oid, state, name, email, created_at, updated_at)
      SELECT a, a, b, 'enabled', c, a || '@example.gov.tw', now(), now() FROM unnest($1::text[], $2::text[], $3::text[]) AS t(a, b, c)`, [u, unit, name]);
    if (done % 100_000 === 0) say(`accounts: ${done.toLocaleString('en')} / ${ACCOUNTS.toLocaleString('en')} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  await pool.query('VACUUM ANALYZE accounts');
  await pool.query('ANALYZE orgs');
  say(`data: ${nodes.length} organisations, ${ACCOUNTS.toLocaleString('en')} accounts in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  // The ministry whose subtree is nearest 10% of the accounts (100,000 of 1,000,000).
  const ministries = nodes.filter((n) => n.level === 1);
  const sizes = ministries.map((m) => ({ oid: m.oid, n: unitOf.filter((o) => isWithin(o, m.oid)).length }));
  const target = sizes.sort((a, b) => Math.abs(a.n - ACCOUNTS / 10) - Math.abs(b.n - ACCOUNTS / 10))[0];
  say(`subtree: ${target.oid} with ${target.n.toLocaleString('en')} accounts`);
  const insideIdx: number[] = [];
  unitOf.forEach((o, i) => { if (isWithin(o, target.oid)) insideIdx.push(i); });
  const ids = new Map((await pool.query(`SELECT id, username FROM accounts WHERE username = ANY($1)`, [insideIdx.slice(0, 2000).map((i) => `u${String(i).padStart(7, '0')}`)])).rows.map((x) => [x.username, Number(x.id)]));

  const adminRow = await pool.query(`INSERT INTO accounts (username, username_norm, unit_oid, state, name, created_at, updated_at) VALUES ('benchra01', 'benchra01', $1, 'enabled', '評測管理者', now(), now()) RETURNING id`, [ROOT]);
  const raId = Number(adminRow.rows[0].id);
  await createGrant(deps, null, { accountId: raId, kind: 'registration_admin', jurisdictionOid: target.oid, categories: ['csm'] }, null);
  const apiToken = (await createApiToken(deps, 'benchra01', { days: 1 })).token;
  const scim = await issueScimToken(deps, await loadActor(deps, raId), 'csm', { jurisdictionOid: target.oid }, null);
  if (!scim.ok) throw new Error('token');

  const { app } = await buildApp(deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const get = async (token: string, path: string) => {
    const s = performance.now();
    const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.json() as Record<string, unknown>;
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    return { ms: performance.now() - s, body };
  };
  const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
  const cell = async (label: string, f: (i: number) => Promise<{ ms: number }>) => {
    for (let i = 0; i < 20; i++) await f(i); // warm-up
    const ms: number[] = [];
    for (let i = 0; i < REQUESTS; i++) ms.push((await f(i)).ms);
    const out = { p50: pct(ms, 0.5), p95: pct(ms, 0.95) };
    say(`${label.padEnd(62)} p50 ${out.p50.toFixed(1).padStart(6)} ms   p95 ${out.p95.toFixed(1).padStart(6)} ms`);
    return out;
  };
  const names = [...ids.keys()];
  const pick = (i: number) => names[(i * 7919) % names.length];
  const randPage = (i: number, per: number) => 1 + ((i * 104729) % Math.max(1, Math.floor(target.n / per)));

  say('');
  const eq = await cell('SCIM filter=userName eq "…"', (i) => get(scim.token, `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${pick(i).toUpperCase()}"`)}`));
  const point = await cell('admin API GET /api/v1/accounts/{id}', (i) => get(apiToken, `/api/v1/accounts/${ids.get(pick(i))}`));
  const list = await cell('SCIM list count=200 at a random startIndex (subtree)', (i) => get(scim.token, `/scim/v2/Users?count=200&startIndex=${(randPage(i, 200) - 1) * 200 + 1}`));
  const search = await cell('admin search unit=subtree pageSize=100 at a random page', (i) => get(apiToken, `/api/v1/accounts?unit=${target.oid}&pageSize=100&page=${randPage(i, 100)}`));

  // Where the time of `userName eq` goes: the use case without HTTP, the token check alone, the
  // statements per request (pg_stat_database transactions: each autocommit statement is one), and
  // the plan of the page statement (which index serves it).
  const caller = (await authenticateScimToken(deps.db, new Date(), scim.token))!;
  const direct = await cell('  use case listUsers(userName eq) without HTTP', async (i) => {
    const s = performance.now();
    await listUsers(deps, caller, 'https://x/scim/v2', { filter: `userName eq "${pick(i).toUpperCase()}"` });
    return { ms: performance.now() - s };
  });
  const auth = await cell('  SCIM token check alone (authenticateScimToken)', async () => {
    const s = performance.now();
    await authenticateScimToken(deps.db, new Date(), scim.token);
    return { ms: performance.now() - s };
  });
  const xacts = async () => Number((await pool.query(`SELECT xact_commit FROM pg_stat_database WHERE datname = $1`, [DB])).rows[0].xact_commit);
  const perRequest = async (f: (i: number) => Promise<unknown>) => {
    await new Promise((ok) => setTimeout(ok, 11_000)); // an idle backend reports its statistics within 10 s (PostgreSQL 15)
    const before = await xacts();
    for (let i = 0; i < 50; i++) await f(i);
    await new Promise((ok) => setTimeout(ok, 11_000));
    return ((await xacts()) - before - 1) / 50;
  };
  const eqStatements = await perRequest((i) => get(scim.token, `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${pick(i)}"`)}`));
  const pointStatements = await perRequest((i) => get(apiToken, `/api/v1/accounts/${ids.get(pick(i))}`));
  say(`  statements per request: SCIM userName eq ${eqStatements.toFixed(1)}, admin point read ${pointStatements.toFixed(1)}`);
  const compiled = pageUserRowsQuery(deps.db, { all: false, roots: [target.oid] },
    { where: compileFilter(parseFilter(`userName eq "${pick(1)}"`), userAttrs('csm')), sort: null, descending: false, limit: 200, offset: 0 }, 'csm').compile();
  // The third run: the first ones on a fresh connection also load the catalog caches (tens of ms of "planning").
  let plan: string[] = [];
  for (let i = 0; i < 3; i++) plan = (await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${compiled.sql}`, compiled.parameters as unknown[])).rows.map((x) => x['QUERY PLAN'] as string);
  say('  plan of the page statement (userName eq):');
  for (const line of plan) if (/Index|Seq Scan|Execution Time|Planning Time/.test(line)) say('    ' + line.trim());

  const walk = async (label: string, token: string, path: (page: number) => string, per: number) => {
    const s = performance.now();
    let seen = 0, pages = 0;
    for (let page = 1; pages < 100_000; page++, pages++) {
      const { body } = await get(token, path(page));
      const got = ((body.Resources ?? body.items) as unknown[]).length;
      seen += got;
      if (got < per) break;
    }
    const seconds = (performance.now() - s) / 1000;
    say(`${label.padEnd(62)} ${pages + 1} pages, ${seen.toLocaleString('en')} accounts in ${seconds.toFixed(1)} s`);
    return seconds;
  };
  const scimWalk = await walk('SCIM: the subtree to the end (count=200)', scim.token, (p) => `/scim/v2/Users?count=200&startIndex=${(p - 1) * 200 + 1}`, 200);
  const adminWalk = await walk('admin search: the subtree to the end (pageSize=100)', apiToken, (p) => `/api/v1/accounts?unit=${target.oid}&pageSize=100&page=${p}`, 100);

  say('');
  say(`ratios (SCIM / admin API): userName eq vs point read p95 ${(eq.p95 / point.p95).toFixed(2)}; list page p95 ${(list.p95 / search.p95).toFixed(2)} (200 vs 100 rows); whole subtree ${(scimWalk / adminWalk).toFixed(2)}`);
  say(`goal: userName eq p95 ≤ 20 ms — ${eq.p95 <= 20 ? 'met' : 'NOT met'} (${eq.p95.toFixed(1)} ms); of it the use case p95 ${direct.p95.toFixed(1)} ms, the token check p95 ${auth.p95.toFixed(1)} ms`);
  await app.close();
  await pool.end();
  await deps.db.destroy();
}

main().catch((e) => { console.error(e); process.exit(1); });
