// INC-1, INC-2, INC-8: pure rules of the incident workflow (no I/O, `now` passed in): the competent
// authority of an agency on the organisation tree, the contacts registry's minimums and
// confirmation, and the validation of a report.
import type { ImpactLevel } from './clocks/types.ts';

export interface AuthorityNode { oid: string; isCompetentAuthority: boolean; explicitAuthority: string | null }

/**
 * The competent authority (主管機關) of an agency (INC-8): its explicit one when set, else the nearest
 * proper ancestor marked as a competent authority, else none (the technical centre reviews).
 * `nodes` are the agency and its ancestors, in any order.
 */
export function competentAuthorityOf(agencyOid: string, nodes: AuthorityNode[]): string | null {
  const self = nodes.find((n) => n.oid === agencyOid);
  if (self?.explicitAuthority && self.explicitAuthority !== agencyOid) return self.explicitAuthority;
  const ancestors = nodes.filter((n) => n.oid !== agencyOid && agencyOid.startsWith(n.oid + '.') && n.isCompetentAuthority);
  ancestors.sort((a, b) => b.oid.length - a.oid.length);
  return ancestors[0]?.oid ?? null;
}

/** The registry's roles (INC-1). */
export const CONTACT_ROLES = ['it_chief', 'security_contact', 'ciso', 'reviewer'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export interface ContactHolder { role: ContactRole; dedicated: boolean }
export interface MissingContact { role: ContactRole; need: number; have: number }

/** INC-1 minimums: every agency an IT chief and two security contacts; a competent authority also a CISO and a reviewer. */
export function contactMinimums(isAuthority: boolean): Record<ContactRole, number> {
  return { it_chief: 1, security_contact: 2, ciso: isAuthority ? 1 : 0, reviewer: isAuthority ? 1 : 0 };
}

export function missingContacts(holders: ContactHolder[], isAuthority: boolean): MissingContact[] {
  const min = contactMinimums(isAuthority);
  return CONTACT_ROLES.map((role) => ({ role, need: min[role], have: holders.filter((h) => h.role === role).length }))
    .filter((m) => m.have < m.need);
}

/** Dedicated security staff are preferred (INC-1): flagged, not required. */
export const lacksDedicated = (holders: ContactHolder[]): boolean =>
  !holders.some((h) => h.role === 'security_contact' && h.dedicated);

/** When the contacts must be confirmed again; null: never confirmed (due now). */
export function confirmationDue(confirmedAt: Date | null, periodDays: number): Date | null {
  return confirmedAt ? new Date(confirmedAt.getTime() + periodDays * 86_400_000) : null;
}
export const confirmationOverdue = (confirmedAt: Date | null, periodDays: number, now: Date): boolean =>
  confirmedAt === null || confirmationDue(confirmedAt, periodDays)!.getTime() <= now.getTime();

/** A report as entered (INC-2). */
export interface ReportInput {
  title: string;
  description: string;
  awareAt: Date | null;
  level: number | null;
  affectedSystems: { code?: string; text?: string }[];
  supportRequested: boolean;
  otherAgenciesAffected: boolean;
  criticalInfrastructure: boolean;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  /** The incident's type (INC-6 statistics); absent or null: not given. */
  category?: IncidentCategory | null;
}

/** Incident types, for statistics (INC-6): the usual classes of the national notification platform. */
export const INCIDENT_CATEGORIES = ['defacement', 'intrusion', 'malware', 'dos', 'data_leak', 'phishing', 'equipment', 'other'] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];
export const isCategory = (v: unknown): v is IncidentCategory => typeof v === 'string' && (INCIDENT_CATEGORIES as readonly string[]).includes(v);

export type ReportField = 'title' | 'description' | 'awareAt' | 'level' | 'contactName' | 'contactPhone' | 'contactEmail';
export type ReportProblem = 'required' | 'future' | 'invalid';

export const isLevel = (n: unknown): n is ImpactLevel => n === 1 || n === 2 || n === 3 || n === 4;

/** A draft needs only a title; a submitted report every required item, an awareness time not in the future. */
export function reportProblems(r: ReportInput, now: Date, submit: boolean): Partial<Record<ReportField, ReportProblem>> {
  const p: Partial<Record<ReportField, ReportProblem>> = {};
  if (!r.title.trim()) p.title = 'required';
  if (r.level !== null && !isLevel(r.level)) p.level = 'invalid';
  if (r.awareAt && r.awareAt.getTime() > now.getTime() + 60_000) p.awareAt = 'future';
  if (r.contactEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(r.contactEmail)) p.contactEmail = 'invalid';
  if (!submit) return p;
  if (!r.description.trim()) p.description = 'required';
  if (!r.awareAt) p.awareAt = 'required';
  if (r.level === null) p.level = 'required';
  if (!r.contactName.trim()) p.contactName = 'required';
  if (!r.contactPhone.trim()) p.contactPhone = 'required';
  return p;
}

/** "YYYY-MM-DD HH:MM" (or with a T) in Taiwan time → the instant; null when not such a time. */
export function parseTaipeiTime(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+08:00`);
  return Number.isNaN(d.getTime()) || d.getUTCMinutes() !== Number(m[5]) ? null : d;
}

/** "YYYY-MM-DD" as the start of that Taipei day; null when not a date. */
export function taipeiDay(s: string | undefined): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec((s ?? '').trim());
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00+08:00`);
  return Number.isNaN(d.getTime()) || new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10) !== `${m[1]}-${m[2]}-${m[3]}` ? null : d;
}
/** A duration for a timer: "3 小時 5 分" style parts, never negative. */
export function durationParts(ms: number): { days: number; hours: number; minutes: number } {
  const total = Math.max(0, Math.floor(ms / 60_000));
  return { days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 };
}

/**
 * INC-6: the p-quantile (0..1) of values given as counts, interpolated between the two nearest
 * ranks as PostgreSQL's percentile_cont does; null when there is no value.
 */
export function percentileOf(histogram: { value: number; count: number }[], p: number): number | null {
  const h = histogram.filter((x) => x.count > 0).sort((a, b) => a.value - b.value);
  const total = h.reduce((s, x) => s + x.count, 0);
  if (total === 0) return null;
  const rank = p * (total - 1);
  const at = (k: number) => { let seen = 0; for (const x of h) { seen += x.count; if (k < seen) return x.value; } return h[h.length - 1].value; };
  const lo = Math.floor(rank), hi = Math.ceil(rank);
  return at(lo) + (at(hi) - at(lo)) * (rank - lo);
}
