// Forgotten password (AUTH-5). Step 1: name + username + e-mail + captcha; when they match an
// enabled or not-yet-activated account, an 8-digit code (stored as a keyed hash) is mailed through
// the outbox in the same transaction. The outcome is the same whether or not they matched, and both
// paths do the same argon2-free work. Step 2: username + code + new password + captcha; a code is
// single use, lasts 60 minutes, dies after 5 wrong tries, and a new code voids the old ones.
import crypto from 'node:crypto';
import type { Deps } from '../platform/deps.ts';
import type { Lang } from '../platform/web/messages.ts';
import { checkCaptcha } from '../platform/captcha.ts';
import { audit } from '../platform/audit.ts';
import { constantTimeEqual } from '../platform/crypto.ts';
import { enqueueMail } from '../mail-templates.ts';
import { formatTime } from '../platform/web/format.ts';
import { normaliseUsername } from '../accounts/username.ts';
import { findAccountByUsername } from '../accounts/store.ts';
import { effectivePolicy, type Policy } from '../orgs/policy.ts';
import { effectivePolicyFor } from '../orgs/store.ts';
import type { Account } from '../db/types.ts';
import { loadLoginSubject } from './store.ts';
import { maskUsername } from './mask.ts';
import { clearThrottle, usernameKey } from './throttle.ts';
import { endAllSessions } from './session-store.ts';
import { newPasswordErrors, storeChosenPassword } from './password-set.ts';
import type { PasswordError } from './password-policy.ts';
import { expireLiveResets, giveBackResetTry, insertReset, latestResetIssuedAt, markResetUsed, takeResetTry } from './reset-store.ts';

export const RESET_CODE_TTL_MS = 60 * 60_000;
export const RESET_MAX_FAILURES = 5;
export const RESEND_COOLDOWN_MS = 60_000;
const RESETTABLE_STATES = ['enabled', 'not_activated'];

/** Keyed, so a copy of the database does not give the codes away (10⁸ plain hashes take seconds). */
const codeHash = (deps: Deps, accountId: number, code: string) => deps.keyring.mac('password-reset', `${accountId}:${code}`);
const newCode = (): string => String(crypto.randomInt(0, 100_000_000)).padStart(8, '0');

// Names are compared as typed apart from surrounding and repeated spaces; e-mail addresses ignore case.
const sameName = (a: string, b: string) => a.normalize('NFC').trim().replace(/\s+/g, ' ') === b.normalize('NFC').trim().replace(/\s+/g, ' ');
const sameEmail = (a: string | null, b: string) => a !== null && a.trim().toLowerCase() === b.trim().toLowerCase();

export interface ForgotInput { name: string; username: string; email: string; captchaId: string; captcha: string; ip: string; lang: Lang }

/** `false` only for a wrong captcha; every other outcome looks the same to the requester. */
export async function requestPasswordReset(deps: Deps, input: ForgotInput): Promise<boolean> {
  const now = deps.clock.now();
  if (deps.config.captchaEnabled && !(await checkCaptcha(deps.db, now, input.captchaId, input.captcha))) return false;
  const account = await findAccountByUsername(deps.db, input.username);
  const matched = account !== undefined && RESETTABLE_STATES.includes(account.state)
    && sameName(account.name, input.name) && sameEmail(account.email, input.email);
  const last = matched ? await latestResetIssuedAt(deps.db, account.id) : undefined;
  const coolingDown = last !== undefined && now.getTime() - last.created_at.getTime() < RESEND_COOLDOWN_MS;
  const issue = matched && !coolingDown;
  // Computed either way, so both paths cost the same; the unmatched path's statements touch no row.
  const code = newCode();
  const hash = codeHash(deps, account?.id ?? 0, code);
  // The mail goes to the account's owner only, so it may carry the account's own rule (issue 9 item 11).
  const policy = issue ? (await effectivePolicyFor(deps.db, account.unit_oid)).policy : undefined;
  await deps.db.transaction().execute(async (trx) => {
    // A new code voids the ones before it (resend).
    await expireLiveResets(trx, issue ? account.id : 0, now);
    if (issue) {
      await insertReset(trx, account.id, hash, now, new Date(now.getTime() + RESET_CODE_TTL_MS));
      await enqueueMail(trx, now, {
        to: account.email!, template: 'password.resetCode', lang: input.lang,
        vars: { name: account.name, username: account.username, email: account.email!, code, minutes: RESET_CODE_TTL_MS / 60_000, resetUrl: `${deps.config.baseUrl}/password/reset`,
          rule: { minLength: policy!['password.minLength'], onlyUpperLowerDigit: policy!['password.classes'] === 'upper_lower_digit_only' } },
      });
    }
    await audit(trx, now, {
      actor: null, action: 'auth.password.reset.request', result: issue ? 'ok' : 'denied',
      targetType: account ? 'account' : undefined, targetId: account?.id, orgOid: account?.unit_oid ?? null, ip: input.ip,
      details: { username: maskUsername(normaliseUsername(input.username)), ...(issue ? {} : { reason: matched ? 'cooldown' : 'no_match' }) },
    });
  });
  return true;
}

