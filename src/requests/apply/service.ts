// Self-service account application (REQ-1, seed 000 steps 4–8), one use case per page:
// identity (name, e-mail, mobile; captcha) → both one-time codes (AUTH-6) → profile, username,
// password → roles wanted → submitted. Nothing is an account until the last step, which creates it
// `pending` and submits the account_application request in one transaction; the engine enables it
// (or erases it) when an administrator decides.
import type { Deps } from '../../platform/deps.ts';
import type { Db } from '../../db/index.ts';
import type { Lang, MessageKey } from '../../platform/web/messages.ts';
import { audit } from '../../platform/audit.ts';
import { checkCaptcha } from '../../platform/captcha.ts';
import { notFound } from '../../platform/http/errors.ts';
import { isValidOid } from '../../orgs/oid.ts';
import { getOrg, effectivePolicyFor } from '../../orgs/store.ts';
import type { Policy } from '../../orgs/policy.ts';
import { validateProfile, type ProfileInput, type Profile } from '../../accounts/profile.ts';
import { findAccountByUsername, insertAccount, lockNationalId, nationalIdIndex, nationalIdInUse, setPassword } from '../../accounts/store.ts';
import { normaliseUsername } from '../../accounts/username.ts';
import { usernameFormProblem, isUniqueViolation } from '../../admin/accounts.ts';
import { passwordChecker, type PasswordError } from '../../auth/password-policy.ts';
import { maskUsername } from '../../auth/mask.ts';
import { submitRequest, countApprovers, RequestInputError } from '../engine.ts';
import { createDraft, deleteDraft, saveDraft, sweepDrafts, touchDraft, type Draft, type DraftData } from './drafts.ts';
import { chargeSends, checkCode, issueCode, resendWait, useCode, SendLimited, type CodeCheck } from './otp-store.ts';
import { isWellFormedCode, normaliseCode, type OtpChannel } from './otp.ts';
import { REQUIRED_BY_SEED, chosenRoles, missingRequired } from './rules.ts';
import { chargeUsernameLookup } from './lookup-limit.ts';
import { systemCodesOpenTo } from '../../sso/systems/apply-scope-store.ts';
import { rolesOfSystems } from '../../sso/systems/store.ts';
import { markDraftVerified } from './draft-store.ts';
import { offeredSystems } from './offer-store.ts';

export const CHANNELS: OtpChannel[] = ['mail', 'sms'];

/** The agency an application is for: a registered organisation, or "not found". */
export async function agencyFor(db: Db, oid: string) {
  const org = isValidOid(oid) ? await getOrg(db, oid) : undefined;
  if (!org) throw notFound();
  return org;
}

// ---- Step 2: identity and both codes ----

export interface IdentityInput { orgOid: string; name: string; email: string; mobile: string; captchaId: string; captcha: string; ip: string; lang: Lang }
export type IdentityErrors = Partial<Record<'name' | 'email' | 'mobile' | 'captcha', string>>;
export type StartOutcome = { ok: true; token: string } | { ok: false; errors: IdentityErrors; limited?: boolean; domains: string[] };

/** Name, official e-mail (the agency's domains) and mobile (09xx-xxxxxx), all required. */
export function identityErrors(input: { name: string; email: string; mobile: string }, policy: Policy): IdentityErrors {
  const r = validateProfile({ name: input.name, email: input.email, mobile: input.mobile }, { ...policy, 'nationalId.required': false });
  const errors: IdentityErrors = {};
  for (const k of ['name', 'email', 'mobile'] as const) {
    const e = input[k].trim() ? r.errors[k] : 'profile.required';
    if (e) errors[k] = e;
  }
  return errors;
}

/**
 * Seed 000 step 4: checks the identity form and the captcha, then — in one transaction — sweeps
 * expired drafts, charges the send limits, creates the draft and sends a code to the e-mail and one
 * to the mobile. Returns the draft's token for the cookie.
 */
