// SQL for organisations and their policy settings.
import type { Db } from '../db/index.ts';
import type { Org } from '../db/types.ts';
import { effectivePolicy, validateSettings, type Policy, type PolicySettings, type PolicySources } from './policy.ts';
import { properPrefixes } from './oid.ts';

export async function getOrg(db: Db, oid: string): Promise<Org | undefined> {
  return db.selectFrom('orgs').selectAll().where('oid', '=', oid).executeTakeFirst();
}

/** Whether an organisation is registered at `oid`. */
export async function orgExists(db: Db, oid: string): Promise<boolean> {
  return Boolean(await db.selectFrom('orgs').select('oid').where('oid', '=', oid).executeTakeFirst());
}

/** The name of the organisation at `oid`, if one is registered there. */
export async function orgName(db: Db, oid: string): Promise<string | undefined> {
  return (await db.selectFrom('orgs').select('name').where('oid', '=', oid).executeTakeFirst())?.name;
}

/** Every registered organisation, for the tree page (ORG-1). */
export async function allOrgs(db: Db): Promise<Org[]> {
  return db.selectFrom('orgs').selectAll().execute();
}

/** The direct children of a node, by OID. */
export async function childOrgs(db: Db, oid: string): Promise<Org[]> {
  return db.selectFrom('orgs').selectAll().where('parent_oid', '=', oid).orderBy('oid').execute();
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

/** The school (tenant) the unit belongs to: the unit or its nearest ancestor with a school code. */
export async function tenantOf(db: Db, unitOid: string): Promise<{ oid: string; name: string; code: string } | null> {
  const rows = await db.selectFrom('orgs').select(['oid', 'name', 'tenant_code'])
    .where('oid', 'in', [unitOid, ...properPrefixes(unitOid)]).where('tenant_code', 'is not', null).execute();
  rows.sort((a, b) => b.oid.length - a.oid.length);
  return rows[0] ? { oid: rows[0].oid, name: rows[0].name, code: rows[0].tenant_code! } : null;
}

/** "Name（OID）", or the OID alone when no organisation is registered there. */
export async function orgLabel(db: Db, oid: string): Promise<string> {
  const name = await orgName(db, oid);
  return name !== undefined ? `${name}（${oid}）` : oid;
}
