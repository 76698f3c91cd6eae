// SQL of application drafts (REQ-1, AUTH-6, ACC-2): a draft by its token's HMAC, its sealed data,
// expiry and verified channels, deleting one or every expired one together with the outbox messages
// that carried their codes, and the sweep of ended send and username look-up counters.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { DraftRow } from './tables.ts';
import type { OtpChannel } from './otp.ts';

export interface NewDraftRow {
  token_hash: string; kind: 'new' | 'contact'; org_oid: string; contact_account_id: number | null;
  data_enc: string; created_at: Date; expires_at: Date;
}

/** A new draft; its id. */
export async function insertDraft(trx: Db, row: NewDraftRow): Promise<number> {
  return (await trx.insertInto('application_drafts').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

/** The unexpired draft of this kind whose token has the HMAC `tokenHash`. */
export async function findLiveDraft(db: Db, tokenHash: string, kind: 'new' | 'contact', now: Date): Promise<DraftRow | undefined> {
  return db.selectFrom('application_drafts').selectAll()
    .where('token_hash', '=', tokenHash).where('kind', '=', kind).where('expires_at', '>', now).executeTakeFirst();
}

/** Replaces the draft's sealed data and sets its expiry. */
export async function updateDraftData(trx: Db, id: number, dataEnc: string, expiresAt: Date): Promise<void> {
  await trx.updateTable('application_drafts').set({ data_enc: dataEnc, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function setDraftExpiry(trx: Db, id: number, expiresAt: Date): Promise<void> {
  await trx.updateTable('application_drafts').set({ expires_at: expiresAt }).where('id', '=', id).execute();
}

/** Records that the draft's code on `channel` was right. */
export async function markDraftVerified(trx: Db, id: number, channel: OtpChannel, now: Date): Promise<void> {
  await trx.updateTable('application_drafts').set(channel === 'mail' ? { email_verified_at: now } : { mobile_verified_at: now })
    .where('id', '=', id).execute();
}

/** Deletes the outbox messages that carried the codes of the drafts matching `where`. */
async function deleteCodeMessages(trx: Db, where: RawBuilder<boolean>): Promise<void> {
  await sql`DELETE FROM outbox WHERE id IN (
    SELECT c.outbox_id FROM otp_challenges c JOIN application_drafts d ON d.id = c.draft_id WHERE ${where} AND c.outbox_id IS NOT NULL)`.execute(trx);
}

/** Deletes the outbox messages that carried the codes of draft `id`. */
export async function deleteDraftCodeMessages(trx: Db, id: number): Promise<void> {
  await deleteCodeMessages(trx, sql<boolean>`d.id = ${id}`);
}

/** Deletes the outbox messages that carried the codes of drafts expired at `now`. */
export async function deleteExpiredDraftCodeMessages(trx: Db, now: Date): Promise<void> {
  await deleteCodeMessages(trx, sql<boolean>`d.expires_at <= ${now}`);
}

/** Deletes the draft and its codes (cascade); how many rows went (0 or 1). */
export async function deleteDraftRow(trx: Db, id: number): Promise<number> {
  return Number((await trx.deleteFrom('application_drafts').where('id', '=', id).executeTakeFirst()).numDeletedRows);
}

/** Deletes every draft expired at `now` with its codes (cascade); how many. */
export async function deleteExpiredDrafts(trx: Db, now: Date): Promise<number> {
  return Number((await trx.deleteFrom('application_drafts').where('expires_at', '<=', now).executeTakeFirst()).numDeletedRows);
}

/** Deletes the send counters whose window started at or before `windowStartedBy`. */
export async function deleteEndedSendCounters(trx: Db, windowStartedBy: Date): Promise<void> {
  await trx.deleteFrom('otp_send_counters').where('window_started_at', '<=', windowStartedBy).execute();
}

/**
 * Deletes the login_throttle counters whose key starts with `keyPrefix`, whose window started at
 * or before `windowStartedBy` and whose lock (if any) has ended at `now`.
 */
export async function deleteEndedThrottleCounters(trx: Db, keyPrefix: string, windowStartedBy: Date, now: Date): Promise<void> {
  await trx.deleteFrom('login_throttle').where('key', 'like', keyPrefix + '%').where('window_started_at', '<=', windowStartedBy)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)])).execute();
}
