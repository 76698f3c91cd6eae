// Property tests for OID arithmetic (ORG-1, ADM-2): validation, subtree membership without
// look-alike prefixes, parent = longest registered prefix, rebase round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isValidOid, isWithin, parentOf, properPrefixes, rebase, lastArc, compareOids } from './oid.ts';

const arc = fc.bigInt({ min: 0n, max: 10n ** 12n }).map(String);
/** Valid OIDs per X.660: first arc 0-2, second 0-39 under 0 and 1, then any arcs. */
const validOid = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.nat(), fc.array(arc, { maxLength: 8 }))
  .map(([a, b, rest]) => [String(a), String(a < 2 ? b % 40 : b), ...rest].join('.'));
const arcsOf = (o: string) => o.split('.');
/** Independent oracle: `p` is a proper prefix of `o` arc by arc. */
const isProperPrefix = (p: string, o: string) => {
  const x = arcsOf(p), y = arcsOf(o);
  return x.length < y.length && x.every((a, i) => a === y[i]);
};

test('every generated valid OID is accepted', () => {
  fc.assert(fc.property(validOid, (o) => isValidOid(o)));
});

test('an arc with a leading zero is rejected', () => {
  fc.assert(fc.property(validOid, fc.nat(), (o, i) => {
    const arcs = arcsOf(o);
    arcs[i % arcs.length] = '0' + arcs[i % arcs.length];
    return !isValidOid(arcs.join('.'));
  }));
});

test('an empty arc (leading, trailing or doubled dot) is rejected', () => {
  fc.assert(fc.property(validOid, fc.nat(), (o, i) => {
    const arcs = arcsOf(o);
    arcs.splice(i % (arcs.length + 1), 0, '');
    return !isValidOid(arcs.join('.'));
  }));
});

test('letters, spaces or signs anywhere are rejected', () => {
  fc.assert(fc.property(validOid, fc.nat(), fc.constantFrom('a', 'Z', ' ', '-', '+', 'e', 'x', '٣'), (o, i, ch) => {
    const at = i % (o.length + 1);
    return !isValidOid(o.slice(0, at) + ch + o.slice(at));
  }));
});

test('fixed examples: first-arc and second-arc limits, single arc, empty', () => {
  assert.ok(isValidOid('2.16.886.101.90027.20002'));
  assert.ok(isValidOid('1.39'));
  for (const bad of ['', '2', '3.1', '1.40', '0.40', '2.16.886.01', '2..16', '2.16.', '.2.16', '2.16.886.101a']) {
    assert.equal(isValidOid(bad), false, bad);
  }
});

test('every OID is within itself and each of its proper prefixes', () => {
  fc.assert(fc.property(validOid, (o) => isWithin(o, o) && properPrefixes(o).every((p) => isWithin(o, p))));
});

test('a look-alike prefix does not cover: 2.16.886.101.9002 vs 2.16.886.101.90027', () => {
  assert.equal(isWithin('2.16.886.101.90027', '2.16.886.101.9002'), false);
  assert.equal(isWithin('2.16.886.101.90027.20002', '2.16.886.101.9002'), false);
  assert.equal(isWithin('2.16.886.101.9002.7', '2.16.886.101.9002'), true);
  // Property: extending the last arc with digits leaves the subtree, for any node below as well.
  fc.assert(fc.property(validOid, fc.integer({ min: 0, max: 999 }), fc.array(arc, { maxLength: 3 }), (root, extra, below) => {
    const lookAlike = [root + String(extra), ...below].join('.');
    return !isWithin(lookAlike, root);
  }));
});

test('isWithin agrees with the arc-by-arc prefix oracle', () => {
  fc.assert(fc.property(validOid, validOid, (a, b) => isWithin(a, b) === (a === b || isProperPrefix(b, a))));
});

test('parentOf is the longest registered proper prefix, whatever else is registered', () => {
  fc.assert(fc.property(validOid, fc.array(fc.boolean(), { maxLength: 12 }), fc.array(validOid, { maxLength: 6 }), fc.nat(),
    (o, picks, others, n) => {
      const prefixes = properPrefixes(o);
      // Registered: some of o's prefixes, unrelated OIDs, look-alikes of its prefixes, o itself and a child.
      const registered = new Set<string>([o, o + '.1', ...others]);
      prefixes.forEach((p, i) => { if (picks[i]) registered.add(p); else registered.add(p + String(n % 10)); });
      const expected = [...registered].filter((r) => isProperPrefix(r, o)).sort((a, b) => arcsOf(b).length - arcsOf(a).length)[0] ?? null;
      return parentOf(o, (c) => registered.has(c)) === expected;
    }));
});

test('rebase moves a subtree and back again unchanged', () => {
  fc.assert(fc.property(validOid, fc.array(arc, { maxLength: 4 }), validOid, (root, below, to) => {
    const o = [root, ...below].join('.');
    const moved = rebase(o, root, to);
    assert.ok(isWithin(moved, to));
    assert.equal(arcsOf(moved).length - arcsOf(to).length, below.length);
    return rebase(moved, to, root) === o;
  }));
});

test('rebase refuses a node outside the subtree, including a look-alike', () => {
  assert.throws(() => rebase('2.16.886.101.90027', '2.16.886.101.9002', '2.16.886.102'));
  assert.equal(rebase('2.16.886.101.90027.20002', '2.16.886.101.90027', '2.16.886.111.5'), '2.16.886.111.5.20002');
  assert.equal(lastArc('2.16.886.101.90027'), '90027');
});

test('compareOids orders arcs numerically and parents before children', () => {
  assert.ok(compareOids('2.16.9', '2.16.10') < 0);
  fc.assert(fc.property(validOid, arc, (o, a) => compareOids(o, `${o}.${a}`) < 0 && compareOids(o, o) === 0));
});
