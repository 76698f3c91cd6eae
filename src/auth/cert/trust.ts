// AUTH-8: the trust configuration, managed by the central authority (page, API, CLI): anchors
// (a GRCA-like root: self-signed) and intermediates (MOICA G2, G3: one subject DN, told apart by
// their key identifiers). Each change is audited.
import type { Deps } from '../../platform/deps.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { parseCertificate, type CertInfo } from './certificate.ts';
import { deleteTrust, insertTrust, listTrust, type TrustRow } from './store.ts';

export interface TrustItem { id: number; kind: 'anchor' | 'intermediate'; label: string; subject: string; subjectKeyId: string; authorityKeyId: string; notAfter: Date; crlUrl: string | null }
const item = (t: TrustRow): TrustItem => ({
  id: t.id, kind: t.kind, label: t.label, subject: t.subject, subjectKeyId: t.subject_key_id, authorityKeyId: t.authority_key_id, notAfter: t.not_after, crlUrl: t.crl_url,
});

export async function listTrustItems(deps: Deps): Promise<TrustItem[]> {
  return (await listTrust(deps.db)).map(item);
}

async function selfSigned(c: CertInfo): Promise<boolean> {
  return c.subject === c.issuer && await c.cert.verify({ publicKey: c.cert.publicKey, signatureOnly: true }).catch(() => false);
}

/** Adds a CA certificate (PEM or DER); refuses one that is not a CA, or an unreadable one. */
export async function addTrust(deps: Deps, actorId: number | null, input: { certificate: string | Uint8Array; label?: string; crlUrl?: string }, ip: string | null): Promise<TrustItem> {
  let c: CertInfo;
  try { c = await parseCertificate(input.certificate); } catch { throw new HttpError(422, 'cert.trust.unreadable'); }
  if (!c.isCa) throw new HttpError(422, 'cert.trust.notCa');
  if (input.crlUrl && !/^https?:\/\/\S{1,500}$/.test(input.crlUrl)) throw new HttpError(422, 'cert.trust.crlUrl');
  const kind = await selfSigned(c) ? 'anchor' : 'intermediate';
  const now = deps.clock.now();
  const label = (input.label?.trim() || c.cert.subjectName.getField('OU')[0] || c.commonName || c.subject).slice(0, 200);
  return deps.db.transaction().execute(async (trx) => {
    const row = {
      kind, label, subject: c.subject, subject_key_id: c.subjectKeyId, authority_key_id: c.authorityKeyId, serial: c.serial, der: c.der,
      not_after: c.notAfter, crl_url: input.crlUrl || null, created_at: now, created_by: actorId,
    } as const;
    const id = await insertTrust(trx, row);
    if (!id) throw new HttpError(409, 'cert.trust.duplicate');
    await audit(trx, now, {
      actor: actorId, action: 'auth.certificate.trust.add', targetType: 'cert_trust', targetId: id, ip,
      details: { kind, label, subject: c.subject, subjectKeyId: c.subjectKeyId },
    });
    return item({ ...row, id, der: c.der, crl_dp: null });
  });
}

export async function removeTrust(deps: Deps, actorId: number | null, id: number, ip: string | null): Promise<boolean> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const gone = await deleteTrust(trx, id);
    if (!gone) return false;
    await audit(trx, now, {
      actor: actorId, action: 'auth.certificate.trust.remove', targetType: 'cert_trust', targetId: id, ip,
      details: { kind: gone.kind, label: gone.label, subjectKeyId: gone.subject_key_id },
    });
    return true;
  });
}
