// INC-6, INC-7 benchmark, through bench/incidents/run.sh (a throw-away PostgreSQL, its admin URL in
// BENCH_PG_URL): 100,000 incidents over 200 agencies and 10 competent authorities across a year
// (5 % drills, 40 % open), each with its events (aware, reported, reviewed, contained for the
// closed ones) and its clock outcomes (report, review, containment). Timed, p50/p95 over
// BENCH_RUNS runs: the "what is overdue now" query that drives escalation (goal p95 ≤ 50 ms), the
// statistics of the last 12 months as the national office sees them (every agency; goal p95 ≤
// 200 ms), as one competent authority sees them, and the drill statistics, against a plain count
// over the same incidents (and over their events) in the same run; the ratios are printed.
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { createDeps } from '../../src/server.ts';
import { dueIncidents } from '../../src/incidents/store.ts';
import { incidentStatistics } from '../../src/incidents/stats-queries.ts';

const N = Number(process.env.BENCH_INCIDENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const GOALS = { overdue: 50, stats: 200 };
const adminUrl = process.env.BENCH_PG_URL;
if (!adminUrl) { console.error('BENCH_PG_URL is not set: run `npm run bench:incidents` (bench/incidents/run.sh)'); process.exit(2); }
const hardStop = setTimeout(() => { console.error('bench: still running after 10 minutes; stopping'); process.exit(1); }, 600_000);
hardStop.unref();

const name = 'tessera_bench_incidents_' + crypto.randomBytes(4).toString('hex');
{
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
}
const url = new URL(adminUrl); url.pathname = '/' + name;
const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: url.toString(), TESSERA_SECRET_KEY: crypto.randomBytes(32).toString('hex'), LOG_LEVEL: 'silent', TESSERA_BASE_URL: 'https://bench.example' });
const deps = await createDeps(config, { poolSize: 4 });
const db = deps.db;
const NOW = new Date('2026-11-25T02:00:00Z');

const t0 = performance.now();
await sql`INSERT INTO orgs (oid, parent_oid, name, kind) SELECT '2.16.886.101.' || (80000 + a), NULL, '主管機關' || a, 'agency' FROM generate_series(1, 10) a ON CONFLICT DO NOTHING`.execute(db);
await sql`INSERT INTO orgs (oid, parent_oid, name, kind) SELECT '2.16.886.101.' || (80000 + 1 + g % 10) || '.' || (20000 + g), '2.16.886.101.' || (80000 + 1 + g % 10), '機關' || g, 'agency' FROM generate_series(1, 200) g ON CONFLICT DO NOTHING`.execute(db);
// One incident per g: agency g % 200 and its authority, a level, a type, a time within the year before NOW.
await sql`INSERT INTO incidents (org_oid, authority_oid, state, level, drill, profile_ids, title, category, aware_at, reported_at, created_at, updated_at, closed_at, next_due_at)
  SELECT '2.16.886.101.' || (80000 + 1 + (1 + g % 200) % 10) || '.' || (20000 + 1 + g % 200), '2.16.886.101.' || (80000 + 1 + (1 + g % 200) % 10),
    CASE WHEN g % 5 < 3 THEN 'closed' ELSE 'open' END, CASE WHEN g % 10 < 6 THEN 1 WHEN g % 10 < 9 THEN 2 WHEN g % 20 < 19 THEN 3 ELSE 4 END, g % 20 = 7,
    '{tw-cs}', '事件' || g, (ARRAY['defacement','intrusion','malware','dos','data_leak','phishing','equipment','other'])[1 + g % 8],
    r - interval '30 minutes', r, r, r, CASE WHEN g % 5 < 3 THEN r + interval '3 days' END,
    CASE WHEN g % 5 < 3 THEN NULL ELSE ${NOW}::timestamptz + ((g % 5000) - 100) * interval '1 minute' END
  FROM (SELECT g, ${NOW}::timestamptz - (g % 365) * interval '1 day' - (g % 1440) * interval '1 minute' AS r FROM generate_series(1, ${N}::int) g) s`.execute(db);
await sql`INSERT INTO incident_events (incident_id, kind, at, recorded_at, level)
  SELECT i.id, k.kind, i.reported_at + k.off, i.reported_at + k.off, CASE WHEN k.kind IN ('reported', 'reviewed') THEN i.level END
  FROM incidents i CROSS JOIN (VALUES ('aware', interval '-30 minutes'), ('reported', interval '0'), ('reviewed', interval '90 minutes'), ('contained', interval '30 hours')) k(kind, off)
  WHERE k.kind <> 'contained' OR i.state = 'closed'`.execute(db);
