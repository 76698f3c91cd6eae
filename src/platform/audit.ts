// Append-only audit trail. Every event is written in the caller's transaction and chained to
// the previous one; an advisory lock serialises appends so the chain has no forks.
import type { Db } from '../db/index.ts';
import type { AuditAction } from './audit-actions.ts';
import { eventHash, findBreak, GENESIS_HASH, type ChainBreak, type ChainRow } from './audit-chain.ts';
import { auditEventsAfter, insertAuditEvent, lastAuditLink, lockAuditChain } from './audit-store.ts';

export interface AuditInput {
  actor: number | null;
  /** One of the catalogued actions, each with a name on the audit page. */
  action: AuditAction;
  result?: 'ok' | 'denied' | 'failed';
  targetType?: string;
  targetId?: string | number;
  orgOid?: string | null;
  ip?: string | null;
  /** Before/after and other facts; never raw personal data (mask it first). */
  details?: Record<string, unknown>;
}

export async function audit(trx: Db, at: Date, e: AuditInput): Promise<void> {
  await lockAuditChain(trx);
  const last = await lastAuditLink(trx);
  const fields = {
    seq: last ? Number(last.seq) + 1 : 1,
    at,
    actor_account_id: e.actor,
    action: e.action,
    result: e.result ?? 'ok',
    target_type: e.targetType ?? null,
    target_id: e.targetId === undefined ? null : String(e.targetId),
    org_oid: e.orgOid ?? null,
    ip: e.ip ?? null,
    details: e.details ?? {},
  };
  const prev_hash = last?.hash ?? GENESIS_HASH;
  const hash = eventHash(prev_hash, fields);
  await insertAuditEvent(trx, { ...fields, details: JSON.stringify(fields.details), prev_hash, hash });
}

/** Recomputes the whole chain in batches; returns the first broken link or null. */
export async function verifyAuditChain(db: Db, batch = 5000): Promise<{ checked: number; broken: ChainBreak | null }> {
  let prev: { seq: number; hash: string } | null = null;
  let checked = 0;
  for (;;) {
    const rows = await auditEventsAfter(db, prev?.seq ?? 0, batch);
    if (rows.length === 0) return { checked, broken: null };
    const chainRows = rows.map((r) => ({ ...r, seq: Number(r.seq) })) as ChainRow[];
    const broken = findBreak(chainRows, prev);
    if (broken) return { checked: checked + chainRows.findIndex((r) => r.seq === broken.seq), broken };
    checked += rows.length;
    const last = chainRows[chainRows.length - 1];
    prev = { seq: last.seq, hash: last.hash };
  }
}
