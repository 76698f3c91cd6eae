// SQL for changing the organisation tree (ORG-1, ORG-4): the table lock every change takes, adding
// and updating nodes, recomputing parents, and moving a subtree with the grants and system owners
// that name OIDs inside it. Subtrees are `oid = root OR oid LIKE 'root.%'` (subtreeOf).
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { ORG_CSV_COLUMNS, type OrgRow } from './csv.ts';

type OidColumn = 'oid' | 'unit_oid' | 'jurisdiction_oid' | 'owner_oid';

/** `column = root OR column LIKE 'root.%'`: the subtree, without look-alike siblings (…9002 vs …90027). */
export function subtreeOf(column: OidColumn, root: string) {
  return sql<boolean>`(${sql.ref(column)} = ${root} OR ${sql.ref(column)} LIKE ${root + '.%'})`;
}

/**
 * Serialises changes to the tree: every org mutation checks, then writes, under this lock, so
 * two administrators cannot create the same OID or move nodes into each other concurrently.
 * Reads (pages, look-ups) are not blocked.
 */
export async function lockOrgs(trx: Db): Promise<void> {
  await sql`LOCK TABLE orgs IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
}

/** Every node with its parent as stored. */
export async function orgParents(trx: Db) {
  return trx.selectFrom('orgs').select(['oid', 'parent_oid']).execute();
}

export async function setParent(trx: Db, oid: string, parentOid: string | null): Promise<void> {
  await trx.updateTable('orgs').set({ parent_oid: parentOid }).where('oid', '=', oid).execute();
}

/** The parent of a registered node. */
export async function parentOfNode(trx: Db, oid: string): Promise<string | null> {
  return (await trx.selectFrom('orgs').select('parent_oid').where('oid', '=', oid).executeTakeFirstOrThrow()).parent_oid;
}

/** Every node in the columns of the organisation CSV. */
export async function orgCsvRows(db: Db) {
  return db.selectFrom('orgs').select([...ORG_CSV_COLUMNS]).execute();
}

/** A new node; its parent is set by recomputing parents afterwards. */
export async function insertOrg(trx: Db, row: OrgRow, now: Date): Promise<void> {
  await trx.insertInto('orgs').values({ ...row, parent_oid: null, created_at: now, updated_at: now }).execute();
}

export async function updateOrg(trx: Db, row: OrgRow, now: Date): Promise<void> {
  await trx.updateTable('orgs').set({ name: row.name, agency_code: row.agency_code, tenant_code: row.tenant_code, kind: row.kind, updated_at: now }).where('oid', '=', row.oid).execute();
}

export async function tenantCodeTaken(trx: Db, tenantCode: string): Promise<boolean> {
  return Boolean(await trx.selectFrom('orgs').select('oid').where('tenant_code', '=', tenantCode).executeTakeFirst());
}

/** The OIDs of the node and every registered node below it. */
export async function subtreeOids(trx: Db, root: string): Promise<string[]> {
  return (await trx.selectFrom('orgs').select('oid').where(subtreeOf('oid', root)).execute()).map((r) => r.oid);
}

/** Those of `oids` that are registered. */
export async function registeredAmong(trx: Db, oids: string[]) {
  return trx.selectFrom('orgs').select('oid').where('oid', 'in', oids).execute();
}

/** Re-keys one node; accounts, policies and children follow through ON UPDATE CASCADE. */
export async function renameOrg(trx: Db, from: string, to: string, now: Date): Promise<void> {
  await trx.updateTable('orgs').set({ oid: to, updated_at: now }).where('oid', '=', from).execute();
}

/** Grants whose jurisdiction lies in the subtree `oid`, rebased onto `newOid`; how many. */
export async function rebaseGrants(trx: Db, oid: string, newOid: string): Promise<number> {
  const r = await trx.updateTable('admin_grants')
    .set({ jurisdiction_oid: sql<string>`${newOid} || substr(jurisdiction_oid, ${oid.length + 1})` })
    .where(subtreeOf('jurisdiction_oid', oid)).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Systems owned inside the subtree `oid`, rebased onto `newOid`. */
export async function rebaseSystemOwners(trx: Db, oid: string, newOid: string): Promise<void> {
  await trx.updateTable('application_systems')
    .set({ owner_oid: sql<string>`${newOid} || substr(owner_oid, ${oid.length + 1})` })
    .where(subtreeOf('owner_oid', oid)).execute();
}

/** How many accounts (by unit) or policies (by node) lie in the subtree `root`. */
export async function countUnder(trx: Db, table: 'accounts' | 'policies', column: 'unit_oid' | 'oid', root: string): Promise<number> {
  return Number((await trx.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where(subtreeOf(column, root)).executeTakeFirstOrThrow()).n);
}
