// SQL of the outbox of mail, SMS and back-channel logout (OPS-3, SSO-2): a message row written in the caller's transaction, due
// rows claimed under a lease (UPDATE … FOR UPDATE SKIP LOCKED), a row marked sent or failed,
// finished rows purged, and the newest rows for the development outbox page.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';

export type Channel = 'mail' | 'sms' | 'backchannel' | 'scim';

export interface ClaimedMessage { id: number; channel: Channel; recipient: string; subject: string; body_text: string; body_html: string | null; attempts: number; created_at: Date }

/** Writes one message, due at once. Returns the row id. */
export async function insertOutboxMessage(db: Db, now: Date, m: {
  channel: Channel; recipient: string; subject: string; body_text: string; body_html: string | null;
}): Promise<number> {
  const row = await db.insertInto('outbox').values({
    channel: m.channel, recipient: m.recipient, subject: m.subject, body_text: m.body_text, body_html: m.body_html,
    created_at: now, next_attempt_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Claims up to `limit` rows of `channels` that are due at `now` and not leased, oldest first, by
 * leasing them until `leaseUntil` and counting the attempt. Rows another instance holds locked are
 * skipped, so no row is claimed twice.
 */
export async function claimDueMessages(db: Db, now: Date, leaseUntil: Date, limit: number, channels: Channel[]): Promise<ClaimedMessage[]> {
  const r = await sql<ClaimedMessage>`
    UPDATE outbox SET lease_until = ${leaseUntil}, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM outbox o
      WHERE sent_at IS NULL AND next_attempt_at <= ${now} AND (lease_until IS NULL OR lease_until <= ${now})
        AND channel IN (${sql.join(channels)})
        -- SCIM push (SSO-6): in order per subject (target and person): a row waits while an earlier one is unsent, not given up.
        AND (channel <> 'scim' OR NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = 'scim' AND p.sent_at IS NULL
          AND p.subject = o.subject AND p.id < o.id AND p.next_attempt_at IS NOT NULL))
      ORDER BY next_attempt_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, channel, recipient, subject, body_text, body_html, attempts, created_at`.execute(db);
  return r.rows.map((x) => ({ ...x, id: Number(x.id), attempts: Number(x.attempts) }));
}

export async function markMessageSent(db: Db, id: number, at: Date): Promise<void> {
  await db.updateTable('outbox').set({ sent_at: at, lease_until: null, last_error: null }).where('id', '=', id).execute();
}

/** Releases the lease after a failed attempt; `nextAttemptAt` null gives the row up. */
export async function markMessageFailed(db: Db, id: number, lastError: string, nextAttemptAt: Date | null): Promise<void> {
  await db.updateTable('outbox').set({ lease_until: null, last_error: lastError, next_attempt_at: nextAttemptAt }).where('id', '=', id).execute();
}

/** Deletes the rows created before `before` that were delivered or given up; returns how many. */
export async function deleteFinishedMessagesBefore(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom('outbox')
    .where('created_at', '<', before)
    .where((eb) => eb.or([eb('sent_at', 'is not', null), eb('next_attempt_at', 'is', null)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The newest messages, of one channel or both, for the development outbox page. */
export async function recentOutbox(db: Db, channel: Channel | undefined, limit: number) {
  let q = db.selectFrom('outbox').selectAll();
  q = channel ? q.where('channel', '=', channel) : q.where('channel', 'in', ['mail', 'sms']);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Issue 15 (metrics): messages waiting to be sent, by channel, and when the oldest was written. */
export async function outboxBacklog(db: Db): Promise<{ counts: Record<Channel, number>; oldest: Date | null }> {
  const rows = await sql<{ channel: Channel; n: number; oldest: Date | null }>`SELECT channel, count(*)::int AS n, min(created_at) AS oldest FROM outbox WHERE sent_at IS NULL AND next_attempt_at IS NOT NULL GROUP BY channel`.execute(db);
  const counts: Record<Channel, number> = { mail: 0, sms: 0, backchannel: 0, scim: 0 };
  let oldest: Date | null = null;
  for (const r of rows.rows) {
    counts[r.channel] = r.n;
    if (r.oldest && (!oldest || new Date(r.oldest) < oldest)) oldest = new Date(r.oldest);
  }
  return { counts, oldest };
}
