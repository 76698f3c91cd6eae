// ACC-1: national ID and resident certificate checksums (property tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isValidNationalId, checkDigitFor, nationalIdKind, maskNationalId, normaliseNationalId } from './national-id.ts';

const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const body = (second: fc.Arbitrary<string>) => fc.tuple(letter, second, digits(7)).map(([l, s, d]) => l + s + d);
const complete = (first9: string) => first9 + checkDigitFor(first9);

test('ACC-1: known real-format examples', () => {
  assert.equal(isValidNationalId('A123456789'), true);   // the textbook example
  assert.equal(isValidNationalId('a123456789'), true);   // case-insensitive
  assert.equal(isValidNationalId('A123456788'), false);
  assert.equal(isValidNationalId('A323456789'), false);  // second digit must be 1/2 (or 8/9 for residents)
  assert.equal(nationalIdKind('A800000014'), 'resident_2021');
  assert.equal(isValidNationalId('A800000014'), true);   // 2021 resident certificate format
  assert.equal(nationalIdKind('AC01234567'), 'resident_legacy');
});

test('ACC-1: every citizen and 2021 resident number with the computed check digit is valid', () => {
  fc.assert(fc.property(body(fc.constantFrom('1', '2', '8', '9')), (b) => isValidNationalId(complete(b))));
  fc.assert(fc.property(body(fc.constantFrom('A', 'B', 'C', 'D')), (b) => isValidNationalId(complete(b))));
});

// Weights of positions 1-9 (the area letter is position 0). A change of `delta` at a position is
// caught unless weight × delta is a multiple of 10 — the scheme's known blind spot.
const POSITION_WEIGHT = [0, 8, 7, 6, 5, 4, 3, 2, 1, 1];

test('ACC-1: changing one digit breaks the checksum whenever the scheme can detect it', () => {
  fc.assert(fc.property(body(fc.constantFrom('1', '2')), fc.integer({ min: 2, max: 9 }), fc.integer({ min: 1, max: 9 }), (b, pos, delta) => {
    fc.pre((POSITION_WEIGHT[pos] * delta) % 10 !== 0);
    const id = complete(b);
    const changed = id.slice(0, pos) + String((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
    return !isValidNationalId(changed);
  }));
});

test('ACC-1 (issue 9 item 8): one normalisation: whitespace anywhere goes, full-width becomes ASCII, letters upper case', () => {
  for (const typed of ['A123456789', 'a123456789', ' A123456789\n', 'a123 456 789', '\tA1234\r\n56789 ', 'ａ１２３４５６７８９', 'A123456789\u3000']) {
    assert.equal(normaliseNationalId(typed), 'A123456789', JSON.stringify(typed));
  }
  assert.equal(normaliseNationalId('A-23456789'), 'A-23456789', 'punctuation is not repaired');
});

test('ACC-1: wrong shapes are refused', () => {
  for (const s of ['', 'A12345678', 'A1234567890', '1123456789', 'A12345678X', 'AE12345678', 'A-23456789']) assert.equal(isValidNationalId(s), false, s);
});

test('ACC-1: masking keeps only the first three and last three characters', () => {
  fc.assert(fc.property(body(fc.constantFrom('1', '2')), (b) => {
    const id = complete(b);
    const m = maskNationalId(id);
    return m.length === 10 && m.slice(3, 7) === '****' && m.startsWith(id.slice(0, 3)) && m.endsWith(id.slice(-3));
  }));
});
