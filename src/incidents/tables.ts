// INC-1, INC-2, INC-3, INC-6, INC-8: tables of the incident capability (Kysely types), merged into the Database interface in src/db/types.ts.
import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface OrgIncidentSettingsTable {
  oid: string;
  is_competent_authority: Defaulted<boolean>;
  competent_authority_oid: string | null;
  updated_at: Timestamp;
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

export interface IncidentTables {
  org_incident_settings: OrgIncidentSettingsTable;
  incident_contacts: IncidentContactsTable;
  incident_contact_confirmations: IncidentContactConfirmationsTable;
  incidents: IncidentsTable;
  incident_events: IncidentEventsTable;
  incident_escalations: IncidentEscalationsTable;
}

export type IncidentRow = Selectable<IncidentsTable>;
export type IncidentEventRow = Selectable<IncidentEventsTable>;
