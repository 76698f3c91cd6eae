// Which signing keys sign and which are published (SSO-2 JWKS rotation). Pure: the caller passes
// the rows and `now`. A key signs from its activates_at until a newer key of the same algorithm
// activates; it is published from creation (so relying parties can fetch it before it signs) until
// RETENTION after it was superseded, when no token it signed can still be in use.

export interface KeyMeta { kid: string; alg: string; activatesAt: Date }

/** ID tokens live one hour; relying parties send old ones back as id_token_hint on logout for the length of a working day. */
export const KEY_RETENTION_MS = 24 * 3_600_000;
/** A rotated key starts signing this long after it was created: every instance has reloaded its keys by then. */
export const KEY_ACTIVATION_DELAY_MS = 60_000;
/** How often an instance looks for keys rotated elsewhere. */
export const KEY_RELOAD_INTERVAL_MS = 30_000;

/** The algorithm the provider signs with unless a client asks for another: listed first. */
export const ALGS = ['ES256', 'RS256'] as const;

export interface KeyPlan {
  /** The key signing for each algorithm now. */
  signing: Map<string, string>;
  /** Published, in order: signing keys (ES256 first), then the others, newest first. */
  published: string[];
  /** Past retention: dropped from the JWKS and deletable. */
  expired: string[];
}

export function planKeys(rows: KeyMeta[], now: Date, retentionMs = KEY_RETENTION_MS): KeyPlan {
  const signing = new Map<string, string>();
  const others: KeyMeta[] = [];
  const expired: string[] = [];
  const byAlg = new Map<string, KeyMeta[]>();
  for (const r of rows) byAlg.set(r.alg, [...(byAlg.get(r.alg) ?? []), r]);
  for (const [alg, keys] of byAlg) {
    keys.sort((a, b) => b.activatesAt.getTime() - a.activatesAt.getTime() || (a.kid < b.kid ? -1 : 1));
    // `supersededAt` is when the next newer key (already active) took over.
    let supersededAt: Date | null = null;
    for (const k of keys) {
      if (k.activatesAt > now) { others.push(k); continue; } // pending: published, not signing yet
      if (!signing.has(alg)) { signing.set(alg, k.kid); supersededAt = k.activatesAt; continue; }
      if (supersededAt && now.getTime() - supersededAt.getTime() >= retentionMs) expired.push(k.kid);
      else others.push(k);
      supersededAt = k.activatesAt;
    }
  }
  others.sort((a, b) => b.activatesAt.getTime() - a.activatesAt.getTime());
  const first = [...ALGS, ...[...signing.keys()].filter((a) => !(ALGS as readonly string[]).includes(a))]
    .filter((a) => signing.has(a)).map((a) => signing.get(a)!);
  return { signing, published: [...first, ...others.map((k) => k.kid)], expired };
}
