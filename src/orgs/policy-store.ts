// SQL for changing one node's policy settings (ORG-3): the node and its settings read under row
// locks, so the node cannot be moved or removed meanwhile, then the settings replaced or removed.
import type { Db } from '../db/index.ts';

/** Locks the node's row; false when no organisation is registered at `oid`. */
export async function lockNode(trx: Db, oid: string): Promise<boolean> {
  return Boolean(await trx.selectFrom('orgs').select('oid').where('oid', '=', oid).forUpdate().executeTakeFirst());
}

/** The node's policy row (settings unvalidated), locked; undefined when it has none. */
export async function lockPolicy(trx: Db, oid: string) {
  return trx.selectFrom('policies').select('settings').where('oid', '=', oid).forUpdate().executeTakeFirst();
}

export async function deletePolicy(trx: Db, oid: string): Promise<void> {
  await trx.deleteFrom('policies').where('oid', '=', oid).execute();
}

/** Stores the node's settings (a JSON text), replacing any it had. */
export async function upsertPolicy(trx: Db, oid: string, settings: string, now: Date): Promise<void> {
  await trx.insertInto('policies').values({ oid, settings, updated_at: now })
    .onConflict((oc) => oc.column('oid').doUpdateSet({ settings, updated_at: now })).execute();
}
