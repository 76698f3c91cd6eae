// Password login (AUTH-1, AUTH-2, AUTH-3 max age, AUTH-10): a pipeline of small named checks.
// Unknown usernames take the same path as known ones (dummy hash, failure counter, message),
// so no response reveals whether an account exists. The lock-out rule is the platform's
// (config), never the account's policy: an unknown username has no policy to imitate.
import type { Deps } from '../platform/deps.ts';
import { checkCaptcha } from '../platform/captcha.ts';
import { audit } from '../platform/audit.ts';
import { normaliseUsername } from '../accounts/username.ts';
import { defaultPolicy, effectivePolicy, type Policy } from '../orgs/policy.ts';
import type { Account, PasswordsTable } from '../db/types.ts';
import type { Selectable } from 'kysely';
import { ipKey, usernameKey, readThrottles, evaluateThrottle, recordFailure, clearThrottle, takeTry, keepTry, giveBackTry } from './throttle.ts';
import { loadLoginSubject } from './store.ts';
import { createSession } from './sessions.ts';
import { maskUsername } from './mask.ts';
import { passwordMethodRefusal } from './login-method.ts';
import { hasCertificate } from './cert/store.ts';

const IP_WINDOW_MS = 15 * 60_000;

export interface LoginInput { username: string; password: string; captchaId?: string; captcha?: string; ip: string }

export type LoginOutcome =
  | { ok: true; sessionToken: string; mustChangePassword: boolean }
  | { ok: false; reason: 'captcha' | 'ip_limited' | 'disabled' | 'pending' | 'not_allowed' | 'temporary_expired' | 'certificate_required' | 'one_day_lapsed'; }
  /** `locked`: this failure reached the threshold and locked the username. */
  | { ok: false; reason: 'failed'; failures: number; threshold: number; locked: boolean; minutes: number }
  | { ok: false; reason: 'locked'; minutes: number };

interface Attempt {
  deps: Deps;
  input: LoginInput;
  now: Date;
  userKey: string;
  ipKey: string;
  throttles?: Awaited<ReturnType<typeof readThrottles>>;
  account?: Account;
  password?: Selectable<PasswordsTable>;
  policy: Policy;
  /** A right password took a try: given back when a later step refuses the login (a success clears the counter). */
  goodTry?: boolean;
}

// A real argon2id hash of a random string: verifying against it costs what a real verify costs.
let dummyHash: Promise<string> | undefined;
const dummy = (deps: Deps) => (dummyHash ??= deps.hasher.hash('tessera-dummy-' + Math.random()));

type Step = (a: Attempt) => Promise<LoginOutcome | null>;

const checkCaptchaStep: Step = async (a) => {
  if (!a.deps.config.captchaEnabled) return null;
  return (await checkCaptcha(a.deps.db, a.now, a.input.captchaId, a.input.captcha)) ? null : { ok: false, reason: 'captcha' };
};

const checkIpLimit: Step = async (a) => {
  // The username's counter comes along in the same read; checkLockout uses it.
  a.throttles = await readThrottles(a.deps.db, [a.ipKey, a.userKey]);
  const s = evaluateThrottle(a.throttles.get(a.ipKey), a.now, IP_WINDOW_MS);
  return s.lockedUntil ? { ok: false, reason: 'ip_limited' } : null;
};

const loadAccount: Step = async (a) => {
  const subject = await loadLoginSubject(a.deps.db, normaliseUsername(a.input.username));
  if (subject && subject.account.state !== 'deleted') {
    a.account = subject.account;
    a.password = subject.password;
    a.policy = effectivePolicy(subject.policyPath).policy;
  }
  return null;
};

const checkLockout: Step = async (a) => {
  const minutes = a.deps.config.lockoutMinutes;
  const s = evaluateThrottle(a.throttles!.get(a.userKey), a.now, minutes * 60_000);
  return s.lockedUntil ? { ok: false, reason: 'locked', minutes } : null;
};

const verifyPassword: Step = async (a) => {
  const { lockoutThreshold: threshold, lockoutMinutes: minutes } = a.deps.config;
  const lockMs = minutes * 60_000;
  // The try is taken before comparing, refused while locked or while the tries under way fill the
  // threshold, in one statement (issue 15): parallel guesses on any instance cannot all pass
  // checkLockout's read and then all be compared.
  const taken = await takeTry(a.deps.db, a.userKey, a.now, threshold, lockMs);
  if (!taken) return { ok: false, reason: 'locked', minutes };
  const hash = a.password?.hash ?? (await dummy(a.deps));
  const good = await a.deps.hasher.verify(hash, a.input.password);
  if (good && a.account && a.password) { a.goodTry = true; return null; }
  const s = await keepTry(a.deps.db, a.userKey, a.now, taken, threshold, lockMs);
  await recordFailure(a.deps.db, a.ipKey, a.now, a.deps.config.ipLoginLimit, IP_WINDOW_MS, IP_WINDOW_MS);
  return { ok: false, reason: 'failed', failures: s.failures, threshold, locked: s.lockedUntil !== null, minutes };
};

