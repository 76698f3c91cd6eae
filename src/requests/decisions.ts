// Deciding a step, withdrawing, and carrying out approved requests on their effective date
// (REQ-3..6). Exactly one decision per step counts, and the database enforces it: the decision
// claims the step with a conditional UPDATE (… WHERE status = 'pending' AND step_no = n), which a
// concurrent decision waits on and then finds already taken, and request_decisions is unique per
// (request, step). The loser is told "already decided" and nothing of its decision remains.
import type { Deps } from '../platform/deps.ts';
import type { MessageKey } from '../platform/web/messages.ts';
import { audit } from '../platform/audit.ts';
import { notFound } from '../platform/http/errors.ts';
import { loadActor } from '../access/actor.ts';
import { isUniqueViolation } from '../admin/accounts.ts';
import type { Actor } from '../access/authorize.ts';
import { ExecutionRefused } from './types/definition.ts';
import type { RequestRow, RequestStatus } from './tables.ts';
import { isOwn, mayDecideStep, mayView } from './access.ts';
import { mailDecision, mailExecution } from './notify.ts';
import { REQUEST_TYPES, isRequestType, nextStep } from './types/index.ts';
import { taipeiDate } from './format.ts';
import { dueRequests, loadRequest } from './request-store.ts';
import { claimExecution, claimStep, insertDecision, lastDecider, markFailed, withdrawPending } from './decision-store.ts';
import { accountName } from './account-store.ts';

export type Decision = 'approved' | 'rejected';
export type DecideResult = { ok: true; status: RequestStatus } | { ok: false; status: 403 | 409 | 422; error: MessageKey };

class AlreadyDecided extends Error {}
/** The unique (request_id, step_no) refusing a second decision of a step (the backstop of the claim). */
const isSecondDecision = (e: unknown) => isUniqueViolation(e) && ((e as { constraint?: string }).constraint ?? 'request_decisions_one_per_step') === 'request_decisions_one_per_step';
export const MAX_COMMENT = 1000;

/** The request if `actor` may see it; "not found" otherwise (unknown and out of reach look the same). */
export async function visibleRequest(deps: Deps, actor: Actor, id: number, may = mayView): Promise<RequestRow> {
  const r = await loadRequest(deps.db, id);
  if (!r || !may(actor, r)) throw notFound();
  return r;
}

/**
 * 接受／駁回 (REQ-4) with 審查說明. `stepNo` is the step the approver saw: a page left open while
 * another approver decided gets "already decided", never a decision on the next step.
 * The last approval executes the request in the same transaction, unless it has an effective date
 * still ahead (REQ-6), when it waits as 'approved'.
 */
/** 審查說明: at most MAX_COMMENT characters, and required to reject. */
export function commentProblem(decision: Decision, comment: string): 'request.error.commentLong' | 'request.error.commentRequired' | null {
  const c = comment.trim();
  if (c.length > MAX_COMMENT) return 'request.error.commentLong';
  return decision === 'rejected' && !c ? 'request.error.commentRequired' : null;
}

