// SQL of who may apply for a system's roles (SSO-1, REQ-1, issue 9 item 14): the subtrees in
// system_apply_scope, the systems open to an organisation, and the names of registered subtrees.
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { oidWithin } from '../../access/jurisdiction-sql.ts';

/** Codes of the systems that an organisation may apply for (a subtree of the system covers it). */
export async function systemCodesOpenTo(db: Db, orgOid: string): Promise<string[]> {
  const rows = await db.selectFrom('system_apply_scope').select('system_code').distinct()
    .where(oidWithin(sql.val(orgOid), sql.ref<string>('subtree_oid'))).execute();
  return rows.map((r) => r.system_code);
}

/** Every system's subtrees, sorted (systems without any are absent). */
export async function applyScopes(db: Db, code?: string): Promise<Map<string, string[]>> {
  let q = db.selectFrom('system_apply_scope').select(['system_code', 'subtree_oid']).orderBy('system_code').orderBy('subtree_oid');
  if (code !== undefined) q = q.where('system_code', '=', code);
  const out = new Map<string, string[]>();
  for (const r of await q.execute()) out.set(r.system_code, [...(out.get(r.system_code) ?? []), r.subtree_oid]);
  return out;
}

export async function orgNames(db: Db, oids: string[]): Promise<{ oid: string; name: string }[]> {
  return db.selectFrom('orgs').select(['oid', 'name']).where('oid', 'in', oids).execute();
}

/** Locks the system's row for the change (one writer at a time); false when there is no such system. */
export async function lockSystem(trx: Db, code: string): Promise<boolean> {
  return (await trx.selectFrom('application_systems').select('code').where('code', '=', code).forUpdate().executeTakeFirst()) !== undefined;
}

/** Replaces the system's subtrees with `subtrees` (sorted, valid). */
export async function replaceApplyScope(trx: Db, code: string, subtrees: string[]): Promise<void> {
  await trx.deleteFrom('system_apply_scope').where('system_code', '=', code).execute();
  if (subtrees.length) await trx.insertInto('system_apply_scope').values(subtrees.map((subtree_oid) => ({ system_code: code, subtree_oid }))).execute();
}
