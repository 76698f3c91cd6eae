// Masks for the audit trail and logs: enough to tell attempts apart, not enough to identify.
export function maskUsername(u: string): string {
  if (u.length <= 2) return '*'.repeat(u.length);
  return u.slice(0, 2) + '*'.repeat(Math.min(u.length - 2, 8));
}
