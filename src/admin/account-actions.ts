// What an administrator does to an existing account (ADM-5, AUTH-2, AUTH-4, AUTH-7, ACC-3):
// enable/disable, unlock, reset to the initial password, one-day password, delete. Each one:
// `authorize` first (via accountFor: out of reach = not found), one transaction, audited.
import type { AuditAction } from '../platform/audit-actions.ts';
import type { Deps } from '../platform/deps.ts';
import type { Db } from '../db/index.ts';
import { audit } from '../platform/audit.ts';
import { notFound } from '../platform/http/errors.ts';
import { getPassword, setPassword } from '../accounts/store.ts';
import { initialPassword, endOfTaipeiDay } from '../auth/issued-passwords.ts';
import { clearThrottle, usernameKey } from '../auth/throttle.ts';
import { deleteThrottleKeys, findThrottleRows } from '../auth/throttle-store.ts';
import { endAllSessions } from '../auth/session-store.ts';
import { maskUsername } from '../auth/mask.ts';
import type { Account } from '../db/types.ts';
import type { Lang } from '../platform/web/messages.ts';
import { sendSetPasswordLink, RESEND_LINK_COOLDOWN_MS, SET_PASSWORD_LINK_TTL_MS } from '../accounts/set-password-link.ts';
import { effectivePolicyFor } from '../orgs/store.ts';
import { authorize, type Actor } from '../access/authorize.ts';
import { recoveryFacts, recoveryFor, type Recovery } from './password-recovery.ts';
import { accountFor, type TxGuard } from './accounts.ts';
import {
  deleteOwnedRows, eraseAccountRows, findLiveAccounts, liveAccountsForDeletion,
  lockAccountRow, setAccountStateRow,
} from './account-store.ts';
import { insertPasswordHistory } from '../auth/password-store.ts';
import { lastLinkIssued } from '../accounts/set-password-link-store.ts';

export type ActionOutcome<T = object> = ({ ok: true } & T) | { ok: false; error: string };

const audited = (deps: Deps, actor: Actor, a: Account, action: AuditAction, ip: string | null, details: Record<string, unknown>) =>
  (trx: Db, now: Date) => audit(trx, now, { actor: actor.accountId, action, targetType: 'account', targetId: a.id, orgOid: a.unit_oid, ip, details });

/**
 * 帳戶是否啟用 (ADM-5). Disabling ends the account's sessions (its API tokens stop working by
 * themselves). Enabling returns a never-activated account to not_activated, so the first login
 * still has to change the issued password (AUTH-4). Pending accounts wait for their approval (REQ).
 */
export async function setAccountState(deps: Deps, actor: Actor, id: number, to: 'enabled' | 'disabled', ip: string | null, guard?: TxGuard): Promise<ActionOutcome<{ state: string }>> {
  const a = await accountFor(deps, actor, id, 'account.state');
  if (a.state === 'pending') return { ok: false, error: 'admin.statePending' };
  const next = to === 'disabled' ? 'disabled' : a.state !== 'disabled' ? a.state : a.activated_at ? 'enabled' : 'not_activated';
  if (next === a.state) return { ok: true, state: a.state };
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await guard?.(trx);
    await setAccountStateRow(trx, a.id, next, now);
    if (next === 'disabled') await endAllSessions(trx, a.id);
    await audited(deps, actor, a, 'account.state', ip, { before: a.state, after: next })(trx, now);
  });
  return { ok: true, state: next };
}

/** 解除鎖定 (AUTH-2): clears the username's failure counter (the same key the login uses). */
export async function unlockAccount(deps: Deps, actor: Actor, id: number, ip: string | null): Promise<ActionOutcome<{ wasLocked: boolean }>> {
  const a = await accountFor(deps, actor, id, 'account.unlock');
  const now = deps.clock.now();
  const wasLocked = await deps.db.transaction().execute(async (trx) => {
    const lockedUntil = (await findThrottleRows(trx, [usernameKey(deps.keyring, a.username_norm)]))[0]?.locked_until;
    await clearThrottle(trx, usernameKey(deps.keyring, a.username_norm));
    const locked = Boolean(lockedUntil && lockedUntil > now);
    await audited(deps, actor, a, 'account.unlock', ip, { wasLocked: locked })(trx, now);
    return locked;
  });
  return { ok: true, wasLocked };
}

