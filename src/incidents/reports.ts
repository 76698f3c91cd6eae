// INC-5: pure rules of the closure report (結案報告) and the investigation, handling and improvement
// report (調查、處理及改善報告): their items, which are required at which level, their checks, and
// the stage of an incident's closure read from its events (no I/O; `now` never needed).
import type { ReportProblem } from './rules.ts';

/**
 * The closure report's items: the required items of the regulation (資通安全管理法施行細則 第 8 條:
 * times, scope and damage, containment and recovery history, investigation history, root cause,
 * preventive measures, schedule and follow-up) and those seed 004 §4.1(三)4 adds (possible later
 * impact, strengthening measures). The times themselves come from the incident's events.
 */
export const CLOSURE_ITEMS = ['summary', 'scope', 'containment', 'investigation', 'rootCause', 'measures', 'schedule', 'laterImpact', 'strengthening'] as const;
export type ClosureItem = (typeof CLOSURE_ITEMS)[number];

/**
 * The investigation report's items: what was found and done, the root cause, the improvement
 * measures with their schedule and how their effect is tracked; at levels 3–4 also the CISO's
 * meeting (資通安全事件通報及應變辦法: the CISO convenes a meeting on a level 3–4 incident).
 */
export const INVESTIGATION_ITEMS = ['findings', 'rootCause', 'improvements', 'schedule', 'cisoMeeting'] as const;
export type InvestigationItem = (typeof INVESTIGATION_ITEMS)[number];

export type ReportKind = 'closure' | 'investigation';
export const ITEM_MAX = 10_000;

export const itemsOf = (kind: ReportKind): readonly string[] => (kind === 'closure' ? CLOSURE_ITEMS : INVESTIGATION_ITEMS);

/** The items a report must fill at a level: every closure item; every investigation item, the CISO meeting only at levels 3–4. */
export function requiredItems(kind: ReportKind, level: number | null): string[] {
  if (kind === 'closure') return [...CLOSURE_ITEMS];
  return INVESTIGATION_ITEMS.filter((i) => i !== 'cisoMeeting' || (level ?? 0) >= 3);
}

/** Missing or over-long items, by item; empty when the report may be submitted. */
export function reportItemProblems(kind: ReportKind, level: number | null, items: Record<string, string | undefined>): Record<string, ReportProblem> {
  const p: Record<string, ReportProblem> = {};
  for (const k of Object.keys(items)) if (!itemsOf(kind).includes(k)) p[k] = 'invalid';
  for (const k of itemsOf(kind)) if ((items[k] ?? '').length > ITEM_MAX) p[k] = 'invalid';
  for (const k of requiredItems(kind, level)) if (!(items[k] ?? '').trim()) p[k] = 'required';
  return p;
}

/** Only the known items, trimmed, in their order. */
export function cleanItems(kind: ReportKind, items: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(itemsOf(kind).map((k) => [k, (items[k] ?? '').trim()]).filter(([, v]) => v !== ''));
}

export type ClosureStage =
  | 'response'        // not contained yet
  | 'contained'       // damage control or recovery done, no closure report yet (or returned)
  | 'closure_pending' // closure report waiting for the competent authority
  | 'closure_approved';

interface Ev { kind: string; at: Date }

/** Where the closure stands, from the events (the last closure decision counts). */
export function closureStage(events: Ev[]): ClosureStage {
  if (!events.some((e) => e.kind === 'contained')) return 'response';
  let stage: ClosureStage = 'contained';
  for (const e of events) {
    if (e.kind === 'closure_submitted') stage = 'closure_pending';
    else if (e.kind === 'closure_returned') stage = 'contained';
    else if (e.kind === 'closure_approved') stage = 'closure_approved';
  }
  return stage;
}

export const investigationDone = (events: Ev[]): boolean => events.some((e) => e.kind === 'investigation_submitted');

/** An incident is closed once its closure report is approved and its investigation report is in (either order). */
export const readyToClose = (events: Ev[]): boolean => closureStage(events) === 'closure_approved' && investigationDone(events);
