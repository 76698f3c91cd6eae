// Inactivity (GOV-2), the pure part: from the policies stored along the OID tree, the regions of
// the tree that share one inactivity setting (threshold, notice days, automatic disabling), nearest
// first; and when an account is noticed and becomes inactive. An account is inactive once its last
// sign-in (password or certificate), or its activation or creation when it was never used, lies
// `inactivity.days` days back or more — at the threshold, not a day before.
import { DAY } from '../../platform/clock.ts';
import { isWithin } from '../../orgs/oid.ts';
import { defaultPolicy, effectivePolicy, type PolicySettings } from '../../orgs/policy.ts';

export interface InactivityPolicy { days: number; noticeDays: number; autoDisable: boolean }
/** A subtree's setting (root null: everywhere no nearer region covers, the defaults and nothing else). */
export interface Region extends InactivityPolicy { root: string | null }

const KEYS = ['inactivity.days', 'inactivity.noticeDays', 'inactivity.autoDisable'] as const;
const depth = (oid: string) => oid.split('.').length;

function pick(p: { 'inactivity.days': number; 'inactivity.noticeDays': number; 'inactivity.autoDisable': boolean }): InactivityPolicy {
  return { days: p['inactivity.days'], noticeDays: p['inactivity.noticeDays'], autoDisable: p['inactivity.autoDisable'] };
}

/**
 * The regions, deepest first and the default last: an account belongs to the first region whose
 * root covers its unit. Each region's values are the effective policy at its root (inheritance as
 * everywhere, ORG-3); nodes that set no inactivity key do not start a region.
 */
export function inactivityRegions(rows: { oid: string; settings: PolicySettings }[]): Region[] {
  const nodes = rows.filter((r) => KEYS.some((k) => r.settings[k] !== undefined));
  const regions = nodes.map((n) => {
    const path = nodes.filter((o) => isWithin(n.oid, o.oid)).sort((a, b) => depth(a.oid) - depth(b.oid));
    return { root: n.oid, ...pick(effectivePolicy(path).policy) };
  }).sort((a, b) => depth(b.root) - depth(a.root) || a.root.localeCompare(b.root));
  return [...regions, { root: null, ...pick(defaultPolicy()) }];
}

/** The region an OID belongs to. */
export const regionOf = (regions: Region[], oid: string): Region => regions.find((r) => r.root === null || isWithin(oid, r.root))!;

/** When an account whose last use (or activation/creation) was `basis` becomes inactive. */
export const inactiveAt = (basis: Date, p: InactivityPolicy): Date => new Date(basis.getTime() + p.days * DAY);
/** When its notice is due; null when the region sends none. */
export const noticeAt = (basis: Date, p: InactivityPolicy): Date | null =>
  p.noticeDays > 0 ? new Date(basis.getTime() + Math.max(0, p.days - p.noticeDays) * DAY) : null;

/**
 * The cut-offs a region gives at `now`, for SQL: an account whose basis is at or before
 * `inactive` is inactive; at or before `notice` (and after `inactive`) its notice is due.
 */
export function cutoffs(p: InactivityPolicy, now: Date): { inactive: Date; notice: Date | null } {
  return {
    inactive: new Date(now.getTime() - p.days * DAY),
    notice: p.noticeDays > 0 ? new Date(now.getTime() - Math.max(0, p.days - p.noticeDays) * DAY) : null,
  };
}
