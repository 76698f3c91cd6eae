// SQL of the sample registry (SSO-1): whether any system exists yet, and the sample systems, roles
// and apply subtrees written at first start (an existing row is kept: ON CONFLICT DO NOTHING).
import type { Db } from '../../db/index.ts';

export async function anySystem(db: Db): Promise<boolean> {
  // The incident system (資通安全事件通報應變, migration 017) is built in, not a sample: it does not count.
  return (await db.selectFrom('application_systems').select('code').where('code', '<>', 'incidents').limit(1).executeTakeFirst()) !== undefined;
}

export async function insertSampleSystems(trx: Db, rows: { code: string; name_zh: string; name_en: string; category: string; flags: string }[]): Promise<void> {
  await trx.insertInto('application_systems').values(rows).onConflict((oc) => oc.column('code').doNothing()).execute();
}

export async function insertSampleRoles(trx: Db, rows: { code: string; system_code: string; name_zh: string; name_en: string }[]): Promise<void> {
  await trx.insertInto('roles').values(rows).onConflict((oc) => oc.column('code').doNothing()).execute();
}

export async function insertSampleApplyScopes(trx: Db, rows: { system_code: string; subtree_oid: string }[]): Promise<void> {
  await trx.insertInto('system_apply_scope').values(rows).onConflict((oc) => oc.doNothing()).execute();
}
