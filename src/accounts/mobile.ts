// Pure rule for a Taiwanese mobile number (ACC-1, issue 9 item 15). People type it in many ways
// (0912345678, 0912-345678, 0912 345 678, +886912345678, +886-912-345-678, full-width digits
// from a Chinese input method); it is stored, shown and compared in ONE form, seed 000's
// 「09xx-xxxxxx」. SMS gateways get digits or E.164 from it (src/platform/sms.ts).

/** The canonical form `09xx-xxxxxx`, or null when the input is not a Taiwanese mobile number. */
export function normaliseMobile(raw: string): string | null {
  const compact = raw.normalize('NFKC').replace(/[\s\-.()]/gu, '');
  const m = /^(?:\+?886|0)(9\d{8})$/.exec(compact);
  return m ? `0${m[1].slice(0, 3)}-${m[1].slice(3)}` : null;
}
