// One-time codes in the database (AUTH-6): issued into the caller's transaction together with the
// mail or SMS that carries them (outbox), checked with one try taken per comparison, used once.
// Send limits per destination and per client address are counters keyed by HMAC (no address or
// number in clear), charged in the transaction that sends, so a refused send costs nothing.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { Deps } from '../../platform/deps.ts';
import type { Lang } from '../../platform/web/messages.ts';
import { translator } from '../../messages.ts';
import { constantTimeEqual } from '../../platform/crypto.ts';
import { enqueueMail } from '../../mail-templates.ts';
import { enqueueSms } from '../../platform/outbox.ts';
import {
  OTP_DIGITS, OTP_TTL_MS, OTP_MAX_FAILURES, SEND_WINDOW_MS, SENDS_PER_DESTINATION, SENDS_PER_IP,
  challengeState, codeMacInput, destinationOf, resendWaitMs, type ChallengeState, type OtpChannel,
} from './otp.ts';

const codeHash = (deps: Deps, draftId: number, channel: OtpChannel, code: string) => deps.keyring.mac('otp', codeMacInput(draftId, channel, code));
const newCode = (): string => String(crypto.randomInt(0, 10 ** OTP_DIGITS)).padStart(OTP_DIGITS, '0');

export class SendLimited extends Error {}

/**
 * Counts one send for the client address and for each destination; throws SendLimited (rolling
 * the caller's transaction back, counters included) when one is over its limit for the window.
 */
export async function chargeSends(trx: Db, deps: Deps, now: Date, ip: string, destinations: { channel: OtpChannel; to: string }[]): Promise<void> {
  const windowStart = new Date(now.getTime() - SEND_WINDOW_MS);
  const keys: [string, number][] = [
    ['ip:' + deps.keyring.mac('otp-send', ip), SENDS_PER_IP],
    ...destinations.map((d): [string, number] => ['to:' + deps.keyring.mac('otp-send', destinationOf(d.channel, d.to)), SENDS_PER_DESTINATION]),
  ];
  for (const [key, limit] of keys) {
    // One upsert per key: concurrent sends cannot both see the last free slot.
    const r = await sql<{ sent: number }>`
      INSERT INTO otp_send_counters AS c (key, window_started_at, sent) VALUES (${key}, ${now}, 1)
      ON CONFLICT (key) DO UPDATE SET
        sent = CASE WHEN c.window_started_at <= ${windowStart} THEN 1 ELSE c.sent + 1 END,
        window_started_at = CASE WHEN c.window_started_at <= ${windowStart} THEN ${now} ELSE c.window_started_at END
      RETURNING sent`.execute(trx);
    if (Number(r.rows[0].sent) > limit) throw new SendLimited();
  }
}

/** `to` null: a code that is stored but sent to nobody (an existing contact whose details did not match). */
export interface CodeMessage { draftId: number; channel: OtpChannel; to: string | null; lang: Lang; name: string; agency: string; purpose: 'apply' | 'contact' }

/** Issues a code on a channel in the caller's transaction: older live codes of the channel die, the message is enqueued. */
export async function issueCode(trx: Db, deps: Deps, now: Date, m: CodeMessage): Promise<void> {
  await trx.updateTable('otp_challenges').set({ expires_at: now })
    .where('draft_id', '=', m.draftId).where('channel', '=', m.channel).where('used_at', 'is', null).where('expires_at', '>', now).execute();
  const code = newCode();
  const minutes = OTP_TTL_MS / 60_000;
  const outboxId = m.to === null ? null : m.channel === 'mail'
    ? await enqueueMail(trx, now, { to: m.to, template: 'application.otp', lang: m.lang, vars: { name: m.name, agency: m.agency, code, minutes, purpose: m.purpose } })
    : await enqueueSms(trx, now, { to: m.to, text: translator(m.lang)(m.purpose === 'apply' ? 'apply.sms.code' : 'apply.sms.contactCode', { code, minutes }) });
  await trx.insertInto('otp_challenges').values({
    draft_id: m.draftId, channel: m.channel, code_hash: codeHash(deps, m.draftId, m.channel, code),
    created_at: now, expires_at: new Date(now.getTime() + OTP_TTL_MS), outbox_id: outboxId,
  }).execute();
}

/** Milliseconds until another code may go out on the channel (0: now). */
export async function resendWait(db: Db, draftId: number, channel: OtpChannel, now: Date): Promise<number> {
  const last = await db.selectFrom('otp_challenges').select('created_at')
    .where('draft_id', '=', draftId).where('channel', '=', channel).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return resendWaitMs(last?.created_at, now);
}

export type CodeCheck =
  | { ok: true; challengeId: number }
  | { ok: false; reason: 'wrong'; triesLeft: number }
  | { ok: false; reason: Exclude<ChallengeState, 'live'> | 'none' };

/**
 * Compares a typed code with the channel's newest code. One try is taken before comparing, in one
 * statement, so parallel guesses cannot share a try; a right code gives it back. Does not mark the
 * code used: `useCode` does, in the transaction of what the code unlocks.
 */
export async function checkCode(deps: Deps, draftId: number, channel: OtpChannel, code: string, now: Date): Promise<CodeCheck> {
  const taken = await deps.db.updateTable('otp_challenges')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', (eb) => eb.selectFrom('otp_challenges').select('id')
      .where('draft_id', '=', draftId).where('channel', '=', channel)
      .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1))
    .where('used_at', 'is', null).where('expires_at', '>', now).where('failed_attempts', '<', OTP_MAX_FAILURES)
    .returning(['id', 'code_hash', 'failed_attempts']).executeTakeFirst();
  if (!taken) {
    const last = await deps.db.selectFrom('otp_challenges').select(['created_at', 'expires_at', 'used_at', 'failed_attempts'])
      .where('draft_id', '=', draftId).where('channel', '=', channel).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    const state = last ? challengeState(last, now) : 'none';
    return { ok: false, reason: state === 'live' ? 'none' : state };
  }
  if (!constantTimeEqual(taken.code_hash, codeHash(deps, draftId, channel, code))) {
    return { ok: false, reason: 'wrong', triesLeft: OTP_MAX_FAILURES - taken.failed_attempts };
  }
  await deps.db.updateTable('otp_challenges').set((eb) => ({ failed_attempts: eb('failed_attempts', '-', 1) })).where('id', '=', taken.id).execute();
  return { ok: true, challengeId: taken.id };
}

/** Marks a checked code used inside `trx`; false when a parallel request used it first (single use). */
export async function useCode(trx: Db, challengeId: number, now: Date): Promise<boolean> {
  const r = await trx.updateTable('otp_challenges').set({ used_at: now })
    .where('id', '=', challengeId).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
