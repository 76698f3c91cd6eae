// GOV-3 benchmark (issue 14): campaign generation — the one INSERT … SELECT snapshot of a run, with
// roles, grants, last sign-ins and the recommendation from the policy regions — for the whole
// registry and for one ministry, a bulk decision over every inactive item, and the report CSV,
// each against a raw baseline measured in the same run (a plain INSERT … SELECT of the same
// accounts' columns; a plain UPDATE of the same rows). Embedded PGlite by default; PostgreSQL with
// DATABASE_URL (a throw-away database: it is filled with synthetic accounts).
//   node --import tsx bench/governance/bench.ts            BENCH_ACCOUNTS=N (default 100000)
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { createDeps } from '../../src/server.ts';
import { DAY } from '../../src/platform/clock.ts';
import { defineCampaign, startAsOperator } from '../../src/governance/campaigns/definitions.ts';
import { decide } from '../../src/governance/campaigns/review.ts';
import { allItems } from '../../src/governance/campaigns/store.ts';
import { reportCsv } from '../../src/governance/campaigns/report.ts';
import { effectOf } from '../../src/governance/campaigns/rules.ts';
import { bootstrapCentralAuthority } from '../../src/accounts/bootstrap.ts';
import { findAccountByUsername } from '../../src/accounts/store.ts';
import { loadActor } from '../../src/access/actor.ts';

const N = Number(process.env.BENCH_ACCOUNTS ?? 100_000);
const ROOT = '2.16.886.101.77';
const MINISTRIES = 10, UNITS = 20;

const config = loadConfig({ ...process.env, NODE_ENV: 'test', TESSERA_JOBS_POLL_MS: '0', TESSERA_AUDIT_SEAL_MS: '0' });
const deps = await createDeps({ ...config, port: 0 }, { inMemory: !process.env.DATABASE_URL });
const db = deps.db;
await bootstrapCentralAuthority(deps, { username: 'benchcentral', password: 'Bench-Central-2026' }).catch(() => {});
const central = await loadActor(deps, (await findAccountByUsername(db, 'benchcentral'))!.id);
const ms = async <T>(label: string, f: () => Promise<T>): Promise<{ t: number; v: T }> => {
  const s = performance.now(); const v = await f(); const t = performance.now() - s;
  console.log(`${label.padEnd(58)} ${(t / 1000).toFixed(2).padStart(7)} s`);
  return { t, v };
};

// Organisations: ROOT → 10 ministries → 20 units each.
const orgs = [{ oid: ROOT, parent_oid: null as string | null, name: '基準測試根', kind: 'agency' }];
for (let m = 1; m <= MINISTRIES; m++) {
  orgs.push({ oid: `${ROOT}.${m}`, parent_oid: ROOT, name: `部會${m}`, kind: 'agency' });
  for (let u = 1; u <= UNITS; u++) orgs.push({ oid: `${ROOT}.${m}.${u}`, parent_oid: `${ROOT}.${m}`, name: `單位${m}-${u}`, kind: 'unit' });
}
const now = deps.clock.now();
await db.insertInto('orgs').values(orgs.map((o) => ({ ...o, updated_at: now }))).onConflict((oc) => oc.doNothing()).execute();
await ms(`load ${N.toLocaleString()} accounts (synthetic)`, () => sql`
  INSERT INTO accounts (username, username_norm, unit_oid, state, name, created_at, updated_at, activated_at, last_password_login_at)
  SELECT 'bench' || g, 'bench' || g, ${ROOT} || '.' || (1 + g % ${MINISTRIES}) || '.' || (1 + (g / ${MINISTRIES}) % ${UNITS}), 'enabled', '測試' || g,
         ${now}::timestamptz - interval '400 days', ${now}::timestamptz, ${now}::timestamptz - interval '400 days',
         CASE WHEN g % 4 = 0 THEN NULL ELSE ${now}::timestamptz - (g % 200) * interval '1 day' END
  FROM generate_series(1, ${N}) g`.execute(db));
const role = await db.selectFrom('roles').select('code').limit(1).executeTakeFirst();
if (role) await ms('roles for a third of them', () => sql`INSERT INTO role_grants (account_id, role_code, granted_at) SELECT id, ${role.code}, now() FROM accounts WHERE username LIKE 'bench%' AND id % 3 = 0`.execute(db));
await sql`ANALYZE`.execute(db);

const baseline = async (scope: string) => ms(`  baseline: raw INSERT … SELECT of the accounts (${scope})`, async () => {
  await sql`CREATE TEMP TABLE IF NOT EXISTS raw_items AS SELECT id, username, name, unit_oid, state, last_password_login_at FROM accounts WHERE false`.execute(db);
  await sql`TRUNCATE raw_items`.execute(db);
  return sql`INSERT INTO raw_items SELECT id, username, name, unit_oid, state, last_password_login_at FROM accounts
    WHERE unit_oid COLLATE "C" >= ${scope} AND unit_oid COLLATE "C" < ${scope + '/'}`.execute(db);
});

for (const scope of [ROOT, `${ROOT}.1`]) {
  const label = scope === ROOT ? 'whole registry' : 'one ministry';
  const id = await defineCampaign(deps, central, { name: `bench ${label}`, scopeOid: scope, recurrence: 'one_off', deadlineDays: 14, defaultAction: 'recommendation' }, null);
  const b = await baseline(scope);
  const g = await ms(`campaign generation, ${label}`, () => startAsOperator(deps, id));
  console.log(`  ${g.v.items.toLocaleString()} items; ratio to baseline ${(g.t / b.t).toFixed(2)}×`);
  if (scope === ROOT) {
    const rb = await ms('  baseline: raw UPDATE of the inactive items', () => sql`UPDATE campaign_items SET decided_at = now() WHERE run_id = ${g.v.runId} AND inactive`.execute(db));
    const d = await ms('bulk decision "disable all inactive" (by filter)', () => decide(deps, central, g.v.runId, { decision: 'disable', filter: { recommendation: 'disable' } }, null));
    console.log(`  ${d.v.toLocaleString()} items decided; ratio to baseline ${(d.t / rb.t).toFixed(2)}×`);
    const read = await ms('  report: read all items', () => allItems(db, g.v.runId));
    const r = await ms('  report: formula-safe CSV of them', async () => reportCsv(read.v.map((i) => ({ ...i, effect: effectOf(i.decision, 'recommendation', i.recommendation) }))));
    console.log(`report CSV (read + write) ${((read.t + r.t) / 1000).toFixed(2)} s`);
    console.log(`  ${(r.v.length / 1e6).toFixed(1)} MB`);
  }
}
await db.destroy();
console.log(`database: ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite (in memory)'}, ${N.toLocaleString()} accounts`);
