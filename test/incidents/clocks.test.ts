// Worked examples of the incident clocks (INC-6, INC-9 and the drills of INC-7): every rule of every built-in profile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BUILT_IN_PROFILES, DEFAULT_PROFILE_ID, addCalendarMonthsTaipei, computeClocks, escalationTargets, nextDeadline, overdueClocks,
  type Clock, type ClockState, type ImpactLevel, type IncidentEvent, type IncidentEventKind,
} from '../../src/incidents/clocks/index.ts';

// Events are written as [kind, minutes after T0, level?, reason?].

/** Monday 2 March 2026, 09:00 in Taipei. */
const T0 = new Date('2026-03-02T01:00:00Z');
const H = 60;
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);
const minutesOf = (d: Date): number => (d.getTime() - T0.getTime()) / 60_000;

type Ev = [IncidentEventKind, number, ImpactLevel?, string?];
const events = (evs: Ev[]): IncidentEvent[] =>
  evs.map(([kind, m, level, reason]) => ({ kind, at: at(m), ...(level ? { level } : {}), ...(reason ? { reason } : {}) }));

const profiles = (ids: string[]) => ids.map((id) => BUILT_IN_PROFILES[id]);

/** All clocks, keyed `profile/rule`. */
function clocksOf(ids: string[], evs: Ev[], now: number): Map<string, Clock> {
  return new Map(computeClocks(profiles(ids), events(evs), at(now)).map((c) => [`${c.profileId}/${c.ruleId}`, c]));
}

interface Row {
  title: string;
  profiles?: string[];          // default ['tw-cs']
  events: Ev[];
  now: number;                  // minutes after T0
  clock: string;                // profile/rule
  /** null: the clock must not exist. */
  expect: null | { state: ClockState; anchor?: number; due?: number | string; level?: ImpactLevel | null; met?: number };
}

