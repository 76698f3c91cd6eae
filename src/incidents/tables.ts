// INC-1, INC-2, INC-3, INC-6, INC-8, INC-9: tables of the incident capability (Kysely types), merged into the Database interface in src/db/types.ts.
import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface OrgIncidentSettingsTable {
  oid: string;
  is_competent_authority: Defaulted<boolean>;
  competent_authority_oid: string | null;
  updated_at: Timestamp;
  /** 025: deadline profiles the agency may add to an incident besides tw-cs (INC-9). */
  allowed_profiles: Defaulted<string[]>;
}

export interface IncidentContactsTable {
  account_id: number;
  role_code: string;
  dedicated: Defaulted<boolean>;
  updated_at: Timestamp;
}

export interface IncidentContactConfirmationsTable {
  org_oid: string;
  confirmed_at: Timestamp | null;
  confirmed_by: number | null;
  reminded_at: Timestamp | null;
}

export interface AffectedSystem { code?: string; text?: string }

export interface IncidentsTable {
  id: Generated<number>;
  org_oid: string;
  authority_oid: string | null;
  state: 'draft' | 'open' | 'closed';
  level: number | null;
  drill: Defaulted<boolean>;
  profile_ids: Defaulted<string[]>;
  title: string;
  description: Defaulted<string>;
  aware_at: Timestamp | null;
  affected_systems: ColumnType<AffectedSystem[], string | undefined, string>;
  support_requested: Defaulted<boolean>;
  other_agencies_affected: Defaulted<boolean>;
  critical_infrastructure: Defaulted<boolean>;
  contact_name: Defaulted<string>;
  contact_phone: Defaulted<string>;
  contact_email: Defaulted<string>;
  backfill_pending: Defaulted<boolean>;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  reported_at: Timestamp | null;
  closed_at: Timestamp | null;
  next_due_at: Timestamp | null;
  /** 025: the incident's type (INC-6 statistics), its drill kind (INC-7), the critical-infrastructure groups it affects (INC-2). */
  category: string | null;
  drill_kind: 'notification' | 'social_engineering' | null;
  ci_groups: Defaulted<string[]>;
}

export interface IncidentEventsTable {
  id: Generated<number>;
  incident_id: number;
  kind: string;
  at: Timestamp;
  recorded_at: Timestamp;
  actor_account_id: number | null;
  level: number | null;
  reason: string | null;
  payload: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface IncidentEscalationsTable {
  incident_id: number;
  profile_id: string;
  rule_id: string;
  due_at: Timestamp;
  escalated_at: Timestamp;
  recipients: number;
}

/** 025: each clock's anchor, due and meeting time as last computed from the events (INC-6 statistics). */
export interface IncidentClockOutcomesTable {
  incident_id: number;
  profile_id: string;
  rule_id: string;
  anchor_at: Timestamp;
  due_at: Timestamp;
  met_at: Timestamp | null;
}

export interface IncidentTables {
  incident_clock_outcomes: IncidentClockOutcomesTable;
  org_incident_settings: OrgIncidentSettingsTable;
  incident_contacts: IncidentContactsTable;
  incident_contact_confirmations: IncidentContactConfirmationsTable;
  incidents: IncidentsTable;
  incident_events: IncidentEventsTable;
  incident_escalations: IncidentEscalationsTable;
}

export type IncidentRow = Selectable<IncidentsTable>;
export type IncidentEventRow = Selectable<IncidentEventsTable>;
