// SQL of the first start (OPS-1, OPS-6, ADM-1): whether any organisation or central-authority
// grant exists yet, the sample policies (an existing one is kept: ON CONFLICT DO NOTHING), and the
// central authority's grant.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';

/** Whether any organisation is registered. */
export async function anyOrg(db: Db): Promise<boolean> {
  return (await db.selectFrom('orgs').select('oid').limit(1).executeTakeFirst()) !== undefined;
}

/** Stores a node's settings (a JSON text) unless it has some already. */
export async function insertPolicyIfAbsent(db: Db, oid: string, settings: string, now: Date): Promise<void> {
  await db.insertInto('policies').values({ oid, settings, updated_at: now })
    .onConflict((oc) => oc.column('oid').doNothing()).execute();
}

/** Whether any account holds a central-authority grant. */
export async function anyCentralGrant(db: Db): Promise<boolean> {
  return (await db.selectFrom('admin_grants').select('id').where('kind', '=', 'central').limit(1).executeTakeFirst()) !== undefined;
}

/** Gives the account the central authority's grant over `jurisdictionOid`, in every category. */
export async function insertCentralGrant(trx: Db, accountId: number, jurisdictionOid: string): Promise<void> {
  await trx.insertInto('admin_grants').values({ account_id: accountId, kind: 'central', jurisdiction_oid: jurisdictionOid, categories: ['*'] }).execute();
}

/** Any fixed number, the same for every instance: the advisory lock that makes first starts one at a time. */
const BOOTSTRAP_LOCK = 0x7e55e7a1;

/**
 * Runs `fn` on one pooled connection holding a session advisory lock (issue 15): instances started
 * together on an empty database bootstrap one after the other. Session-level, because the
 * bootstrap's steps open transactions of their own.
 */
export async function withBootstrapLock<T>(db: Db, fn: (conn: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${BOOTSTRAP_LOCK})`.execute(conn);
    try {
      return await fn(conn);
    } finally {
      await sql`SELECT pg_advisory_unlock(${BOOTSTRAP_LOCK})`.execute(conn);
    }
  });
}
