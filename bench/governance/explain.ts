// GOV-3 profiling aid (issue 14): where the snapshot's time goes. Loads BENCH_ACCOUNTS synthetic
// accounts (default 100000) as bench.ts does, then times the snapshot's parts one by one — the
// plain copy, + the computed columns, + the roles/grants joins, + the insert into campaign_items
// with and without its indexes — and prints EXPLAIN ANALYZE of the full statement.
//   node --import tsx bench/governance/explain.ts
import { sql, CompiledQuery } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { createDeps } from '../../src/server.ts';

const N = Number(process.env.BENCH_ACCOUNTS ?? 100_000);
const ROOT = '2.16.886.101.77';
const config = loadConfig({ ...process.env, NODE_ENV: 'test', TESSERA_JOBS_POLL_MS: '0', TESSERA_AUDIT_SEAL_MS: '0' });
const deps = await createDeps({ ...config, port: 0 }, { inMemory: !process.env.DATABASE_URL });
const db = deps.db;
const now = deps.clock.now();
const orgs = [{ oid: ROOT, parent_oid: null as string | null, name: '基準測試根', kind: 'agency' }];
for (let m = 1; m <= 10; m++) {
  orgs.push({ oid: `${ROOT}.${m}`, parent_oid: ROOT, name: `部會${m}`, kind: 'agency' });
  for (let u = 1; u <= 20; u++) orgs.push({ oid: `${ROOT}.${m}.${u}`, parent_oid: `${ROOT}.${m}`, name: `單位${m}-${u}`, kind: 'unit' });
}
await db.insertInto('orgs').values(orgs.map((o) => ({ ...o, updated_at: now }))).onConflict((oc) => oc.doNothing()).execute();
await sql`INSERT INTO accounts (username, username_norm, unit_oid, state, name, created_at, updated_at, activated_at, last_password_login_at)
  SELECT 'bench' || g, 'bench' || g, ${ROOT} || '.' || (1 + g % 10) || '.' || (1 + (g / 10) % 20), 'enabled', '測試' || g,
         ${now}::timestamptz - interval '400 days', ${now}::timestamptz, ${now}::timestamptz - interval '400 days',
         CASE WHEN g % 4 = 0 THEN NULL ELSE ${now}::timestamptz - (g % 200) * interval '1 day' END
  FROM generate_series(1, ${N}) g`.execute(db);
const role = await db.selectFrom('roles').select('code').limit(1).executeTakeFirst();
if (role) await sql`INSERT INTO role_grants (account_id, role_code, granted_at) SELECT id, ${role.code}, now() FROM accounts WHERE id % 3 = 0`.execute(db);
await sql`ANALYZE`.execute(db);

