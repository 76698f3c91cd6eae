// Reminders (GOV-5), the pure part: from a subtree's policy, which passwords are due a reminder at
// `now` (those set between `maxAgeDays` and `maxAgeDays − remindDays` days ago: the reminder window
// before expiry), and the Taipei day a digest belongs to. No I/O, no clock.
import { DAY, HOUR } from '../../platform/clock.ts';
import type { Policy } from '../../orgs/policy.ts';

export interface ReminderPolicy { maxAgeDays: number; remindDays: number; approvals: boolean }

export const REMINDER_KEYS = ['password.maxAgeDays', 'reminder.passwordExpiryDays', 'reminder.approvals'] as const;
export const pickReminderPolicy = (p: Policy): ReminderPolicy => ({
  maxAgeDays: p['password.maxAgeDays'], remindDays: p['reminder.passwordExpiryDays'], approvals: p['reminder.approvals'],
});

/**
 * Passwords set in (`setAfter`, `setAtOrBefore`] are inside the reminder window at `now`: they
 * expire within `remindDays` days and have not expired yet (an expired one is changed at the next
 * sign-in anyway). Null: the region's passwords never expire, or it sends no reminder.
 */
export function passwordReminderWindow(p: ReminderPolicy, now: Date): { setAfter: Date; setAtOrBefore: Date } | null {
  if (p.maxAgeDays <= 0 || p.remindDays <= 0) return null;
  const remind = Math.min(p.remindDays, p.maxAgeDays);
  return {
    setAfter: new Date(now.getTime() - p.maxAgeDays * DAY),
    setAtOrBefore: new Date(now.getTime() - (p.maxAgeDays - remind) * DAY),
  };
}

/** When a password set at `setAt` expires (login.ts mustChangePassword: at set_at + maxAgeDays). */
export const passwordExpiresAt = (setAt: Date, maxAgeDays: number): Date => new Date(setAt.getTime() + maxAgeDays * DAY);

/** The calendar day in Taiwan (UTC+8, no daylight saving) as YYYY-MM-DD. */
export const taipeiDay = (now: Date): string => new Date(now.getTime() + 8 * HOUR).toISOString().slice(0, 10);
