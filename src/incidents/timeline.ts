// INC-6, INC-7: one incident's timeline for export — every event (when, what, who, level, reason,
// note, when recorded), the clocks each met or met late, the escalations, and every clock with its
// due time and state — as rows for the formula-safe CSV writer and as JSON.
import { toCsv } from '../platform/csv.ts';
import type { incidentDetail } from './workflow.ts';
import { clocksMetBy } from './timers.ts';

type Detail = Awaited<ReturnType<typeof incidentDetail>>;
type T = (key: string, vars?: Record<string, string | number>) => string;

export function timelineOf(d: Detail, lang: 'zh-TW' | 'en', t: T) {
  const events = d.events.map((e) => {
    const p = e.payload as { note?: string; from?: number | null; to?: number };
    return {
      at: e.at.toISOString(), kind: e.kind, what: t(`clocks.kind.${e.kind}`), who: e.actor_name, level: e.level, reason: e.reason, note: p.note ?? null,
      recordedAt: e.recorded_at.toISOString(),
      met: clocksMetBy(d.clocks, e).map((c) => ({ clock: `${c.profileId}/${c.ruleId}`, label: c.label[lang], state: c.state })),
    };
  });
  const escalations = d.escalations.map((x) => ({ at: x.escalated_at.toISOString(), clock: `${x.profile_id}/${x.rule_id}`, dueAt: x.due_at.toISOString(), recipients: x.recipients }));
  const clocks = d.clocks.map((c) => ({ clock: `${c.profileId}/${c.ruleId}`, label: c.label[lang], state: c.state, anchorAt: c.anchorAt.toISOString(), dueAt: c.dueAt.toISOString(), metAt: c.metAt?.toISOString() ?? null, lateReason: c.lateReason ?? null }));
  const i = d.incident;
  return {
    incident: { id: Number(i.id), title: i.title, agency: i.org_name, authority: i.authority_name, level: i.level, state: i.state, drill: i.drill, awareAt: i.aware_at?.toISOString() ?? null, reportedAt: i.reported_at?.toISOString() ?? null },
    events, escalations, clocks,
  };
}
export type Timeline = ReturnType<typeof timelineOf>;

const COLUMNS = ['at', 'entry', 'what', 'who', 'level', 'reason', 'note', 'clocks', 'recorded_at'] as const;

/** Events, escalations and open or missed clocks in time order, one row each. */
export function timelineCsv(tl: Timeline, t: T): string {
  const rows = [
    ...tl.events.map((e) => ({ at: e.at, entry: 'event', what: e.what, who: e.who ?? t('incidents.timeline.system'), level: e.level ?? '', reason: e.reason ?? '', note: e.note ?? '',
      clocks: e.met.map((m) => `${m.label} (${t(`clocks.state.${m.state}`)})`).join('; '), recorded_at: e.recordedAt })),
    ...tl.escalations.map((x) => ({ at: x.at, entry: 'escalation', what: tl.clocks.find((c) => c.clock === x.clock)?.label ?? x.clock, who: t('incidents.timeline.system'), level: '', reason: '', note: String(x.recipients), clocks: x.clock, recorded_at: x.at })),
    ...tl.clocks.filter((c) => c.metAt === null).map((c) => ({ at: c.dueAt, entry: 'deadline', what: c.label, who: '', level: '', reason: '', note: '', clocks: `${c.label} (${t(`clocks.state.${c.state}`)})`, recorded_at: '' })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return toCsv(rows, COLUMNS);
}