const R: Row[] = [
  // tw-cs report: 1 h from awareness, met by the report or a phone report.
  { title: 'INC-6: tw-cs report, reported after 59 min → met', events: [['aware', 0], ['reported', 59, 2]], now: 60, clock: 'tw-cs/report', expect: { state: 'met', anchor: 0, due: 60, met: 59 } },
  { title: 'INC-6: tw-cs report, reported after exactly 1 h → met (within the hour)', events: [['aware', 0], ['reported', 60, 2]], now: 61, clock: 'tw-cs/report', expect: { state: 'met', due: 60 } },
  { title: 'INC-6: tw-cs report, reported after 1h01 → late', events: [['aware', 0], ['reported', 61, 1]], now: 70, clock: 'tw-cs/report', expect: { state: 'late', due: 60, met: 61 } },
  { title: 'INC-6: tw-cs report, nothing at 44 min → running', events: [['aware', 0]], now: 44, clock: 'tw-cs/report', expect: { state: 'running', due: 60 } },
  { title: 'INC-6: tw-cs report, nothing at 45 min (75 %) → warning', events: [['aware', 0]], now: 45, clock: 'tw-cs/report', expect: { state: 'warning', due: 60 } },
  { title: 'INC-6: tw-cs report, nothing at 1h01 → overdue', events: [['aware', 0]], now: 61, clock: 'tw-cs/report', expect: { state: 'overdue', due: 60 } },
  { title: 'INC-6: tw-cs report, phoned in after 50 min (network down) → met', events: [['aware', 0], ['phone_reported', 50, 3]], now: 60, clock: 'tw-cs/report', expect: { state: 'met', met: 50 } },
  { title: 'INC-6: tw-cs report, no awareness recorded → no clock', events: [['reported', 10, 1]], now: 60, clock: 'tw-cs/report', expect: null },
  // back-fill of a phone report: 24 h.
  { title: 'INC-6: tw-cs back-fill, back-filled 23 h after the phone report → met', events: [['aware', 0], ['phone_reported', 50, 2], ['backfilled', 50 + 23 * H]], now: 50 + 24 * H, clock: 'tw-cs/backfill', expect: { state: 'met', anchor: 50, due: 50 + 24 * H } },
  { title: 'INC-6: tw-cs back-fill, not back-filled 24h01 after the phone report → overdue', events: [['aware', 0], ['phone_reported', 50, 2]], now: 51 + 24 * H, clock: 'tw-cs/backfill', expect: { state: 'overdue', due: 50 + 24 * H } },
  { title: 'INC-6: tw-cs back-fill, reported on the platform → no back-fill clock', events: [['aware', 0], ['reported', 50, 2]], now: 60, clock: 'tw-cs/backfill', expect: null },
  // competent authority review: 8 h (1–2) / 2 h (3–4) from the report.
  { title: 'INC-6: tw-cs review, level 1, reviewed after 7h59 → met', events: [['aware', 0], ['reported', 30, 1], ['reviewed', 30 + 8 * H - 1]], now: 30 + 9 * H, clock: 'tw-cs/review', expect: { state: 'met', anchor: 30, due: 30 + 8 * H, level: 1 } },
  { title: 'INC-6: tw-cs review, level 2, reviewed after 8h01 → late', events: [['aware', 0], ['reported', 30, 2], ['reviewed', 30 + 8 * H + 1]], now: 30 + 9 * H, clock: 'tw-cs/review', expect: { state: 'late', due: 30 + 8 * H, level: 2 } },
  { title: 'INC-6: tw-cs review, level 2, open after 6 h (75 %) → warning', events: [['aware', 0], ['reported', 30, 2]], now: 30 + 6 * H, clock: 'tw-cs/review', expect: { state: 'warning', due: 30 + 8 * H } },
  { title: 'INC-6: tw-cs review, level 3, reviewed after 1h59 → met', events: [['aware', 0], ['reported', 30, 3], ['reviewed', 30 + 119]], now: 30 + 3 * H, clock: 'tw-cs/review', expect: { state: 'met', due: 30 + 2 * H, level: 3 } },
  { title: 'INC-6: tw-cs review, level 4, reviewed after 2h01 → late', events: [['aware', 0], ['reported', 30, 4], ['reviewed', 30 + 121]], now: 30 + 3 * H, clock: 'tw-cs/review', expect: { state: 'late', due: 30 + 2 * H, level: 4 } },
  { title: 'INC-6: tw-cs review, level 3, open after 2h01 → overdue', events: [['aware', 0], ['reported', 30, 3]], now: 30 + 121, clock: 'tw-cs/review', expect: { state: 'overdue', due: 30 + 2 * H } },
  { title: 'INC-6: tw-cs review, level 2 raised to 3 by the reviewer after 5 h → met (judged at the level reviewed)', events: [['aware', 0], ['reported', 30, 2], ['reviewed', 30 + 5 * H, 3]], now: 30 + 6 * H, clock: 'tw-cs/review', expect: { state: 'met', due: 30 + 8 * H, level: 2 } },
  // technical centre re-review: 8 h / 2 h from the review.
  { title: 'INC-6: tw-cs centre re-review, level 2, re-reviewed 7 h after the review → met', events: [['aware', 0], ['reported', 30, 2], ['reviewed', 90], ['centre_reviewed', 90 + 7 * H]], now: 90 + 9 * H, clock: 'tw-cs/centre-review', expect: { state: 'met', anchor: 90, due: 90 + 8 * H } },
  { title: 'INC-6: tw-cs centre re-review, level 4, open 2h01 after the review → overdue', events: [['aware', 0], ['reported', 30, 4], ['reviewed', 90]], now: 90 + 121, clock: 'tw-cs/centre-review', expect: { state: 'overdue', due: 90 + 2 * H, level: 4 } },
  { title: 'INC-6: tw-cs centre re-review, a direct review is its own re-review → met at once', events: [['aware', 0], ['reported', 30, 3], ['centre_direct_review', 200]], now: 300, clock: 'tw-cs/centre-review', expect: { state: 'met', anchor: 200, met: 200 } },
  // forward a level 3–4 result: 1 h from the review.
  { title: 'INC-6: tw-cs forward, level 3, forwarded 59 min after the review → met', events: [['aware', 0], ['reported', 30, 3], ['reviewed', 100], ['forwarded', 159]], now: 200, clock: 'tw-cs/forward', expect: { state: 'met', anchor: 100, due: 160 } },
  { title: 'INC-6: tw-cs forward, level 4, not forwarded 1h01 after the review → overdue', events: [['aware', 0], ['reported', 30, 4], ['reviewed', 100]], now: 161, clock: 'tw-cs/forward', expect: { state: 'overdue', due: 160 } },
  { title: 'INC-6: tw-cs forward, level 2 → no clock', events: [['aware', 0], ['reported', 30, 2], ['reviewed', 100]], now: 200, clock: 'tw-cs/forward', expect: null },
  { title: 'INC-6: tw-cs forward, raised to 3 by the centre re-review → 1 h from that re-review', events: [['aware', 0], ['reported', 30, 2], ['reviewed', 100], ['centre_reviewed', 300, 3]], now: 310, clock: 'tw-cs/forward', expect: { state: 'running', anchor: 300, due: 360, level: 3 } },
  // CISO and IT chief: at once (15 min backstop) for 3–4.
  { title: 'INC-6: tw-cs notify CISO, level 3 report, notified after 10 min → met', events: [['aware', 0], ['reported', 30, 3], ['notified', 40]], now: 60, clock: 'tw-cs/notify-ciso', expect: { state: 'met', anchor: 30, due: 45 } },
  { title: 'INC-6: tw-cs notify CISO, level 4 report, not notified after 16 min → overdue', events: [['aware', 0], ['reported', 30, 4]], now: 46, clock: 'tw-cs/notify-ciso', expect: { state: 'overdue', due: 45 } },
  { title: 'INC-6: tw-cs notify CISO, level 1 → no clock', events: [['aware', 0], ['reported', 30, 1]], now: 60, clock: 'tw-cs/notify-ciso', expect: null },
  { title: 'INC-6: tw-cs notify CISO, level 2 raised to 4 by the review → 15 min from the review', events: [['aware', 0], ['reported', 30, 2], ['reviewed', 200, 4]], now: 205, clock: 'tw-cs/notify-ciso', expect: { state: 'running', anchor: 200, due: 215, level: 4 } },
  // support: only when requested; 1 h (3–4) / 2 h (1–2) from the re-review.
  { title: 'INC-6: tw-cs support, level 3, dispatched 59 min after the re-review → met', events: [['aware', 0], ['reported', 30, 3], ['support_requested', 30], ['reviewed', 100], ['centre_reviewed', 150], ['support_dispatched', 209]], now: 300, clock: 'tw-cs/support', expect: { state: 'met', anchor: 150, due: 210 } },
  { title: 'INC-6: tw-cs support, level 2, not dispatched 2h01 after the re-review → overdue', events: [['aware', 0], ['reported', 30, 2], ['support_requested', 30], ['reviewed', 100], ['centre_reviewed', 150]], now: 271, clock: 'tw-cs/support', expect: { state: 'overdue', due: 270, level: 2 } },
  { title: 'INC-6: tw-cs support, not requested → no clock', events: [['aware', 0], ['reported', 30, 3], ['reviewed', 100], ['centre_reviewed', 150]], now: 300, clock: 'tw-cs/support', expect: null },
  { title: 'INC-6: tw-cs support, requested after the re-review → from the request', events: [['aware', 0], ['reported', 30, 4], ['reviewed', 100], ['centre_reviewed', 150], ['support_requested', 400]], now: 410, clock: 'tw-cs/support', expect: { state: 'running', anchor: 400, due: 460 } },
  // damage control or recovery: 72 h (1–2) / 36 h (3–4) from awareness.
  { title: 'INC-6: tw-cs containment, level 2, contained after 71 h → met', events: [['aware', 0], ['reported', 30, 2], ['contained', 71 * H]], now: 80 * H, clock: 'tw-cs/contain', expect: { state: 'met', anchor: 0, due: 72 * H } },
  { title: 'INC-6: tw-cs containment, level 1, open after 54 h (75 %) → warning', events: [['aware', 0], ['reported', 30, 1]], now: 54 * H, clock: 'tw-cs/contain', expect: { state: 'warning', due: 72 * H } },
  { title: 'INC-6: tw-cs containment, level 3, contained after 37 h → late', events: [['aware', 0], ['reported', 30, 3], ['contained', 37 * H]], now: 40 * H, clock: 'tw-cs/contain', expect: { state: 'late', due: 36 * H } },
  { title: 'INC-6: tw-cs containment, level 4, open after 36h01 → overdue', events: [['aware', 0], ['reported', 30, 4]], now: 36 * H + 1, clock: 'tw-cs/contain', expect: { state: 'overdue', due: 36 * H } },
  // closure report, its review, investigation report.
  { title: 'INC-6: tw-cs closure report, due at the end of the same date a month after containment (Taipei) → met', events: [['aware', 0], ['reported', 30, 2], ['contained', 10 * H], ['closure_submitted', 20 * 24 * H]], now: 40 * 24 * H, clock: 'tw-cs/closure', expect: { state: 'met', anchor: 10 * H, due: '2026-04-02T16:00:00.000Z' } },
  { title: 'INC-6: tw-cs closure report, open the day after → overdue', events: [['aware', 0], ['reported', 30, 2], ['contained', 10 * H]], now: minutesOf(new Date('2026-04-02T16:00:00.001Z')) + 1, clock: 'tw-cs/closure', expect: { state: 'overdue', due: '2026-04-02T16:00:00.000Z' } },
  { title: 'INC-6: tw-cs closure review, level 2, approved 8h01 after submission → late', events: [['aware', 0], ['reported', 30, 2], ['contained', 10 * H], ['closure_submitted', 20 * H], ['closure_approved', 28 * H + 1]], now: 40 * H, clock: 'tw-cs/closure-review', expect: { state: 'late', anchor: 20 * H, due: 28 * H } },
  { title: 'INC-6: tw-cs closure review, level 3, approved 1h59 after submission → met', events: [['aware', 0], ['reported', 30, 3], ['contained', 10 * H], ['closure_submitted', 20 * H], ['closure_approved', 20 * H + 119]], now: 40 * H, clock: 'tw-cs/closure-review', expect: { state: 'met', due: 22 * H } },
  { title: 'INC-6: tw-cs investigation report, submitted a month and a day after containment → late', events: [['aware', 0], ['reported', 30, 2], ['contained', 10 * H], ['investigation_submitted', minutesOf(new Date('2026-04-03T01:00:00Z'))]], now: 60 * 24 * H, clock: 'tw-cs/investigation', expect: { state: 'late', due: '2026-04-02T16:00:00.000Z' } },
  { title: 'INC-6: tw-cs investigation report, not contained yet → no clock', events: [['aware', 0], ['reported', 30, 2]], now: 100 * H, clock: 'tw-cs/investigation', expect: null },
  // NIS2 Art. 23.
  { title: 'INC-9: nis2 early warning, sent after 23 h → met', profiles: ['nis2-art23'], events: [['aware', 0], ['early_warning_sent', 23 * H]], now: 30 * H, clock: 'nis2-art23/early-warning', expect: { state: 'met', due: 24 * H } },
  { title: 'INC-9: nis2 early warning, none after 24h01 → overdue', profiles: ['nis2-art23'], events: [['aware', 0]], now: 24 * H + 1, clock: 'nis2-art23/early-warning', expect: { state: 'overdue', due: 24 * H } },
  { title: 'INC-9: nis2 incident notification, sent after 73 h → late', profiles: ['nis2-art23'], events: [['aware', 0], ['incident_notification_sent', 73 * H]], now: 80 * H, clock: 'nis2-art23/notification', expect: { state: 'late', due: 72 * H } },
  { title: 'INC-9: nis2 final report, a month after the notification (calendar) → running', profiles: ['nis2-art23'], events: [['aware', 0], ['incident_notification_sent', 48 * H]], now: 50 * H, clock: 'nis2-art23/final-report', expect: { state: 'running', anchor: 48 * H, due: '2026-04-04T16:00:00.000Z' } },
  { title: 'INC-9: nis2 final report, no notification yet → no clock', profiles: ['nis2-art23'], events: [['aware', 0]], now: 50 * H, clock: 'nis2-art23/final-report', expect: null },
  // GDPR Art. 33.
  { title: 'INC-9: gdpr notification, personal data, notified after 71 h → met', profiles: ['gdpr-art33'], events: [['aware', 0], ['personal_data_involved', 0], ['supervisory_authority_notified', 71 * H]], now: 80 * H, clock: 'gdpr-art33/notify-authority', expect: { state: 'met', due: 72 * H } },
  { title: 'INC-9: gdpr notification, personal data, none after 72h01 → overdue', profiles: ['gdpr-art33'], events: [['aware', 0], ['personal_data_involved', 30]], now: 30 + 72 * H + 1, clock: 'gdpr-art33/notify-authority', expect: { state: 'overdue', anchor: 30, due: 30 + 72 * H } },
  { title: 'INC-9: gdpr notification, no personal data → no clock', profiles: ['gdpr-art33'], events: [['aware', 0], ['reported', 30, 2]], now: 80 * H, clock: 'gdpr-art33/notify-authority', expect: null },
  // drills (INC-7).
  { title: 'INC-7: drill report, submitted 30 days after the drill → met', profiles: ['tw-cs-drill'], events: [['drill_completed', 0], ['drill_report_submitted', 30 * 24 * H]], now: 40 * 24 * H, clock: 'tw-cs-drill/drill-report', expect: { state: 'met', due: '2026-04-02T16:00:00.000Z' } },
  { title: 'INC-7: drill report, none a month and a day after the drill → overdue', profiles: ['tw-cs-drill'], events: [['drill_completed', 0]], now: minutesOf(new Date('2026-04-03T01:00:00Z')), clock: 'tw-cs-drill/drill-report', expect: { state: 'overdue' } },
];

