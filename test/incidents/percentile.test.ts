// INC-6: the statistics' percentiles from counts per minute equal percentile_cont over the values themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentileOf } from '../../src/incidents/rules.ts';

/** percentile_cont over a plain list (PostgreSQL's definition). */
function naive(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const r = p * (v.length - 1), lo = Math.floor(r), hi = Math.ceil(r);
  return v[lo] + (v[hi] - v[lo]) * (r - lo);
}

test('INC-6: percentiles from a histogram equal percentile_cont over the expanded values (500 random cases)', () => {
  let seed = 42;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  for (let k = 0; k < 500; k++) {
    const h = Array.from({ length: 1 + rnd(8) }, () => ({ value: rnd(600), count: rnd(5) }));
    const values = h.flatMap((x) => Array(x.count).fill(x.value) as number[]);
    for (const p of [0, 0.5, 0.9, 1]) assert.equal(percentileOf(h, p), naive(values, p), JSON.stringify({ h, p }));
  }
  assert.equal(percentileOf([], 0.5), null);
  assert.equal(percentileOf([{ value: 10, count: 3 }], 0.9), 10);
});
