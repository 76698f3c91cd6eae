// AUTH-8: what the certificate checks share — the attempt they read and fill, and their refusals.
import type { Deps } from '../../../platform/deps.ts';
import type { Policy } from '../../../orgs/policy.ts';
import type { Account } from '../../../db/types.ts';
import type { CertInfo } from '../certificate.ts';
import type { BindingRow, TrustRow } from '../store.ts';

/** Every refusal has its own code (the audit trail's reason) and a localised message (messages.ts). */
export type CertRefusal =
  | 'cert.unreadable' | 'cert.expired' | 'cert.notYetValid' | 'cert.unknownIssuer' | 'cert.keyUsage' | 'cert.policy'
  | 'cert.revoked' | 'cert.revocationUnknown' | 'cert.notRegistered' | 'cert.otherAccount' | 'cert.alreadyRegistered'
  | 'cert.nameMismatch' | 'cert.idMismatch' | 'cert.signature' | 'cert.challengeExpired' | 'cert.challengeReused' | 'cert.challengeOrigin'
  | 'cert.untrustedProxy' | 'cert.disabledByPolicy';

export interface RevocationSource { source: 'crl' | 'ocsp' | 'none'; crlNumber?: string | null; ocspAgeSeconds?: number; softFail?: boolean }

export interface CertAttempt {
  deps: Deps;
  now: Date;
  purpose: 'login' | 'register';
  der: Uint8Array;
  /** Registration: the signed-in account; login: found from the binding. */
  accountId?: number;
  info?: CertInfo;
  /** The trusted certificate that issued this one (an intermediate such as MOICA G3, or an anchor). */
  issuer?: TrustRow;
  trust?: TrustRow[];
  binding?: BindingRow;
  account?: Account;
  policy: Policy;
  revocation?: RevocationSource;
}

export type Check = (a: CertAttempt) => Promise<CertRefusal | null>;
