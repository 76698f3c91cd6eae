// SQL for organisations and their policy settings.
import type { Db } from '../db/index.ts';
import type { Org } from '../db/types.ts';
import { effectivePolicy, validateSettings, type Policy, type PolicySettings, type PolicySources } from './policy.ts';
import { properPrefixes } from './oid.ts';

export async function getOrg(db: Db, oid: string): Promise<Org | undefined> {
  return db.selectFrom('orgs').selectAll().where('oid', '=', oid).executeTakeFirst();
}

/** Settings stored on the node and each registered ancestor, root first. */
export async function policyPath(db: Db, oid: string): Promise<{ oid: string; settings: PolicySettings }[]> {
  const chain = [...properPrefixes(oid).reverse(), oid];
  const rows = await db.selectFrom('policies').select(['oid', 'settings']).where('oid', 'in', chain).execute();
  const byOid = new Map(rows.map((r) => [r.oid, validateSettings(r.settings).settings]));
  return chain.filter((o) => byOid.has(o)).map((o) => ({ oid: o, settings: byOid.get(o)! }));
}

export async function effectivePolicyFor(db: Db, oid: string): Promise<{ policy: Policy; sources: PolicySources }> {
  return effectivePolicy(await policyPath(db, oid));
}

export async function nodeSettings(db: Db, oid: string): Promise<PolicySettings> {
  const row = await db.selectFrom('policies').select('settings').where('oid', '=', oid).executeTakeFirst();
  return row ? validateSettings(row.settings).settings : {};
}
