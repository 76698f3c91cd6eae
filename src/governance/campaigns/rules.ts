// GOV-3 account-review campaigns, the pure part: when a definition runs next (quarterly, half-yearly,
// one-off), a run's deadline, what an unanswered item becomes at sign-off (the definition's default),
// and whether a decision is acceptable (keeping an inactive account needs a reason).
import { DAY } from '../../platform/clock.ts';

export const RECURRENCES = ['quarterly', 'half_yearly', 'one_off'] as const;
export type Recurrence = (typeof RECURRENCES)[number];
export const DEFAULT_ACTIONS = ['no_change', 'disable', 'recommendation'] as const;
export type DefaultAction = (typeof DEFAULT_ACTIONS)[number];
export const DECISIONS = ['keep', 'disable', 'delete', 'remove_role'] as const;
export type Decision = (typeof DECISIONS)[number];
export type Recommendation = 'keep' | 'disable';

/** What is carried out for an item at sign-off: the decision, else the definition's default. */
export type Effect = Decision | 'unchanged';

/** The months between two runs; null for a one-off definition. */
export const monthsBetween = (r: Recurrence): number | null => (r === 'quarterly' ? 3 : r === 'half_yearly' ? 6 : null);

/** The next run after the one at `from` (same day of month, clamped to the month's end); null when the definition does not recur. */
export function nextRunAfter(r: Recurrence, from: Date): Date | null {
  const m = monthsBetween(r);
  if (m === null) return null;
  const d = new Date(from.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + m);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** The review deadline of a run started at `start`. */
export const deadlineOf = (start: Date, days: number): Date => new Date(start.getTime() + days * DAY);

/** What an item becomes at sign-off: its decision, else the definition's default for unanswered items. */
export function effectOf(decision: Decision | null, dflt: DefaultAction, recommendation: Recommendation): Effect {
  if (decision === 'keep') return 'unchanged';
  if (decision) return decision;
  if (dflt === 'disable') return 'disable';
  if (dflt === 'recommendation' && recommendation === 'disable') return 'disable';
  return 'unchanged';
}

/** The refusal a decision meets, or null: keeping an inactive account needs a reason; removing a role names it. */
export function decisionProblem(d: { decision: Decision; reason?: string; role?: string }, inactive: boolean): 'campaign.reasonRequired' | 'campaign.roleRequired' | null {
  if (d.decision === 'keep' && inactive && !(d.reason ?? '').trim()) return 'campaign.reasonRequired';
  if (d.decision === 'remove_role' && !(d.role ?? '').trim()) return 'campaign.roleRequired';
  return null;
}

export const DEADLINE_DAYS = { min: 1, max: 365 } as const;
export const INACTIVE_DAYS = { min: 1, max: 3650 } as const;
