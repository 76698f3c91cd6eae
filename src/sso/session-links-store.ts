// SQL of the link between a provider session and the Tessera session it was signed in with (SSO-2,
// AUTH-10, issue 13): written when a system is signed into, read by the sweep that ends provider
// sessions whose Tessera session ended (logout, idle or absolute timeout) or whose account may no
// longer sign in (disabled, deleted).
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';

export async function linkOpSession(db: Db, l: { opSessionId: string; sessionIdHash: string; accountId: number; now: Date }): Promise<void> {
  await db.insertInto('sso_session_links')
    .values({ op_session_id: l.opSessionId, session_id_hash: l.sessionIdHash, account_id: l.accountId, linked_at: l.now })
    .onConflict((oc) => oc.column('op_session_id').doUpdateSet({ session_id_hash: l.sessionIdHash, account_id: l.accountId, linked_at: l.now }))
    .execute();
}

export async function unlinkOpSession(db: Db, opSessionId: string): Promise<void> {
  await db.deleteFrom('sso_session_links').where('op_session_id', '=', opSessionId).execute();
}

/**
 * Provider sessions whose Tessera session is gone or past its idle or absolute timeout, or whose
 * account is no longer enabled; at most `limit`, oldest link first.
 */
export async function endedOpSessionIds(db: Db, now: Date, limit: number): Promise<string[]> {
  const r = await sql<{ op_session_id: string }>`
    SELECT l.op_session_id FROM sso_session_links l
    LEFT JOIN sessions s ON s.id_hash = l.session_id_hash
    LEFT JOIN accounts a ON a.id = l.account_id
    WHERE s.id_hash IS NULL
       OR s.absolute_expires_at <= ${now}
       OR s.last_seen_at + s.idle_seconds * interval '1 second' < ${now}
       OR a.id IS NULL OR a.state NOT IN ('enabled', 'not_activated')
    ORDER BY l.linked_at
    LIMIT ${limit}`.execute(db);
  return r.rows.map((x) => x.op_session_id);
}
