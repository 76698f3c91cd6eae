// SQL of server-side sessions (AUTH-10, AUTH-3): a session started together with the account's
// last-login stamp, one read with its account, touched, ended one by one or all of an account's,
// and the forced password change or the usage rules owed (seed 002 五(七)) a session carries cleared.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { owesRules } from '../access/usage-rules-sql.ts';

/**
 * Inserts a session and stamps the account's last-login column for its method, in one statement
 * (a login is on the hot path: every round trip counts).
 */
export async function insertSessionStampingLogin(trx: Db, s: {
  idHash: string; accountId: number; now: Date; absoluteExpiresAt: Date; idleSeconds: number;
  authMethod: string; mustChangePassword: boolean; previousLoginAt: Date | null;
}, lastLoginColumn: 'last_password_login_at' | 'last_certificate_login_at' | 'last_passkey_login_at'): Promise<void> {
  await sql`
    WITH s AS (
      INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at, absolute_expires_at, idle_seconds, auth_method, must_change_password, previous_login_at, must_accept_rules)
      VALUES (${s.idHash}, ${s.accountId}, ${s.now}, ${s.now}, ${s.absoluteExpiresAt}, ${s.idleSeconds}, ${s.authMethod}, ${s.mustChangePassword}, ${s.previousLoginAt},
        (SELECT ${owesRules(sql.val(s.accountId), sql.ref('owner.unit_oid'))} FROM accounts owner WHERE owner.id = ${s.accountId}))
    )
    UPDATE accounts SET ${sql.ref(lastLoginColumn)} = ${s.now} WHERE id = ${s.accountId}`.execute(trx);
}

/** A session by its id's hash, with what a request needs of its account and whether it holds grants. */
export async function findSessionWithAccount(db: Db, idHash: string) {
  return db.selectFrom('sessions as s')
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .select((eb) => [
      's.account_id', 's.created_at', 's.last_seen_at', 's.absolute_expires_at', 's.idle_seconds', 's.auth_method', 's.must_change_password', 's.must_accept_rules',
      's.previous_login_at', 'a.last_certificate_login_at', 'a.last_password_login_at', 'a.last_passkey_login_at', 'a.username', 'a.name', 'a.unit_oid', 'a.state',
      eb.exists(eb.selectFrom('admin_grants as g').select('g.id').whereRef('g.account_id', '=', 'a.id').where('g.kind', '=', 'central')).as('is_central'),
      eb.exists(eb.selectFrom('admin_grants as ag').select('ag.id').whereRef('ag.account_id', '=', 'a.id')).as('is_admin'),
    ])
    .where('s.id_hash', '=', idHash).executeTakeFirst();
}

export async function touchSession(db: Db, idHash: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

export async function endSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of an account; returns how many there were. */
export async function endAllSessions(db: Db, accountId: number): Promise<number> {
  const r = await db.deleteFrom('sessions').where('account_id', '=', accountId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Ends the account's sessions other than the one whose id hashes to `keepIdHash`. */
export async function endOtherSessions(db: Db, accountId: number, keepIdHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('account_id', '=', accountId).where('id_hash', '!=', keepIdHash).execute();
}

/** The session's holder acknowledged the usage rules it owed. */
export async function clearSessionMustAcceptRules(db: Db, idHash: string): Promise<void> {
  await db.updateTable('sessions').set({ must_accept_rules: false }).where('id_hash', '=', idHash).execute();
}

export async function clearSessionMustChangePassword(db: Db, idHash: string): Promise<void> {
  await db.updateTable('sessions').set({ must_change_password: false }).where('id_hash', '=', idHash).execute();
}