for (const row of R) {
  test(row.title, () => {
    const c = clocksOf(row.profiles ?? ['tw-cs'], row.events, row.now).get(row.clock);
    if (row.expect === null) { assert.equal(c, undefined, `${row.clock} must not exist`); return; }
    assert.ok(c, `${row.clock} exists`);
    const e = row.expect;
    assert.equal(c.state, e.state);
    if (e.anchor !== undefined) assert.equal(minutesOf(c.anchorAt), e.anchor, 'anchor');
    if (typeof e.due === 'number') assert.equal(minutesOf(c.dueAt), e.due, 'due');
    if (typeof e.due === 'string') assert.equal(c.dueAt.toISOString(), e.due, 'due');
    if (e.level !== undefined) assert.equal(c.level, e.level, 'level');
    if (e.met !== undefined) assert.equal(c.metAt && minutesOf(c.metAt), e.met, 'met');
    assert.ok(c.warnAt >= c.anchorAt && c.warnAt <= c.dueAt);
  });
}

test('INC-9: every rule of every built-in profile has a worked example above', () => {
  const covered = new Set(R.map((r) => r.clock));
  const all = Object.values(BUILT_IN_PROFILES).flatMap((p) => p.rules.map((r) => `${p.id}/${r.id}`));
  assert.deepEqual(all.filter((k) => !covered.has(k)), []);
  assert.equal(DEFAULT_PROFILE_ID, 'tw-cs');
  for (const p of Object.values(BUILT_IN_PROFILES)) {
    assert.ok(p.name['zh-TW'] && p.name.en && p.source['zh-TW'] && p.source.en, p.id);
    for (const r of p.rules) assert.ok(r.label['zh-TW'] && r.label.en, `${p.id}/${r.id}`);
  }
});

