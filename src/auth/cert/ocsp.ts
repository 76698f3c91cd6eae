// AUTH-8: OCSP (RFC 6960) from the certificate's AIA. The request is built with pkijs; the
// answer's signature is verified with node:crypto over the tbsResponseData bytes, by the issuer
// itself or by a responder certificate the issuer signed for OCSP signing. Answers are cached in
// the database for a window, so a burst of sign-ins asks the responder once.
import crypto from 'node:crypto';
import * as pkijs from 'pkijs';
import type { Deps } from '../../platform/deps.ts';
import { children, oidText, readTlv } from './der.ts';
import { normaliseSerial, x509, type CertInfo } from './certificate.ts';
import { ocspCached, storeOcsp, type TrustRow } from './store.ts';

/** How long an OCSP answer is reused before the responder is asked again. */
export const OCSP_CACHE_MS = 5 * 60_000;
const OCSP_TIMEOUT_MS = 3000;
const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
const HASH_OF: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1', '1.2.840.113549.1.1.11': 'sha256', '1.2.840.113549.1.1.12': 'sha384', '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256', '1.2.840.10045.4.3.3': 'sha384',
};

export interface OcspResult { status: 'good' | 'revoked' | 'unknown' | 'error'; ageSeconds?: number; cached?: boolean }

async function signedBy(basic: Uint8Array, issuer: x509.X509Certificate): Promise<boolean> {
  const outer = readTlv(basic, 0);
  const [tbs, alg, sig, certs] = children(basic, outer);
  const hash = HASH_OF[oidText(basic, children(basic, alg)[0])];
  if (!hash) return false;
  const verifyWith = (spki: ArrayBuffer) => crypto.verify(hash, basic.subarray(tbs.at, tbs.end),
    { key: crypto.createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }), dsaEncoding: 'der' }, basic.subarray(sig.start + 1, sig.end));
  if (verifyWith(issuer.publicKey.rawData)) return true;
  if (!certs || certs.tag !== 0xa0) return false;
  // A delegated responder: issued by the issuer, for OCSP signing.
  for (const c of children(basic, readTlv(basic, certs.start, certs.end))) {
    const responder = new x509.X509Certificate(new Uint8Array(basic.subarray(c.at, c.end)));
    const eku = responder.getExtension(x509.ExtendedKeyUsageExtension);
    if (!eku?.usages.includes(OCSP_SIGNING)) continue;
    if (await responder.verify({ publicKey: issuer.publicKey, signatureOnly: true }) && verifyWith(responder.publicKey.rawData)) return true;
  }
  return false;
}

async function ask(url: string, cert: CertInfo, issuer: x509.X509Certificate): Promise<{ status: 'good' | 'revoked' | 'unknown'; producedAt: Date } | null> {
  const req = new pkijs.OCSPRequest();
  await req.createForCertificate(pkijs.Certificate.fromBER(new Uint8Array(cert.der)), { hashAlgorithm: 'SHA-1', issuerCertificate: pkijs.Certificate.fromBER(new Uint8Array(issuer.rawData)) });
  const res = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: Buffer.from(req.toSchema(true).toBER(false)),
    signal: AbortSignal.timeout(OCSP_TIMEOUT_MS),
  });
  if (!res.ok) return null;
  const resp = pkijs.OCSPResponse.fromBER(new Uint8Array(await res.arrayBuffer()));
  if (resp.responseStatus.valueBlock.valueDec !== 0 || !resp.responseBytes) return null;
  const basicDer = new Uint8Array(resp.responseBytes.response.valueBlock.valueHexView);
  if (!(await signedBy(basicDer, issuer))) return null;
  const basic = pkijs.BasicOCSPResponse.fromBER(basicDer);
  for (const single of basic.tbsResponseData.responses) {
    const serial = normaliseSerial(Buffer.from(single.certID.serialNumber.valueBlock.valueHexView).toString('hex'));
    if (serial !== cert.serial) continue;
    const tag = (single.certStatus as { idBlock: { tagNumber: number } }).idBlock.tagNumber;
    return { status: tag === 0 ? 'good' : tag === 1 ? 'revoked' : 'unknown', producedAt: basic.tbsResponseData.producedAt };
  }
  return null;
}

export async function ocspStatus(deps: Deps, cert: CertInfo, issuerRow: TrustRow, now: Date): Promise<OcspResult> {
  const age = (d: Date) => Math.max(0, Math.round((now.getTime() - d.getTime()) / 1000));
  const cached = await ocspCached(deps.db, issuerRow.subject_key_id, cert.serial);
  if (cached && now.getTime() - cached.fetched_at.getTime() < OCSP_CACHE_MS) return { status: cached.status, ageSeconds: age(cached.produced_at), cached: true };
  try {
    const issuer = new x509.X509Certificate(new Uint8Array(issuerRow.der));
    const r = await ask(cert.ocspUrls[0], cert, issuer);
    if (!r) return { status: 'error' };
    await storeOcsp(deps.db, { issuer_key_id: issuerRow.subject_key_id, serial: cert.serial, status: r.status, produced_at: r.producedAt, fetched_at: now });
    return { status: r.status, ageSeconds: age(r.producedAt) };
  } catch (e) {
    deps.log.warn({ err: String((e as Error).message).slice(0, 200) }, 'OCSP query failed');
    return { status: 'error' };
  }
}
