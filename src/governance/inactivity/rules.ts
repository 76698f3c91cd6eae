// Inactivity (GOV-2), the pure part: from the policies stored along the OID tree, the regions of
// the tree that share one inactivity setting (threshold, notice days, automatic disabling), nearest
// first; and when an account is noticed and becomes inactive. An account is inactive once its last
// sign-in (password, certificate or passkey), or its activation or creation when it was never used, lies
// `inactivity.days` days back or more — at the threshold, not a day before.
import { DAY } from '../../platform/clock.ts';
import type { Policy, PolicySettings } from '../../orgs/policy.ts';
import { policyRegions, regionOf as regionIn } from '../../orgs/policy-regions.ts';

export interface InactivityPolicy { days: number; noticeDays: number; autoDisable: boolean }
/** A subtree's setting (root null: everywhere no nearer region covers, the defaults and nothing else). */
export interface Region extends InactivityPolicy { root: string | null }

const KEYS = ['inactivity.days', 'inactivity.noticeDays', 'inactivity.autoDisable'] as const;

const pick = (p: Policy): InactivityPolicy => ({ days: p['inactivity.days'], noticeDays: p['inactivity.noticeDays'], autoDisable: p['inactivity.autoDisable'] });

/** The regions of the inactivity keys, deepest first and the default last (orgs/policy-regions.ts). */
export const inactivityRegions = (rows: { oid: string; settings: PolicySettings }[]): Region[] => policyRegions(rows, KEYS, pick);

/** The region an OID belongs to. */
export const regionOf = (regions: Region[], oid: string): Region => regionIn(regions, oid);

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
