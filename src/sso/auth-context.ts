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

/** A system flagged "certificate required" accepts only a certificate sign-in (else: step-up). */
export const satisfiesCertificateRequirement = (acr: string | undefined): boolean => acr === ACR.certificate;

/** How strong each sign-in is: a stronger one meets a request for a weaker one. */
export const ACR_RANK: Readonly<Record<string, number>> = { [ACR.password]: 1, [ACR.otp]: 1, [ACR.passkey]: 2, [ACR.certificate]: 3 };

/** What a request asks for: `acr_values` (space-separated) and the acr of an id_token claims request. */
export interface AcrRequest { acrValues?: string; claimsAcr?: string[] }

/**
 * The acr this request needs, or null (any sign-in): the weakest of the Tessera acr values the
 * client asked for (it accepts any of them; unknown values are ignored, as voluntary claims are),
 * raised to the certificate for a system flagged "certificate required".
 */
export function requiredAcr(certificateRequired: boolean, r: AcrRequest = {}): string | null {
  const asked = [...(r.acrValues ?? '').split(' '), ...(r.claimsAcr ?? [])].filter((v) => ACR_RANK[v] !== undefined);
  const weakest = asked.sort((a, b) => ACR_RANK[a] - ACR_RANK[b])[0] ?? null;
  if (certificateRequired) return ACR.certificate;
  return weakest;
}

/** Whether a sign-in with `acr` meets `required` (null: anything does). */
export const meetsAcr = (acr: string | undefined, required: string | null): boolean =>
  required === null || (acr !== undefined && (ACR_RANK[acr] ?? 0) >= ACR_RANK[required]);
