// AUTH-8: a streaming CRL reader (pure, no I/O). The general ASN.1 libraries build a node per
// element and cannot take a real MOICA CRL (~412,000 entries, RECIPES.md); this one verifies the
// issuer's signature over the tbsCertList bytes with node:crypto, then walks the
// revokedCertificates sequence in place, handing each serial to the caller.
import crypto from 'node:crypto';
import { children, integerHex, oidText, readTlv, timeOf, DerError, type Tlv } from './der.ts';

export interface CrlHeader {
  thisUpdate: Date;
  nextUpdate: Date | null;
  /** The CRL number extension (2.5.29.20), as a decimal string; null when absent. */
  crlNumber: string | null;
  /** Authority key identifier (2.5.29.35) in hex; '' when absent. */
  authorityKeyId: string;
  /** The issuer Name's DER, hex. */
  issuerHex: string;
  entries: number;
}

const HASH_OF: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1', '1.2.840.113549.1.1.11': 'sha256', '1.2.840.113549.1.1.12': 'sha384', '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256', '1.2.840.10045.4.3.3': 'sha384', '1.2.840.10045.4.3.4': 'sha512',
};

export class CrlError extends Error {
  constructor(readonly code: 'crl.malformed' | 'crl.signature' | 'crl.algorithm', message: string) { super(message); }
}

/**
 * Verifies `der` (a CRL) against the issuer's SubjectPublicKeyInfo (DER) and reads it, calling
 * `onSerial` with each revoked serial (normalised hex) and revocation date. Throws CrlError.
 */
export function readCrl(der: Uint8Array, issuerSpki: Uint8Array, onSerial: (serial: string, revokedAt: Date | undefined) => void): CrlHeader {
  let outer: Tlv, parts: Tlv[];
  try {
    outer = readTlv(der, 0);
    parts = children(der, outer);
  } catch (e) { throw new CrlError('crl.malformed', (e as Error).message); }
  if (outer.tag !== 0x30 || parts.length !== 3 || parts[0].tag !== 0x30 || parts[2].tag !== 0x03) throw new CrlError('crl.malformed', 'not a CertificateList');
  const [tbs, alg, sig] = parts;
  const algOid = oidText(der, children(der, alg)[0]);
  const hash = HASH_OF[algOid];
  if (!hash) throw new CrlError('crl.algorithm', `unsupported signature algorithm ${algOid}`);
  const key = crypto.createPublicKey({ key: Buffer.from(issuerSpki), format: 'der', type: 'spki' });
  const good = crypto.verify(hash, der.subarray(tbs.at, tbs.end), { key, dsaEncoding: 'der' }, der.subarray(sig.start + 1, sig.end));
  if (!good) throw new CrlError('crl.signature', 'CRL signature does not verify with the issuer key');
  try {
    return walkTbs(der, tbs, onSerial);
  } catch (e) {
    if (e instanceof DerError) throw new CrlError('crl.malformed', e.message);
    throw e;
  }
}

function walkTbs(der: Uint8Array, tbs: Tlv, onSerial: (serial: string, revokedAt: Date | undefined) => void): CrlHeader {
  let p = tbs.start;
  let t = readTlv(der, p, tbs.end);
  if (t.tag === 0x02) { p = t.end; t = readTlv(der, p, tbs.end); } // version
  p = t.end; // signature algorithm
  const issuer = readTlv(der, p, tbs.end);
  p = issuer.end;
  const thisT = readTlv(der, p, tbs.end);
  const thisUpdate = timeOf(der, thisT);
  if (!thisUpdate) throw new DerError('thisUpdate');
  p = thisT.end;
  let nextUpdate: Date | null = null;
  let entries = 0, crlNumber: string | null = null, authorityKeyId = '';
  while (p < tbs.end) {
    t = readTlv(der, p, tbs.end);
    if (t.tag === 0x17 || t.tag === 0x18) nextUpdate = timeOf(der, t) ?? null;
    else if (t.tag === 0x30) {
      // revokedCertificates: one pass, one entry at a time, nothing kept but what onSerial keeps.
      for (let q = t.start; q < t.end;) {
        const entry = readTlv(der, q, t.end);
        const serial = readTlv(der, entry.start, entry.end);
        if (serial.tag !== 0x02) throw new DerError('entry serial');
        const when = serial.end < entry.end ? readTlv(der, serial.end, entry.end) : undefined;
        onSerial(integerHex(der, serial), when ? timeOf(der, when) : undefined);
        entries++;
        q = entry.end;
      }
    } else if (t.tag === 0xa0) {
      const exts = readTlv(der, t.start, t.end);
      for (const ext of children(der, exts)) {
        const f = children(der, ext);
        const id = oidText(der, f[0]);
        const value = f[f.length - 1];
        const inner = readTlv(der, value.start, value.end);
        if (id === '2.5.29.20' && inner.tag === 0x02) crlNumber = BigInt('0x' + integerHex(der, inner)).toString();
        if (id === '2.5.29.35') {
          const kid = children(der, inner).find((c) => c.tag === 0x80);
          if (kid) authorityKeyId = Buffer.from(der.subarray(kid.start, kid.end)).toString('hex');
        }
      }
    }
    p = t.end;
  }
  return { thisUpdate, nextUpdate, crlNumber, authorityKeyId, issuerHex: Buffer.from(der.subarray(issuer.at, issuer.end)).toString('hex'), entries };
}

/** Accepts a CRL as DER or PEM. */
export function crlBytes(input: Uint8Array): Uint8Array {
  const head = Buffer.from(input.subarray(0, 20)).toString('latin1');
  if (!head.startsWith('-----BEGIN')) return input;
  const b64 = Buffer.from(input).toString('latin1').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}
