// Masks for the audit trail and logs: enough to tell attempts apart, not enough to identify.
// By code points, not UTF-16 units: cutting `a😀` after two units left half a surrogate pair, which
// PostgreSQL's JSON refuses, so the failed login's audit event was lost (issue 9 item 7).
export function maskUsername(u: string): string {
  const chars = Array.from(u);
  if (chars.length <= 2) return '*'.repeat(chars.length);
  return chars.slice(0, 2).join('') + '*'.repeat(Math.min(chars.length - 2, 8));
}