export async function startApplication(deps: Deps, input: IdentityInput): Promise<StartOutcome> {
  const org = await agencyFor(deps.db, input.orgOid);
  const { policy } = await effectivePolicyFor(deps.db, org.oid);
  const domains = policy['email.allowedDomains'];
  const errors = identityErrors(input, policy);
  if (Object.keys(errors).length) return { ok: false, errors, domains };
  const now = deps.clock.now();
  if (deps.config.captchaEnabled && !(await checkCaptcha(deps.db, now, input.captchaId, input.captcha))) {
    return { ok: false, errors: { captcha: 'login.captchaWrong' }, domains };
  }
  const p = validateProfile({ name: input.name, email: input.email, mobile: input.mobile }, { ...policy, 'nationalId.required': false }).profile!;
  const data: DraftData = { lang: input.lang, name: p.name, email: p.email!, mobile: p.mobile! };
  try {
    const token = await deps.db.transaction().execute(async (trx) => {
      await sweepDrafts(trx, now);
      await chargeSends(trx, deps, now, input.ip, [{ channel: 'mail', to: data.email }, { channel: 'sms', to: data.mobile }]);
      const d = await createDraft(trx, deps, now, { kind: 'new', orgOid: org.oid, contactAccountId: null, data });
      for (const channel of CHANNELS) {
        await issueCode(trx, deps, now, { draftId: d.id, channel, to: channel === 'mail' ? data.email : data.mobile, lang: input.lang, name: data.name, agency: org.name, purpose: 'apply' });
      }
      await audit(trx, now, { actor: null, action: 'application.start', targetType: 'application', targetId: d.id, orgOid: org.oid, ip: input.ip, details: { channels: CHANNELS } });
      return d.token;
    });
    return { ok: true, token };
  } catch (e) {
    if (e instanceof SendLimited) return { ok: false, errors: {}, limited: true, domains };
    throw e;
  }
}

export const isVerified = (d: Draft, channel: OtpChannel) => (channel === 'mail' ? d.row.email_verified_at : d.row.mobile_verified_at) !== null;
export const bothVerified = (d: Draft) => isVerified(d, 'mail') && isVerified(d, 'sms');

export type ResendOutcome = { ok: true } | { ok: false; reason: 'cooldown'; seconds: number } | { ok: false; reason: 'limited' | 'verified' };

/**
 * "重新發送": a new code on one channel after the cool-down; the old code dies. Limits as for the
 * first send, charged on what the person typed (`typed`); the code goes to `to` (null: nobody).
 */
export async function resendCode(deps: Deps, draft: Draft, channel: OtpChannel, typed: string, to: string | null, purpose: 'apply' | 'contact', ip: string): Promise<ResendOutcome> {
  if (purpose === 'apply' && isVerified(draft, channel)) return { ok: false, reason: 'verified' };
  const now = deps.clock.now();
  const wait = await resendWait(deps.db, draft.row.id, channel, now);
  if (wait > 0) return { ok: false, reason: 'cooldown', seconds: Math.ceil(wait / 1000) };
  const org = await agencyFor(deps.db, draft.row.org_oid);
  try {
    await deps.db.transaction().execute(async (trx) => {
      // An unmatched contact's draft gets a code nobody receives: it looks and counts the same.
      await chargeSends(trx, deps, now, ip, [{ channel, to: typed }]);
      await issueCode(trx, deps, now, { draftId: draft.row.id, channel, to, lang: draft.data.lang, name: draft.data.name, agency: org.name, purpose });
      await touchDraft(trx, draft, now);
      await audit(trx, now, { actor: null, action: 'application.otp.resend', targetType: 'application', targetId: draft.row.id, orgOid: org.oid, ip, details: { channel } });
    });
    return { ok: true };
  } catch (e) {
    if (e instanceof SendLimited) return { ok: false, reason: 'limited' };
    throw e;
  }
}

export type CodeError = 'required' | 'format' | Exclude<CodeCheck, { ok: true }>['reason'];
export interface CodeProblem { error: CodeError; triesLeft?: number }

/** Checks one typed code; a right one is used and its channel marked verified, in one transaction. */
export async function verifyOne(deps: Deps, draft: Draft, channel: OtpChannel, typed: string, ip: string): Promise<CodeProblem | null> {
  const code = normaliseCode(typed);
  if (!code) return { error: 'required' };
  if (!isWellFormedCode(code)) return { error: 'format' };
  const now = deps.clock.now();
  const r = await checkCode(deps, draft.row.id, channel, code, now);
  const ok = r.ok && await deps.db.transaction().execute(async (trx) => {
    if (!(await useCode(trx, r.challengeId, now))) return false;
    if (draft.row.kind === 'new') {
      await markDraftVerified(trx, draft.row.id, channel, now);
      await touchDraft(trx, draft, now);
    }
    await audit(trx, now, { actor: null, action: 'application.otp.verify', targetType: 'application', targetId: draft.row.id, orgOid: draft.row.org_oid, ip, details: { channel } });
    return true;
  });
  if (ok) return null;
  const problem: CodeProblem = r.ok ? { error: 'used' } : r.reason === 'wrong' ? { error: 'wrong', triesLeft: r.triesLeft } : { error: r.reason };
  await deps.db.transaction().execute((trx) => audit(trx, now, {
    actor: null, action: 'application.otp.verify', result: 'failed', targetType: 'application', targetId: draft.row.id,
    orgOid: draft.row.org_oid, ip, details: { channel, reason: problem.error },
  }));
  return problem;
}