const checkState: Step = async (a) => {
  const state = a.account!.state;
  if (state === 'disabled') return { ok: false, reason: 'disabled' };
  // Only reached with the right password, so saying "under review" reveals nothing to a guesser.
  if (state === 'pending') return { ok: false, reason: 'pending' };
  if (state !== 'enabled' && state !== 'not_activated') return { ok: false, reason: 'not_allowed' };
  if (!a.policy['login.password'] && a.password!.kind === 'password') return { ok: false, reason: 'not_allowed' };
  return null;
};

const checkTemporaryExpiry: Step = async (a) => {
  const exp = a.password!.expires_at;
  return exp && exp <= a.now ? { ok: false, reason: 'temporary_expired' } : null;
};

// AUTH-9: where the card is required, a password serves only activation and one-day passwords
// (login-method.ts). Only reached with the right password, so the refusal reveals nothing to a guesser.
const checkLoginMethod: Step = async (a) => {
  if (!a.policy['login.certificateRequired'] || a.password!.kind === 'initial') return null;
  const reason = passwordMethodRefusal(a.policy, {
    kind: a.password!.kind, activatedAt: a.account!.activated_at, hasCertificate: await hasCertificate(a.deps.db, a.account!.id), now: a.now,
  });
  return reason ? { ok: false, reason } : null;
};

const PIPELINE: Step[] = [checkCaptchaStep, checkIpLimit, loadAccount, checkLockout, verifyPassword, checkState, checkTemporaryExpiry, checkLoginMethod];

/** True when the password must be changed before anything else: issued passwords, or too old. */
export function mustChangePassword(p: Selectable<PasswordsTable>, policy: Policy, now: Date): boolean {
  if (p.must_change || p.kind !== 'password') return true;
  const maxAge = policy['password.maxAgeDays'];
  return maxAge > 0 && now.getTime() - p.set_at.getTime() >= maxAge * 86_400_000;
}

export async function passwordLogin(deps: Deps, input: LoginInput): Promise<LoginOutcome> {
  const now = deps.clock.now();
  const norm = normaliseUsername(input.username);
  const a: Attempt = {
    deps, input, now, policy: defaultPolicy(),
    userKey: usernameKey(deps.keyring, norm), ipKey: ipKey(deps.keyring, input.ip),
  };
  let outcome: LoginOutcome | null = null;
  for (const step of PIPELINE) {
    outcome = await step(a);
    if (outcome) break;
  }
  if (outcome && !outcome.ok) {
    const o = outcome;
    if (a.goodTry) await giveBackTry(deps.db, a.userKey);
    await deps.db.transaction().execute((trx) => audit(trx, now, {
      actor: a.account?.id ?? null, action: 'auth.login.password', result: o.reason === 'failed' || o.reason === 'captcha' ? 'failed' : 'denied',
      targetType: 'account', targetId: a.account?.id, orgOid: a.account?.unit_oid ?? null, ip: input.ip,
      details: { reason: o.reason, username: maskUsername(norm), ...('failures' in o ? { failures: o.failures } : {}) },
    }));
    return o;
  }
  const account = a.account!, password = a.password!;
  const forced = mustChangePassword(password, a.policy, now);
  const token = await deps.db.transaction().execute(async (trx) => {
    await clearThrottle(trx, a.userKey);
    const t = await createSession(trx, now, account.id, a.policy, 'password', forced, account.last_password_login_at, 'last_password_login_at');
    await audit(trx, now, {
      actor: account.id, action: 'auth.login.password', result: 'ok', targetType: 'account', targetId: account.id,
      orgOid: account.unit_oid, ip: input.ip, details: { mustChangePassword: forced, passwordKind: password.kind },
    });
    return t;
  });
  return { ok: true, sessionToken: token, mustChangePassword: forced };
}

/**
 * A login the input guard refused (a NUL or lone surrogate in a field): still an attempt, so it is
 * audited like any other failure, but with no username (it cannot match an account, and its
 * characters are what the guard refused) and without touching any counter (docs/decisions.md).
 */
export async function auditRefusedLogin(deps: Deps, ip: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute((trx) => audit(trx, now, {
    actor: null, action: 'auth.login.password', result: 'failed', targetType: 'account', ip, details: { reason: 'bad_input' },
  }));
}
