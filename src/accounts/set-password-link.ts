// Set-password links (AUTH-4, ACC-7): a new account gets a mail with a single-use link to choose
// its first password. The token is 32 random bytes; only its keyed HMAC is stored, so a copy of
// the database gives no live link. The link carries no username: a forwarded or logged URL does
// not name the account. A new link voids the older ones of the account (resend).
import crypto from 'node:crypto';
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import type { Lang } from '../platform/web/messages.ts';
import { enqueueMail } from '../platform/outbox.ts';

export const SET_PASSWORD_LINK_TTL_MS = 72 * 3_600_000;

export const setPasswordTokenHash = (deps: Pick<Deps, 'keyring'>, token: string): string => deps.keyring.mac('set-password-link', token);

/** Issues a fresh link and enqueues its mail in the caller's transaction `trx`. */
export async function sendSetPasswordLink(trx: Db, deps: Deps, now: Date, account: { id: number; email: string | null; name: string; username: string }, lang: Lang): Promise<void> {
  // Without an address there is nobody to send to; callers require the e-mail before creating.
  if (!account.email) throw new Error(`account ${account.id} has no e-mail for a set-password link`);
  const token = crypto.randomBytes(32).toString('base64url');
  await trx.updateTable('set_password_links').set({ expires_at: now })
    .where('account_id', '=', account.id).where('used_at', 'is', null).where('expires_at', '>', now).execute();
  await trx.insertInto('set_password_links').values({
    account_id: account.id, token_hash: setPasswordTokenHash(deps, token), created_at: now,
    expires_at: new Date(now.getTime() + SET_PASSWORD_LINK_TTL_MS),
  }).execute();
  await enqueueMail(trx, now, {
    to: account.email, template: 'account.setPasswordLink', lang,
    vars: {
      name: account.name, username: account.username, link: `${deps.config.baseUrl}/activate/${token}`,
      hours: SET_PASSWORD_LINK_TTL_MS / 3_600_000, resendUrl: `${deps.config.baseUrl}/activate/resend`,
    },
  });
}