/**
 * Issues the MmDd initial password again, as `kind`, valid until midnight in Taipei and to be
 * changed at first use. A chosen password it replaces goes to history, so the user cannot
 * "change" back to it. The lock-out counter is cleared: the account is meant to log in today.
 */
async function issuePassword(deps: Deps, a: Account, kind: 'initial' | 'one_day', endSessions: boolean, log: (trx: Db, now: Date) => Promise<void>): Promise<ActionOutcome<{ expiresAt: Date }>> {
  const hash = await issuedPasswordHash(deps, a);
  if (!hash) return { ok: false, error: 'admin.noInitialData' };
  const now = deps.clock.now();
  const expiresAt = await deps.db.transaction().execute(async (trx) => {
    const until = await writeIssuedPassword(trx, deps, a, kind, hash, now, endSessions);
    await log(trx, now);
    return until;
  });
  return { ok: true, expiresAt };
}

/** The initial-password hash of an account (slow: outside transactions), or null without birthday and national ID. */
export async function issuedPasswordHash(deps: Deps, a: Account): Promise<string | null> {
  if (!a.national_id_enc || !a.birth_month || !a.birth_day) return null;
  return deps.hasher.hash(initialPassword(a.birth_month, a.birth_day, deps.keyring.decrypt(a.national_id_enc)));
}

/**
 * Writes an issued password inside `trx` (also used by an approved one-day-password request,
 * REQ-3 D-06-11): the chosen password it replaces goes to history, the lock-out counter is cleared.
 */
export async function writeIssuedPassword(trx: Db, deps: Deps, a: Account, kind: 'initial' | 'one_day', hash: string, now: Date, endSessions: boolean): Promise<Date> {
  const expiresAt = endOfTaipeiDay(now);
  const previous = await getPassword(trx, a.id);
  if (previous?.kind === 'password') {
    await insertPasswordHistory(trx, a.id, previous.hash, previous.set_at);
  }
  await setPassword(trx, a.id, hash, now, kind, true, expiresAt);
  await clearThrottle(trx, usernameKey(deps.keyring, a.username_norm));
  if (endSessions) await endAllSessions(trx, a.id);
  return expiresAt;
}

/** The password action that fits the account's activation scheme (issue 9 item 12). */
export async function recoveryOf(deps: Deps, a: Account): Promise<Recovery | null> {
  const { policy } = await effectivePolicyFor(deps.db, a.unit_oid);
  return recoveryFor(policy['initialPassword.scheme'], recoveryFacts(a));
}

/**
 * 還原密碼 (ADM-5): back to the initial password; sessions end, since the old password is void.
 * Only where the initial password is the account's way in: under the set-password-link scheme the
 * refusal names the action that fits instead (issue 9 item 12).
 */
export async function resetToInitialPassword(deps: Deps, actor: Actor, id: number, ip: string | null): Promise<ActionOutcome<{ expiresAt: Date }>> {
  const a = await accountFor(deps, actor, id, 'account.resetPassword');
  if (a.state === 'pending') return { ok: false, error: 'admin.statePending' };
  const fits = await recoveryOf(deps, a);
  if (fits === 'set_password_link') return { ok: false, error: 'admin.reset.useLink' };
  return issuePassword(deps, a, 'initial', true, audited(deps, actor, a, 'account.password.reset', ip, { kind: 'initial' }));
}

/**
 * 啟用一日密碼 (AUTH-7, seed 003 section 十一): for a user without their card today. The one-day
 * password is the account's initial password; it works until midnight in Taipei and its first use
 * forces a change to 12+ characters with upper, lower and digits (password-set.ts).
 */
export async function enableOneDayPassword(deps: Deps, actor: Actor, id: number, ip: string | null): Promise<ActionOutcome<{ expiresAt: Date }>> {
  const a = await accountFor(deps, actor, id, 'account.oneDayPassword');
  if (a.state !== 'enabled' && a.state !== 'not_activated') return { ok: false, error: 'admin.oneDayState' };
  return issuePassword(deps, a, 'one_day', false, audited(deps, actor, a, 'account.oneDayPassword', ip, { expiresAt: endOfTaipeiDay(deps.clock.now()).toISOString() }));
}

