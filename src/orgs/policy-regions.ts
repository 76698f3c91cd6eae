// Policy regions (ORG-3), the pure part: the subtrees of the OID tree that share one value of some
// policy keys, deepest first, the defaults last. Jobs that apply a per-subtree policy to many
// accounts at once (inactivity, reminders) turn the regions into one SQL CASE over the unit OID
// (policy-regions-sql.ts) instead of reading the policy account by account.
import { isWithin } from './oid.ts';
import { defaultPolicy, effectivePolicy, type Policy, type PolicyKey, type PolicySettings } from './policy.ts';

/** A subtree's values (root null: everywhere no nearer region covers — the defaults). */
export type PolicyRegion<T> = T & { root: string | null };

const depth = (oid: string) => oid.split('.').length;

/**
 * The regions of `keys`: an account belongs to the first region whose root covers its unit. Each
 * region's values are `pick` of the effective policy at its root (inheritance as everywhere);
 * nodes that set none of `keys` do not start a region.
 */
export function policyRegions<T>(rows: { oid: string; settings: PolicySettings }[], keys: readonly PolicyKey[], pick: (p: Policy) => T): PolicyRegion<T>[] {
  const nodes = rows.filter((r) => keys.some((k) => r.settings[k] !== undefined));
  const regions = nodes.map((n) => {
    const path = nodes.filter((o) => isWithin(n.oid, o.oid)).sort((a, b) => depth(a.oid) - depth(b.oid));
    return { root: n.oid, ...pick(effectivePolicy(path).policy) } as PolicyRegion<T>;
  }).sort((a, b) => depth(b.root!) - depth(a.root!) || a.root!.localeCompare(b.root!));
  return [...regions, { root: null, ...pick(defaultPolicy()) } as PolicyRegion<T>];
}

/** The region an OID belongs to. */
export const regionOf = <T>(regions: PolicyRegion<T>[], oid: string): PolicyRegion<T> => regions.find((r) => r.root === null || isWithin(oid, r.root))!;
