// Pure password rules (AUTH-3). History (last N hashes) needs argon2 and is checked by the service.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import type { Policy } from '../orgs/policy.ts';

export const MAX_PASSWORD_LENGTH = 128;

export type PasswordError =
  | 'password.tooShort' | 'password.tooLong' | 'password.classes' | 'password.onlyUpperLowerDigit'
  | 'password.containsUsername' | 'password.keyboardSequence' | 'password.common' | 'password.mismatch'
  | 'password.reused';

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});

const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'abcdefghijklmnopqrstuvwxyz'];
const SEQUENCE_LENGTH = 4;

/** True when four or more consecutive characters follow a keyboard row or the alphabet, either way. */
export function hasKeyboardSequence(password: string): boolean {
  const p = password.toLowerCase();
  for (let i = 0; i + SEQUENCE_LENGTH <= p.length; i++) {
    const run = p.slice(i, i + SEQUENCE_LENGTH);
    const reversed = [...run].reverse().join('');
    if (KEYBOARD_ROWS.some((row) => row.includes(run) || row.includes(reversed))) return true;
  }
  return false;
}

export function characterClasses(password: string): { lower: boolean; upper: boolean; digit: boolean; symbol: boolean } {
  return {
    lower: /[a-z]/.test(password),
    upper: /[A-Z]/.test(password),
    digit: /[0-9]/.test(password),
    symbol: /[^A-Za-z0-9]/.test(password),
  };
}

/** 0-4 from zxcvbn: how many guesses an attacker with common-password lists would need. */
export function strengthScore(password: string, userInputs: string[] = []): number {
  return zxcvbn.check(password.slice(0, MAX_PASSWORD_LENGTH), userInputs).score;
}

/** 弱 / 中 / 強 as shown by the strength meter. */
export function strengthLabel(score: number): 'weak' | 'medium' | 'strong' {
  return score <= 2 ? 'weak' : score === 3 ? 'medium' : 'strong';
}

type PasswordRules = Pick<Policy, 'password.minLength' | 'password.classes' | 'password.rejectCommon'>;

/** All rule violations of `password` for `username` under `policy` (history excluded). */
export function checkPassword(password: string, username: string, policy: PasswordRules): PasswordError[] {
  const errors: PasswordError[] = [];
  if (password.length < policy['password.minLength']) errors.push('password.tooShort');
  if (password.length > MAX_PASSWORD_LENGTH) errors.push('password.tooLong');
  const c = characterClasses(password);
  if (policy['password.classes'] === 'upper_lower_digit_only') {
    if (!/^[A-Za-z0-9]*$/.test(password) || !c.lower || !c.upper || !c.digit) errors.push('password.onlyUpperLowerDigit');
  } else if ([c.lower, c.upper, c.digit, c.symbol].filter(Boolean).length < 3) {
    errors.push('password.classes');
  }
  const u = username.trim().toLowerCase();
  if (u.length > 0 && password.toLowerCase().includes(u)) errors.push('password.containsUsername');
  if (policy['password.rejectCommon']) {
    if (hasKeyboardSequence(password)) errors.push('password.keyboardSequence');
    else if (password.length <= MAX_PASSWORD_LENGTH && strengthScore(password, u ? [u] : []) < 3) errors.push('password.common');
  }
  return errors;
}
