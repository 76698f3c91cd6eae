// Pure rules of the job scheduler (issue 14, OPS-2): when a job's slots fall, and what of a failure
// is kept. No I/O, no clock: `now` is passed in.
import { DAY, HOUR, MINUTE } from '../../platform/clock.ts';

/** Every `everyMs` (slots aligned to the epoch), or once a day at `dailyAt` ('HH:MM', Asia/Taipei). */
export type Every = { everyMs: number } | { dailyAt: string };

/** Taiwan has kept UTC+8 without daylight saving since 1979. */
export const TAIPEI_OFFSET_MS = 8 * HOUR;

function dailyMinutes(at: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(at);
  if (!m) throw new Error(`dailyAt must be HH:MM, got ${at}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The first slot strictly after `after`. */
export function nextSlot(every: Every, after: Date): Date {
  const t = after.getTime();
  if ('everyMs' in every) return new Date(Math.floor(t / every.everyMs) * every.everyMs + every.everyMs);
  const local = t + TAIPEI_OFFSET_MS;
  const at = Math.floor(local / DAY) * DAY + dailyMinutes(every.dailyAt) * MINUTE - TAIPEI_OFFSET_MS;
  return new Date(at > t ? at : at + DAY);
}

/**
 * The slot a job gets when it is first scheduled: an interval job's current slot (so it runs at
 * the first start), a daily job's next time of day.
 */
export function firstSlot(every: Every, now: Date): Date {
  if ('everyMs' in every) return new Date(Math.floor(now.getTime() / every.everyMs) * every.everyMs);
  return nextSlot(every, now);
}

/**
 * What a failed run keeps of its error: the class, a code, and the message with anything that may
 * be personal blanked out (addresses, national IDs, phone and other long numbers), at most 500 characters.
 */
export function describeJobError(err: unknown): string {
  const e = err as { name?: string; code?: string | number; message?: string };
  const text = [e?.name ?? 'Error', e?.code, e?.message ?? String(err)].filter((x) => x !== undefined && x !== '').join(' ');
  return text
    .replace(/[^\s<>"',;:]+@[^\s<>"',;:]+/g, '<address>')
    .replace(/\b[A-Za-z][0-9A-Da-d]\d{8}\b/g, '<id>')
    .replace(/\+?\d[\d-]{7,}\d/g, '<number>')
    .slice(0, 500);
}
