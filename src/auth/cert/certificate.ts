// AUTH-8: what the platform reads from a citizen certificate — name (CN), the last 4 digits of the
// national ID (Subject Directory Attributes 2.5.29.9, attribute 2.16.886.1.100.2.51), serial,
// issuer and key identifiers (MOICA G2 and G3 share a subject DN and differ by key id), validity,
// key usage, policies, CRL distribution points and the OCSP responder of the AIA.
import crypto from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as pkijs from 'pkijs';
import { webcrypto } from 'node:crypto';
import { children, normaliseSerial, oidText, readTlv, stringOf } from './der.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));
export { x509 };

export const OID_SDA = '2.5.29.9';
export const OID_NATIONAL_ID_LAST4 = '2.16.886.1.100.2.51';

export interface CertInfo {
  cert: x509.X509Certificate;
  der: Uint8Array;
  serial: string;
  subject: string;
  issuer: string;
  commonName: string;
  notBefore: Date;
  notAfter: Date;
  /** Hex subject key identifier (or a SHA-1 of the key when absent). */
  subjectKeyId: string;
  /** Hex authority key identifier; '' when absent. */
  authorityKeyId: string;
  keyUsage: number | null;
  policies: string[];
  crlUrls: string[];
  ocspUrls: string[];
  nationalIdLast4: string | null;
  isCa: boolean;
  thumbprint: string;
}

/** The attribute values of a Subject Directory Attributes extension, by attribute OID. */
export function directoryAttributes(value: Uint8Array): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const seq = readTlv(value, 0);
  for (const attr of children(value, seq)) {
    const [oid, set] = children(value, attr);
    if (!oid || oid.tag !== 0x06 || !set) continue;
    const vals = children(value, set).map((v) => stringOf(value, v));
    out.set(oidText(value, oid), [...(out.get(oidText(value, oid)) ?? []), ...vals]);
  }
  return out;
}

/** Accepts PEM or DER (base64 of DER is also accepted, as HiPKI's certb64). */
export function certificateBytes(input: string | Uint8Array): Uint8Array {
  if (typeof input !== 'string') return input;
  const text = input.trim();
  if (text.startsWith('-----BEGIN')) return new Uint8Array(x509.PemConverter.decodeFirst(text));
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'base64'));
}

export async function parseCertificate(input: string | Uint8Array): Promise<CertInfo> {
  const der = certificateBytes(input);
  const cert = new x509.X509Certificate(new Uint8Array(der));
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  const pol = cert.getExtension(x509.CertificatePolicyExtension);
  const dp = cert.getExtension(x509.CRLDistributionPointsExtension);
  const aia = cert.getExtension(x509.AuthorityInfoAccessExtension);
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  const sda = cert.extensions.find((e) => e.type === OID_SDA);
  let last4: string | null = null;
  if (sda) last4 = directoryAttributes(new Uint8Array(sda.value)).get(OID_NATIONAL_ID_LAST4)?.[0] ?? null;
  const crlUrls: string[] = [];
  for (const p of dp?.distributionPoints ?? []) {
    for (const n of p.distributionPoint?.fullName ?? []) if (n.uniformResourceIdentifier) crlUrls.push(n.uniformResourceIdentifier);
  }
  const cn = cert.subjectName.getField('CN')[0] ?? '';
  return {
    cert, der, serial: normaliseSerial(cert.serialNumber), subject: cert.subject, issuer: cert.issuer, commonName: cn,
    notBefore: cert.notBefore, notAfter: cert.notAfter,
    subjectKeyId: ski ? ski.keyId.toLowerCase() : Buffer.from(await cert.publicKey.getThumbprint('SHA-1')).toString('hex'),
    authorityKeyId: aki?.keyId?.toLowerCase() ?? '',
    keyUsage: ku ? ku.usages : null,
    policies: [...(pol?.policies ?? [])],
    crlUrls,
    ocspUrls: (aia?.ocsp ?? []).map((g) => g.value).filter((v): v is string => typeof v === 'string'),
    nationalIdLast4: last4,
    isCa: bc?.ca ?? false,
    thumbprint: crypto.createHash('sha256').update(der).digest('hex'),
  };
}

export { normaliseSerial };
