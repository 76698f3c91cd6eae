// AUTH-8 check 5: the certificate carries a policy the subtree accepts ('cert.policyOids'; empty = any).
import type { Check } from './types.ts';

export const allowedPolicy: Check = async (a) => {
  const allowed = a.policy['cert.policyOids'];
  if (allowed.length === 0) return null;
  return a.info!.policies.some((p) => allowed.includes(p)) ? null : 'cert.policy';
};
