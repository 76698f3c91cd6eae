// How the user signed in, as a relying party sees it (SSO-2): `acr` names the assurance of the
// Tessera session's method, `amr` lists the methods (RFC 8176 values). Pure.

export const ACR = {
  password: 'urn:tessera:acr:password',
  otp: 'urn:tessera:acr:otp',
  passkey: 'urn:tessera:acr:passkey',
  // 自然人憑證 and other smart-card certificates: what a "certificate required" system accepts.
  certificate: 'urn:tessera:acr:certificate',
} as const;

export const ACR_VALUES: string[] = Object.values(ACR);

export interface AuthContext { acr: string; amr: string[] }

/** The session's auth_method (sessions.auth_method) → acr/amr. */
export function authContextOf(method: string): AuthContext {
  switch (method) {
    case 'certificate': return { acr: ACR.certificate, amr: ['sc', 'hwk', 'pin'] };
    case 'passkey': return { acr: ACR.passkey, amr: ['hwk', 'user'] };
    case 'otp': return { acr: ACR.otp, amr: ['otp'] };
    default: return { acr: ACR.password, amr: ['pwd'] };
  }
}

/** A system flagged "certificate required" accepts only a certificate sign-in (no step-up yet). */
export const satisfiesCertificateRequirement = (acr: string | undefined): boolean => acr === ACR.certificate;
