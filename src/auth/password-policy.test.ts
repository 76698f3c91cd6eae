// AUTH-3: password rules (property tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { passwordChecker, hasKeyboardSequence, strengthLabel } from './password-policy.ts';

const { check: checkPassword } = await passwordChecker();

const policy = { 'password.minLength': 12, 'password.classes': 'three_of_four', 'password.rejectCommon': true } as const;
const seed000 = { ...policy, 'password.classes': 'upper_lower_digit_only' } as const;
const noCommon = { ...policy, 'password.rejectCommon': false } as const;

test('AUTH-3: anything shorter than the minimum is refused, whatever else it has', () => {
  fc.assert(fc.property(fc.string({ maxLength: 11 }), (p) => checkPassword(p, 'someone', policy).includes('password.tooShort')));
  fc.assert(fc.property(fc.integer({ min: 8, max: 20 }), (min) =>
    checkPassword('Aa1!'.repeat(10).slice(0, min - 1), 'nobody', { ...noCommon, 'password.minLength': min }).includes('password.tooShort')));
});

test('AUTH-3: three of four classes required; two never suffice', () => {
  const twoClasses = fc.stringMatching(/^[a-z0-9]{12,20}$/);
  fc.assert(fc.property(twoClasses, (p) => checkPassword(p, 'nobody', noCommon).includes('password.classes')));
  assert.deepEqual(checkPassword('Plum-Ridge-Hat', 'nobody', noCommon), []);   // upper, lower, symbol
  assert.deepEqual(checkPassword('plum-ridge-83', 'nobody', noCommon), []);    // lower, symbol, digit
});

test('AUTH-3 (seed 000): upper, lower and digits only — a symbol is refused', () => {
  assert.deepEqual(checkPassword('PlumRidgeHat83', 'nobody', { ...seed000, 'password.rejectCommon': false }), []);
  assert.ok(checkPassword('Plum-Ridge-83', 'nobody', seed000).includes('password.onlyUpperLowerDigit'));
  assert.ok(checkPassword('plumridgehat83', 'nobody', seed000).includes('password.onlyUpperLowerDigit'));
});

test('AUTH-3: a password containing the username is refused in any letter case', () => {
  fc.assert(fc.property(fc.stringMatching(/^[a-z0-9]{6,12}$/), fc.boolean(), (u, upper) => {
    const p = 'Xy#9' + (upper ? u.toUpperCase() : u) + 'Qz!7';
    return checkPassword(p, u, noCommon).includes('password.containsUsername');
  }));
});

test('AUTH-3: keyboard sequences of four are found forwards and backwards', () => {
  for (const s of ['qwer', 'asdf', 'zxcv', '1234', '4321', 'REWQ', 'fdsa', 'abcd']) assert.ok(hasKeyboardSequence('Xx9!' + s + '!9xX'), s);
  for (const s of ['qwe', 'q1w2', 'aqsw']) assert.equal(hasKeyboardSequence(s), false, s);
  assert.ok(checkPassword('Qwer-Lantern-58', 'nobody', policy).includes('password.keyboardSequence'));
});

test('AUTH-3: common passwords are refused; long random ones pass', () => {
  for (const p of ['P@ssw0rd2024!', 'Iloveyou2024!', 'Sunshine2024!', 'Football#2024']) assert.ok(checkPassword(p, 'nobody', policy).includes('password.common'), p);
  assert.deepEqual(checkPassword('Zx9#mK2$pL7q', 'nobody', policy), []);
  assert.equal(strengthLabel(0), 'weak');
  assert.equal(strengthLabel(3), 'medium');
  assert.equal(strengthLabel(4), 'strong');
});
