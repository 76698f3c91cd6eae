// Audit append benchmark (GOV-1, issue 15), through bench/audit/run.sh (a throw-away PostgreSQL,
// its admin URL in BENCH_PG_URL). Two "instances" (two database pools of 20, each with its own
// audit sealer racing for the lease, as two processes would) share one fresh database. A write is
// an administrative change: one transaction that updates a row of a 10,000-row table and, when
// auditing is on, appends its audit event with `audit()` (no lock, no read). For 1, 8 and 32
// clients, spread over both instances, the same writes run for BENCH_SECONDS with auditing off,
// then on; the table shows writes/s and the ratio. While auditing is on, a sampler reads newly
// sealed events every 50 ms: their seal lag is the time from the event's `at` (taken just before
// commit) to the sample that first sees it sealed; p50/p95/max are printed (goal p95 ≤ 2 s).
// For comparison, a third phase emulates the append before issue 15: the same audited write under
// one advisory lock held until commit, with a read of the chain head.
import crypto from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { createDeps } from '../../src/server.ts';
import { audit } from '../../src/platform/audit.ts';
import { startSealer, type Sealer } from '../../src/platform/audit-sealer.ts';
import { verifyAudit, describeReport } from '../../src/platform/audit-verify.ts';
import type { Deps } from '../../src/platform/deps.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const CLIENTS = (process.env.BENCH_CLIENTS ?? '1,8,32').split(',').map(Number);
const ROWS = 10_000;
const GOALS = { ratio: 0.9, lagP95: 2 };
const adminUrl = process.env.BENCH_PG_URL;
if (!adminUrl) { console.error('BENCH_PG_URL is not set: run `npm run bench:audit` (bench/audit/run.sh)'); process.exit(2); }
const hardStop = setTimeout(() => { console.error('bench: still running after 10 minutes; stopping'); process.exit(1); }, 600_000);
hardStop.unref();

const name = 'tessera_bench_audit_' + crypto.randomBytes(4).toString('hex');
{
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
}
const url = new URL(adminUrl); url.pathname = '/' + name;
const config = loadConfig({
  NODE_ENV: 'production', DATABASE_URL: url.toString(), TESSERA_SECRET_KEY: crypto.randomBytes(32).toString('hex'),
  LOG_LEVEL: 'silent', TESSERA_AUDIT_SEAL_MS: process.env.TESSERA_AUDIT_SEAL_MS ?? '1000', TESSERA_BASE_URL: 'https://bench.example',
});
const a = await createDeps(config, { poolSize: 20 });
const b = await createDeps(config, { poolSize: 20 });
await sql`CREATE TABLE bench_items (id int PRIMARY KEY, n bigint NOT NULL DEFAULT 0, updated_at timestamptz)`.execute(a.db);
await sql`INSERT INTO bench_items (id) SELECT generate_series(1, ${ROWS})`.execute(a.db);

type Mode = 'off' | 'on' | 'locked';

async function oneWrite(deps: Deps, mode: Mode): Promise<void> {
  const id = 1 + Math.floor(Math.random() * ROWS);
  await deps.db.transaction().execute(async (trx) => {
    await sql`UPDATE bench_items SET n = n + 1, updated_at = now() WHERE id = ${id}`.execute(trx);
    // Before issue 15, for comparison: one advisory lock held until commit and a read of the head.
    if (mode === 'locked') {
      await sql`SELECT pg_advisory_xact_lock(${0x7e55e7a})`.execute(trx);
      await sql`SELECT seq FROM audit_events ORDER BY seq DESC LIMIT 1`.execute(trx);
    }
    if (mode !== 'off') await audit(trx, new Date(), { actor: null, action: 'policy.set', targetType: 'bench_item', targetId: id, details: { n: 1 } });
  });
}

async function phase(clients: number, audited: Mode): Promise<number> {
  let done = 0;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: clients }, async (_, i) => {
    const deps = i % 2 ? b : a;
    while (performance.now() < end) { await oneWrite(deps, audited); done += 1; }
  }));
  return done / SECONDS;
}

// The seal-lag sampler: events sealed since the last sample, their age when first seen sealed.
const lags: number[] = [];
let lastChain = 0, sampling = true;
const sampler = (async () => {
  while (sampling) {
    const r = await sql<{ chain_seq: number; at: Date }>`SELECT chain_seq, at FROM audit_events WHERE chain_seq > ${lastChain} ORDER BY chain_seq`.execute(a.db);
    const now = Date.now();
    for (const row of r.rows) { lags.push((now - new Date(row.at).getTime()) / 1000); lastChain = Number(row.chain_seq); }
    await new Promise((res) => setTimeout(res, 50));
  }
})();

const sealers: Sealer[] = [startSealer(a, 'bench-a'), startSealer(b, 'bench-b')];
await phase(4, 'off'); // warm-up: connections, plans
const results: { clients: number; off: number; on: number; locked: number }[] = [];
for (const c of CLIENTS) {
  const off = await phase(c, 'off');
  const on = await phase(c, 'on');
  const locked = await phase(c, 'locked');
  results.push({ clients: c, off, on, locked });
  console.log(`  ${c} clients: off ${off.toFixed(0)}/s, audited ${on.toFixed(0)}/s, old lock ${locked.toFixed(0)}/s`);
}
await Promise.all(sealers.map((s) => s.stop()));
await new Promise((res) => setTimeout(res, 200));
sampling = false;
await sampler;

const q = (p: number) => { const s = [...lags].sort((x, y) => x - y); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN; };
const report = await verifyAudit(a.db);
console.log('\nclients  writes/s auditing off  writes/s audited  ratio  (before issue 15: global lock  ratio)');
for (const r of results) console.log(`${String(r.clients).padStart(7)}  ${r.off.toFixed(0).padStart(20)}  ${r.on.toFixed(0).padStart(16)}  ${(r.on / r.off).toFixed(2).padStart(5)}  ${r.locked.toFixed(0).padStart(28)}  ${(r.locked / r.off).toFixed(2)}`);
console.log(`\nseal lag over ${lags.length} events: p50 ${q(0.5).toFixed(2)} s, p95 ${q(0.95).toFixed(2)} s, max ${q(1).toFixed(2)} s (sealer every ${config.auditSealMs} ms)`);
console.log(`audit verify: ${describeReport(report).lines.join(' | ')}`);
const worst = Math.min(...results.map((r) => r.on / r.off));
console.log(`\ngoals: ratio ≥ ${GOALS.ratio} (worst ${worst.toFixed(2)}) ${worst >= GOALS.ratio ? 'met' : 'NOT met'}; seal lag p95 ≤ ${GOALS.lagP95} s ${q(0.95) <= GOALS.lagP95 ? 'met' : 'NOT met'}`);
await a.db.destroy();
await b.db.destroy();
process.exit(describeReport(report).ok ? 0 : 1);
