// INC-9: deadline arithmetic on absolute instants; calendar months on the Taipei calendar, never the machine's zone.

/** Taiwan has kept UTC+8 without daylight saving since 1980, so a fixed offset is exact for every incident. */
const TAIPEI_OFFSET_MS = 8 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

export const addMinutes = (at: Date, minutes: number): Date => new Date(at.getTime() + minutes * MINUTE_MS);

/**
 * "Within N months" of `at` (Civil Code arts. 120–121, applied to administrative periods by the
 * Administrative Procedure Act art. 48): the day of `at` is not counted, so the period ends at 24:00
 * (Asia/Taipei) of the same calendar date N months later — or of that month's last day when it has
 * no such date (31 January → end of 28/29 February). Returned as the instant 00:00 of the next day.
 */
export function addCalendarMonthsTaipei(at: Date, months: number): Date {
  const local = new Date(at.getTime() + TAIPEI_OFFSET_MS); // read with getUTC* = Taipei wall clock
  const y = local.getUTCFullYear(), m = local.getUTCMonth() + months, d = local.getUTCDate();
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const endLocalMidnight = Date.UTC(y, m, Math.min(d, lastDay) + 1); // 24:00 of that day, Taipei wall clock
  return new Date(endLocalMidnight - TAIPEI_OFFSET_MS);
}

/** The instant `fraction` of the way from `from` to `to`, rounded down to the millisecond. */
export const between = (from: Date, to: Date, fraction: number): Date =>
  new Date(from.getTime() + Math.floor((to.getTime() - from.getTime()) * fraction));
