// Property tests of the incident clocks (INC-6, INC-9): thousands of random event sequences from a seeded PRNG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BUILT_IN_PROFILES, EVENT_KINDS, computeClocks, type Clock, type ImpactLevel, type IncidentEvent,
} from '../../src/incidents/clocks/index.ts';

const RUNS = 3000;
const ALL = Object.values(BUILT_IN_PROFILES);
const T0 = Date.parse('2026-03-02T01:00:00Z');
const key = (c: Clock) => `${c.profileId}/${c.ruleId}`;
const ruleOf = (c: Clock) => BUILT_IN_PROFILES[c.profileId].rules.find((r) => r.id === c.ruleId)!;

/** mulberry32: small, seeded, reproducible. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)] };
}

const LEVELLED = new Set(['reported', 'phone_reported', 'level_changed', 'reviewed', 'centre_reviewed', 'centre_direct_review']);
// Weighted towards the incident's main path so that most rules get anchors and meeting events.
const COMMON = ['aware', 'aware', 'reported', 'phone_reported', 'reviewed', 'centre_reviewed', 'centre_direct_review', 'level_changed', 'support_requested', 'contained', 'personal_data_involved', 'incident_notification_sent', 'drill_completed', 'closure_submitted'] as const;

function randomIncident(r: ReturnType<typeof prng>): { events: IncidentEvent[]; now: Date } {
  const n = r.int(16);
  const span = r.pick([90, 600, 3 * 24 * 60, 45 * 24 * 60]); // minutes: from an hour and a half to a month and a half
  const events: IncidentEvent[] = [];
  for (let i = 0; i < n; i++) {
    const kind = r.next() < 0.6 ? r.pick(COMMON) : r.pick(EVENT_KINDS);
    const e: IncidentEvent = { kind, at: new Date(T0 + r.int(span * 60) * 1000) };
    if (LEVELLED.has(kind) && r.next() < 0.8) e.level = (1 + r.int(4)) as ImpactLevel;
    if (r.next() < 0.1) e.reason = r.pick(['late', 'network down', '']);
    events.push(e);
  }
  return { events, now: new Date(T0 + r.int(span * 60 * 1.3) * 1000) };
}

const shuffle = <T>(r: ReturnType<typeof prng>, xs: T[]): T[] => {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) { const j = r.int(i + 1); [out[i], out[j]] = [out[j], out[i]]; }
  return out;
};

test('INC-6: no clock ends or warns before its anchor; warnAt ≤ dueAt; a met clock was met at or after its anchor; states agree with the times', () => {
  const r = prng(20261203);
  let clocks = 0;
  for (let i = 0; i < RUNS; i++) {
    const { events, now } = randomIncident(r);
    for (const c of computeClocks(ALL, events, now)) {
      clocks++;
      const where = `${key(c)} run ${i}`;
      assert.ok(c.dueAt > c.anchorAt, `dueAt after anchor: ${where}`);
      assert.ok(c.warnAt >= c.anchorAt && c.warnAt <= c.dueAt, `anchor ≤ warnAt ≤ dueAt: ${where}`);
      if (c.metAt) {
        assert.ok(c.metAt >= c.anchorAt && c.metAt <= now, `anchor ≤ metAt ≤ now: ${where}`);
        assert.equal(c.state, c.metAt <= c.dueAt ? 'met' : 'late', where);
      } else {
        assert.equal(c.state, now > c.dueAt ? 'overdue' : now >= c.warnAt ? 'warning' : 'running', where);
      }
      assert.ok(c.anchorAt <= now, `no clock starts after now: ${where}`);
      const rule = ruleOf(c);
      if (rule.levels) assert.ok(c.level !== null && rule.levels.includes(c.level), `a level-bound clock only at its levels: ${where}`);
    }
  }
  assert.ok(clocks > RUNS, `enough clocks to mean something (${clocks})`);
});

test('INC-9: computeClocks is deterministic and does not depend on the order of the events', () => {
  const r = prng(7);
  for (let i = 0; i < RUNS; i++) {
    const { events, now } = randomIncident(r);
    const a = computeClocks(ALL, events, now);
    assert.deepEqual(computeClocks(ALL, events, now), a);
    assert.deepEqual(computeClocks(ALL, shuffle(r, events), now), a, `run ${i}`);
  }
});

test('INC-6: a level change never loses a deadline — open clocks stay (unless their rule excludes the new level) with their anchor and the new level’s offset; met clocks stay as they were', () => {
  const r = prng(42);
  let open = 0, dropped = 0;
  for (let i = 0; i < RUNS; i++) {
    const { events, now } = randomIncident(r);
    const known = events.filter((e) => e.at <= now);
    const before = computeClocks(ALL, known, now);
    const level = (1 + r.int(4)) as ImpactLevel;
    const later = new Date(now.getTime() + 1 + r.int(3 * 3600_000));
    const after = new Map(computeClocks(ALL, [...known, { kind: 'level_changed', at: new Date(now.getTime() + 1), level }], later).map((c) => [key(c), c]));
    for (const b of before) {
      const a = after.get(key(b));
      const rule = ruleOf(b);
      if (b.metAt) {
        assert.ok(a, `a met clock stays: ${key(b)} run ${i}`);
        assert.deepEqual(a, b, `a met clock is not recomputed: ${key(b)} run ${i}`);
        continue;
      }
      open++;
      if (rule.levels && !rule.levels.includes(level)) { assert.equal(a, undefined, 'documented: stops at a level it does not apply to'); dropped++; continue; }
      assert.ok(a, `an open clock stays: ${key(b)} run ${i}`);
      assert.equal(a.anchorAt.getTime(), b.anchorAt.getTime(), `keeps its anchor: ${key(b)} run ${i}`);
      assert.equal(a.level, level, 'takes the new level');
      if (!rule.offsetMonths) assert.equal(a.dueAt.getTime() - a.anchorAt.getTime(), (rule.byLevel?.[level] ?? rule.offsetMinutes) * 60_000, 'and its offset');
    }
  }
  assert.ok(open > RUNS / 2 && dropped > 0, `open clocks seen (${open}), some level-bound ones stopped (${dropped})`);
});

test('INC-6: as time passes with no new event, a clock only moves forward: running → warning → overdue; met and late never change', () => {
  const order = { running: 0, warning: 1, overdue: 2, met: 3, late: 3 } as const;
  const r = prng(99);
  for (let i = 0; i < RUNS; i++) {
    const { events, now } = randomIncident(r);
    const known = events.filter((e) => e.at <= now);
    const later = new Date(now.getTime() + r.int(10 * 24 * 3600_000));
    const after = new Map(computeClocks(ALL, known, later).map((c) => [key(c), c]));
    for (const b of computeClocks(ALL, known, now)) {
      const a = after.get(key(b))!;
      assert.ok(a, `${key(b)} run ${i}`);
      assert.ok(order[a.state] >= order[b.state], `${key(b)}: ${b.state} → ${a.state}`);
      assert.equal(a.dueAt.getTime(), b.dueAt.getTime());
    }
  }
});
