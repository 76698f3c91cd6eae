// Pure rules of one-time codes (AUTH-6): length, lifetime, tries, resend cool-down and send limits.
// No I/O and no clock read: the store (otp-store.ts) passes `now` and the rows.

/** Six digits: what people type from an SMS; ten minutes and five tries leave 5 in 10⁶ per code. */
export const OTP_DIGITS = 6;
export const OTP_TTL_MS = 10 * 60_000;
/** Wrong entries after which a code is dead; a new one must be sent (subject to the cool-down). */
export const OTP_MAX_FAILURES = 5;
/** A new code for the same channel no sooner than this after the last one; it voids the old one. */
export const OTP_RESEND_COOLDOWN_MS = 60_000;

/** Anti-spam: codes per destination (an address or a number) and per client address, per window. */
export const SEND_WINDOW_MS = 60 * 60_000;
export const SENDS_PER_DESTINATION = 5;
export const SENDS_PER_IP = 20;

export type OtpChannel = 'mail' | 'sms';

export interface ChallengeFacts { created_at: Date; expires_at: Date; used_at: Date | null; failed_attempts: number }

export type ChallengeState = 'live' | 'used' | 'expired' | 'locked';

export function challengeState(c: ChallengeFacts, now: Date): ChallengeState {
  if (c.used_at) return 'used';
  if (c.failed_attempts >= OTP_MAX_FAILURES) return 'locked';
  return c.expires_at > now ? 'live' : 'expired';
}

/** Milliseconds until another code may be sent on a channel whose last code was sent at `lastSentAt`; 0 = now. */
export function resendWaitMs(lastSentAt: Date | undefined, now: Date): number {
  if (!lastSentAt) return 0;
  return Math.max(0, lastSentAt.getTime() + OTP_RESEND_COOLDOWN_MS - now.getTime());
}

/** What people type: spaces and dashes dropped, full-width digits (from a CJK keyboard) read as digits. */
export function normaliseCode(raw: string): string {
  return raw.replace(/[\uFF10-\uFF19]/g, (d) => String(d.charCodeAt(0) - 0xff10)).replace(/[\s-]/g, '');
}

export const isWellFormedCode = (code: string): boolean => new RegExp(`^\\d{${OTP_DIGITS}}$`).test(code);

/** The HMAC input of a code: bound to its draft and channel, so a code cannot be replayed elsewhere. */
export const codeMacInput = (draftId: number, channel: OtpChannel, code: string): string => `${draftId}:${channel}:${code}`;

/** A destination as the send limit counts it: e-mail without case, a mobile number as digits only. */
export function destinationOf(channel: OtpChannel, value: string): string {
  return channel === 'mail' ? `mail:${value.trim().toLowerCase()}` : `sms:${value.replace(/\D/g, '')}`;
}

/** Masks for pages: enough to recognise one's own address or number, not to learn someone else's. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return email[0] + '***' + email.slice(at);
}

export function maskMobile(mobile: string): string {
  const d = mobile.replace(/\D/g, '');
  return d.length < 7 ? '***' : `${d.slice(0, 4)}-***-${d.slice(-3)}`;
}

/** 王○明 as seed 000 prints names; two-character names keep the first; Latin names keep initials. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (/^[A-Za-z]/.test(name)) return name.trim().split(/\s+/).map((w) => w[0] + '.').join(' ');
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return chars[0] + '○';
  return chars[0] + '○'.repeat(chars.length - 2) + chars[chars.length - 1];
}
