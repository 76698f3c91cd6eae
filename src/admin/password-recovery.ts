// Which password action fits an account (AUTH-4, ADM-5; issue 9 item 12): the unit policy's
// activation scheme decides — the MmDd initial password (seed 003) or a set-password link by
// mail (seed 001). When the account lacks what its scheme needs, the other one is offered if the
// account has what that one needs; with neither, no action is offered (never a button that can
// only fail). Pure: no I/O.
import type { Policy } from '../orgs/policy.ts';

export type Recovery = 'initial_password' | 'set_password_link';

export interface RecoveryFacts {
  state: string;
  /** Birth month and day and a national ID: what the MmDd initial password is made from. */
  hasInitialData: boolean;
  hasEmail: boolean;
}

/** States in which a password can be given back: not pending approval, disabled or deleted. */
const RECOVERABLE = new Set(['enabled', 'not_activated']);

export function recoveryFor(scheme: Policy['initialPassword.scheme'], a: RecoveryFacts): Recovery | null {
  if (!RECOVERABLE.has(a.state)) return null;
  const possible = (r: Recovery) => (r === 'initial_password' ? a.hasInitialData : a.hasEmail);
  const preferred: Recovery[] = scheme === 'email_link' ? ['set_password_link', 'initial_password'] : ['initial_password', 'set_password_link'];
  return preferred.find(possible) ?? null;
}

/** The facts of an account row. */
export const recoveryFacts = (a: { state: string; national_id_enc: string | null; birth_month: number | null; birth_day: number | null; email: string | null }): RecoveryFacts => ({
  state: a.state, hasInitialData: Boolean(a.national_id_enc && a.birth_month && a.birth_day), hasEmail: Boolean(a.email),
});
