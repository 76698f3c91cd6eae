// Server-side captcha (AUTH-1): six digits drawn as jittered seven-segment strokes (no text for a
// script to read), answer stored hashed, single use, expiring after ten minutes.
import crypto from 'node:crypto';
import type { Db } from '../db/index.ts';
import { randomToken, sha256 } from './crypto.ts';
import { deleteCaptchasExpiredBefore, insertCaptcha, takeCaptcha } from './captcha-store.ts';

export const CAPTCHA_TTL_MS = 10 * 60_000;

// Segments a-g of a seven-segment digit as line endpoints in a 20×36 cell.
const SEG: Record<string, [number, number, number, number]> = {
  a: [2, 2, 18, 2], b: [18, 2, 18, 18], c: [18, 18, 18, 34], d: [2, 34, 18, 34],
  e: [2, 18, 2, 34], f: [2, 2, 2, 18], g: [2, 18, 18, 18],
};
const DIGITS = ['abcdef', 'bc', 'abged', 'abgcd', 'fgbc', 'afgcd', 'afgedc', 'abc', 'abcdefg', 'abcdfg'];

const jitter = (n: number) => n + (crypto.randomInt(0, 5) - 2);

export function captchaSvg(code: string): string {
  const strokes: string[] = [];
  [...code].forEach((ch, i) => {
    const ox = 10 + i * 28, oy = 8 + crypto.randomInt(0, 6);
    for (const s of DIGITS[Number(ch)]) {
      const [x1, y1, x2, y2] = SEG[s];
      strokes.push(`M${jitter(ox + x1)} ${jitter(oy + y1)}L${jitter(ox + x2)} ${jitter(oy + y2)}`);
    }
  });
  const noise = Array.from({ length: 5 }, () =>
    `<path d="M${crypto.randomInt(0, 180)} ${crypto.randomInt(0, 52)}L${crypto.randomInt(0, 180)} ${crypto.randomInt(0, 52)}" stroke="#8a8a8a" stroke-width="1"/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="180" height="52" viewBox="0 0 180 52"><rect width="180" height="52" fill="#f4f4f4"/>${noise}<path d="${strokes.join('')}" stroke="#1a1a1a" stroke-width="3" stroke-linecap="round" fill="none"/></svg>`;
}

export async function issueCaptcha(db: Db, now: Date, code: string): Promise<{ id: string; imageDataUri: string }> {
  const id = randomToken(16);
  await insertCaptcha(db, id, sha256(id + ':' + code), new Date(now.getTime() + CAPTCHA_TTL_MS));
  // Old captchas are useless; one page view in 20 sweeps them (an index range, see migration 006),
  // which keeps the table small without a separate job or a write on every view.
  if (crypto.randomInt(20) === 0) {
    await deleteCaptchasExpiredBefore(db, new Date(now.getTime() - CAPTCHA_TTL_MS));
  }
  return { id, imageDataUri: 'data:image/svg+xml;base64,' + Buffer.from(captchaSvg(code)).toString('base64') };
}

/** Consumes the captcha whatever the answer, so each one allows a single guess. */
export async function checkCaptcha(db: Db, now: Date, id: unknown, answer: unknown): Promise<boolean> {
  if (typeof id !== 'string' || typeof answer !== 'string' || id.length > 64) return false;
  const row = await takeCaptcha(db, id, now);
  return row !== undefined && row.answer_hash === sha256(id + ':' + answer.trim());
}
