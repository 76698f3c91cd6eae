// Pure rules of the self-service application (REQ-1): how long a draft lives, what the applicant
// must fill in on top of the unit's profile rules (seed 000 step 7), which roles may be asked for.
import type { FieldErrors, ProfileInput } from '../../accounts/profile.ts';

/** A draft lives 30 minutes from the last step, and never longer than two hours from its start. */
export const DRAFT_IDLE_MS = 30 * 60_000;
export const DRAFT_MAX_MS = 2 * 60 * 60_000;

export function draftExpiry(createdAt: Date, now: Date): Date {
  return new Date(Math.min(createdAt.getTime() + DRAFT_MAX_MS, now.getTime() + DRAFT_IDLE_MS));
}

/** Seed 000 step 7 marks 職稱, 地址 and 公司電話 with "*" besides name, e-mail and mobile. */
export const REQUIRED_BY_SEED: (keyof ProfileInput)[] = ['title', 'address', 'officePhone'];

export function missingRequired(input: ProfileInput, required: (keyof ProfileInput)[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const f of required) if (!input[f]?.trim()) errors[f] = 'profile.required';
  return errors;
}

/**
 * The roles asked for, kept only when they exist; returns the distinct systems they belong to.
 * `known` maps role code → system code. Unknown codes are an error (a tampered form), not dropped.
 */
export function chosenRoles(asked: string[], known: Map<string, string>): { roles: string[]; systems: string[] } | { error: 'unknown' | 'none' } {
  const roles = [...new Set(asked)];
  if (roles.length === 0) return { error: 'none' };
  if (roles.some((r) => !known.has(r))) return { error: 'unknown' };
  return { roles: roles.sort(), systems: [...new Set(roles.map((r) => known.get(r)!))].sort() };
}

/**
 * "Is this username free?" answers (ACC-2) are what an applicant needs while choosing one, not an
 * oracle: a verified draft gets this many in its life, a client address this many an hour (issue 9 item 3).
 */
export const USERNAME_LOOKUPS_PER_DRAFT = 30;
export const USERNAME_LOOKUPS_PER_IP = 100;
export const USERNAME_LOOKUP_WINDOW_MS = 60 * 60_000;
