// INC-8, ADM-2: the incident part of the one authorization rule. Incident roles are role grants of
// the incident system (資通安全事件通報應變), each held for the holder's organisation (the agency of
// the account's unit). `authorize` (authorize.ts) asks `incidentAllows`; list queries use
// `incidentScopeFor`, its set form, through `withinIncidentScope` (jurisdiction-sql.ts).
import { isWithin } from '../orgs/oid.ts';

export const INCIDENT_ROLES = ['security_contact', 'it_chief', 'ciso', 'reviewer', 'centre_analyst', 'national_office'] as const;
export type IncidentRoleCode = (typeof INCIDENT_ROLES)[number];
/** The role codes of the incident system (migration 017) for each incident role. */
export const INCIDENT_ROLE_CODE: Record<IncidentRoleCode, string> = {
  security_contact: 'incident_security_contact', it_chief: 'incident_it_chief', ciso: 'incident_ciso',
  reviewer: 'incident_reviewer', centre_analyst: 'incident_centre_analyst', national_office: 'incident_national_office',
};
export const incidentRoleOf = (roleCode: string): IncidentRoleCode | undefined =>
  INCIDENT_ROLES.find((r) => INCIDENT_ROLE_CODE[r] === roleCode);

export interface IncidentRoleHeld { role: IncidentRoleCode; orgOid: string }

export type IncidentAction =
  | 'incident.report'    // draft, submit, back-fill, re-report: target.oid = the reporting agency
  | 'incident.view'      // one incident: target.oid, target.authority, target.level, target.draft
  | 'incident.review'    // competent authority review: target.authority
  | 'incident.centre'    // technical centre: phone reports, re-review, direct review, support
  | 'incident.contacts'  // the agency's contacts registry: target.oid = the agency
  | 'incident.drill.approve'; // the agency's CISO approves its drill report (INC-7): target.oid = the agency

export interface IncidentTarget { oid?: string; authority?: string | null; level?: number | null; draft?: boolean }

const holds = (roles: IncidentRoleHeld[], role: IncidentRoleCode, oid?: string | null) =>
  roles.some((r) => r.role === role && (oid === undefined || r.orgOid === oid));

/** The agency's own people: those who report and see its incidents, drafts included. */
const OWN: IncidentRoleCode[] = ['security_contact', 'it_chief', 'ciso'];
/** The competent authority's people: they see (never drafts) the incidents they supervise. */
const AUTHORITY: IncidentRoleCode[] = ['reviewer', 'ciso', 'it_chief'];

/** Pure decision for an incident action by an actor that is not the central authority. */
/** The shape of an administration grant this rule reads (authorize.ts's Grant). */
interface GrantLike { kind: string; jurisdictionOid: string }

export function incidentAllows(roles: IncidentRoleHeld[], grants: GrantLike[], action: IncidentAction, t: IncidentTarget): boolean {
  switch (action) {
    case 'incident.report': return t.oid !== undefined && holds(roles, 'security_contact', t.oid);
    case 'incident.review': return !!t.authority && holds(roles, 'reviewer', t.authority);
    case 'incident.centre': return holds(roles, 'centre_analyst');
    case 'incident.drill.approve': return t.oid !== undefined && holds(roles, 'ciso', t.oid);
    case 'incident.contacts':
      return t.oid !== undefined && (holds(roles, 'it_chief', t.oid)
        || grants.some((g) => g.kind === 'registration_admin' && isWithin(t.oid!, g.jurisdictionOid)));
    case 'incident.view': {
      if (t.oid !== undefined && OWN.some((r) => holds(roles, r, t.oid))) return true;
      if (t.draft) return false;
      if (!!t.authority && AUTHORITY.some((r) => holds(roles, r, t.authority))) return true;
      if (holds(roles, 'centre_analyst')) return true;
      return holds(roles, 'national_office') && (t.level ?? 0) >= 3;
    }
  }
}

/** Set form of 'incident.view': which incidents an actor may see, for SQL. */
export type IncidentScope =
  | { all: true }
  | { all: false; own: string[]; authorities: string[]; centre: boolean; major: boolean };

export function incidentScopeFor(roles: IncidentRoleHeld[], central: boolean): IncidentScope {
  if (central) return { all: true };
  const orgs = (want: IncidentRoleCode[]) => [...new Set(roles.filter((r) => want.includes(r.role)).map((r) => r.orgOid))].sort();
  return { all: false, own: orgs(OWN), authorities: orgs(AUTHORITY), centre: holds(roles, 'centre_analyst'), major: holds(roles, 'national_office') };
}

/**
 * Scope of the incident statistics (INC-6, INC-7): counts only, never an incident's content. The
 * technical centre and the national office count every agency; everybody else what they may see.
 */
export function incidentStatsScopeFor(roles: IncidentRoleHeld[], central: boolean): IncidentScope {
  if (central || holds(roles, 'centre_analyst') || holds(roles, 'national_office')) return { all: true };
  const s = incidentScopeFor(roles, false);
  return s.all ? s : { ...s, major: false };
}