await sql`INSERT INTO incident_clock_outcomes (incident_id, profile_id, rule_id, anchor_at, due_at, met_at)
  SELECT i.id, 'tw-cs', c.rule, i.reported_at + c.anchor, i.reported_at + c.anchor + CASE WHEN i.level >= 3 THEN c.major ELSE c.minor END,
    CASE WHEN c.rule <> 'contain' OR i.state = 'closed' THEN i.reported_at + c.met END
  FROM incidents i CROSS JOIN (VALUES ('report', interval '-30 minutes', interval '1 hour', interval '1 hour', interval '0'),
    ('review', interval '0', interval '8 hours', interval '2 hours', interval '90 minutes'),
    ('contain', interval '-30 minutes', interval '72 hours', interval '36 hours', interval '30 hours')) c(rule, anchor, minor, major, met)`.execute(db);
await sql`ANALYZE`.execute(db);
const counts = (await sql<{ i: string; e: string; c: string }>`SELECT (SELECT count(*) FROM incidents) i, (SELECT count(*) FROM incident_events) e, (SELECT count(*) FROM incident_clock_outcomes) c`.execute(db)).rows[0];
console.log(`loaded ${counts.i} incidents, ${counts.e} events, ${counts.c} clock outcomes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

async function time(f: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await f(); // warm
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) { const s = performance.now(); await f(); xs.push(performance.now() - s); }
  xs.sort((a, b) => a - b);
  const q = (p: number) => xs[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)];
  return { p50: q(0.5), p95: q(0.95) };
}
const range = { from: new Date(NOW.getTime() - 365 * 86_400_000), to: new Date(NOW.getTime() + 86_400_000), drill: false, period: 'month' as const, now: NOW };
const results: [string, { p50: number; p95: number }, number | null][] = [];
const count = await time(() => db.selectFrom('incidents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst());
results.push(['plain count of incidents (baseline)', count, null]);
results.push(['plain count of events', await time(() => db.selectFrom('incident_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()), null]);
results.push(['overdue now (limit 100, escalation)', await time(() => dueIncidents(db, NOW, 100)), GOALS.overdue]);
results.push(['statistics, national office (all)', await time(() => incidentStatistics(db, { all: true }, range)), GOALS.stats]);
results.push(['statistics, one competent authority', await time(() => incidentStatistics(db, { all: false, own: [], authorities: ['2.16.886.101.80001'], centre: false, major: false }, range)), GOALS.stats]);
results.push(['statistics, drills', await time(() => incidentStatistics(db, { all: true }, { ...range, drill: true })), GOALS.stats]);

if (process.env.BENCH_EXPLAIN) {
  const show = async (q: string) => console.log((await sql<{ 'QUERY PLAN': string }>`${sql.raw('EXPLAIN (ANALYZE, COSTS OFF) ' + q)}`.execute(db)).rows.map((r) => r['QUERY PLAN']).join('\n'));
  await show(`SELECT c.profile_id, c.rule_id, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.met_at - c.anchor_at) / 60) FILTER (WHERE c.met_at IS NOT NULL) FROM incidents i JOIN incident_clock_outcomes c ON c.incident_id = i.id WHERE i.state <> 'draft' AND NOT i.drill GROUP BY 1, 2`);
  await show(`SELECT to_char(date_trunc('month', i.reported_at AT TIME ZONE 'Asia/Taipei'), 'YYYY-MM'), i.level, i.org_oid, count(*) FROM incidents i WHERE i.state <> 'draft' AND NOT i.drill GROUP BY GROUPING SETS ((1), (2), (3), ())`);
}
const s = await incidentStatistics(db, { all: true }, range);
console.log(`statistics check: ${s.total} real incidents in the period, ${s.byPeriod.length} months, ${s.byAgency.length} agencies listed, ${s.clocks.length} clocks`);
console.log(`overdue now: ${(await dueIncidents(db, NOW, 100)).length} incidents in the first batch`);
console.log('\nquery                                    p50 ms   p95 ms   p95 / plain count   goal p95');
for (const [label, r, goal] of results) {
  console.log(`${label.padEnd(40)} ${r.p50.toFixed(2).padStart(7)}  ${r.p95.toFixed(2).padStart(7)}  ${(r.p95 / count.p95).toFixed(1).padStart(10)}x          ${goal === null ? '' : `≤ ${goal} ${r.p95 <= goal ? 'met' : 'MISSED'}`}`);
}
await db.destroy();
process.exit(0);
