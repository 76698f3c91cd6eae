// An existing contact's sign-in by one-time code (AUTH-6, seed 000 step 3): "如已有帳號者，請下拉
// 選擇自己的姓名，並填入「電子郵件信箱」及「手機號碼」後，進行驗證 … 任選一種驗證方式，完成驗證後即可
// 登入系統". The contact picks their (masked) name among the agency's enabled accounts, types the
// e-mail and mobile on record (knowledge), and receives a code on the one channel they choose,
// at the address or number ON RECORD, never at a typed one (possession). The answer is the same
// whether or not the details matched; an unmatched attempt gets a code nobody receives. A right
// code signs in (auth_method 'otp') where the unit's policy lets a password sign in, since the
// code is no stronger than one: not where a certificate is required (AUTH-9).
import type { Deps } from '../../platform/deps.ts';
import type { Db } from '../../db/index.ts';
import type { Lang } from '../../platform/web/messages.ts';
import { audit } from '../../platform/audit.ts';
import { checkCaptcha } from '../../platform/captcha.ts';
import { effectivePolicyFor } from '../../orgs/store.ts';
import { createSession } from '../../auth/sessions.ts';
import { evaluateThrottle, readThrottles, usernameKey } from '../../auth/throttle.ts';
import { createDraft, deleteDraft, sweepDrafts, type Draft } from './drafts.ts';
import { chargeSends, issueCode, SendLimited } from './otp-store.ts';
import { maskName, type OtpChannel } from './otp.ts';
import { agencyFor, verifyOne, type CodeProblem } from './service.ts';
import { normaliseMobile } from '../../accounts/mobile.ts';
import { findAccount } from '../account-store.ts';
import { anyContact, contactAddresses, contactRows, findContact } from './contact-store.ts';

/** The drop-down: at most this many names (seed 000 lists an agency's contacts). */
export const MAX_CONTACTS = 300;

export interface ContactOption { id: number; label: string }

/** Enabled accounts of the agency's subtree with an e-mail or mobile on record, names masked (王○明) with their department. */
export async function contactsOf(db: Db, orgOid: string): Promise<ContactOption[]> {
  const rows = await contactRows(db, orgOid, MAX_CONTACTS);
  return rows.map((r) => ({ id: r.id, label: r.department ? `${maskName(r.name)}（${r.department}）` : maskName(r.name) }));
}

/** Whether the agency has anyone to list (the identity page offers the contact sign-in then). */
export async function hasContacts(db: Db, orgOid: string): Promise<boolean> {
  return anyContact(db, orgOid);
}

export interface ContactInput {
  orgOid: string; accountId: string; email: string; mobile: string; channel: string;
  captchaId: string; captcha: string; ip: string; lang: Lang;
}
export type ContactErrors = Partial<Record<'accountId' | 'email' | 'mobile' | 'channel' | 'captcha', string>>;
export type ContactStart = { ok: true; token: string; channel: OtpChannel } | { ok: false; errors: ContactErrors; limited?: boolean };

const sameEmail = (a: string | null, b: string) => a !== null && a.trim().toLowerCase() === b.trim().toLowerCase();
// Stored numbers are canonical; older rows may not be, so both sides are normalised.
const sameMobile = (a: string | null, b: string) => a !== null && normaliseMobile(a) !== null && normaliseMobile(a) === b;

