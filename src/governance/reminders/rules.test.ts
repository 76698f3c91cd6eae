// GOV-5: the reminder window before a password expires, and the Taipei day of a digest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passwordReminderWindow, passwordExpiresAt, taipeiDay } from './rules.ts';

const now = new Date('2026-12-01T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const inside = (w: ReturnType<typeof passwordReminderWindow>, setAt: Date) => w !== null && setAt > w.setAfter && setAt <= w.setAtOrBefore;

test('GOV-5: a password expiring within the reminder days is inside the window; one expiring later, or already expired, is not', () => {
  const w = passwordReminderWindow({ maxAgeDays: 90, remindDays: 14, approvals: true }, now);
  assert.equal(inside(w, daysAgo(75)), false, 'expires in 15 days: not yet');
  assert.equal(inside(w, daysAgo(76)), true, 'expires in 14 days: remind');
  assert.equal(inside(w, daysAgo(89)), true);
  assert.equal(inside(w, daysAgo(90)), false, 'expired now: the sign-in forces the change');
  assert.equal(passwordExpiresAt(daysAgo(76), 90).getTime(), now.getTime() + 14 * 86_400_000);
});

test('GOV-5: no window when passwords never expire or the region sends no reminder; reminder days beyond the age are capped', () => {
  assert.equal(passwordReminderWindow({ maxAgeDays: 0, remindDays: 14, approvals: true }, now), null);
  assert.equal(passwordReminderWindow({ maxAgeDays: 90, remindDays: 0, approvals: true }, now), null);
  const w = passwordReminderWindow({ maxAgeDays: 7, remindDays: 14, approvals: true }, now)!;
  assert.equal(w.setAtOrBefore.getTime(), now.getTime());
});

test('GOV-5: the digest day is the Taipei calendar day', () => {
  assert.equal(taipeiDay(new Date('2026-12-01T15:59:59Z')), '2026-12-01');
  assert.equal(taipeiDay(new Date('2026-12-01T16:00:00Z')), '2026-12-02');
});