// Scenarios across rules.

test('INC-6: a level change from 2 to 3 shortens the review clock; it keeps its anchor (the report)', () => {
  const base: Ev[] = [['aware', 0], ['reported', 30, 2]];
  assert.equal(minutesOf(clocksOf(['tw-cs'], base, 60).get('tw-cs/review')!.dueAt), 30 + 8 * H);
  const c = clocksOf(['tw-cs'], [...base, ['level_changed', 90, 3]], 100).get('tw-cs/review')!;
  assert.equal(minutesOf(c.anchorAt), 30);
  assert.equal(minutesOf(c.dueAt), 30 + 2 * H);
  assert.equal(c.level, 3);
  assert.equal(c.state, 'running', '70 of 120 minutes gone');
  assert.equal(clocksOf(['tw-cs'], [...base, ['level_changed', 90, 3]], 30 + 121).get('tw-cs/review')!.state, 'overdue');
  // the level change also brings the level 3–4 clocks; containment shortens from 72 h to 36 h after awareness
  const all = clocksOf(['tw-cs'], [...base, ['level_changed', 90, 3]], 100);
  assert.equal(minutesOf(all.get('tw-cs/notify-ciso')!.anchorAt), 90, 'CISO notice counts from the level change');
  assert.equal(minutesOf(all.get('tw-cs/contain')!.dueAt), 36 * H);
});

