// SQL behind actor loading (ADM-1): an account's administration grants.
import type { Db } from '../db/index.ts';
import type { Grant, GrantKind } from './authorize.ts';

export async function grantsOf(db: Db, accountId: number): Promise<Grant[]> {
  const rows = await db.selectFrom('admin_grants').select(['kind', 'jurisdiction_oid', 'categories'])
    .where('account_id', '=', accountId).execute();
  return rows.map((r) => ({ kind: r.kind as GrantKind, jurisdictionOid: r.jurisdiction_oid, categories: r.categories }));
}
