// Personal API tokens: `Authorization: Bearer <token>` acts with the token's account and its
// grants. Only the SHA-256 of a token is stored; the token itself is shown once, at creation.
import type { Deps } from '../platform/deps.ts';
import type { Db } from '../db/index.ts';
import { audit } from '../platform/audit.ts';
import { randomToken, sha256 } from '../platform/crypto.ts';
import { findAccountByUsername } from '../accounts/store.ts';
import { DAY, MINUTE } from '../platform/clock.ts';
import { findTokenByHash, insertToken, revokeLiveTokens, touchToken } from './token-store.ts';

export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 366;
/** last_used_at is written at most this often, so a busy client does not write on every call. */
const TOUCH_INTERVAL_MS = MINUTE;

export class TokenError extends Error {}

export interface CreatedToken { token: string; id: number; expiresAt: Date }

/** Issues a token for `username` (operator's CLI; audited with no actor). */
export async function createApiToken(deps: Deps, username: string, opts: { days?: number; label?: string | null } = {}): Promise<CreatedToken> {
  const days = opts.days ?? DEFAULT_TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) throw new TokenError(`--days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`);
  const label = opts.label?.trim() || null;
  if (label && label.length > 100) throw new TokenError('--label must be at most 100 characters');
  const account = await findAccountByUsername(deps.db, username);
  if (!account || account.state === 'deleted') throw new TokenError(`no account ${username}`);
  const token = randomToken(32);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + days * DAY);
  const id = await deps.db.transaction().execute(async (trx) => {
    const tokenId = await insertToken(trx, { accountId: account.id, tokenHash: sha256(token), label, now, expiresAt });
    await audit(trx, now, {
      actor: null, action: 'api_token.create', targetType: 'account', targetId: account.id, orgOid: account.unit_oid,
      details: { tokenId, label, expiresAt: expiresAt.toISOString(), via: 'cli' },
    });
    return tokenId;
  });
  return { token, id, expiresAt };
}

/** Revokes every live token of `username`; returns how many. */
export async function revokeApiTokens(deps: Deps, username: string): Promise<number> {
  const account = await findAccountByUsername(deps.db, username);
  if (!account) throw new TokenError(`no account ${username}`);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const tokenIds = await revokeLiveTokens(trx, account.id, now);
    await audit(trx, now, {
      actor: null, action: 'api_token.revoke', targetType: 'account', targetId: account.id, orgOid: account.unit_oid,
      details: { tokenIds, via: 'cli' },
    });
    return tokenIds.length;
  });
}

/**
 * The account a presented token acts for, or null: unknown, revoked and expired tokens, and
 * accounts that are not enabled (disabled, not yet activated, deleted) are refused alike.
 */
export async function authenticateApiToken(db: Db, now: Date, token: string): Promise<{ accountId: number } | null> {
  // 32 random bytes in base64url are 43 characters; anything else cannot be a token.
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const row = await findTokenByHash(db, sha256(token));
  if (!row || row.revoked_at || row.expires_at.getTime() <= now.getTime() || row.state !== 'enabled') return null;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= TOUCH_INTERVAL_MS) {
    await touchToken(db, row.id, now);
  }
  return { accountId: row.account_id };
}
