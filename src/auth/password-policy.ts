// Pure password rules (AUTH-3). History (last N hashes) needs argon2 and is checked by the service.
// The zxcvbn dictionaries weigh ~37 MB, so they load on the first password check, not at start.
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type { Policy } from '../orgs/policy.ts';

export const MAX_PASSWORD_LENGTH = 128;

export type PasswordError =
  | 'password.tooShort' | 'password.tooLong' | 'password.classes' | 'password.onlyUpperLowerDigit'
  | 'password.containsUsername' | 'password.keyboardSequence' | 'password.common' | 'password.mismatch'
  | 'password.reused' | 'password.needsUpperLowerDigit';

let estimator: Promise<ZxcvbnFactory> | undefined;
function loadEstimator(): Promise<ZxcvbnFactory> {
  return (estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en'),
    ]);
    return new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs, translations: en.translations });
  })());
}

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


/** 弱 / 中 / 強 as shown by the strength meter. */
export function strengthLabel(score: number): 'weak' | 'medium' | 'strong' {
  return score <= 2 ? 'weak' : score === 3 ? 'medium' : 'strong';
}

type PasswordRules = Pick<Policy, 'password.minLength' | 'password.classes' | 'password.rejectCommon'>;

export interface PasswordChecker {
  /** 0-4 from zxcvbn: how many guesses an attacker with common-password lists would need. */
  score(password: string, userInputs?: string[]): number;
  /** All rule violations of `password` for `username` under `policy` (history excluded). */
  check(password: string, username: string, policy: PasswordRules): PasswordError[];
}

/** The rules, once the dictionaries are loaded; afterwards every call is synchronous and pure. */
export async function passwordChecker(): Promise<PasswordChecker> {
  const zxcvbn = await loadEstimator();
  const score = (password: string, userInputs: string[] = []) => zxcvbn.check(password.slice(0, MAX_PASSWORD_LENGTH), userInputs).score;
  return { score, check: (password, username, policy) => checkWith(score, password, username, policy) };
}

function checkWith(strengthScore: PasswordChecker['score'], password: string, username: string, policy: PasswordRules): PasswordError[] {
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
