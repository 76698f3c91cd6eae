// Pure rules for the Taiwanese national ID (身分證字號) and resident certificate numbers (ACC-1).
// Formats: national ID  A1/A2 + 8 digits; resident certificate since 2021  A8/A9 + 8 digits;
// older resident certificate  AA-AD + 8 digits. All share the weighted checksum below.

const LETTER_CODES: Record<string, number> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 1];

export type NationalIdKind = 'citizen' | 'resident_2021' | 'resident_legacy';

/**
 * The one normalisation of a typed national ID, used by every form, the API, imports and search
 * (issue 9 item 8): full-width letters and digits from a Chinese input method become ASCII
 * (NFKC), every whitespace character goes (spaces, tabs, newlines, U+3000, also between the
 * digits as people group them), and letters are upper-case. The result is what is stored,
 * indexed and shown (masked).
 */
export function normaliseNationalId(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
}

export function nationalIdKind(id: string): NationalIdKind | null {
  if (/^[A-Z][12]\d{8}$/.test(id)) return 'citizen';
  if (/^[A-Z][89]\d{8}$/.test(id)) return 'resident_2021';
  if (/^[A-Z][A-D]\d{8}$/.test(id)) return 'resident_legacy';
  return null;
}

/** Digit values fed to the checksum: the area letter counts as two digits (weights 1 and 9). */
function checksumOf(id: string): number {
  const area = LETTER_CODES[id[0]];
  const second = /\d/.test(id[1]) ? Number(id[1]) : LETTER_CODES[id[1]] % 10;
  const digits = [second, ...id.slice(2, 9).split('').map(Number)];
  let sum = Math.floor(area / 10) + (area % 10) * 9;
  digits.forEach((d, i) => { sum += d * WEIGHTS[i]; });
  return sum;
}

export function isValidNationalId(raw: string): boolean {
  const id = normaliseNationalId(raw);
  if (!nationalIdKind(id)) return false;
  return (checksumOf(id) + Number(id[9])) % 10 === 0;
}

/** The check digit that makes the first nine characters valid (tests and sample data). */
export function checkDigitFor(first9: string): string {
  return String((10 - (checksumOf(first9 + '0') % 10)) % 10);
}

/** Shown masked everywhere: A12****789. */
export function maskNationalId(id: string): string {
  return id.length < 7 ? '*'.repeat(id.length) : id.slice(0, 3) + '*'.repeat(id.length - 6) + id.slice(-3);
}
