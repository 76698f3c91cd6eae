// INC-6: a first measurement of the "what is overdue now" query (incidents_next_due partial index) on 100,000 incidents, against a plain count in the same run. Run with DATABASE_URL for PostgreSQL.
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config.ts';
import { createDeps } from '../../src/server.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { sql } from 'kysely';
import { dueIncidents } from '../../src/incidents/store.ts';
const config = loadConfig({ ...process.env, NODE_ENV: 'test', TESSERA_JOBS_POLL_MS: '0', TESSERA_AUDIT_SEAL_MS: '0', TESSERA_OUTBOX_POLL_MS: '0', TESSERA_SECRET_KEY: 'a'.repeat(64) });
const deps = await createDeps({ ...config, port: 0 }, { clock: new ManualClock('2026-11-25T02:00:00Z'), inMemory: true });
const db = deps.db;
await sql`INSERT INTO orgs (oid, name, kind) VALUES ('2.16.886.101.90027.20002', '範例機關', 'agency') ON CONFLICT DO NOTHING`.execute(db);
await sql`INSERT INTO incidents (org_oid, state, level, title, created_at, updated_at, reported_at, next_due_at)
  SELECT '2.16.886.101.90027.20002', CASE WHEN g % 10 = 0 THEN 'closed' ELSE 'open' END, 1 + g % 4, 'x' || g, now(), now(), now() - (g || ' minutes')::interval,
    CASE WHEN g % 10 = 0 THEN NULL ELSE now() + ((g % 5000) - 100 || ' minutes')::interval END FROM generate_series(1, 100000) g`.execute(db);
await sql`ANALYZE incidents`.execute(db);
const time = async (f: () => Promise<unknown>) => { const xs: number[] = []; for (let i = 0; i < 50; i++) { const t0 = performance.now(); await f(); xs.push(performance.now() - t0); } xs.sort((a, b) => a - b); return { p50: xs[25].toFixed(2), p95: xs[47].toFixed(2) }; };
const now = new Date();
console.log('overdue now (limit 100)', await time(() => dueIncidents(db, now, 100)), 'rows', (await dueIncidents(db, now, 100)).length);
console.log('plain count', await time(() => db.selectFrom('incidents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()));
console.log((await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT id FROM incidents WHERE next_due_at <= now() AND state = 'open' ORDER BY next_due_at LIMIT 100`.execute(db)).rows.map((r) => r['QUERY PLAN']).join('\n'));
await db.destroy();
process.exit(0);
