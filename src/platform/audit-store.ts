// SQL of the append-only audit trail (GOV-1, issue 15): appending an event (no lock, no read), the
// sealer's lease and lock, its work list and the seal columns it fills, the chain read in order
// for verification, signing keys and signed checkpoints, and the figures of the seal lag.
import { sql, type Insertable } from 'kysely';
import { PREPARED, type Db } from '../db/index.ts';
import type { AuditCheckpointsTable } from '../db/types.ts';

/** Appends an event in the caller's transaction; its seq comes from a sequence. */
export async function insertAuditEvent(trx: Db, row: AuditEventRow): Promise<void> {
  // Every write of the platform appends one: a prepared statement (parsed and planned once per
  // connection on PostgreSQL), with no query building per call (bench/audit).
  await sql`${sql.raw(PREPARED)}INSERT INTO audit_events (at, actor_account_id, action, result, target_type, target_id, org_oid, ip, details)
    VALUES (${row.at}, ${row.actor_account_id}, ${row.action}, ${row.result}, ${row.target_type}, ${row.target_id}, ${row.org_oid}, ${row.ip}, ${row.details})`.execute(trx);
}

/** The columns an append fills (the seal columns stay empty for the sealer). */
export interface AuditEventRow {
  at: Date; actor_account_id: number | null; action: string; result: string; target_type: string | null;
  target_id: string | null; org_oid: string | null; ip: string | null; details: string;
}

/** Takes or renews the sealer's lease for `instance`, unless another live instance holds it. */
export async function claimSealerLease(db: Db, instance: string, now: Date, until: Date): Promise<boolean> {
  const r = await db.updateTable('audit_sealer').set({ lease_owner: instance, lease_until: until })
    .where('id', '=', 1)
    .where((eb) => eb.or([eb('lease_owner', '=', instance), eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Lets the lease go (a graceful stop), so another instance leads at once. */
export async function releaseSealerLease(db: Db, instance: string): Promise<void> {
  await db.updateTable('audit_sealer').set({ lease_owner: null, lease_until: null }).where('id', '=', 1).where('lease_owner', '=', instance).execute();
}

/** Locks the sealer row until the transaction ends: seal passes and checkpoints never interleave. */
export async function lockSealer(trx: Db): Promise<void> {
  await trx.selectFrom('audit_sealer').select('id').where('id', '=', 1).forUpdate().execute();
}

/** The newest sealed event's chain position and hash, or undefined while nothing is sealed. */
export async function chainHead(db: Db): Promise<{ chain_seq: number; hash: string } | undefined> {
  const r = await db.selectFrom('audit_events').select(['chain_seq', 'hash']).where('chain_seq', 'is not', null)
    .orderBy('chain_seq', 'desc').limit(1).executeTakeFirst();
  return r ? { chain_seq: Number(r.chain_seq), hash: r.hash! } : undefined;
}

/** Committed events not yet sealed, in the order they were written. */
export async function unsealedEvents(db: Db, limit: number) {
  return db.selectFrom('audit_events').selectAll().where('chain_seq', 'is', null).orderBy('seq').limit(limit).execute();
}

/** Fills the seal columns of a batch of events (the only update the trigger allows). */
export async function setSeals(trx: Db, seals: { seq: number; chain_seq: number; prev_hash: string; hash: string }[]): Promise<void> {
  if (seals.length === 0) return;
  await sql`UPDATE audit_events e SET chain_seq = s.chain_seq, prev_hash = s.prev_hash, hash = s.hash
    FROM jsonb_to_recordset(${JSON.stringify(seals)}::jsonb) AS s(seq bigint, chain_seq bigint, prev_hash text, hash text)
    WHERE e.seq = s.seq AND e.chain_seq IS NULL`.execute(trx);
}

/** Up to `limit` sealed events after chain position `after`, in chain order. */
export async function sealedEventsAfter(db: Db, after: number, limit: number) {
  return db.selectFrom('audit_events').selectAll().where('chain_seq', '>', after).orderBy('chain_seq').limit(limit).execute();
}

/** How many committed events wait for the sealer, and when the oldest of them was written. */
export async function unsealedFigures(db: Db): Promise<{ count: number; oldestAt: Date | null }> {
  const r = await db.selectFrom('audit_events').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
    .where('chain_seq', 'is', null).executeTakeFirst();
  return { count: Number(r?.n ?? 0), oldestAt: r?.oldest ? new Date(r.oldest as Date) : null };
}

/** The retention purges recorded in the trail (details.throughChainSeq, details.headHash). */
export async function purgeRecords(db: Db) {
  return db.selectFrom('audit_events').select('details').where('action', '=', 'audit.purge').where('chain_seq', 'is not', null).execute();
}

export async function newestSigningKey(db: Db) {
  return db.selectFrom('audit_signing_keys').selectAll().orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}

export async function insertSigningKey(db: Db, row: { id: string; public_key: string; private_key_enc: string; created_at: Date }): Promise<void> {
  await db.insertInto('audit_signing_keys').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
}

export async function signingKeys(db: Db) {
  return db.selectFrom('audit_signing_keys').select(['id', 'public_key', 'created_at']).execute();
}

export async function insertCheckpoint(db: Db, row: Insertable<AuditCheckpointsTable>) {
  return db.insertInto('audit_checkpoints').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function latestCheckpoint(db: Db) {
  return db.selectFrom('audit_checkpoints').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** Every checkpoint, oldest first (verification), or a page of them newest first (the page and API). */
export async function allCheckpoints(db: Db) {
  return db.selectFrom('audit_checkpoints').selectAll().orderBy('id').execute();
}

export async function recentCheckpoints(db: Db, limit: number, beforeId?: number) {
  let q = db.selectFrom('audit_checkpoints').selectAll();
  if (beforeId !== undefined) q = q.where('id', '<', beforeId);
  return q.orderBy('id', 'desc').limit(limit).execute();
}
