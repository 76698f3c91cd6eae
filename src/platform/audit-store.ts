// SQL of the append-only audit trail (GOV-1): the advisory lock that serialises appends, the last
// link of the chain, appending an event, and the chain read in order for verification.
import { sql, type Insertable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { AuditEventsTable } from '../db/types.ts';

const AUDIT_LOCK = 0x7e55e7a; // arbitrary constant naming the audit chain lock

/** Holds the audit chain lock until the caller's transaction ends. */
export async function lockAuditChain(trx: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
}

/** The newest event's sequence number and hash, or undefined while the trail is empty. */
export async function lastAuditLink(trx: Db) {
  return trx.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

export async function insertAuditEvent(trx: Db, row: Insertable<AuditEventsTable>): Promise<void> {
  await trx.insertInto('audit_events').values(row).execute();
}

/** Up to `limit` events after sequence number `afterSeq`, in order. */
export async function auditEventsAfter(db: Db, afterSeq: number, limit: number) {
  return db.selectFrom('audit_events').selectAll()
    .where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}
