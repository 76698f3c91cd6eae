// Pure rules for passwords an administrator issues (AUTH-4 initial, AUTH-7 one-day).

const TAIPEI_OFFSET_MS = 8 * 3_600_000; // Asia/Taipei has no daylight saving time

/** Seed 003: "MmDd" + birth month and day (two digits each) + the last 4 of the national ID. */
export function initialPassword(birthMonth: number, birthDay: number, nationalId: string): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `MmDd${two(birthMonth)}${two(birthDay)}${nationalId.slice(-4)}`;
}

/** The first instant of the next calendar day in Taipei: issued passwords expire then. */
export function endOfTaipeiDay(now: Date): Date {
  const local = now.getTime() + TAIPEI_OFFSET_MS;
  const nextMidnightLocal = (Math.floor(local / 86_400_000) + 1) * 86_400_000;
  return new Date(nextMidnightLocal - TAIPEI_OFFSET_MS);
}

/** AUTH-7: the password replacing a one-day password has 12+ characters with upper, lower and digits. */
export function oneDayReplacementErrors(password: string): ('password.tooShort' | 'password.needsUpperLowerDigit')[] {
  const errors: ('password.tooShort' | 'password.needsUpperLowerDigit')[] = [];
  if (password.length < 12) errors.push('password.tooShort');
  if (!/[A-Z]/.test(password) || !/[a-z]/.test(password) || !/[0-9]/.test(password)) errors.push('password.needsUpperLowerDigit');
  return errors;
}