test('INC-6: a level change from 3 to 1 lengthens the review clock; the CISO notice already given stays, the forward not yet due stops', () => {
  const evs: Ev[] = [['aware', 0], ['reported', 30, 3], ['notified', 35], ['level_changed', 100, 1]];
  const c = clocksOf(['tw-cs'], evs, 120);
  assert.equal(minutesOf(c.get('tw-cs/review')!.dueAt), 30 + 8 * H);
  assert.equal(c.get('tw-cs/review')!.state, 'running', 'no longer overdue-bound at 2 h');
  assert.equal(c.get('tw-cs/notify-ciso')!.state, 'met', 'a clock met at level 3 stays in the record');
  assert.equal(c.get('tw-cs/notify-ciso')!.level, 3);
  assert.equal(minutesOf(c.get('tw-cs/contain')!.dueAt), 72 * H);
  // an open level 3–4 clock stops applying at level 1: documented in docs/decisions.md
  const open = clocksOf(['tw-cs'], [['aware', 0], ['reported', 30, 3], ['reviewed', 60], ['level_changed', 100, 1]], 120);
  assert.equal(open.has('tw-cs/forward'), false);
  assert.equal(clocksOf(['tw-cs'], [['aware', 0], ['reported', 30, 3], ['reviewed', 60]], 99).get('tw-cs/forward')!.state, 'running');
});

