// The request types (REQ-1..3, ACC-4, AUTH-7), each DECLARED as the list of who decides its steps,
// in order. What runs on the final approval is declared beside it in definitions.ts. Pure data.
import type { RequestStepKind } from '../access/authorize.ts';

export type RequestTypeCode = 'account_application' | 'permission_add' | 'permission_remove' | 'registration_admin' | 'user_change'
  | 'one_day_password' | 'profile_change';

export const REQUEST_TYPE_CODES: readonly RequestTypeCode[] = ['account_application', 'permission_add', 'permission_remove',
  'registration_admin', 'user_change', 'one_day_password', 'profile_change'];

export type RequestStatus = 'pending' | 'approved' | 'completed' | 'rejected' | 'withdrawn' | 'failed';

export interface RequestTypeDecl {
  /** Who decides each step, in order; the last approval executes the request. */
  steps: readonly RequestStepKind[];
  /** REQ-6: may carry an effective date (離職或異動日) and then executes on that day. */
  effectiveDate: boolean;
  /** The paper form it replaces (seed 002), printed on the PDF. */
  form?: string;
}

export const REQUEST_TYPES: Record<RequestTypeCode, RequestTypeDecl> = {
  // Seed 000: the agency's administrator (機關管理者) whose categories cover the systems applied for.
  account_application: { steps: ['administrator'], effectiveDate: false },
  // REQ-2 申請權限 / 申請刪除權限: the administrator of the user's organisation for that system.
  permission_add: { steps: ['administrator'], effectiveDate: false },
  permission_remove: { steps: ['administrator'], effectiveDate: true },
  // D-06-10: the unit supervisor reviews, the central authority (本署) approves and the grant is made.
  registration_admin: { steps: ['supervisor', 'central'], effectiveDate: true, form: 'D-06-10' },
  // D-06-09: the unit supervisor reviews, the registration administrator executes.
  user_change: { steps: ['supervisor', 'administrator'], effectiveDate: true, form: 'D-06-09' },
  // D-06-11: the unit supervisor approves, the registration administrator enables it.
  one_day_password: { steps: ['supervisor', 'administrator'], effectiveDate: false, form: 'D-06-11' },
  // ACC-4: organisation, unit, name or national ID, "由上一層管理者協助修改" (seed 003).
  profile_change: { steps: ['supervisor', 'administrator'], effectiveDate: false },
};

export const isRequestType = (s: unknown): s is RequestTypeCode => typeof s === 'string' && (REQUEST_TYPE_CODES as readonly string[]).includes(s);

/** The step waiting after `stepNo` (1-based) was approved, or null when that was the last. */
export function nextStep(type: RequestTypeCode, stepNo: number): { no: number; kind: RequestStepKind } | null {
  const kind = REQUEST_TYPES[type].steps[stepNo];
  return kind ? { no: stepNo + 1, kind } : null;
}

export const firstStep = (type: RequestTypeCode): RequestStepKind => REQUEST_TYPES[type].steps[0];

/** The calendar day in Taipei (no daylight saving time) as YYYY-MM-DD. */
export function taipeiDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** A well-formed calendar date YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(s + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The number printed on the form and in mails. */
export const requestNumber = (id: number): string => `R${String(id).padStart(7, '0')}`;