export interface ResetInput { username: string; code: string; next: string; confirm: string; captchaId: string; captcha: string; ip: string; lang: Lang }

export type ResetError = 'login.captchaWrong' | 'reset.codeWrong' | PasswordError;
/** `policy` only once a right code has identified the account: its rule may then be shown (issue 9 item 11). */
export type ResetOutcome = { ok: true } | { ok: false; errors: ResetError[]; policy?: Policy };

export async function resetPassword(deps: Deps, input: ResetInput): Promise<ResetOutcome> {
  const now = deps.clock.now();
  if (deps.config.captchaEnabled && !(await checkCaptcha(deps.db, now, input.captchaId, input.captcha))) return { ok: false, errors: ['login.captchaWrong'] };
  if (input.next !== input.confirm) return { ok: false, errors: ['password.mismatch'] };
  const norm = normaliseUsername(input.username);
  const subject = await loadLoginSubject(deps.db, norm);
  const account = subject && RESETTABLE_STATES.includes(subject.account.state) ? subject.account : undefined;
  // One of the code's five tries is taken before comparing, in one statement, so that parallel
  // guesses cannot share a try.
  const row = await takeResetTry(deps.db, account?.id ?? 0, now, RESET_MAX_FAILURES);
  if (!account || !row || !constantTimeEqual(row.code_hash, codeHash(deps, account.id, input.code.trim()))) {
    await deps.db.transaction().execute((trx) => audit(trx, now, {
      actor: null, action: 'auth.password.reset', result: 'failed', targetType: subject ? 'account' : undefined,
      targetId: subject?.account.id, orgOid: subject?.account.unit_oid ?? null, ip: input.ip,
      details: { username: maskUsername(norm), reason: row ? 'wrong_code' : 'no_live_code' },
    }));
    return { ok: false, errors: ['reset.codeWrong'] };
  }
  // The code was right: the try is given back whatever happens next.
  const { policy } = effectivePolicy(subject!.policyPath);
  const current = subject!.password;
  const errors = await newPasswordErrors(deps.db, deps.hasher, { accountId: account.id, username: account.username, current, next: input.next, confirm: input.confirm, policy });
  if (errors.length > 0) {
    await giveBackResetTry(deps.db, row.id);
    return { ok: false, errors, policy };
  }
  const hash = await deps.hasher.hash(input.next);
  const done = await deps.db.transaction().execute(async (trx) => {
    // Single use even against a parallel request with the same code: only one UPDATE wins.
    if ((await markResetUsed(trx, row.id, now)) !== 1) return false;
    const activated = await storeChosenPassword(trx, account.id, current, hash, now);
    const sessions = await endAllSessions(trx, account.id);
    await clearThrottle(trx, usernameKey(deps.keyring, norm));
    await audit(trx, now, {
      actor: account.id, action: 'auth.password.reset', targetType: 'account', targetId: account.id, orgOid: account.unit_oid,
      ip: input.ip, details: { previousKind: current?.kind ?? null, activated, sessionsEnded: sessions },
    });
    if (account.email) await notifyChanged(deps, trx, account, now, input.lang);
    return true;
  });
  return done ? { ok: true } : { ok: false, errors: ['reset.codeWrong'] };
}

function notifyChanged(deps: Deps, trx: Deps['db'], account: Account, now: Date, lang: Lang) {
  return enqueueMail(trx, now, {
    to: account.email!, template: 'password.changed', lang,
    vars: { name: account.name, username: account.username, at: formatTime(now, lang), forgotUrl: `${deps.config.baseUrl}/password/forgot` },
  });
}