/** Seed 000 step 5: both codes must be right; a channel already verified is not asked again. */
export async function verifyCodes(deps: Deps, draft: Draft, typed: Record<OtpChannel, string>, ip: string): Promise<Partial<Record<OtpChannel, CodeProblem>>> {
  const problems: Partial<Record<OtpChannel, CodeProblem>> = {};
  for (const channel of CHANNELS) {
    if (isVerified(draft, channel)) continue;
    const p = await verifyOne(deps, draft, channel, typed[channel], ip);
    if (p) problems[channel] = p;
  }
  return problems;
}

// ---- Step 4: profile, username, password ----

/** The profile fields of the application form besides name, e-mail and mobile (fixed once verified). */
export const PROFILE_FIELDS = ['nationalId', 'title', 'department', 'address', 'officePhone', 'officeExt', 'fax'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];
export type ProfileErrors = Partial<Record<ProfileField | 'username', string>>;

export interface AccountChoice { profile: Partial<Record<ProfileField, string>>; username: string; next: string; confirm: string }
export type ProfileOutcome = { ok: true } | { ok: false; errors: ProfileErrors; passwordErrors: PasswordError[] };

/**
 * The username's problem for this application: the unit's scheme, then "taken". With `ip`, the
 * look-up counts against the draft's and the address's limits (issue 9 item 3); the final check at
 * submission passes none (it asks about the name already chosen).
 */
export async function applicantUsernameProblem(deps: Deps, draft: Draft, username: string, ip?: string, scheme?: Policy['username.scheme']): Promise<string | null> {
  const form = await usernameFormProblem(deps.db, draft.row.org_oid, username, scheme);
  if (form) return form;
  if (ip !== undefined && !(await chargeUsernameLookup(deps, draft.row.id, ip, deps.clock.now()))) return 'apply.lookupLimited';
  return (await findAccountByUsername(deps.db, username)) ? 'username.taken' : null;
}

/**
 * Every rule of the profile step except the password's: the unit's profile rules, seed 000's
 * required fields, the username. Whether the national ID already has an account is asked only at
 * submission, which spends the draft (issue 9 item 3): the profile step is no national-ID oracle.
 */
async function profileProblems(deps: Deps, draft: Draft, fields: Partial<Record<ProfileField, string>>, username: string, policy: Policy, ip?: string):
  Promise<{ profile?: Profile; errors: ProfileErrors }> {
  const input: ProfileInput = { ...fields, name: draft.data.name, email: draft.data.email, mobile: draft.data.mobile };
  const v = validateProfile(input, policy);
  const errors: ProfileErrors = { ...(v.errors as ProfileErrors), ...(missingRequired(input, REQUIRED_BY_SEED) as ProfileErrors) };
  const u = await applicantUsernameProblem(deps, draft, username.trim(), ip, policy['username.scheme']);
  if (u) errors.username = u;
  return Object.keys(errors).length ? { errors } : { profile: v.profile, errors };
}

/** Seed 000 step 7 (before the roles here): checks everything, hashes the password, keeps both in the draft. */
export async function saveAccountChoice(deps: Deps, draft: Draft, c: AccountChoice, ip: string): Promise<ProfileOutcome> {
  const { policy } = await effectivePolicyFor(deps.db, draft.row.org_oid);
  const username = c.username.trim();
  const { errors } = await profileProblems(deps, draft, c.profile, username, policy, ip);
  const passwordErrors = (await passwordChecker()).check(c.next, username, policy);
  if (c.next !== c.confirm) passwordErrors.push('password.mismatch');
  if (Object.keys(errors).length || passwordErrors.length) return { ok: false, errors, passwordErrors };
  // argon2 outside the transaction: it is slow.
  const passwordHash = await deps.hasher.hash(c.next);
  const now = deps.clock.now();
  await deps.db.transaction().execute((trx) => saveDraft(trx, deps, draft, { ...draft.data, profile: c.profile, username, passwordHash }, now));
  return { ok: true };
}

// ---- Step 5: roles, then submit ----

export type SubmitOutcome =
  | { ok: true; requestId: number; accountId: number }
  | { ok: false; error: MessageKey }
  /** Something on the profile step no longer holds (a username taken meanwhile): back there. */
  | { ok: false; profileErrors: ProfileErrors }
  /** The national ID already has an account (ACC-10): the draft is spent, the applicant starts again. */
  | { ok: false; refused: 'one_account' };

class NationalIdTaken extends Error {}

/**
 * Seed 000 steps 6–7 "送出申請": in one transaction the account (state pending, the chosen
 * password), the account_application request with the roles asked for, the audit event, and the
 * draft's deletion (first, so a draft is submitted once). A national-ID advisory lock makes "one person, one account" hold against a
 * parallel application with the same ID (the blind index is not unique: deleted tombstones keep none).
 */
