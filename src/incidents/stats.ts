// INC-6, INC-7: the statistics use case — the caller's statistics scope (`incidentStatsScopeFor`:
// the technical centre and the national office count every agency, others what they may see), the
// period read as Taipei dates, real incidents or drills (never mixed) — and its CSV (the formula-safe
// writer), one row per figure so a spreadsheet can pivot it.
import type { Deps } from '../platform/deps.ts';
import { toCsv } from '../platform/csv.ts';
import { notFound } from '../platform/http/errors.ts';
import { isCentral, type Actor } from '../access/authorize.ts';
import { incidentStatsScopeFor } from '../access/incident-rules.ts';
import { BUILT_IN_PROFILES } from './clocks/index.ts';
import { taipeiDay } from './rules.ts';
import { incidentStatistics, type IncidentStatistics, type Period } from './stats-queries.ts';

export { taipeiDay };
export interface StatsQuery { from?: string; to?: string; drill?: boolean; period?: Period }
const DAY = 86_400_000;

const dayOf = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** Anybody with an incident role (or the central authority) sees statistics; others: not found. */
const mayCount = (actor: Actor) => isCentral(actor) || (actor.incidentRoles ?? []).length > 0;

export interface StatsRange { from: string; to: string; drill: boolean; period: Period }

/** The range asked for, or the last 12 months up to today (Taipei); `to` is the last day counted. */
export function statsRange(q: StatsQuery, now: Date): StatsRange | { error: 'from' | 'to' } {
  const to = q.to ? taipeiDay(q.to) : taipeiDay(dayOf(now));
  if (!to) return { error: 'to' };
  const from = q.from ? taipeiDay(q.from) : new Date(to.getTime() - 364 * DAY);
  if (!from || from > to) return { error: 'from' };
  return { from: dayOf(from), to: dayOf(to), drill: !!q.drill, period: q.period ?? 'month' };
}

export async function statistics(deps: Deps, actor: Actor, r: StatsRange): Promise<IncidentStatistics> {
  if (!mayCount(actor)) throw notFound();
  const scope = incidentStatsScopeFor(actor.incidentRoles ?? [], isCentral(actor));
  return incidentStatistics(deps.db, scope, {
    from: taipeiDay(r.from)!, to: new Date(taipeiDay(r.to)!.getTime() + DAY), drill: r.drill, period: r.period, now: deps.clock.now(),
  });
}

const CSV_COLUMNS = ['section', 'key', 'name', 'count', 'level_3_4', 'met', 'late', 'overdue', 'running', 'median_minutes', 'p90_minutes'] as const;

/** One row per figure: section (period, level, type, agency, authority, clock), its key and name, the numbers. */
export function statisticsCsv(s: IncidentStatistics, lang: 'zh-TW' | 'en', t: (key: string, vars?: Record<string, string | number>) => string): string {
  const rows: Record<string, string | number>[] = [
    { section: 'total', key: '', name: '', count: s.total },
    ...s.byPeriod.map((p) => ({ section: 'period', key: p.period, name: p.period, count: p.n, level_3_4: p.major })),
    ...s.byLevel.map((l) => ({ section: 'level', key: String(l.level), name: l.level ? t('incidents.level.n', { n: l.level }) : t('incidents.level.none'), count: l.n })),
    ...s.byType.map((x) => ({ section: 'type', key: x.category, name: t(`incidents.category.${x.category}`), count: x.n })),
    ...s.byAgency.map((a) => ({ section: 'agency', key: a.oid, name: a.name, count: a.n, level_3_4: a.major })),
    ...s.byAuthority.map((a) => ({ section: 'authority', key: a.oid ?? '', name: a.name ?? '', count: a.n })),
    ...s.clocks.map((c) => ({
      section: 'clock', key: `${c.profileId}/${c.ruleId}`, name: BUILT_IN_PROFILES[c.profileId]?.rules.find((r) => r.id === c.ruleId)?.label[lang] ?? c.ruleId,
      count: c.n, met: c.met, late: c.late, overdue: c.overdue, running: c.running, median_minutes: c.medianMinutes ?? '', p90_minutes: c.p90Minutes ?? '',
    })),
  ];
  return toCsv(rows, CSV_COLUMNS);
}