const range = sql`a.unit_oid COLLATE "C" >= ${ROOT} AND a.unit_oid COLLATE "C" < ${ROOT + '/'}`;
const time = async (label: string, q: ReturnType<typeof sql>) => {
  await sql`DROP TABLE IF EXISTS t_items`.execute(db);
  const s = performance.now();
  await q.execute(db);
  console.log(`${label.padEnd(70)} ${((performance.now() - s) / 1000).toFixed(2).padStart(6)} s`);
};
const basis = sql`date_trunc('milliseconds', COALESCE(GREATEST(a.last_password_login_at, a.last_certificate_login_at, a.last_passkey_login_at), a.activated_at, a.created_at))`;
if (!process.env.ONLY_SNAPSHOT) {
await time('copy: CREATE TABLE AS SELECT 6 columns', sql`CREATE TEMP TABLE t_items AS SELECT a.id, a.username, a.name, a.unit_oid, a.state, a.last_password_login_at FROM accounts a WHERE ${range}`);
await time('+ basis, inactive, recommendation', sql`CREATE TEMP TABLE t_items AS SELECT a.id, a.username, a.name, a.unit_oid, a.state, ${basis} AS basis,
  ${basis} <= ${now} AS inactive FROM accounts a WHERE ${range}`);
await time('+ unit name join', sql`CREATE TEMP TABLE t_items AS SELECT a.id, a.username, a.name, a.unit_oid, o.name AS unit_name, a.state, ${basis} AS basis FROM accounts a LEFT JOIN orgs o ON o.oid = a.unit_oid WHERE ${range}`);
await time('+ roles aggregated (scoped join)', sql`CREATE TEMP TABLE t_items AS SELECT a.id, a.username, COALESCE(ar.codes, '{}'::text[]) AS roles FROM accounts a
  LEFT JOIN (SELECT g.account_id, array_agg(g.role_code ORDER BY g.role_code) AS codes FROM role_grants g JOIN accounts x ON x.id = g.account_id AND x.unit_oid COLLATE "C" >= ${ROOT} AND x.unit_oid COLLATE "C" < ${ROOT + '/'} GROUP BY g.account_id) ar ON ar.account_id = a.id WHERE ${range}`);
await time('+ roles aggregated (whole table)', sql`CREATE TEMP TABLE t_items AS SELECT a.id, a.username, COALESCE(ar.codes, '{}'::text[]) AS roles FROM accounts a
  LEFT JOIN (SELECT g.account_id, array_agg(g.role_code ORDER BY g.role_code) AS codes FROM role_grants g GROUP BY g.account_id) ar ON ar.account_id = a.id WHERE ${range}`);
await time('one row per account into campaign_items-like table with its PK and index', sql`CREATE TEMP TABLE t_items AS SELECT 1::bigint AS run_id, a.id AS account_id, a.username FROM accounts a WHERE false`);
await sql`ALTER TABLE t_items ADD PRIMARY KEY (run_id, account_id)`.execute(db);
await sql`CREATE INDEX t_items_unit ON t_items (run_id, (username COLLATE "C"))`.execute(db);
{
  const s = performance.now();
  await sql`INSERT INTO t_items SELECT 1, a.id, a.username FROM accounts a WHERE ${range}`.execute(db);
  console.log(`${'  … the insert itself'.padEnd(70)} ${((performance.now() - s) / 1000).toFixed(2).padStart(6)} s`);
}
}
if (process.env.DROP_FK) await sql`ALTER TABLE campaign_items DROP CONSTRAINT IF EXISTS campaign_items_run_id_fkey`.execute(db);
const { snapshotItems } = await import('../../src/governance/campaigns/store.ts');
const { regionsNow } = await import('../../src/governance/inactivity/service.ts');
const { defineCampaign } = await import('../../src/governance/campaigns/definitions.ts');
void defineCampaign;
const regions = await regionsNow(deps);
const defId = Number((await db.insertInto('campaign_definitions').values({ name: 'x', scope_oid: ROOT, system_code: null, inactive_days: null, recurrence: 'one_off', deadline_days: 14, default_action: 'no_change', next_run_at: null, created_by: null, created_at: now }).returning('id').executeTakeFirstOrThrow()).id);
const runId = Number((await db.insertInto('campaign_runs').values({ definition_id: defId, name: 'x', scope_oid: ROOT, system_code: null, inactive_days: null, default_action: 'no_change', started_at: now, started_by: null, deadline_at: now, state: 'open' }).returning('id').executeTakeFirstOrThrow()).id);
// The statement as compiled, captured on its way to the database, then run again under EXPLAIN ANALYZE (into a second run).
const captured: CompiledQuery[] = [];
const executor = db.getExecutor() as unknown as { executeQuery: (q: CompiledQuery, ...rest: unknown[]) => Promise<unknown> };
const original = executor.executeQuery.bind(executor);
executor.executeQuery = (q, ...rest) => { if (/^insert into "campaign_items"/i.test(q.sql)) captured.push(q); return original(q, ...rest); };
{
  const s = performance.now();
  const n = await snapshotItems(db, runId, { scope_oid: ROOT, system_code: null, inactive_days: null }, regions, now);
  console.log(`${`snapshotItems (the product's statement), ${n} items`.padEnd(70)} ${((performance.now() - s) / 1000).toFixed(2).padStart(6)} s`);
}
executor.executeQuery = original;
if (captured[0]) {
  const q = captured[0];
  const params = q.parameters.map((p) => (typeof p === 'number' && p === runId ? runId + 1 : p));
  await db.insertInto('campaign_runs').values({ definition_id: defId, name: 'y', scope_oid: ROOT, system_code: null, inactive_days: null, default_action: 'no_change', started_at: now, started_by: null, deadline_at: now, state: 'open' }).execute();
  const plan = await db.executeQuery(CompiledQuery.raw('EXPLAIN (ANALYZE, BUFFERS) ' + q.sql, params as unknown[]));
  for (const r of plan.rows as Record<string, string>[]) console.log(Object.values(r)[0]);
}
await db.destroy();