test('INC-6: a back-filled phone report — the phone time is the report time, the back-fill its own clock', () => {
  const evs: Ev[] = [['aware', 0], ['phone_reported', 40, 3], ['backfilled', 6 * H, 3]];
  const c = clocksOf(['tw-cs'], evs, 7 * H);
  assert.equal(c.get('tw-cs/report')!.state, 'met');
  assert.equal(c.get('tw-cs/report')!.metByKind, 'phone_reported');
  assert.equal(minutesOf(c.get('tw-cs/report')!.metAt!), 40);
  assert.equal(minutesOf(c.get('tw-cs/review')!.anchorAt), 40, 'the review counts from the phone call, not the back-fill');
  assert.equal(minutesOf(c.get('tw-cs/review')!.dueAt), 40 + 2 * H);
  assert.equal(c.get('tw-cs/backfill')!.state, 'met');
  assert.equal(minutesOf(c.get('tw-cs/backfill')!.metAt!), 6 * H);
});

test('INC-6: the competent authority misses its 2 h deadline → overdue, escalates to the technical centre; the direct review meets it late', () => {
  const before: Ev[] = [['aware', 0], ['reported', 30, 3], ['notified', 32]];
  const missed = clocksOf(['tw-cs'], before, 30 + 2 * H + 1).get('tw-cs/review')!;
  assert.equal(missed.state, 'overdue');
  assert.deepEqual(escalationTargets(missed), ['technical_centre']);
  const now = at(30 + 2 * H + 1);
  const overdue = overdueClocks(computeClocks(profiles(['tw-cs']), events(before), now), now);
  assert.deepEqual(overdue.map((c) => c.ruleId), ['review']);

  const after = clocksOf(['tw-cs'], [...before, ['centre_direct_review', 3 * H, 3, 'competent authority did not review']], 3 * H + 10);
  const review = after.get('tw-cs/review')!;
  assert.equal(review.state, 'late');
  assert.equal(review.metByKind, 'centre_direct_review');
  assert.deepEqual(escalationTargets(review), [], 'a closed clock escalates to nobody');
  assert.equal(after.get('tw-cs/centre-review')!.state, 'met', 'the direct review is the centre review');
  assert.equal(minutesOf(after.get('tw-cs/forward')!.anchorAt), 3 * H, 'the forward counts from the direct review');
});

test('INC-6: the support clock exists only when support was requested', () => {
  const evs: Ev[] = [['aware', 0], ['reported', 30, 3], ['reviewed', 60], ['centre_reviewed', 90]];
  assert.equal(clocksOf(['tw-cs'], evs, 100).has('tw-cs/support'), false);
  const c = clocksOf(['tw-cs'], [...evs, ['support_requested', 30]], 100).get('tw-cs/support')!;
  assert.equal(minutesOf(c.dueAt), 90 + H);
});

