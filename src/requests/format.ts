// How requests are numbered and dated (REQ-5, REQ-6): the number printed on the form and in mails,
// and the Taipei calendar day an effective date (離職或異動日) is compared with.

/** The calendar day in Taipei (no daylight saving time) as YYYY-MM-DD. */
export function taipeiDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** A well-formed calendar date YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(s + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The number printed on the form and in mails. */
export const requestNumber = (id: number): string => `R${String(id).padStart(7, '0')}`;
