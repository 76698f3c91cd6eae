import { test } from 'node:test';
import assert from 'node:assert/strict';
import { limiter } from './password-hash.ts';

test('limiter runs at most N tasks at once and runs them all', async () => {
  const run = limiter(2);
  let active = 0, peak = 0;
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => run(async () => {
    active++; peak = Math.max(peak, active);
    await new Promise((r) => setTimeout(r, 5));
    active--;
    return i;
  })));
  assert.equal(peak, 2);
  assert.deepEqual(results, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});
