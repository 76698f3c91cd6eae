// AUTH-8 check 3: the certificate chains to a configured anchor. Each link is found by key
// identifier (MOICA G2 and G3 share a subject DN), its name must match, its signature must verify
// and the issuing certificate must be valid now; the walk ends at an anchor.
import { x509 } from '../certificate.ts';
import { listTrust, type TrustRow } from '../store.ts';
import type { Check } from './types.ts';

const MAX_DEPTH = 5;

async function issuedBy(child: x509.X509Certificate, parent: TrustRow): Promise<boolean> {
  try {
    const p = new x509.X509Certificate(new Uint8Array(parent.der));
    return child.issuer === p.subject && await child.verify({ publicKey: p.publicKey, signatureOnly: true });
  } catch { return false; }
}

export const chain: Check = async (a) => {
  a.trust ??= await listTrust(a.deps.db);
  let cert = a.info!.cert;
  let keyId = a.info!.authorityKeyId;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const candidates = a.trust.filter((t) => (keyId ? t.subject_key_id === keyId : t.subject === cert.issuer));
    let parent: TrustRow | undefined;
    for (const c of candidates) if (await issuedBy(cert, c)) { parent = c; break; }
    if (!parent || parent.not_after < a.now) return 'cert.unknownIssuer';
    if (depth === 0) a.issuer = parent;
    if (parent.kind === 'anchor') return null;
    cert = new x509.X509Certificate(new Uint8Array(parent.der));
    keyId = parent.authority_key_id;
  }
  return 'cert.unknownIssuer';
};
