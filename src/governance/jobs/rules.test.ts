// Unit tests of the scheduler's pure rules (issue 14).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextSlot, firstSlot, describeJobError } from './rules.ts';

test('issue 14: interval slots are aligned and strictly after; daily slots fall at the Taipei time of day', () => {
  const ten = { everyMs: 10 * 60_000 };
  assert.equal(nextSlot(ten, new Date('2026-11-25T02:03:00Z')).toISOString(), '2026-11-25T02:10:00.000Z');
  assert.equal(nextSlot(ten, new Date('2026-11-25T02:10:00Z')).toISOString(), '2026-11-25T02:20:00.000Z');
  assert.equal(firstSlot(ten, new Date('2026-11-25T02:03:00Z')).toISOString(), '2026-11-25T02:00:00.000Z');
  const three = { dailyAt: '03:00' }; // 03:00 in Taipei is 19:00 UTC the day before
  assert.equal(nextSlot(three, new Date('2026-11-25T02:00:00Z')).toISOString(), '2026-11-25T19:00:00.000Z');
  assert.equal(nextSlot(three, new Date('2026-11-25T19:00:00Z')).toISOString(), '2026-11-26T19:00:00.000Z');
  assert.equal(nextSlot(three, new Date('2026-11-25T18:59:59Z')).toISOString(), '2026-11-25T19:00:00.000Z');
  assert.equal(firstSlot(three, new Date('2026-11-25T02:00:00Z')).toISOString(), '2026-11-25T19:00:00.000Z');
  assert.throws(() => nextSlot({ dailyAt: '24:00' }, new Date()));
});

test('issue 14: a failure is kept without personal data', () => {
  const d = describeJobError(Object.assign(new Error('mail to lin@example.gov.tw for A123456789 at 0912-345678 failed'), { code: 'EFAIL' }));
  assert.equal(d, 'Error EFAIL mail to <address> for <id> at <number> failed');
});
