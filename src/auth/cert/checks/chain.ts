// AUTH-8 check 3: the certificate chains to a configured anchor. Each link is found by key
// identifier (MOICA G2 and G3 share a subject DN), its name must match, its signature must verify
// and the issuing certificate must be valid now; the walk ends at an anchor.
// Signatures and names through node:crypto's X509Certificate (OpenSSL: synchronous, a fraction of
// a millisecond), the trusted certificates parsed once per row (bench/cert: the WebCrypto path
// took tens of milliseconds per sign-in on a loaded machine).
import crypto from 'node:crypto';
import { listTrust, type TrustRow } from '../store.ts';
import type { Check } from './types.ts';

const MAX_DEPTH = 5;

/** Trusted certificates parsed, by row id and key id (rows are few; a removed row's entry is never asked again). */
const parsed = new Map<string, crypto.X509Certificate>();
function trusted(row: TrustRow): crypto.X509Certificate {
  const key = `${row.id}:${row.subject_key_id}`;
  let c = parsed.get(key);
  if (!c) { c = new crypto.X509Certificate(Buffer.from(row.der)); parsed.set(key, c); }
  return c;
}

/** `parent` issued `child`: names and key identifiers agree (OpenSSL's check_issued) and the signature verifies. */
function issuedBy(child: crypto.X509Certificate, parent: TrustRow): boolean {
  try {
    const p = trusted(parent);
    return child.checkIssued(p) && child.verify(p.publicKey);
  } catch { return false; }
}

export const chain: Check = async (a) => {
  a.trust ??= await listTrust(a.deps.db);
  let cert = new crypto.X509Certificate(Buffer.from(a.info!.der));
  let keyId = a.info!.authorityKeyId;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const candidates = a.trust.filter((t) => (keyId ? t.subject_key_id === keyId : t.subject === cert.issuer));
    let parent: TrustRow | undefined;
    for (const c of candidates) if (issuedBy(cert, c)) { parent = c; break; }
    if (!parent || parent.not_after < a.now) return 'cert.unknownIssuer';
    if (depth === 0) a.issuer = parent;
    if (parent.kind === 'anchor') return null;
    cert = trusted(parent);
    keyId = parent.authority_key_id;
  }
  return 'cert.unknownIssuer';
};
