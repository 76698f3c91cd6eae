// INC-6, INC-9: from stored events to clocks, through the pure `computeClocks` (never stored): the
// profiles an incident runs, its events as the clocks read them, the earliest due time not yet
// escalated (kept in incidents.next_due_at for the "what is overdue now" query), and which clock
// each event met or missed, for the timeline.
import { BUILT_IN_PROFILES, DEFAULT_PROFILE_ID, computeClocks, isEventKind, isLevel, type Clock, type DeadlineProfile, type IncidentEvent } from './clocks/index.ts';
import type { EventRow } from './store.ts';

export const profilesOf = (ids: string[]): DeadlineProfile[] => {
  const known = ids.map((id) => BUILT_IN_PROFILES[id]).filter((p): p is DeadlineProfile => !!p);
  return known.length ? known : [BUILT_IN_PROFILES[DEFAULT_PROFILE_ID]];
};

export function clockEvents(rows: Pick<EventRow, 'kind' | 'at' | 'level' | 'reason'>[]): IncidentEvent[] {
  return rows.flatMap((r) => isEventKind(r.kind)
    ? [{ kind: r.kind, at: r.at, ...(isLevel(r.level) ? { level: r.level } : {}), ...(r.reason ? { reason: r.reason } : {}) }]
    : []);
}

export const clocksFor = (profileIds: string[], rows: Pick<EventRow, 'kind' | 'at' | 'level' | 'reason'>[], now: Date): Clock[] =>
  computeClocks(profilesOf(profileIds), clockEvents(rows), now);

export const clockKey = (c: { profileId: string; ruleId: string; dueAt: Date }) => `${c.profileId}/${c.ruleId}/${c.dueAt.toISOString()}`;

/** The earliest due time of an open clock not escalated yet; null when none. */
export function nextDueAt(clocks: Clock[], escalated: Set<string>): Date | null {
  const open = clocks.filter((c) => c.metAt === null && !escalated.has(clockKey(c)));
  return open.reduce<Date | null>((a, c) => (a === null || c.dueAt < a ? c.dueAt : a), null);
}

/** The clocks an event met (on time or late), for the timeline. */
export const clocksMetBy = (clocks: Clock[], e: { kind: string; at: Date }): Clock[] =>
  clocks.filter((c) => c.metAt !== null && c.metAt.getTime() === e.at.getTime() && c.metByKind === e.kind);

/** The open clock of a rule (e.g. 'review'), if running. */
export const openClock = (clocks: Clock[], ruleId: string): Clock | undefined => clocks.find((c) => c.ruleId === ruleId && c.metAt === null);
