// INC-9: computeClocks — deadline profiles (data) and one incident's events in, its clocks out. Pure.
import type { Clock, ClockState, ComputeClocks, DeadlineProfile, DeadlineRule, ImpactLevel, IncidentEvent, IncidentRole } from './types.ts';
import { EVENT_KINDS } from './kinds.ts';
import { addCalendarMonthsTaipei, addMinutes, between } from './time.ts';

/** The share of a clock's time after which it warns. */
export const WARN_FRACTION = 0.75;

const KIND_ORDER = new Map(EVENT_KINDS.map((k, i) => [k, i]));

/** Events by time; ties by kind (the order of EVENT_KINDS), then level and reason, so the input order never matters. */
export function sortEvents(events: readonly IncidentEvent[]): IncidentEvent[] {
  return [...events].sort((a, b) =>
    a.at.getTime() - b.at.getTime()
    || (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0)
    || (a.level ?? 0) - (b.level ?? 0)
    || (a.reason ?? '').localeCompare(b.reason ?? ''));
}

/** The level in force after each event: the last event (so far) that carries a level. */
function levelsInForce(seq: readonly IncidentEvent[]): (ImpactLevel | null)[] {
  let level: ImpactLevel | null = null;
  return seq.map((e) => (level = e.level ?? level));
}

function clockFor(profileId: string, rule: DeadlineRule, seq: IncidentEvent[], levels: (ImpactLevel | null)[], now: Date): Clock | null {
  // Where the clock starts: the first anchor event, no earlier than the condition or the level entry when the rule says so.
  let start = seq.findIndex((e) => rule.anchor.includes(e.kind));
  if (start < 0) return null;
  if (rule.onlyIf) {
    const cond = seq.findIndex((e) => e.kind === rule.onlyIf);
    if (cond < 0) return null;
    if (rule.startsAtCondition) start = Math.max(start, cond);
  }
  if (rule.startsAtLevel && rule.levels) {
    const entry = levels.findIndex((l) => l !== null && rule.levels!.includes(l));
    if (entry < 0) return null;
    start = Math.max(start, entry);
  }
  const anchorAt = seq[start].at;

  // Met by the first meeting event at or after the anchor. A met clock keeps the level in force just
  // before its meeting event (a reviewer who raises the level is judged by the level they reviewed);
  // an open clock takes the level in force now, keeping its anchor.
  const met = seq.findIndex((e) => rule.metBy.includes(e.kind) && e.at.getTime() >= anchorAt.getTime());
  const level = met >= 0 ? (met > 0 ? levels[met - 1] : null) : (levels.at(-1) ?? null);
  if (rule.levels && (level === null || !rule.levels.includes(level))) return null; // does not apply at this level

  const dueAt = rule.offsetMonths
    ? addCalendarMonthsTaipei(anchorAt, rule.offsetMonths)
    : addMinutes(anchorAt, (level !== null ? rule.byLevel?.[level] : undefined) ?? rule.offsetMinutes);
  const warnAt = between(anchorAt, dueAt, WARN_FRACTION);
  const meeting = met >= 0 ? seq[met] : null;
  const metAt = meeting?.at ?? null;
  const state: ClockState = metAt
    ? (metAt.getTime() <= dueAt.getTime() ? 'met' : 'late')
    : now.getTime() > dueAt.getTime() ? 'overdue' : now.getTime() >= warnAt.getTime() ? 'warning' : 'running';
  const lateReason = state === 'late' ? (meeting?.reason?.trim() || null) : null;
  return {
    profileId, ruleId: rule.id, label: rule.label,
    anchorAt, dueAt, warnAt, metAt, state, level,
    responsible: rule.responsible, escalateTo: [...(rule.escalateTo ?? [])],
    metByKind: meeting?.kind ?? null,
    lateReason,
    lateReasonMissing: state === 'late' && !!rule.lateReasonRequired && lateReason === null,
  };
}

/**
 * Every clock of every given profile, in profile then rule order, as seen at `now`. Events after
 * `now` are not yet known and are ignored. See docs/decisions.md "Incident clocks" for the rules.
 */
export const computeClocks: ComputeClocks = (profiles: DeadlineProfile[], events: IncidentEvent[], now: Date): Clock[] => {
  const seq = sortEvents(events.filter((e) => e.at.getTime() <= now.getTime()));
  const levels = levelsInForce(seq);
  return profiles.flatMap((p) => p.rules.flatMap((r) => clockFor(p.id, r, seq, levels, now) ?? []));
};

export const isOpen = (c: Clock): boolean => c.metAt === null;

/** The open clock that falls due first (overdue ones included), or null. */
export function nextDeadline(clocks: readonly Clock[]): Clock | null {
  return clocks.filter(isOpen).reduce<Clock | null>((a, c) => (!a || c.dueAt.getTime() < a.dueAt.getTime() ? c : a), null);
}

/** The open clocks past due at `now`, most overdue first. */
export function overdueClocks(clocks: readonly Clock[], now: Date): Clock[] {
  return clocks.filter((c) => isOpen(c) && now.getTime() > c.dueAt.getTime()).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** Who is told about a clock now: its escalation roles once it is overdue, nobody otherwise. */
export function escalationTargets(clock: Clock): IncidentRole[] {
  return clock.state === 'overdue' ? [...clock.escalateTo] : [];
}
