// INC-9: the known event kinds, roles and levels as values, so that an administrator's profile can be checked.
import type { ImpactLevel, IncidentEventKind, IncidentRole } from './types.ts';

// A record over the union: adding a kind to types.ts without listing it here does not compile.
const KINDS: Record<IncidentEventKind, true> = {
  aware: true, reported: true, phone_reported: true, backfilled: true, level_changed: true,
  reviewed: true, centre_reviewed: true, centre_direct_review: true, forwarded: true, notified: true,
  support_requested: true, support_dispatched: true, contained: true, closure_submitted: true,
  closure_approved: true, closure_returned: true, ci_notified: true, investigation_submitted: true, personal_data_involved: true,
  drill_report_submitted: true, early_warning_sent: true, incident_notification_sent: true,
  final_report_submitted: true, supervisory_authority_notified: true, drill_completed: true,
};
const ROLES: Record<IncidentRole, true> = {
  security_contact: true, competent_authority: true, ciso: true, it_chief: true, technical_centre: true, national_office: true,
};

/** Every event kind, in a fixed order (also the tie-break of events at the same instant). */
export const EVENT_KINDS = Object.keys(KINDS) as IncidentEventKind[];
export const INCIDENT_ROLES = Object.keys(ROLES) as IncidentRole[];
export const IMPACT_LEVELS: readonly ImpactLevel[] = [1, 2, 3, 4];

export const isEventKind = (v: unknown): v is IncidentEventKind => typeof v === 'string' && Object.hasOwn(KINDS, v);
export const isRole = (v: unknown): v is IncidentRole => typeof v === 'string' && Object.hasOwn(ROLES, v);
export const isLevel = (v: unknown): v is ImpactLevel => v === 1 || v === 2 || v === 3 || v === 4;
