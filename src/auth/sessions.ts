// Server-side sessions (AUTH-10): the cookie holds a random id, the database its hash, so any
// instance can serve any request. Idle and absolute timeouts come from the account's policy.
import type { Db } from '../db/index.ts';
import type { Clock } from '../platform/clock.ts';
import { randomToken, sha256 } from '../platform/crypto.ts';
import type { Policy } from '../orgs/policy.ts';
import { endSession, findSessionWithAccount, insertSessionStampingLogin, touchSession } from './session-store.ts';

export { SESSION_COOKIE } from '../platform/http/context.ts';
/** last_seen_at is written at most this often, so a busy page does not write on every request. */
const TOUCH_INTERVAL_MS = 30_000;

export interface ActiveSession {
  idHash: string;
  accountId: number;
  username: string;
  name: string;
  unitOid: string;
  state: string;
  authMethod: string;
  mustChangePassword: boolean;
  /** The account owes an acknowledgement of its usage rules (seed 002 五(七)), found at sign-in. */
  mustAcceptRules: boolean;
  isCentral: boolean;
  /** Holds any administration grant: the registration-service pages are offered (ADM). */
  isAdmin: boolean;
  previousLoginAt: Date | null;
  lastCertificateLoginAt: Date | null;
  /** The account's last sign-in by password and by passkey (ACC-6): for the session's own method, previousLoginAt is the one before it. */
  lastPasswordLoginAt: Date | null;
  lastPasskeyLoginAt: Date | null;
  /** When the user signed in: single sign-on reports it as auth_time and checks max_age against it. */
  createdAt: Date;
}

/**
 * Starts a session and stamps the account's last-login column for this method, in one statement
 * (a login is on the hot path: every round trip counts).
 */
export async function createSession(trx: Db, now: Date, accountId: number, policy: Policy,
  authMethod: 'password' | 'certificate' | 'passkey' | 'otp', mustChangePassword: boolean, previousLoginAt: Date | null,
  lastLoginColumn: 'last_password_login_at' | 'last_certificate_login_at' | 'last_passkey_login_at'): Promise<string> {
  const token = randomToken();
  const absolute = new Date(now.getTime() + policy['session.absoluteHours'] * 3_600_000);
  await insertSessionStampingLogin(trx, {
    idHash: sha256(token), accountId, now, absoluteExpiresAt: absolute, idleSeconds: policy['session.idleMinutes'] * 60,
    authMethod, mustChangePassword, previousLoginAt,
  }, lastLoginColumn);
  return token;
}

export type SessionLookup = { status: 'active'; session: ActiveSession } | { status: 'expired' } | { status: 'none' };

export async function resolveSession(db: Db, clock: Clock, token: string | undefined): Promise<SessionLookup> {
  if (!token || token.length > 100) return { status: 'none' };
  const idHash = sha256(token);
  const row = await findSessionWithAccount(db, idHash);
  if (!row) return { status: 'none' };
  const now = clock.now().getTime();
  const idle = now - row.last_seen_at.getTime() > row.idle_seconds * 1000;
  if (idle || now >= row.absolute_expires_at.getTime() || !['enabled', 'not_activated'].includes(row.state)) {
    await endSession(db, idHash);
    return { status: 'expired' };
  }
  if (now - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
    await touchSession(db, idHash, new Date(now));
  }
  return {
    status: 'active',
    session: {
      idHash, accountId: row.account_id, username: row.username, name: row.name, unitOid: row.unit_oid, state: row.state,
      authMethod: row.auth_method, mustChangePassword: row.must_change_password, mustAcceptRules: row.must_accept_rules, isCentral: Boolean(row.is_central), isAdmin: Boolean(row.is_admin),
      previousLoginAt: row.previous_login_at, lastCertificateLoginAt: row.last_certificate_login_at,
      lastPasswordLoginAt: row.last_password_login_at, lastPasskeyLoginAt: row.last_passkey_login_at, createdAt: row.created_at,
    },
  };
}
