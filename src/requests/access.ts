// Who may see and decide a request: only `authorize` decides (REQ-4, ADM-2). The SQL form of the
// same rule is approvers-sql.ts; test/requests/approvers checks the two agree.
import { authorize, type Actor, type RequestStepKind } from '../access/authorize.ts';
import { REQUEST_TYPES, isRequestType } from './types/index.ts';

export interface RequestAccessRow { type: string; org_oid: string; categories: string[]; requester_account_id: number | null; subject_account_id: number | null }

/** The requester and the subject never decide their own request (four eyes). */
export const isOwn = (actor: Actor, r: RequestAccessRow): boolean =>
  actor.accountId === r.requester_account_id || actor.accountId === r.subject_account_id;

/** May `actor` decide a step of kind `step` of this request? */
export function mayDecideStep(actor: Actor, r: RequestAccessRow, step: RequestStepKind | string | null): boolean {
  if (step !== 'supervisor' && step !== 'administrator' && step !== 'central') return false;
  return !isOwn(actor, r) && authorize(actor, 'request.decide', { oid: r.org_oid, step, categories: r.categories });
}

/** Approvers of any of its steps see a request (審查詳細資訊, the PDF); so does its requester. */
export function mayView(actor: Actor, r: RequestAccessRow): boolean {
  if (actor.accountId === r.requester_account_id) return true;
  return isRequestType(r.type) && REQUEST_TYPES[r.type].steps.some((k) => mayDecideStep(actor, r, k));
}

/** Approvers of any step, the requester excluded: the reviewer's pages under /admin/requests. */
export function mayReview(actor: Actor, r: RequestAccessRow): boolean {
  return isRequestType(r.type) && REQUEST_TYPES[r.type].steps.some((k) => mayDecideStep(actor, r, k));
}