export async function startContactVerification(deps: Deps, input: ContactInput): Promise<ContactStart> {
  const org = await agencyFor(deps.db, input.orgOid);
  const errors: ContactErrors = {};
  const id = /^\d{1,15}$/.test(input.accountId) ? Number(input.accountId) : null;
  if (id === null) errors.accountId = 'apply.contact.pick';
  if (!/^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/.test(input.email.trim())) errors.email = input.email.trim() ? 'profile.email' : 'profile.required';
  const mobile = normaliseMobile(input.mobile);
  if (!mobile) errors.mobile = input.mobile.trim() ? 'profile.mobile' : 'profile.required';
  if (input.channel !== 'mail' && input.channel !== 'sms') errors.channel = 'error.badRequest';
  if (Object.keys(errors).length) return { ok: false, errors };
  const channel = input.channel as OtpChannel;
  const now = deps.clock.now();
  if (deps.config.captchaEnabled && !(await checkCaptcha(deps.db, now, input.captchaId, input.captcha))) return { ok: false, errors: { captcha: 'login.captchaWrong' } };
  const account = await findContact(deps.db, id!, org.oid);
  const matched = account !== undefined && sameEmail(account.email, input.email) && sameMobile(account.mobile, mobile!);
  const typed = channel === 'mail' ? input.email : mobile!;
  try {
    const token = await deps.db.transaction().execute(async (trx) => {
      await sweepDrafts(trx, now);
      await chargeSends(trx, deps, now, input.ip, [{ channel, to: typed }]);
      const d = await createDraft(trx, deps, now, {
        kind: 'contact', orgOid: org.oid, contactAccountId: matched ? account.id : null,
        // What was typed (sealed): a resend is charged on it, matched or not, so both count alike.
        data: { lang: input.lang, name: matched ? account.name : '', email: input.email.trim(), mobile: mobile!, channel },
      });
      const to = matched ? (channel === 'mail' ? account.email : account.mobile) : null;
      await issueCode(trx, deps, now, { draftId: d.id, channel, to, lang: input.lang, name: matched ? account.name : '', agency: org.name, purpose: 'contact' });
      await audit(trx, now, {
        actor: null, action: 'application.contact.start', result: matched ? 'ok' : 'denied', targetType: matched ? 'account' : 'application',
        targetId: matched ? account.id : d.id, orgOid: org.oid, ip: input.ip, details: { channel, ...(matched ? {} : { reason: 'no_match' }) },
      });
      return d.token;
    });
    return { ok: true, token, channel };
  } catch (e) {
    if (e instanceof SendLimited) return { ok: false, errors: {}, limited: true };
    throw e;
  }
}

/** Where a resent code goes: the address or number on record, or nobody for an unmatched draft. */
export async function contactDestination(db: Db, draft: Draft): Promise<string | null> {
  if (draft.row.contact_account_id === null) return null;
  const a = await contactAddresses(db, draft.row.contact_account_id);
  if (!a) return null;
  return draft.data.channel === 'mail' ? a.email : a.mobile;
}

export type ContactSignIn = { ok: true; sessionToken: string } | { ok: false; problem: CodeProblem } | { ok: false; refused: 'policy' | 'locked' | 'state' };

/** The code, then the same gates as a password sign-in (state, lock-out, policy); a session on success. */
export async function signInContact(deps: Deps, draft: Draft, typed: string, ip: string): Promise<ContactSignIn> {
  const channel = draft.data.channel!;
  const problem = await verifyOne(deps, draft, channel, typed, ip);
  if (problem) return { ok: false, problem };
  const now = deps.clock.now();
  const account = draft.row.contact_account_id === null ? undefined
    : await findAccount(deps.db, draft.row.contact_account_id);
  // A right code on an unmatched draft cannot happen (nobody received it); treat it like a wrong one.
  if (!account) return { ok: false, problem: { error: 'none' } };
  const { policy } = await effectivePolicyFor(deps.db, account.unit_oid);
  const lock = evaluateThrottle((await readThrottles(deps.db, [usernameKey(deps.keyring, account.username_norm)])).get(usernameKey(deps.keyring, account.username_norm)),
    now, deps.config.lockoutMinutes * 60_000);
  const refused = account.state !== 'enabled' ? 'state' : lock.lockedUntil ? 'locked'
    : !policy['login.password'] || policy['login.certificateRequired'] ? 'policy' : null;
  const token = await deps.db.transaction().execute(async (trx) => {
    await deleteDraft(trx, draft.row.id);
    if (refused) {
      await audit(trx, now, { actor: account.id, action: 'auth.login.otp', result: 'denied', targetType: 'account', targetId: account.id, orgOid: account.unit_oid, ip, details: { reason: refused, channel } });
      return null;
    }
    // OTP is no certificate: it counts with password sign-ins for "上一次帳號/密碼登入時間".
    const t = await createSession(trx, now, account.id, policy, 'otp', false, account.last_password_login_at, 'last_password_login_at');
    await audit(trx, now, { actor: account.id, action: 'auth.login.otp', targetType: 'account', targetId: account.id, orgOid: account.unit_oid, ip, details: { channel } });
    return t;
  });
  return token ? { ok: true, sessionToken: token } : { ok: false, refused: refused! };
}

