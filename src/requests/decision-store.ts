// SQL for deciding, withdrawing and carrying out requests (REQ-3..6): each change of status is a
// conditional UPDATE that claims the request (the row it returns says whether this caller won),
// and request_decisions holds one decision per step.
import type { Db } from '../db/index.ts';
import type { RequestStatus } from './tables.ts';

export interface StepClaim {
  status: RequestStatus; stepNo: number; stepKind: string | null; closedAt: Date | null; executedAt: Date | null;
}

/** Moves a request still pending at `fromStep` on; false when another decision took the step first. */
export async function claimStep(trx: Db, id: number, fromStep: number, to: StepClaim): Promise<boolean> {
  const claimed = await trx.updateTable('requests').set({
    status: to.status, step_no: to.stepNo, step_kind: to.stepKind, closed_at: to.closedAt, executed_at: to.executedAt,
  }).where('id', '=', id).where('status', '=', 'pending').where('step_no', '=', fromStep).returning('id').executeTakeFirst();
  return Boolean(claimed);
}

export interface DecisionRecord {
  requestId: number; stepNo: number; stepKind: string; decision: string; decidedBy: number; deciderName: string; comment: string; decidedAt: Date;
}

/** The decision of a step; the unique (request_id, step_no) refuses a second one. */
export async function insertDecision(trx: Db, d: DecisionRecord): Promise<void> {
  await trx.insertInto('request_decisions').values({
    request_id: d.requestId, step_no: d.stepNo, step_kind: d.stepKind, decision: d.decision, decided_by: d.decidedBy, decider_name: d.deciderName, comment: d.comment, decided_at: d.decidedAt,
  }).execute();
}

/** The requester's pending request withdrawn; false when it was not (or no longer) pending. */
export async function withdrawPending(trx: Db, id: number, requesterId: number, now: Date): Promise<boolean> {
  const row = await trx.updateTable('requests').set({ status: 'withdrawn', step_kind: null, closed_at: now })
    .where('id', '=', id).where('requester_account_id', '=', requesterId).where('status', '=', 'pending').returning('id').executeTakeFirst();
  return Boolean(row);
}

/** Who decided the request's last step (null when the deciding account has since been removed). */
export async function lastDecider(db: Db, requestId: number): Promise<number | null | undefined> {
  const last = await db.selectFrom('request_decisions').select('decided_by').where('request_id', '=', requestId).orderBy('step_no', 'desc').limit(1).executeTakeFirst();
  return last?.decided_by;
}

/** An approved request claimed as completed; false when another run took it first. */
export async function claimExecution(trx: Db, id: number, now: Date): Promise<boolean> {
  const claimed = await trx.updateTable('requests').set({ status: 'completed', executed_at: now, closed_at: now })
    .where('id', '=', id).where('status', '=', 'approved').returning('id').executeTakeFirst();
  return Boolean(claimed);
}

/** An approved request marked failed with the reason; false when another run took it first. */
export async function markFailed(trx: Db, id: number, error: string, now: Date): Promise<boolean> {
  const row = await trx.updateTable('requests').set({ status: 'failed', error, closed_at: now })
    .where('id', '=', id).where('status', '=', 'approved').returning('id').executeTakeFirst();
  return Boolean(row);
}

/** The decisions made on a request, by step. */
export async function decisionsOf(db: Db, requestId: number) {
  return db.selectFrom('request_decisions').selectAll().where('request_id', '=', requestId).orderBy('step_no').execute();
}
