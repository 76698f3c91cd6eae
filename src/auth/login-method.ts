// AUTH-9, AUTH-11 login-method policy (seed 002 五/六, seed 003 四.7): which sign-in methods a
// subtree's policy lets an account use. Pure: the caller passes the facts and `now`.
//
// Where `login.certificateRequired` holds, the card is the way in after activation (開帳):
// - the issued initial password always opens the first sign-in (activation);
// - a chosen password serves only to finish activation: while no certificate is registered and
//   within `login.certificateGraceDays` of activation (to register the card), never after;
// - a one-day password (一日密碼) works for an account that has registered a card; an account
//   that did not register one within the grace days loses it (seed 003: 3 日內未做憑證註冊，一日密碼失效);
// - a passkey stands in for the card only where `login.passkeyInsteadOfCertificate` says so.
import type { Policy } from '../orgs/policy.ts';

const DAY_MS = 86_400_000;

export type MethodRefusal = 'certificate_required' | 'one_day_lapsed';

export interface PasswordFacts {
  /** passwords.kind: 'initial', 'one_day' or 'password' (chosen). */
  kind: string;
  /** When the account was activated (accounts.activated_at); null: not yet. */
  activatedAt: Date | null;
  /** Whether a certificate is registered to the account. */
  hasCertificate: boolean;
  now: Date;
}

/** Whether the grace after activation (days of `login.certificateGraceDays`) is over. */
export function graceOver(policy: Policy, activatedAt: Date | null, now: Date): boolean {
  if (!activatedAt) return false;
  return now.getTime() - activatedAt.getTime() >= policy['login.certificateGraceDays'] * DAY_MS;
}

/** When the grace ends (for the home page's reminder), or null without activation. */
export function graceEnds(policy: Policy, activatedAt: Date | null): Date | null {
  return activatedAt ? new Date(activatedAt.getTime() + policy['login.certificateGraceDays'] * DAY_MS) : null;
}

/** Why this password may not sign in under the policy, or null. */
export function passwordMethodRefusal(policy: Policy, f: PasswordFacts): MethodRefusal | null {
  if (!policy['login.certificateRequired']) return null;
  if (f.kind === 'initial') return null;
  const over = graceOver(policy, f.activatedAt, f.now);
  if (f.kind === 'one_day') return !f.hasCertificate && over ? 'one_day_lapsed' : null;
  return f.hasCertificate || over ? 'certificate_required' : null;
}

/** Whether a passkey may sign this account in. */
export function passkeyMethodAllowed(policy: Policy): boolean {
  if (!policy['login.passkey']) return false;
  return !policy['login.certificateRequired'] || policy['login.passkeyInsteadOfCertificate'];
}
