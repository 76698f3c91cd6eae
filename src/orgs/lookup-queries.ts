// SQL for the OID look-up (ORG-2): a name fragment (trigram-indexed ILIKE), an agency or tenant code
// or an OID, kept inside a jurisdiction in SQL, exact codes first and then in tree order.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { type Scope } from '../access/authorize.ts';
import { withinScope } from '../access/jurisdiction-sql.ts';
import { subtreeOf } from './tree-store.ts';

/** How the text matches OIDs: whole arcs (the subtree of root), a partial last arc (prefix), or not at all. */
export type OidMatch = { subtree: string } | { prefix: string } | null;

/** Whether any node lies in the subtree `root`. */
export async function anyOrgUnder(db: Db, root: string): Promise<boolean> {
  return Boolean(await db.selectFrom('orgs').select('oid').where(subtreeOf('oid', root)).limit(1).executeTakeFirst());
}

export async function searchOrgs(db: Db, text: string, oid: OidMatch, scope: Scope, limit: number) {
  const like = '%' + text.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
  // A prefix is only digits and dots, so its LIKE pattern needs no escaping.
  const oidMatch = oid === null ? sql<boolean>`false` : 'subtree' in oid ? subtreeOf('oid', oid.subtree) : sql<boolean>`oid LIKE ${oid.prefix + '%'}`;
  // IS TRUE: a null code compares as null, which would sort first under DESC.
  const exact = sql<boolean>`((upper(agency_code) = upper(${text}) OR tenant_code = ${text} OR oid = ${text}) IS TRUE)`;
  return db.selectFrom('orgs').select(['oid', 'name', 'agency_code', 'tenant_code', 'kind', 'parent_oid'])
    .where(sql<boolean>`(name ILIKE ${like} OR ${exact} OR ${oidMatch})`).where(withinScope('oid', scope))
    // Exact code matches first, then tree order (arcs compared as numbers).
    .orderBy(sql`${exact} DESC`).orderBy(sql`string_to_array(oid, '.')::numeric[]`)
    .limit(limit).execute();
}