export async function decideRequest(deps: Deps, actor: Actor, id: number, input: { decision: Decision; comment: string; stepNo?: number }, ip: string | null): Promise<DecideResult> {
  const r = await visibleRequest(deps, actor, id);
  if (!isRequestType(r.type)) throw notFound();
  if (r.status !== 'pending' || (input.stepNo !== undefined && input.stepNo !== r.step_no)) return { ok: false, status: 409, error: 'request.alreadyDecided' };
  if (isOwn(actor, r)) return { ok: false, status: 403, error: 'request.error.ownRequest' };
  if (!mayDecideStep(actor, r, r.step_kind)) return { ok: false, status: 403, error: 'request.error.notYourStep' };
  const comment = input.comment.trim();
  const bad = commentProblem(input.decision, comment);
  if (bad) return { ok: false, status: 422, error: bad };

  const now = deps.clock.now();
  const next = input.decision === 'approved' ? nextStep(r.type, r.step_no) : null;
  const executes = input.decision === 'approved' && !next && (!r.effective_date || r.effective_date <= taipeiDate(now));
  const status: RequestStatus = input.decision === 'rejected' ? 'rejected' : next ? 'pending' : executes ? 'completed' : 'approved';
  const exec = REQUEST_TYPES[r.type].execute;
  const decider = await accountName(deps.db, actor.accountId);
  try {
    const prepared = executes && exec.before ? await exec.before(deps, r, actor) : undefined;
    await deps.db.transaction().execute(async (trx) => {
      const claimed = await claimStep(trx, r.id, r.step_no, {
        status, stepNo: next?.no ?? r.step_no, stepKind: next?.kind ?? null,
        closedAt: status === 'rejected' || status === 'completed' ? now : null, executedAt: executes ? now : null,
      });
      if (!claimed) throw new AlreadyDecided();
      await insertDecision(trx, {
        requestId: r.id, stepNo: r.step_no, stepKind: r.step_kind!, decision: input.decision, decidedBy: actor.accountId, deciderName: decider, comment, decidedAt: now,
      });
      await audit(trx, now, {
        actor: actor.accountId, action: 'request.decide', targetType: 'request', targetId: r.id, orgOid: r.org_oid, ip,
        details: { type: r.type, step: r.step_no, stepKind: r.step_kind, decision: input.decision, status },
      });
      // Before a rejection erases anything: an applicant's address is on the account it removes.
      await mailDecision(trx, deps, r, { stepKind: r.step_kind!, decision: input.decision, decider, comment, now, status, nextStep: next?.kind ?? null });
      const x = { deps, r, actor, now, ip, prepared };
      if (input.decision === 'rejected') await exec.onReject?.(trx, { ...x, prepared: undefined });
      if (executes) {
        await exec.run(trx, x);
        await audit(trx, now, { actor: actor.accountId, action: 'request.execute', targetType: 'request', targetId: r.id, orgOid: r.org_oid, ip, details: { type: r.type } });
      }
    });
  } catch (e) {
    if (e instanceof AlreadyDecided || isSecondDecision(e)) return { ok: false, status: 409, error: 'request.alreadyDecided' };
    if (e instanceof ExecutionRefused) return { ok: false, status: 409, error: e.messageKey };
    throw e;
  }
  return { ok: true, status };
}

/** 撤回: the requester takes back a request no one has finished deciding. */
export async function withdrawRequest(deps: Deps, accountId: number, id: number, ip: string | null): Promise<{ ok: true } | { ok: false; error: MessageKey }> {
  const r = await loadRequest(deps.db, id);
  if (!r || r.requester_account_id !== accountId) throw notFound();
  const now = deps.clock.now();
  const done = await deps.db.transaction().execute(async (trx) => {
    if (!await withdrawPending(trx, id, accountId, now)) return false;
    await audit(trx, now, { actor: accountId, action: 'request.withdraw', targetType: 'request', targetId: id, orgOid: r.org_oid, ip, details: { type: r.type, step: r.step_no } });
    return true;
  });
  return done ? { ok: true } : { ok: false, error: 'request.error.notPending' };
}

/**
 * REQ-6: carries out approved requests whose effective date has come, as their last approver
 * (whose authority is checked again now). Any number of instances may run it: each request is
 * claimed by a conditional UPDATE. A refusal leaves the request 'failed' with the reason, and mails.
 */
export async function runDueRequests(deps: Deps, limit = 100): Promise<{ completed: number; failed: number }> {
  const now = deps.clock.now();
  const due = await dueRequests(deps.db, taipeiDate(now), limit);
  let completed = 0, failed = 0;
  for (const r of due) {
    if (!isRequestType(r.type)) continue;
    const decidedBy = await lastDecider(deps.db, r.id);
    const exec = REQUEST_TYPES[r.type].execute;
    let error: MessageKey | null = null;
    try {
      if (!decidedBy) throw new ExecutionRefused('request.exec.notAllowed');
      const actor = await loadActor(deps, decidedBy);
      const prepared = exec.before ? await exec.before(deps, r, actor) : undefined;
      const ran = await deps.db.transaction().execute(async (trx) => {
        if (!await claimExecution(trx, r.id, now)) return false;
        await exec.run(trx, { deps, r, actor, now, ip: null, prepared });
        await audit(trx, now, { actor: actor.accountId, action: 'request.execute', targetType: 'request', targetId: r.id, orgOid: r.org_oid, details: { type: r.type, effectiveDate: r.effective_date } });
        await mailExecution(trx, deps, r, now, 'completed', null);
        return true;
      });
      if (ran) completed++;
    } catch (e) {
      if (!(e instanceof ExecutionRefused)) throw e;
      error = e.messageKey;
    }
    if (error) {
      const marked = await deps.db.transaction().execute(async (trx) => {
        if (!await markFailed(trx, r.id, error, now)) return false;
        await audit(trx, now, { actor: decidedBy ?? null, action: 'request.execute', result: 'failed', targetType: 'request', targetId: r.id, orgOid: r.org_oid, details: { type: r.type, error } });
        await mailExecution(trx, deps, r, now, 'failed', error);
        return true;
      });
      if (marked) failed++;
    }
  }
  return { completed, failed };
}
