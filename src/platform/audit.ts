// Append-only audit trail (GOV-1, issue 15). Every event is written in the caller's transaction,
// so it exists exactly when its change committed; the append takes no lock and reads nothing, so
// audited transactions never wait on each other. The sealer (audit-sealer.ts) chains committed
// events shortly after and signs checkpoints; audit-verify.ts checks both.
import type { Db } from '../db/index.ts';
import type { AuditAction } from './audit-actions.ts';
import { insertAuditEvent } from './audit-store.ts';
import { verifyAudit } from './audit-verify.ts';

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
  await insertAuditEvent(trx, {
    at,
    actor_account_id: e.actor,
    action: e.action,
    result: e.result ?? 'ok',
    target_type: e.targetType ?? null,
    target_id: e.targetId === undefined ? null : String(e.targetId),
    org_oid: e.orgOid ?? null,
    ip: e.ip ?? null,
    details: JSON.stringify(e.details ?? {}),
  });
}

/** The sealed chain's first break (if any) and how many events verified before it; see verifyAudit for the whole report. */
export async function verifyAuditChain(db: Db): Promise<{ checked: number; broken: { seq: number; reason: string } | null }> {
  const r = await verifyAudit(db);
  const first = r.problems.find((p) => p.chainSeq !== undefined);
  return { checked: r.verified, broken: first ? { seq: first.chainSeq!, reason: first.kind } : null };
}
