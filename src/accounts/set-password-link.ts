// Set-password links (AUTH-4, ACC-7): a new account gets a mail with a single-use link to choose
// its first password. The token is 32 random bytes; only its keyed HMAC is stored, so a copy of
// the database gives no live link. The link carries no username: a forwarded or logged URL does
// not name the account. A new link voids the older ones of the account (resend).
import crypto from 'node:crypto';
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import type { Lang } from '../platform/web/messages.ts';
import { enqueueMail } from '../mail-templates.ts';
import { audit } from '../platform/audit.ts';
import { checkCaptcha } from '../platform/captcha.ts';
import { effectivePolicyFor, tenantOf } from '../orgs/store.ts';
import { newPasswordErrors, storeChosenPassword } from '../auth/password-set.ts';
import type { PasswordError } from '../auth/password-policy.ts';
import { maskUsername } from '../auth/mask.ts';
import { endAllSessions } from '../auth/session-store.ts';
import { clearThrottle, usernameKey } from '../auth/throttle.ts';
import { findAccountByUsername, getPassword, lockAccountState } from './store.ts';
import { findLiveLinkByHash, insertLink, lastLinkIssued, linkMailAccount, markLinkUsed, voidLiveLinks } from './set-password-link-store.ts';
import { normaliseUsername } from './username.ts';

export const SET_PASSWORD_LINK_TTL_MS = 72 * 3_600_000;

export const setPasswordTokenHash = (deps: Pick<Deps, 'keyring'>, token: string): string => deps.keyring.mac('set-password-link', token);

/**
 * Issues a fresh link and enqueues its mail in the caller's transaction `trx`. The mail lists the
 * account's details for the person to check and names the school (by its code) or the agency, so
 * that someone who is not meant can tell and ignore it (seed 001's 註冊會員成功通知). `template`:
 * the first link of a new account, or a new one for an activated account (issue 9 item 12).
 */
export async function sendSetPasswordLink(trx: Db, deps: Deps, now: Date, accountId: number, lang: Lang,
  template: 'account.setPasswordLink' | 'account.newPasswordLink' = 'account.setPasswordLink'): Promise<void> {
  const account = await linkMailAccount(trx, accountId);
  // Without an address there is nobody to send to; callers require the e-mail before creating.
  if (!account.email) throw new Error(`account ${account.id} has no e-mail for a set-password link`);
  const token = crypto.randomBytes(32).toString('base64url');
  await voidLiveLinks(trx, account.id, now);
  await insertLink(trx, {
    account_id: account.id, token_hash: setPasswordTokenHash(deps, token), created_at: now,
    expires_at: new Date(now.getTime() + SET_PASSWORD_LINK_TTL_MS),
  });
  const school = await tenantOf(trx, account.unit_oid);
  await enqueueMail(trx, now, {
    to: account.email, template, lang,
    vars: {
      name: account.name, username: account.username, email: account.email, department: account.department ?? '', title: account.title ?? '',
      phone: account.office_phone ? account.office_phone + (account.office_ext ? `#${account.office_ext}` : '') : '',
      school: school ? { code: school.code, name: school.name } : null, organisation: account.unitName,
      link: `${deps.config.baseUrl}/activate/${token}`, hours: SET_PASSWORD_LINK_TTL_MS / 3_600_000, resendUrl: `${deps.config.baseUrl}/activate/resend`,
    },
  });
}

/** A token as issued: 32 bytes in base64url. Anything else is not looked up at all. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The live link of `token`: unused, unexpired, and its account either still waiting for
 * activation, or enabled with no password set since the link was issued (an administrator's new
 * link, issue 9 item 12). So a first link is void once the account is activated some other way
 * (e.g. a forgotten-password reset), and any link is void for a disabled account.
 */
export async function findLiveLink(deps: Deps, token: string, now: Date) {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  return findLiveLinkByHash(deps.db, setPasswordTokenHash(deps, token), now);
}

export type ActivateOutcome = { ok: true } | { ok: false; invalid: true } | { ok: false; invalid: false; errors: PasswordError[] };

