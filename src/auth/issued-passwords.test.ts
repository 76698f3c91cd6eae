// AUTH-4, AUTH-7: issued passwords.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initialPassword, endOfTaipeiDay, oneDayReplacementErrors } from './issued-passwords.ts';

test('AUTH-4: seed 003 example — born 15 February, ID ending 5678', () => {
  assert.equal(initialPassword(2, 15, 'A123455678'), 'MmDd02155678');
  assert.equal(initialPassword(12, 1, 'B287654321'), 'MmDd12014321');
});

test('AUTH-4/7: issued passwords expire at the next midnight in Taipei', () => {
  assert.equal(endOfTaipeiDay(new Date('2026-11-25T02:00:00Z')).toISOString(), '2026-11-25T16:00:00.000Z'); // 10:00 Taipei
  assert.equal(endOfTaipeiDay(new Date('2026-11-25T15:59:59Z')).toISOString(), '2026-11-25T16:00:00.000Z'); // 23:59:59
  assert.equal(endOfTaipeiDay(new Date('2026-11-25T16:00:00Z')).toISOString(), '2026-11-26T16:00:00.000Z'); // 00:00 next day
  fc.assert(fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (now) => {
    const end = endOfTaipeiDay(now);
    const ms = end.getTime() - now.getTime();
    return ms > 0 && ms <= 86_400_000 && (end.getTime() + 8 * 3_600_000) % 86_400_000 === 0;
  }));
});

test('AUTH-7: the replacement of a one-day password needs 12+ with upper, lower and digits', () => {
  assert.deepEqual(oneDayReplacementErrors('Harbour7Lights'), []);
  assert.deepEqual(oneDayReplacementErrors('Harbour7Li'), ['password.tooShort']);
  assert.deepEqual(oneDayReplacementErrors('harbour7lights'), ['password.needsUpperLowerDigit']);
  assert.deepEqual(oneDayReplacementErrors('Harbour-Lights!'), ['password.needsUpperLowerDigit']);
});