/**
 * 補寄驗證信 by an administrator or the help-desk (ACC-7, ADM-1): a fresh set-password link to the
 * account's own e-mail, voiding the older ones. For an account still waiting for activation; and
 * for an activated one whose activation scheme is the link (issue 9 item 12), where it sets a new
 * password and the current one works until then. Within a minute of the last link it is refused,
 * so a double click sends one mail.
 */
export async function resendVerificationMail(deps: Deps, actor: Actor, id: number, ip: string | null, lang: Lang): Promise<ActionOutcome<{ expiresAt: Date; activated: boolean }>> {
  const a = await accountFor(deps, actor, id, 'account.resendMail');
  if (a.state !== 'not_activated' && a.state !== 'enabled') return { ok: false, error: 'admin.resend.notWaiting' };
  if (!a.email) return { ok: false, error: 'admin.resend.noEmail' };
  if (a.state === 'enabled' && await recoveryOf(deps, a) === 'initial_password') return { ok: false, error: 'admin.resend.useReset' };
  const now = deps.clock.now();
  const sent = await deps.db.transaction().execute(async (trx) => {
    // The account row is locked so that two clicks at once cannot both pass the cool-down.
    await lockAccountRow(trx, a.id);
    const last = (await lastLinkIssued(trx, a.id))?.created_at;
    if (last && now.getTime() - last.getTime() < RESEND_LINK_COOLDOWN_MS) return false;
    await sendSetPasswordLink(trx, deps, now, a.id, lang,
      a.state === 'enabled' ? 'account.newPasswordLink' : 'account.setPasswordLink');
    await audited(deps, actor, a, 'account.activation.resend', ip, { via: 'admin', ...(a.state === 'enabled' ? { purpose: 'new_password' } : {}) })(trx, now);
    return true;
  });
  if (!sent) return { ok: false, error: 'admin.resend.cooldown' };
  return { ok: true, expiresAt: new Date(now.getTime() + SET_PASSWORD_LINK_TTL_MS), activated: a.state === 'enabled' };
}

/**
 * 刪除 (ADM-5, ACC-3): irreversible, several at once, all or nothing. Each account becomes a
 * tombstone: state deleted, personal data erased, credentials, sessions, roles and grants
 * removed. The row stays, so the username stays taken (never reissued to someone else) and the
 * audit trail keeps pointing at it. Any id out of reach refuses the whole batch as "not found".
 */
export async function deleteAccounts(deps: Deps, actor: Actor, ids: number[], ip: string | null, guard?: TxGuard): Promise<ActionOutcome<{ deleted: number }>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return { ok: false, error: 'admin.noneSelected' };
  const rows = await findLiveAccounts(deps.db, unique);
  if (rows.length !== unique.length || rows.some((a) => !authorize(actor, 'account.delete', { oid: a.unit_oid }))) throw notFound();
  if (rows.some((a) => a.id === actor.accountId)) return { ok: false, error: 'admin.deleteSelf' };
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await guard?.(trx);
    await eraseAccounts(trx, deps, rows, now);
    for (const a of rows) await audited(deps, actor, a, 'account.delete', ip, { username: maskUsername(a.username_norm), before: a.state })(trx, now);
  });
  return { ok: true, deleted: rows.length };
}

/**
 * Turns accounts into tombstones inside `trx` (the caller audits): state deleted, personal data
 * erased, credentials, sessions, roles and grants removed. Also used by an approved user-delete
 * request (REQ-3 D-06-09) and a rejected account application (REQ-1).
 */
export async function eraseAccounts(trx: Db, deps: Deps, rows: Pick<Account, 'id' | 'username_norm'>[], now: Date): Promise<void> {
  const ids = rows.map((a) => a.id);
  if (ids.length === 0) return;
  await eraseAccountRows(trx, ids, now);
  await deleteOwnedRows(trx, ids);
  await deleteThrottleKeys(trx, rows.map((a) => usernameKey(deps.keyring, a.username_norm)));
}

/** For the confirmation step: the accounts a delete would remove, all inside the jurisdiction. */
export async function accountsToDelete(deps: Deps, actor: Actor, ids: number[]) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await liveAccountsForDeletion(deps.db, unique);
  if (rows.length !== unique.length || rows.some((a) => !authorize(actor, 'account.delete', { oid: a.unit_oid }))) throw notFound();
  return rows;
}
