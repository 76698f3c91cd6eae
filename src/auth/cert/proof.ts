// AUTH-8: proof of possession. The page asks the card (HiPKI's local service) to sign a one-time
// text naming this site's origin and a 256-bit nonce; the answer is CMS SignedData (PKCS#7, the
// content attached or detached) or a bare PKCS#1 signature with the certificate beside it. Pure
// apart from crypto: returns the signed text and the signer's certificate, or why not.
import crypto from 'node:crypto';
import * as pkijs from 'pkijs';
import { certificateBytes } from './certificate.ts';

export const TBS_PREFIX = 'tessera-certificate';
const TBS = /^tessera-certificate:(login|register):(https?:\/\/[^\s]{1,300}):([A-Za-z0-9_-]{43})$/;

/** The text the card signs: purpose, this site's origin, the nonce (32 random bytes, base64url). */
export const challengeText = (purpose: 'login' | 'register', origin: string, nonce: string) => `${TBS_PREFIX}:${purpose}:${origin}:${nonce}`;

export function parseChallengeText(tbs: string): { purpose: 'login' | 'register'; origin: string; nonce: string } | undefined {
  const m = TBS.exec(tbs);
  return m ? { purpose: m[1] as 'login' | 'register', origin: m[2], nonce: m[3] } : undefined;
}

export interface SignedAnswer { format: 'pkcs7' | 'pkcs1'; signature: string; certificate?: string; tbs?: string }
export type Proof = { ok: true; tbs: string; certificate: Uint8Array } | { ok: false };

export async function verifyProof(a: SignedAnswer): Promise<Proof> {
  try {
    return a.format === 'pkcs7' ? await verifyPkcs7(a) : verifyPkcs1(a);
  } catch {
    return { ok: false };
  }
}

async function verifyPkcs7(a: SignedAnswer): Promise<Proof> {
  const ci = pkijs.ContentInfo.fromBER(new Uint8Array(Buffer.from(a.signature, 'base64')));
  if (ci.contentType !== pkijs.ContentInfo.SIGNED_DATA) return { ok: false };
  const sd = new pkijs.SignedData({ schema: ci.content });
  if (sd.signerInfos.length !== 1) return { ok: false };
  const e = sd.encapContentInfo.eContent;
  const attached = e ? new Uint8Array(e.getValue()) : undefined;
  const content = attached ?? (a.tbs !== undefined ? new TextEncoder().encode(a.tbs) : undefined);
  if (!content) return { ok: false };
  const r = await sd.verify({ signer: 0, data: attached ? undefined : content.slice().buffer, checkChain: false, extendedMode: true });
  if (!r.signatureVerified || !r.signerCertificate) return { ok: false };
  return { ok: true, tbs: new TextDecoder('utf-8', { fatal: true }).decode(content), certificate: new Uint8Array(r.signerCertificate.toSchema().toBER(false)) };
}

function verifyPkcs1(a: SignedAnswer): Proof {
  if (!a.certificate || a.tbs === undefined) return { ok: false };
  const der = certificateBytes(a.certificate);
  const key = new crypto.X509Certificate(Buffer.from(der)).publicKey;
  const good = crypto.verify('sha256', Buffer.from(a.tbs, 'utf8'), key, Buffer.from(a.signature, 'base64'));
  return good ? { ok: true, tbs: a.tbs, certificate: der } : { ok: false };
}