test('INC-9: GDPR Art. 33 only with personal data; late notification keeps the reason for the delay, or flags it missing', () => {
  const base: Ev[] = [['aware', 0], ['reported', 30, 2]];
  assert.equal(clocksOf(['tw-cs', 'gdpr-art33'], base, 60).has('gdpr-art33/notify-authority'), false);
  const withReason = clocksOf(['gdpr-art33'], [...base, ['personal_data_involved', 0], ['supervisory_authority_notified', 80 * H, undefined, 'forensics needed']], 90 * H).get('gdpr-art33/notify-authority')!;
  assert.equal(withReason.state, 'late');
  assert.equal(withReason.lateReason, 'forensics needed');
  assert.equal(withReason.lateReasonMissing, false);
  const without = clocksOf(['gdpr-art33'], [...base, ['personal_data_involved', 0], ['supervisory_authority_notified', 80 * H]], 90 * H).get('gdpr-art33/notify-authority')!;
  assert.equal(without.lateReason, null);
  assert.equal(without.lateReasonMissing, true);
  const onTime = clocksOf(['gdpr-art33'], [...base, ['personal_data_involved', 0], ['supervisory_authority_notified', 70 * H, undefined, 'x']], 90 * H).get('gdpr-art33/notify-authority')!;
  assert.equal(onTime.lateReason, null, 'no late reason when on time');
});

test('INC-9: two profiles at once — tw-cs and GDPR Art. 33 give both sets of clocks', () => {
  const clocks = computeClocks(profiles(['tw-cs', 'gdpr-art33']), events([['aware', 0], ['reported', 30, 3], ['personal_data_involved', 30]]), at(60));
  assert.deepEqual(clocks.map((c) => `${c.profileId}/${c.ruleId}`), ['tw-cs/report', 'tw-cs/review', 'tw-cs/notify-ciso', 'tw-cs/contain', 'gdpr-art33/notify-authority']);
  assert.equal(nextDeadline(clocks)!.ruleId, 'notify-ciso', 'the open clock due first, across profiles');
});

test('INC-7: a notification drill runs the Taiwan clocks as its time record and the drill report clock', () => {
  const evs: Ev[] = [['aware', 0], ['reported', 20, 3], ['reviewed', 80], ['drill_completed', 5 * H]];
  const c = clocksOf(['tw-cs', 'tw-cs-drill'], evs, 6 * H);
  assert.equal(c.get('tw-cs/report')!.state, 'met');
  assert.equal(c.get('tw-cs/review')!.state, 'met');
  assert.equal(c.get('tw-cs-drill/drill-report')!.state, 'running');
  assert.equal(c.get('tw-cs-drill/drill-report')!.dueAt.toISOString(), '2026-04-02T16:00:00.000Z');
});

test('INC-9: events after now are not yet known; the input order does not matter', () => {
  const evs = events([['aware', 0], ['reported', 30, 2], ['reviewed', 100]]);
  const at50 = computeClocks(profiles(['tw-cs']), evs, at(50));
  assert.equal(at50.find((c) => c.ruleId === 'review')!.state, 'running', 'the review at 100 min is not seen at 50 min');
  assert.equal(at50.some((c) => c.ruleId === 'centre-review'), false);
  assert.deepEqual(computeClocks(profiles(['tw-cs']), [...evs].reverse(), at(200)), computeClocks(profiles(['tw-cs']), evs, at(200)));
  assert.equal(nextDeadline([]), null);
});

test('INC-9: a calendar month on the Taipei calendar: same date, end of day; the month end when there is none; leap years; never the local zone', () => {
  const m = (iso: string, n = 1) => addCalendarMonthsTaipei(new Date(iso), n).toISOString();
  assert.equal(m('2026-03-02T01:00:00Z'), '2026-04-02T16:00:00.000Z', '2 Mar 09:00 Taipei → end of 2 Apr');
  assert.equal(m('2026-03-02T16:30:00Z'), '2026-04-03T16:00:00.000Z', '00:30 on 3 Mar in Taipei (still 2 Mar in UTC) → end of 3 Apr');
  assert.equal(m('2026-01-30T20:00:00Z'), '2026-02-28T16:00:00.000Z', '31 Jan Taipei → end of 28 Feb');
  assert.equal(m('2028-01-31T01:00:00Z'), '2028-02-29T16:00:00.000Z', 'leap year → end of 29 Feb');
  assert.equal(m('2026-12-15T01:00:00Z'), '2027-01-15T16:00:00.000Z', 'across the year');
  assert.equal(m('2026-03-31T01:00:00Z', 12), '2027-03-31T16:00:00.000Z');
  const saved = process.env.TZ;
  try {
    process.env.TZ = 'America/New_York';
    assert.equal(m('2026-03-02T16:30:00Z'), '2026-04-03T16:00:00.000Z', 'the machine zone plays no part');
  } finally { if (saved === undefined) delete process.env.TZ; else process.env.TZ = saved; }
  assert.ok(T0);
});