export async function submitApplication(deps: Deps, draft: Draft, askedRoles: string[], ip: string): Promise<SubmitOutcome> {
  // Only roles of systems open to the organisation count as known: a forged form asks in vain.
  const known = new Map((await offeredRoles(deps.db, draft.row.org_oid)).map((r) => [r.code, r.system_code]));
  const chosen = chosenRoles(askedRoles, known);
  if ('error' in chosen) return { ok: false, error: chosen.error === 'none' ? 'apply.rolesNone' : 'apply.rolesUnknown' };
  const { policy } = await effectivePolicyFor(deps.db, draft.row.org_oid);
  const d = draft.data;
  const checked = await profileProblems(deps, draft, d.profile ?? {}, d.username ?? '', policy);
  if (!checked.profile) return { ok: false, profileErrors: checked.errors };
  const profile = checked.profile;
  const now = deps.clock.now();
  try {
    const r = await deps.db.transaction().execute(async (trx) => {
      // The draft is taken first: of two submissions of one draft (a double click), one goes on.
      if (await deleteDraft(trx, draft.row.id) !== 1) return { ok: false as const, error: 'apply.expired' as const };
      if (profile.nationalId) {
        const hmac = nationalIdIndex(deps.keyring, profile.nationalId);
        await lockNationalId(trx, hmac);
        // One person, one account: another live (or pending) account with this national ID (ACC-10).
        // Thrown, not returned: the draft's deletion above must roll back with it.
        if (await nationalIdInUse(trx, hmac)) throw new NationalIdTaken();
      }
      const accountId = await insertAccount(trx, deps.keyring, now, { username: d.username!, unitOid: draft.row.org_oid, state: 'pending', profile });
      await setPassword(trx, accountId, d.passwordHash!, now, 'password', false, null);
      const req = await submitRequest(trx, deps, {
        type: 'account_application', orgOid: draft.row.org_oid, requesterAccountId: null, subjectAccountId: accountId,
        systems: chosen.systems, payload: { accountId, roles: chosen.roles }, lang: d.lang, ip,
      });
      await audit(trx, now, {
        actor: null, action: 'application.submit', targetType: 'account', targetId: accountId, orgOid: draft.row.org_oid, ip,
        details: { username: maskUsername(normaliseUsername(d.username!)), roles: chosen.roles, requestId: req.id },
      });
      return { ok: true as const, requestId: req.id, accountId };
    });
    return r;
  } catch (e) {
    // Someone took the username meanwhile: the unique index decides, nothing was written.
    if (isUniqueViolation(e)) return { ok: false, profileErrors: { username: 'username.taken' } };
    if (e instanceof NationalIdTaken) {
      // Spent, so that each such answer costs a new captcha and two new codes; the audit says
      // why, the applicant's page does not say whose account it is.
      await deps.db.transaction().execute(async (trx) => {
        await deleteDraft(trx, draft.row.id);
        await audit(trx, now, {
          actor: null, action: 'application.submit', result: 'denied', targetType: 'application', targetId: draft.row.id,
          orgOid: draft.row.org_oid, ip, details: { reason: 'national_id_taken' },
        });
      });
      return { ok: false, refused: 'one_account' };
    }
    if (e instanceof RequestInputError) return { ok: false, error: e.messageKey };
    throw e;
  }
}

/** "取消申請": the draft, its codes and their messages go at once. */
export async function cancelApplication(deps: Deps, draft: Draft, ip: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await deleteDraft(trx, draft.row.id);
    await audit(trx, now, { actor: null, action: 'application.cancel', targetType: 'application', targetId: draft.row.id, orgOid: draft.row.org_oid, ip });
  });
}

/** The roles of the systems that the organisation may apply for (system_apply_scope). */
async function offeredRoles(db: Db, orgOid: string) {
  const codes = await systemCodesOpenTo(db, orgOid);
  if (codes.length === 0) return [];
  return rolesOfSystems(db, codes);
}

/**
 * The systems the organisation may apply for, with their roles and who could approve today
 * (ADM-6): the agency's own administrators; the central authority is counted only when it is the
 * only one (`centralOnly`), since it can decide everything and would otherwise be in every count.
 */
export async function systemsOnOffer(deps: Deps, orgOid: string) {
  const roles = await offeredRoles(deps.db, orgOid);
  const codes = [...new Set(roles.map((r) => r.system_code))];
  if (codes.length === 0) return [];
  const systems = await offeredSystems(deps.db, codes);
  return Promise.all(systems.map(async (s) => {
    const target = { type: 'account_application' as const, orgOid, systems: [s.code] };
    const local = await countApprovers(deps.db, { ...target, central: false });
    const central = local > 0 ? 0 : await countApprovers(deps.db, target);
    return {
      code: s.code, nameZh: s.name_zh, nameEn: s.name_en,
      approvers: local || central, centralOnly: local === 0 && central > 0,
      roles: roles.filter((r) => r.system_code === s.code).map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en })),
    };
  }));
}