/** Sets the first password through a link (AUTH-4): policy and history checked, then single use. */
export async function activateWithLink(deps: Deps, input: { token: string; next: string; confirm: string; ip: string }): Promise<ActivateOutcome> {
  const now = deps.clock.now();
  const link = await findLiveLink(deps, input.token, now);
  if (!link) return { ok: false, invalid: true };
  const [{ policy }, current] = await Promise.all([effectivePolicyFor(deps.db, link.unit_oid), getPassword(deps.db, link.id)]);
  const errors = await newPasswordErrors(deps.db, deps.hasher, { accountId: link.id, username: link.username, current, next: input.next, confirm: input.confirm, policy });
  if (errors.length > 0) return { ok: false, invalid: false, errors };
  const hash = await deps.hasher.hash(input.next);
  const done = await deps.db.transaction().execute(async (trx) => {
    // The account row is locked first, so a parallel disable or activation cannot slip in between.
    const state = await lockAccountState(trx, link.id);
    if (state?.state !== link.state) return false;
    // Single use even against a parallel request with the same link: only one UPDATE wins.
    if (!(await markLinkUsed(trx, link.linkId, now))) return false;
    await voidLiveLinks(trx, link.id, now);
    const activated = await storeChosenPassword(trx, link.id, current, hash, now);
    // For an activated account the link replaced a password: as after a forgotten-password reset,
    // its sessions end and its lock-out counter is cleared.
    const sessionsEnded = activated ? 0 : await endAllSessions(trx, link.id);
    if (!activated) await clearThrottle(trx, usernameKey(deps.keyring, link.username_norm));
    await audit(trx, now, {
      actor: link.id, action: activated ? 'account.activate' : 'auth.password.reset', targetType: 'account', targetId: link.id, orgOid: link.unit_oid, ip: input.ip,
      details: { via: 'set_password_link', activated, ...(activated ? {} : { sessionsEnded }) },
    });
    return true;
  });
  return done ? { ok: true } : { ok: false, invalid: true };
}

/** Within this long after a link, a resend sends nothing (silently), against mail flooding. */
export const RESEND_LINK_COOLDOWN_MS = 60_000;

// The same matching as the forgotten-password request (password-reset.ts): names as typed apart
// from surrounding and repeated spaces, e-mail addresses without regard to case.
const sameName = (a: string, b: string) => a.normalize('NFC').trim().replace(/\s+/g, ' ') === b.normalize('NFC').trim().replace(/\s+/g, ' ');
const sameEmail = (a: string | null, b: string) => a !== null && a.trim().toLowerCase() === b.trim().toLowerCase();

export interface ResendInput { name: string; username: string; email: string; captchaId: string; captcha: string; ip: string; lang: Lang }

/**
 * 補寄驗證信 (ACC-7): a fresh link when name, username and e-mail match a not-yet-activated
 * account. `false` only for a wrong captcha; every other outcome looks the same to the requester.
 */
export async function resendSetPasswordLink(deps: Deps, input: ResendInput): Promise<boolean> {
  const now = deps.clock.now();
  if (deps.config.captchaEnabled && !(await checkCaptcha(deps.db, now, input.captchaId, input.captcha))) return false;
  const account = await findAccountByUsername(deps.db, input.username);
  const matched = account !== undefined && account.state === 'not_activated' && sameName(account.name, input.name) && sameEmail(account.email, input.email);
  const last = matched ? await lastLinkIssued(deps.db, account.id) : undefined;
  const coolingDown = last !== undefined && now.getTime() - last.created_at.getTime() < RESEND_LINK_COOLDOWN_MS;
  const issue = matched && !coolingDown;
  await deps.db.transaction().execute(async (trx) => {
    if (issue) await sendSetPasswordLink(trx, deps, now, account.id, input.lang);
    // The unmatched path runs the same void statement (touching no row), so both cost about the same.
    else await voidLiveLinks(trx, 0, now);
    await audit(trx, now, {
      actor: null, action: 'account.activation.resend', result: issue ? 'ok' : 'denied',
      targetType: account ? 'account' : undefined, targetId: account?.id, orgOid: account?.unit_oid ?? null, ip: input.ip,
      details: { username: maskUsername(normaliseUsername(input.username)), ...(issue ? {} : { reason: matched ? 'cooldown' : 'no_match' }) },
    });
  });
  return true;
}

/** A request path with a link token blanked, for logs: a logged live link would be a usable one. */
export const redactLinkToken = (path: string): string => path.replace(/^\/activate\/[A-Za-z0-9_-]{43}$/, '/activate/:token');
