// Policy regions in SQL (ORG-3): one CASE over a unit-OID column, deepest region first, using the
// jurisdiction predicate (access/jurisdiction-sql.ts), so `…9002` never covers `…90027` here either.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/index.ts';
import { withinJurisdiction } from '../access/jurisdiction-sql.ts';
import { validateSettings, type PolicySettings } from './policy.ts';
import type { PolicyRegion } from './policy-regions.ts';

/** Every node's stored settings, for the regions. */
export async function policyRows(db: Db): Promise<{ oid: string; settings: PolicySettings }[]> {
  const rows = await db.selectFrom('policies').select(['oid', 'settings']).execute();
  return rows.map((r) => ({ oid: r.oid, settings: validateSettings(r.settings).settings }));
}

/** The value of the region `column` (a unit OID) is in; `value` null becomes SQL NULL of `cast`. */
export function byRegion<V, T>(column: string, regions: PolicyRegion<T>[], value: (r: PolicyRegion<T>) => V | null, cast: string): RawBuilder<V> {
  const v = (r: PolicyRegion<T>) => { const x = value(r); return x === null ? sql`NULL::${sql.raw(cast)}` : sql`${x}::${sql.raw(cast)}`; };
  const branches = regions.filter((r) => r.root !== null).map((r) => sql`WHEN ${withinJurisdiction(column, r.root!)} THEN ${v(r)}`);
  const fallback = regions.find((r) => r.root === null)!;
  return branches.length ? sql<V>`(CASE ${sql.join(branches, sql` `)} ELSE ${v(fallback)} END)` : sql<V>`${v(fallback)}`;
}
