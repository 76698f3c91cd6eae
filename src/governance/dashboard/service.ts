// The administrators' dashboard (OPS-7): accounts by state, sign-ins per day by method, pending
// requests by age, inactive accounts by unit and the completion of open account reviews, for the caller's jurisdiction (account.view), all
// computed by SQL aggregates. A caller who may view no account gets "not found".
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/http/errors.ts';
import { DAY } from '../../platform/clock.ts';
import { scopeFor, scopeIsEmpty, type Actor } from '../../access/authorize.ts';
import { taipeiDay } from '../reminders/rules.ts';
import { regionsNow } from '../inactivity/service.ts';
import { inactiveCountsByUnit } from '../inactivity/store.ts';
import { completionByRun } from '../campaigns/store.ts';
import { accountsByState, pendingRequestsByAge, signInsPerDay, SIGN_IN_ACTIONS, type SignInMethod } from './queries.ts';

export const SIGN_IN_DAYS = 30;
export const STATES = ['enabled', 'not_activated', 'pending', 'disabled', 'deleted'] as const;
export const AGE_BUCKETS = ['lt1', '1to3', '3to7', 'gt7'] as const;
export const TOP_UNITS = 10;

export interface Dashboard {
  accountsByState: { state: string; n: number }[];
  /** The last SIGN_IN_DAYS Taipei days, oldest first, with a count per method each. */
  signIns: { days: string[]; byMethod: Record<SignInMethod, number[]> };
  pendingByAge: Record<(typeof AGE_BUCKETS)[number], number>;
  inactiveByUnit: { unitOid: string; unitName: string | null; n: number }[];
  /** Open account reviews: items decided of those in the jurisdiction (GOV-3). */
  reviewCompletion: { runId: number; name: string; deadlineAt: Date; decided: number; total: number }[];
}

export async function dashboard(deps: Deps, actor: Actor): Promise<Dashboard> {
  const scope = scopeFor(actor, 'account.view');
  if (scopeIsEmpty(scope)) throw notFound();
  const now = deps.clock.now();
  const days = Array.from({ length: SIGN_IN_DAYS }, (_, i) => taipeiDay(new Date(now.getTime() - (SIGN_IN_DAYS - 1 - i) * DAY)));
  // From the start of the first of those Taipei days.
  const since = new Date(`${days[0]}T00:00:00+08:00`);
  const [states, signIns, ages, inactive, reviews] = await Promise.all([
    accountsByState(deps.db, scope),
    signInsPerDay(deps.db, scope, since),
    pendingRequestsByAge(deps.db, scope, now),
    regionsNow(deps).then((regions) => inactiveCountsByUnit(deps.db, scope, regions, now, TOP_UNITS)),
    completionByRun(deps.db, scope, TOP_UNITS),
  ]);
  const byMethod = Object.fromEntries((Object.keys(SIGN_IN_ACTIONS) as SignInMethod[]).map((m) =>
    [m, days.map((d) => signIns.find((r) => r.day === d && r.action === SIGN_IN_ACTIONS[m])?.n ?? 0)])) as Record<SignInMethod, number[]>;
  return {
    accountsByState: STATES.map((s) => ({ state: s, n: states.find((r) => r.state === s)?.n ?? 0 })),
    signIns: { days, byMethod },
    pendingByAge: Object.fromEntries(AGE_BUCKETS.map((b, i) => [b, ages[i]])) as Dashboard['pendingByAge'],
    inactiveByUnit: inactive.map((r) => ({ unitOid: r.unit_oid, unitName: r.unit_name, n: r.n })),
    reviewCompletion: reviews,
  };
}
