// AUTH-8: the `cert.crl.refresh` job's work. For each trusted issuer, fetch its CRL (the configured
// URL, else the distribution point its certificates name), verify it with the issuer's key, and
// replace the stored revoked serials in one transaction, when the CRL is missing, past or within
// REFRESH_BEFORE_MS of its nextUpdate, or older than MAX_AGE_MS. Sign-in only reads the table.
import type { Deps } from '../../platform/deps.ts';
import { audit } from '../../platform/audit.ts';
import { x509 } from './certificate.ts';
import { readCrl, crlBytes, CrlError } from './crl.ts';
import { crlState, listTrust, replaceCrl, distributionPointFor, type TrustRow } from './store.ts';

export const REFRESH_BEFORE_MS = 6 * 3_600_000;
export const MAX_AGE_MS = 24 * 3_600_000;
const FETCH_TIMEOUT_MS = 60_000;

export function due(state: { next_update: Date | null; fetched_at: Date } | undefined, now: Date): boolean {
  if (!state) return true;
  if (now.getTime() - state.fetched_at.getTime() >= MAX_AGE_MS) return true;
  return !state.next_update || state.next_update.getTime() - now.getTime() <= REFRESH_BEFORE_MS;
}

/** Loads one CRL (bytes already fetched) for `issuer`; returns the number of entries. */
export async function loadCrl(deps: Deps, issuer: TrustRow, bytes: Uint8Array, sourceUrl: string): Promise<{ entries: number; crlNumber: string | null }> {
  const now = deps.clock.now();
  const der = crlBytes(bytes);
  const spki = new Uint8Array(new x509.X509Certificate(new Uint8Array(issuer.der)).publicKey.rawData);
  // Columns, not an object per entry: 412,000 entries stay small (bench/cert).
  const entries = { serials: [] as string[], revokedAt: [] as (Date | null)[] };
  const head = readCrl(der, spki, (serial, at) => { entries.serials.push(serial); entries.revokedAt.push(at ?? null); });
  // In key order, the primary-key index fills page after page instead of at random (~17% less
  // time for 412,000 rows on PostgreSQL 15, bench/cert).
  const order = Array.from(entries.serials.keys()).sort((x, y) => (entries.serials[x] < entries.serials[y] ? -1 : entries.serials[x] > entries.serials[y] ? 1 : 0));
  const sorted = { serials: order.map((i) => entries.serials[i]), revokedAt: order.map((i) => entries.revokedAt[i]) };
  if (head.authorityKeyId && head.authorityKeyId !== issuer.subject_key_id) throw new CrlError('crl.signature', 'CRL names another issuer key');
  const current = await crlState(deps.db, issuer.subject_key_id);
  if (current && current.this_update > head.thisUpdate) throw new CrlError('crl.malformed', 'CRL older than the stored one');
  await deps.db.transaction().execute(async (trx) => {
    await replaceCrl(trx, {
      issuer_key_id: issuer.subject_key_id, crl_number: head.crlNumber, this_update: head.thisUpdate, next_update: head.nextUpdate,
      entries: head.entries, source_url: sourceUrl, fetched_at: now,
    }, sorted);
    await audit(trx, now, {
      actor: null, action: 'auth.certificate.crl', targetType: 'cert_trust', targetId: issuer.id,
      details: { issuerKeyId: issuer.subject_key_id, crlNumber: head.crlNumber, entries: head.entries, nextUpdate: head.nextUpdate?.toISOString() ?? null, source: sourceUrl },
    });
  });
  return { entries: head.entries, crlNumber: head.crlNumber };
}

/** The job: every trusted issuer whose CRL is due. Counts only (no personal data). */
export async function refreshCrls(deps: Deps): Promise<{ refreshed: number; failed: number; skipped: number; entries: number }> {
  const now = deps.clock.now();
  const out = { refreshed: 0, failed: 0, skipped: 0, entries: 0 };
  for (const issuer of await listTrust(deps.db)) {
    if (!due(await crlState(deps.db, issuer.subject_key_id), now)) { out.skipped++; continue; }
    const url = issuer.crl_url ?? await distributionPointFor(deps.db, issuer.subject_key_id);
    if (!url) { out.skipped++; continue; }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const r = await loadCrl(deps, issuer, new Uint8Array(await res.arrayBuffer()), url);
      out.refreshed++; out.entries += r.entries;
    } catch (e) {
      out.failed++;
      deps.log.warn({ issuer: issuer.id, err: String((e as Error).message).slice(0, 200) }, 'CRL refresh failed');
    }
  }
  return out;
}
