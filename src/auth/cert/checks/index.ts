// AUTH-8: the certificate validation pipeline — one named check per step, in order; the first
// refusal stops it (as the password login's pipeline does).
import type { Check, CertAttempt, CertRefusal } from './types.ts';
import { parse } from './parse.ts';
import { validity } from './validity.ts';
import { chain } from './chain.ts';
import { keyUsage } from './key-usage.ts';
import { subject } from './subject.ts';
import { allowedPolicy } from './policy.ts';
import { revocation } from './revocation.ts';
import { registered } from './registered.ts';

export const PIPELINE: readonly { name: string; check: Check }[] = [
  { name: 'parse', check: parse },
  { name: 'validity', check: validity },
  { name: 'chain', check: chain },
  { name: 'keyUsage', check: keyUsage },
  { name: 'subject', check: subject },
  { name: 'policy', check: allowedPolicy },
  { name: 'revocation', check: revocation },
  { name: 'registered', check: registered },
];

export async function runChecks(a: CertAttempt): Promise<CertRefusal | null> {
  for (const step of PIPELINE) {
    const r = await step.check(a);
    if (r) return r;
  }
  return null;
}

export type { CertAttempt, CertRefusal, RevocationSource } from './types.ts';
