// INC-9: helpers of the clock tests — events written as [kind, minutes after T0, level?, reason?].
import { BUILT_IN_PROFILES, computeClocks, type Clock, type ImpactLevel, type IncidentEvent, type IncidentEventKind } from '../../src/incidents/clocks/index.ts';

/** Monday 2 March 2026, 09:00 in Taipei. */
export const T0 = new Date('2026-03-02T01:00:00Z');
export const H = 60;
export const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);
export const minutesOf = (d: Date): number => (d.getTime() - T0.getTime()) / 60_000;

export type Ev = [IncidentEventKind, number, ImpactLevel?, string?];
export const events = (evs: Ev[]): IncidentEvent[] =>
  evs.map(([kind, m, level, reason]) => ({ kind, at: at(m), ...(level ? { level } : {}), ...(reason ? { reason } : {}) }));

export const profiles = (ids: string[]) => ids.map((id) => BUILT_IN_PROFILES[id]);

/** All clocks, keyed `profile/rule`. */
export function clocksOf(ids: string[], evs: Ev[], now: number): Map<string, Clock> {
  return new Map(computeClocks(profiles(ids), events(evs), at(now)).map((c) => [`${c.profileId}/${c.ruleId}`, c]));
}
