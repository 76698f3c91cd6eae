// AUTH-8 check 6: not revoked. Reads only the database on the way (the CRL job did the CRL work):
// a serial listed by the issuer's current CRL is revoked; with 'cert.ocsp' the certificate's OCSP
// responder decides (answers cached for a window); a status that cannot be established refuses
// (fail closed) unless the subtree's policy says soft-fail. The source used is recorded for audit.
import { revocationRow } from '../store.ts';
import { ocspStatus } from '../ocsp.ts';
import type { Check } from './types.ts';

export const revocation: Check = async (a) => {
  const c = a.info!, issuer = a.issuer!;
  const { revoked, crl } = await revocationRow(a.deps.db, issuer.subject_key_id, c.serial);
  if (revoked) { a.revocation = { source: 'crl', crlNumber: crl?.crl_number ?? null }; return 'cert.revoked'; }
  let known = false;
  if (a.policy['cert.ocsp'] && c.ocspUrls.length > 0) {
    const o = await ocspStatus(a.deps, c, issuer, a.now);
    if (o.status === 'revoked') { a.revocation = { source: 'ocsp', ocspAgeSeconds: o.ageSeconds }; return 'cert.revoked'; }
    if (o.status === 'good') { a.revocation = { source: 'ocsp', ocspAgeSeconds: o.ageSeconds }; known = true; }
  } else if (crl && (!crl.next_update || crl.next_update > a.now)) {
    a.revocation = { source: 'crl', crlNumber: crl.crl_number };
    known = true;
  }
  if (known) return null;
  if (a.policy['cert.revocationSoftFail']) { a.revocation = { source: 'none', softFail: true, crlNumber: crl?.crl_number ?? null }; return null; }
  a.revocation = { source: 'none', crlNumber: crl?.crl_number ?? null };
  return 'cert.revocationUnknown';
};
