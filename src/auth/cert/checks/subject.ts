// AUTH-8 step (no refusal of its own): who the certificate is bound to, and for a sign-in that
// account's policy (which the policy and revocation checks apply), read in one query by
// (issuer key id, serial). A registration brings the signed-in account's policy with it.
import { effectivePolicy } from '../../../orgs/policy.ts';
import { loadBindingSubject } from '../store.ts';
import type { Check } from './types.ts';

export const subject: Check = async (a) => {
  const found = await loadBindingSubject(a.deps.db, a.issuer!.subject_key_id, a.info!.serial);
  if (!found) return null;
  a.binding = found.binding;
  a.account = found.account;
  if (a.purpose === 'login') a.policy = effectivePolicy(found.policyPath).policy;
  return null;
};
