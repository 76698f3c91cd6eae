// INC-6, INC-7: the incident statistics, every number one SQL GROUP BY within the caller's statistics
// scope (`withinIncidentScope`): submitted incidents reported in the period, real ones or drills
// (never both), by period (Taipei calendar), level, type, agency and competent authority; per clock
// of each profile how many were met on time, late, are overdue or running, and the median and 90th
// percentile minutes from anchor to meeting (incident_clock_outcomes, rewritten with every event).
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { withinIncidentScope } from '../access/jurisdiction-sql.ts';
import type { IncidentScope } from '../access/incident-rules.ts';

export type Period = 'month' | 'quarter' | 'year';
export interface StatsFilter { from: Date; to: Date; drill: boolean; period: Period; now: Date }

const base = (db: Db, scope: IncidentScope, f: StatsFilter) => db.selectFrom('incidents as i')
  .where('i.state', '<>', 'draft').where('i.drill', '=', f.drill)
  .where('i.reported_at', '>=', f.from).where('i.reported_at', '<', f.to)
  .where(withinIncidentScope('i', scope));

const n = (v: unknown) => Number(v ?? 0);

export async function incidentStatistics(db: Db, scope: IncidentScope, f: StatsFilter) {
  const unit = sql.lit(f.period);
  const label = sql.lit({ month: 'YYYY-MM', quarter: 'YYYY-"Q"Q', year: 'YYYY' }[f.period]);
  const [total, byPeriod, byLevel, byType, byAgency, byAuthority, clocks] = await Promise.all([
    base(db, scope, f).select((eb) => [eb.fn.countAll<string>().as('n'), sql<string>`count(*) FILTER (WHERE i.state = 'closed')`.as('closed')]).executeTakeFirstOrThrow(),
    base(db, scope, f).select([sql<string>`to_char(date_trunc(${unit}, i.reported_at AT TIME ZONE 'Asia/Taipei'), ${label})`.as('period'),
      sql<string>`count(*)`.as('n'), sql<string>`count(*) FILTER (WHERE i.level >= 3)`.as('major')])
      .groupBy(sql`1`).orderBy(sql`1`).execute(),
    base(db, scope, f).select([sql<number>`coalesce(i.level, 0)`.as('level'), sql<string>`count(*)`.as('n')]).groupBy(sql`1`).orderBy(sql`1`).execute(),
    base(db, scope, f).select([sql<string>`coalesce(i.category, 'unspecified')`.as('category'), sql<string>`count(*)`.as('n')]).groupBy(sql`1`).orderBy(sql`2 desc, 1`).execute(),
    base(db, scope, f).innerJoin('orgs as o', 'o.oid', 'i.org_oid').select(['i.org_oid as oid', 'o.name', sql<string>`count(*)`.as('n'), sql<string>`count(*) FILTER (WHERE i.level >= 3)`.as('major')])
      .groupBy(['i.org_oid', 'o.name']).orderBy(sql`3 desc, 1`).limit(50).execute(),
    base(db, scope, f).leftJoin('orgs as ca', 'ca.oid', 'i.authority_oid').select(['i.authority_oid as oid', 'ca.name', sql<string>`count(*)`.as('n')])
      .groupBy(['i.authority_oid', 'ca.name']).orderBy(sql`3 desc, 1`).limit(50).execute(),
    base(db, scope, f).innerJoin('incident_clock_outcomes as c', 'c.incident_id', 'i.id').select([
      'c.profile_id', 'c.rule_id', sql<string>`count(*)`.as('n'),
      sql<string>`count(*) FILTER (WHERE c.met_at <= c.due_at)`.as('met'),
      sql<string>`count(*) FILTER (WHERE c.met_at > c.due_at)`.as('late'),
      sql<string>`count(*) FILTER (WHERE c.met_at IS NULL AND c.due_at < ${f.now})`.as('overdue'),
      sql<string>`count(*) FILTER (WHERE c.met_at IS NULL AND c.due_at >= ${f.now})`.as('running'),
      sql<number | null>`percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.met_at - c.anchor_at) / 60) FILTER (WHERE c.met_at IS NOT NULL)`.as('median'),
      sql<number | null>`percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM c.met_at - c.anchor_at) / 60) FILTER (WHERE c.met_at IS NOT NULL)`.as('p90'),
    ]).groupBy(['c.profile_id', 'c.rule_id']).orderBy(['c.profile_id', 'c.rule_id']).execute(),
  ]);
  return {
    total: n(total.n), closed: n(total.closed),
    byPeriod: byPeriod.map((r) => ({ period: r.period, n: n(r.n), major: n(r.major) })),
    byLevel: byLevel.map((r) => ({ level: n(r.level), n: n(r.n) })),
    byType: byType.map((r) => ({ category: r.category, n: n(r.n) })),
    byAgency: byAgency.map((r) => ({ oid: r.oid, name: r.name, n: n(r.n), major: n(r.major) })),
    byAuthority: byAuthority.map((r) => ({ oid: r.oid, name: r.name, n: n(r.n) })),
    clocks: clocks.map((r) => ({
      profileId: r.profile_id, ruleId: r.rule_id, n: n(r.n), met: n(r.met), late: n(r.late), overdue: n(r.overdue), running: n(r.running),
      medianMinutes: r.median === null ? null : Math.round(Number(r.median)), p90Minutes: r.p90 === null ? null : Math.round(Number(r.p90)),
    })),
  };
}
export type IncidentStatistics = Awaited<ReturnType<typeof incidentStatistics>>;
