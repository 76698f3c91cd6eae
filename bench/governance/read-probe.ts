// GOV-4 probe (issue 14): reading a 100k-item review back from PGlite — row by row, without the
// arrays, and as one json_agg value — the measurement behind allItems reading one aggregated value.
//   node --import tsx bench/governance/read-probe.ts
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { createDeps } from '../../src/server.ts';
const config = loadConfig({ ...process.env, NODE_ENV: 'test', TESSERA_JOBS_POLL_MS: '0', TESSERA_AUDIT_SEAL_MS: '0' });
const deps = await createDeps({ ...config, port: 0 }, { inMemory: true });
const db = deps.db;
await sql`INSERT INTO campaign_definitions (name, scope_oid, recurrence, deadline_days, default_action, created_at) VALUES ('x','2.16','one_off',1,'no_change',now())`.execute(db);
await sql`INSERT INTO campaign_runs (definition_id, name, scope_oid, default_action, started_at, deadline_at, state) VALUES (1,'x','2.16','no_change',now(),now(),'open')`.execute(db);
await sql`INSERT INTO campaign_items (run_id, account_id, username, name, unit_oid, unit_name, state, roles, grants, basis_at, inactive, recommendation, decision, decided_by, decided_at)
  SELECT 1, g, 'bench'||g, '測試'||g, '2.16.886.101.77.'||(g%10)||'.'||(g%20), '單位', 'enabled', CASE WHEN g%3=0 THEN ARRAY['csm_user'] ELSE '{}'::text[] END, '{}'::text[], now(), g%2=0, 'keep', CASE WHEN g%2=0 THEN 'disable' END, 1, now() FROM generate_series(1,100000) g`.execute(db);
const t = async (label: string, f: () => Promise<unknown>) => { const s = performance.now(); const r = await f(); console.log(label.padEnd(50), ((performance.now() - s) / 1000).toFixed(2), Array.isArray(r) ? r.length : ''); };
const { allItems } = await import('../../src/governance/campaigns/store.ts');
await t('allItems', () => allItems(db, 1));
{
  // The keyset chunks join up: every item once, in report order.
  const items = await allItems(db, 1);
  const keys = items.map((i) => `${i.unit_oid}\u0000${i.username}`);
  const sorted = [...keys].sort((a, b) => (Buffer.compare(Buffer.from(a.split('\u0000')[0]), Buffer.from(b.split('\u0000')[0])) || (a.split('\u0000')[1] < b.split('\u0000')[1] ? -1 : a.split('\u0000')[1] > b.split('\u0000')[1] ? 1 : 0)));
  console.log('  items', items.length, 'unique', new Set(items.map((i) => i.account_id)).size, 'in report order', keys.every((k, n) => k === sorted[n]));
}
// await t('select * no join no order', async () => (await sql`SELECT * FROM campaign_items WHERE run_id = 1`.execute(db)).rows);
// await t('select * order by', async () => (await sql`SELECT * FROM campaign_items WHERE run_id = 1 ORDER BY unit_oid COLLATE "C", username`.execute(db)).rows);
await t('select no arrays, order by', async () => (await sql`SELECT account_id, username, name, unit_oid, unit_name, state, basis_at, decision, decided_at FROM campaign_items WHERE run_id = 1 ORDER BY unit_oid COLLATE "C", username`.execute(db)).rows);
// await t('select arrays as text, order by', async () => (await sql`SELECT *, array_to_string(roles, ' ') AS r, array_to_string(grants, ' ') AS g FROM campaign_items WHERE run_id = 1 ORDER BY unit_oid COLLATE "C", username`.execute(db)).rows);
await t('json_agg, ordered, parsed', async () => JSON.parse((await sql<{ j: string }>`SELECT json_agg(i ORDER BY i.unit_oid COLLATE "C", i.username)::text AS j FROM campaign_items i WHERE run_id = 1`.execute(db)).rows[0].j));
await t('count only', async () => (await sql`SELECT count(*) FROM campaign_items WHERE run_id = 1`.execute(db)).rows);
await db.destroy();
