// Pure OID arithmetic (ORG-1, ADM-2). An OID is dotted decimal: arcs without leading zeros,
// first arc 0-2, second arc 0-39 under 0 and 1 (ITU-T X.660).

const ARC = /^(0|[1-9][0-9]*)$/;
export const MAX_OID_LENGTH = 200;

export function isValidOid(oid: string): boolean {
  if (typeof oid !== 'string' || oid.length === 0 || oid.length > MAX_OID_LENGTH) return false;
  const arcs = oid.split('.');
  if (arcs.length < 2 || !arcs.every((a) => ARC.test(a) && a.length <= 20)) return false;
  const first = Number(arcs[0]);
  if (first > 2) return false;
  if (first < 2 && Number(arcs[1]) > 39) return false;
  return true;
}

/** True when `oid` lies in the subtree rooted at `root` (itself included): `…9002` does not cover `…90027`. */
export function isWithin(oid: string, root: string): boolean {
  return oid === root || oid.startsWith(root + '.');
}

/** Every proper prefix of an OID, longest first (candidate parents). */
export function properPrefixes(oid: string): string[] {
  const arcs = oid.split('.');
  const out: string[] = [];
  for (let n = arcs.length - 1; n >= 1; n--) out.push(arcs.slice(0, n).join('.'));
  return out;
}

/** The parent of `oid`: its longest proper prefix that is registered, or null for a root. */
export function parentOf(oid: string, isRegistered: (candidate: string) => boolean): string | null {
  return properPrefixes(oid).find(isRegistered) ?? null;
}

/** The OID a node gets when its subtree moves from under `fromRoot` to under `toRoot`. */
export function rebase(oid: string, fromRoot: string, toRoot: string): string {
  if (!isWithin(oid, fromRoot)) throw new Error(`${oid} is not within ${fromRoot}`);
  return toRoot + oid.slice(fromRoot.length);
}

export function lastArc(oid: string): string {
  return oid.slice(oid.lastIndexOf('.') + 1);
}

/** Depth-first order for display: compares arc by arc numerically. */
export function compareOids(a: string, b: string): number {
  const x = a.split('.'), y = b.split('.');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) {
      const d = BigInt(x[i]) - BigInt(y[i]);
      return d < 0n ? -1 : 1;
    }
  }
  return x.length - y.length;
}
