// Unit tests of the inactivity rules (GOV-2): policy regions along the OID tree, and the dates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inactivityRegions, regionOf, inactiveAt, noticeAt, cutoffs } from './rules.ts';
import { DAY } from '../../platform/clock.ts';

test('GOV-2: regions inherit down the tree, deepest first; a look-alike prefix is not inside; other settings start no region', () => {
  const regions = inactivityRegions([
    { oid: '2.16.886.101.90027', settings: { 'inactivity.autoDisable': true } },
    { oid: '2.16.886.101.90027.20002', settings: { 'inactivity.days': 30 } },
    { oid: '2.16.886.101.9002', settings: { 'password.minLength': 10 } },
  ]);
  assert.deepEqual(regions.map((r) => r.root), ['2.16.886.101.90027.20002', '2.16.886.101.90027', null]);
  assert.deepEqual(regionOf(regions, '2.16.886.101.90027.20002.20011'), { root: '2.16.886.101.90027.20002', days: 30, noticeDays: 14, autoDisable: true });
  assert.deepEqual(regionOf(regions, '2.16.886.101.90027.20003'), { root: '2.16.886.101.90027', days: 90, noticeDays: 14, autoDisable: true });
  assert.deepEqual(regionOf(regions, '2.16.886.101.9002'), { root: null, days: 90, noticeDays: 14, autoDisable: false });
  assert.deepEqual(regionOf(regions, '2.16.886.101.900270'), { root: null, days: 90, noticeDays: 14, autoDisable: false });
});

test('GOV-2: inactive at basis + days exactly; notice noticeDays before; none when 0', () => {
  const basis = new Date('2026-11-25T02:00:00Z');
  const p = { days: 90, noticeDays: 14, autoDisable: false };
  assert.equal(inactiveAt(basis, p).getTime(), basis.getTime() + 90 * DAY);
  assert.equal(noticeAt(basis, p)!.getTime(), basis.getTime() + 76 * DAY);
  assert.equal(noticeAt(basis, { ...p, noticeDays: 0 }), null);
  assert.equal(noticeAt(basis, { ...p, noticeDays: 200 })!.getTime(), basis.getTime(), 'a notice period longer than the threshold: at once');
  const now = new Date(basis.getTime() + 90 * DAY);
  assert.equal(cutoffs(p, now).inactive.getTime(), basis.getTime(), 'the cut-off at the threshold is the basis itself (inclusive)');
});
