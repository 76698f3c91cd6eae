// INC-6, INC-7: the incident statistics, every number from SQL GROUP BY within the caller's statistics
// scope (`withinIncidentScope`): submitted incidents reported in the period, real ones or drills
// (never both), by period (Taipei calendar), level, type, agency and competent authority; per clock
// of each profile how many were met on time, late, are overdue or running, and the median and 90th
// percentile minutes from anchor to meeting (incident_clock_outcomes, rewritten with every event; the
// percentiles from counts per whole minute, so no sort of every clock).
// The incident dimensions come from one scan (GROUPING SETS); names are looked up for the top rows.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { withinIncidentScope } from '../access/jurisdiction-sql.ts';
import type { IncidentScope } from '../access/incident-rules.ts';
import { percentileOf } from './rules.ts';

const roundOrNull = (v: number | null) => (v === null ? null : Math.round(v));

export type Period = 'month' | 'quarter' | 'year';
export interface StatsFilter { from: Date; to: Date; drill: boolean; period: Period; now: Date }

const base = (db: Db, scope: IncidentScope, f: StatsFilter) => db.selectFrom('incidents as i')
  .where('i.state', '<>', 'draft').where('i.drill', '=', f.drill)
  .where('i.reported_at', '>=', f.from).where('i.reported_at', '<', f.to)
  .where(withinIncidentScope('i', scope));

const n = (v: unknown) => Number(v ?? 0);

/** A period's local start as text ("2026-04-01 00:00:00") → 2026-04, 2026-Q2 or 2026. */
export function periodLabel(iso: string, p: Period): string {
  const y = iso.slice(0, 4), m = Number(iso.slice(5, 7));
  return p === 'year' ? y : p === 'quarter' ? `${y}-Q${Math.ceil(m / 3)}` : `${y}-${iso.slice(5, 7)}`;
}

export async function incidentStatistics(db: Db, scope: IncidentScope, f: StatsFilter) {
  const unit = sql.lit(f.period);
  // The period's start on the Taipei calendar (a local timestamp), labelled in JS: to_char per row costs more than the scan.
  const period = sql<string>`date_trunc(${unit}, i.reported_at AT TIME ZONE 'Asia/Taipei')`;
  // One scan for every dimension: GROUPING SETS, told apart by GROUPING() (bit set = not grouped by it).
  // Sorting for the groups and the percentiles in memory (the default 4 MB spills ~300k rows to disk).
  const [groups, clocks, minutes] = await db.transaction().execute(async (trx) => { await sql`SET LOCAL work_mem = '64MB'`.execute(trx); return Promise.all([
    base(trx, scope, f).select([
      sql<string>`(${period})::text`.as('period'), 'i.level', sql<string>`coalesce(i.category, 'unspecified')`.as('category'), 'i.org_oid', 'i.authority_oid',
      sql<number>`GROUPING(${period}, i.level, coalesce(i.category, 'unspecified'), i.org_oid, i.authority_oid)`.as('g'),
      sql<string>`count(*)`.as('n'), sql<string>`count(*) FILTER (WHERE i.level >= 3)`.as('major'), sql<string>`count(*) FILTER (WHERE i.state = 'closed')`.as('closed'),
    ]).groupBy(sql`GROUPING SETS ((${period}), (i.level), (coalesce(i.category, 'unspecified')), (i.org_oid), (i.authority_oid), ())`).execute(),
    base(trx, scope, f).innerJoin('incident_clock_outcomes as c', 'c.incident_id', 'i.id').select([
      'c.profile_id', 'c.rule_id', sql<string>`count(*)`.as('n'),
      sql<string>`count(*) FILTER (WHERE c.met_at <= c.due_at)`.as('met'),
      sql<string>`count(*) FILTER (WHERE c.met_at > c.due_at)`.as('late'),
      sql<string>`count(*) FILTER (WHERE c.met_at IS NULL AND c.due_at < ${f.now})`.as('overdue'),
      sql<string>`count(*) FILTER (WHERE c.met_at IS NULL AND c.due_at >= ${f.now})`.as('running'),
    ]).groupBy(['c.profile_id', 'c.rule_id']).orderBy('c.profile_id').orderBy('c.rule_id').execute(),
    // Minutes from anchor to meeting as counts per whole minute (a hashed GROUP BY, no sort of every row): the percentiles come from these.
    base(trx, scope, f).innerJoin('incident_clock_outcomes as c', 'c.incident_id', 'i.id').where('c.met_at', 'is not', null).select([
      'c.profile_id', 'c.rule_id', sql<number>`floor(extract(epoch FROM c.met_at - c.anchor_at) / 60)::int`.as('minutes'), sql<string>`count(*)`.as('n'),
    ]).groupBy(['c.profile_id', 'c.rule_id', sql`3`]).execute(),
  ]); });
  // GROUPING bits, left to right: period 16, level 8, category 4, agency 2, authority 1.
  const only = (bit: number) => groups.filter((r) => Number(r.g) === 31 - bit);
  const byCount = <T extends { n: number }>(a: T, b: T) => b.n - a.n;
  const total = groups.find((r) => Number(r.g) === 31);
  const agencies = only(2).map((r) => ({ oid: r.org_oid, n: n(r.n), major: n(r.major) })).sort((a, b) => byCount(a, b) || a.oid.localeCompare(b.oid)).slice(0, 50);
  const authorities = only(1).map((r) => ({ oid: r.authority_oid, n: n(r.n) })).sort((a, b) => byCount(a, b) || (a.oid ?? '').localeCompare(b.oid ?? '')).slice(0, 50);
  const oids = [...new Set([...agencies.map((a) => a.oid), ...authorities.flatMap((a) => (a.oid ? [a.oid] : []))])];
  const names = new Map((oids.length ? await db.selectFrom('orgs').select(['oid', 'name']).where('oid', 'in', oids).execute() : []).map((o) => [o.oid, o.name]));
  return {
    total: n(total?.n), closed: n(total?.closed),
    byPeriod: only(16).map((r) => ({ period: periodLabel(r.period, f.period), n: n(r.n), major: n(r.major) })).sort((a, b) => a.period.localeCompare(b.period)),
    byLevel: only(8).map((r) => ({ level: n(r.level), n: n(r.n) })).sort((a, b) => a.level - b.level),
    byType: only(4).map((r) => ({ category: r.category, n: n(r.n) })).sort((a, b) => byCount(a, b) || a.category.localeCompare(b.category)),
    byAgency: agencies.map((a) => ({ ...a, name: names.get(a.oid) ?? a.oid })),
    byAuthority: authorities.map((a) => ({ ...a, name: a.oid ? names.get(a.oid) ?? a.oid : null })),
    clocks: clocks.map((r) => {
      const h = minutes.filter((m) => m.profile_id === r.profile_id && m.rule_id === r.rule_id).map((m) => ({ value: n(m.minutes), count: n(m.n) }));
      return {
        profileId: r.profile_id, ruleId: r.rule_id, n: n(r.n), met: n(r.met), late: n(r.late), overdue: n(r.overdue), running: n(r.running),
        medianMinutes: roundOrNull(percentileOf(h, 0.5)), p90Minutes: roundOrNull(percentileOf(h, 0.9)),
      };
    }),
  };
}
export type IncidentStatistics = Awaited<ReturnType<typeof incidentStatistics>>;
