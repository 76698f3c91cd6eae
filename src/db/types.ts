// Table types for Kysely. Columns mirror src/db/migrations; keep the two in step.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { SsoTables } from '../sso/tables.ts';
import type { PortalTables } from '../portal/tables.ts';
import type { RequestTables } from '../requests/tables.ts';
import type { ApplicationTables } from '../requests/apply/tables.ts';
import type { CampaignTables } from '../governance/campaigns/tables.ts';
import type { IncidentTables } from '../incidents/tables.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface OrgsTable {
  oid: string;
  parent_oid: string | null;
  name: string;
  agency_code: string | null;
  tenant_code: string | null;
  kind: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: Timestamp;
}

export interface PoliciesTable {
  oid: string;
  settings: Json<Record<string, unknown>>;
  updated_at: Timestamp;
}

export interface AccountsTable {
  id: Generated<number>;
  username: string;
  username_norm: string;
  unit_oid: string;
  state: string;
  name: string;
  national_id_enc: string | null;
  national_id_hmac: string | null;
  birth_month: number | null;
  birth_day: number | null;
  email: string | null;
  mobile: string | null;
  title: string | null;
  department: string | null;
  address: string | null;
  office_phone: string | null;
  office_ext: string | null;
  fax: string | null;
  staff_code: string | null;
  postal_code: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: Timestamp;
  activated_at: Timestamp | null;
  last_password_login_at: Timestamp | null;
  last_certificate_login_at: Timestamp | null;
  last_passkey_login_at: Timestamp | null;
  /** Generated: every 1- and 2-character substring of the name, lower-cased (005_account_search). */
  name_grams: ColumnType<string[], never, never>;
}

export interface PasswordsTable {
  account_id: number;
  hash: string;
  set_at: Timestamp;
  /** 'password' (chosen by the user), 'initial' or 'one_day' (issued, must be changed at first use). */
  kind: string;
  must_change: boolean;
  expires_at: Timestamp | null;
}

export interface PasswordHistoryTable {
  id: Generated<number>;
  account_id: number;
  hash: string;
  set_at: Timestamp;
}

export interface SessionsTable {
  id_hash: string;
  account_id: number;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  absolute_expires_at: Timestamp;
  idle_seconds: number;
  auth_method: string;
  must_change_password: boolean;
  /** Usage rules are owed: the session reaches only the page that shows them (024_usage_rules). */
  must_accept_rules: ColumnType<boolean, boolean | undefined, boolean>;
  previous_login_at: Timestamp | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: Timestamp;
  locked_until: Timestamp | null;
}

export interface CaptchasTable {
  id: string;
  answer_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface AdminGrantsTable {
  id: Generated<number>;
  account_id: number;
  kind: string;
  jurisdiction_oid: string;
  categories: ColumnType<string[], string[], string[]>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface AuditEventsTable {
  /** Numbered at insert (015_audit_seal); the order events were written, not their chain position. */
  seq: Generated<number>;
  at: Timestamp;
  actor_account_id: number | null;
  action: string;
  result: string;
  target_type: string | null;
  target_id: string | null;
  org_oid: string | null;
  ip: string | null;
  details: Json<Record<string, unknown>>;
  /** Set by the sealer (src/platform/audit-sealer.ts): the event's place in the chain; null until sealed. */
  chain_seq: number | null;
  prev_hash: string | null;
  hash: string | null;
}

/** Ed25519 keys that sign audit checkpoints (015_audit_seal); the private key encrypted by the keyring. */
export interface AuditSigningKeysTable {
  id: string;
  public_key: string;
  private_key_enc: string;
  created_at: Timestamp;
}

/** A signed chain head (GOV-1, issue 15): every event with chain_seq <= chain_seq is covered. */
export interface AuditCheckpointsTable {
  id: Generated<number>;
  chain_seq: number;
  head_hash: string;
  signed_at: Timestamp;
  key_id: string;
  signature: string;
  instance: string;
}

/** The sealer's lease (one row). */
export interface AuditSealerTable {
  id: number;
  lease_owner: string | null;
  lease_until: Timestamp | null;
}

export interface OutboxTable {
  id: Generated<number>;
  channel: string;
  recipient: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  created_at: Timestamp;
  attempts: ColumnType<number, number | undefined, number>;
  /** NULL once delivery was given up. */
  next_attempt_at: Timestamp | null;
  lease_until: Timestamp | null;
  sent_at: Timestamp | null;
  last_error: string | null;
}

/** A provider session and the Tessera session it was signed in with (SSO-2, issue 13). */
export interface SsoSessionLinksTable {
  op_session_id: string;
  session_id_hash: string;
  account_id: number;
  linked_at: Timestamp;
}

/** GOV-5 (023_reminders): what was reminded of, once. */
export interface PasswordRemindersTable { account_id: number; set_at: Timestamp; sent_at: Timestamp }
export interface RequestStepNoticesTable { request_id: number; step_no: number; recipients: number; sent_at: Timestamp }
export interface ApprovalDigestsTable { account_id: number; day: string; sent_at: Timestamp }

/** Account usage rules per subtree, in versions, and who acknowledged which (seed 002 五(七), 024_usage_rules). */
export interface UsageRulesTable { id: Generated<number>; oid: string; version: number; title: string; body: string; published_at: Timestamp; published_by: number | null }
export interface UsageRuleAcceptancesTable { account_id: number; rule_id: number; accepted_at: Timestamp }

export interface PasswordResetsTable {
  id: Generated<number>;
  account_id: number;
  code_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  failed_attempts: ColumnType<number, number | undefined, number>;
}

/** Subtrees whose organisations may apply for a system's roles (REQ-1, issue 9 item 14). */
export interface SystemApplyScopeTable {
  system_code: string;
  subtree_oid: string;
}

export interface ApplicationSystemsTable {
  code: string;
  name_zh: string;
  name_en: string;
  category: string;
  flags: Json<Record<string, unknown>>;
  /** The owning organisation (011_system_owner): an OID, the national root for platform-wide systems. */
  owner_oid: ColumnType<string, string | undefined, string>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface RolesTable {
  code: string;
  system_code: string;
  name_zh: string;
  name_en: string;
}

export interface RoleGrantsTable {
  account_id: number;
  role_code: string;
  granted_by: number | null;
  granted_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<number>;
  account_id: number;
  token_hash: string;
  label: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

/** SCIM bearer tokens (SSO-6, 018_scim). */
export interface ScimTokensTable {
  id: Generated<number>;
  system_code: string;
  jurisdiction_oid: string;
  issued_by: number;
  token_hash: string;
  label: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface PasskeysTable {
  id: Generated<number>;
  account_id: number;
  credential_id: string;
  public_key: Uint8Array;
  counter: number;
  transports: string[];
  aaguid: string;
  backup_eligible: boolean;
  backup_state: boolean;
  name: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
}

export interface PasskeyChallengesTable {
  id: string;
  challenge: string;
  purpose: 'register' | 'login' | 'cert-login' | 'cert-register';
  binding_hash: string;
  account_id: number | null;
  expires_at: Timestamp;
}

export interface SetPasswordLinksTable {
  id: Generated<number>;
  account_id: number;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** A named job's schedule (013_jobs): the slot it runs next, and the lease of the run under way. */
export interface JobSchedulesTable {
  name: string;
  next_run_at: Timestamp;
  lease_until: Timestamp | null;
  lease_owner: string | null;
  updated_at: Timestamp;
}

/** One run of a job (013_jobs). */
export interface JobRunsTable {
  id: Generated<number>;
  job_name: string;
  scheduled_for: Timestamp;
  attempt: ColumnType<number, number | undefined, number>;
  trigger: 'schedule' | 'manual';
  instance: string;
  status: 'running' | 'finished' | 'failed' | 'abandoned';
  started_at: Timestamp;
  finished_at: Timestamp | null;
  lease_until: Timestamp | null;
  counts: ColumnType<Record<string, number> | null, string | null | undefined, string | null>;
  error: string | null;
}

/** One account's inactivity period (GOV-2, 013_jobs): when its notice was mailed, when the sweep disabled it. */
export interface InactivityPeriodsTable {
  account_id: number;
  basis_at: Timestamp;
  inactive_at: Timestamp;
  noticed_at: Timestamp | null;
  disabled_at: Timestamp | null;
}

export interface Database extends SsoTables, PortalTables, RequestTables, ApplicationTables, CertTables, CampaignTables, IncidentTables {
  orgs: OrgsTable;
  policies: PoliciesTable;
  accounts: AccountsTable;
  passwords: PasswordsTable;
  password_history: PasswordHistoryTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  captchas: CaptchasTable;
  admin_grants: AdminGrantsTable;
  audit_events: AuditEventsTable;
  audit_signing_keys: AuditSigningKeysTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_sealer: AuditSealerTable;
  outbox: OutboxTable;
  sso_session_links: SsoSessionLinksTable;
  password_reminders: PasswordRemindersTable;
  request_step_notices: RequestStepNoticesTable;
  approval_digests: ApprovalDigestsTable;
  usage_rules: UsageRulesTable;
  usage_rule_acceptances: UsageRuleAcceptancesTable;
  password_resets: PasswordResetsTable;
  application_systems: ApplicationSystemsTable;
  system_apply_scope: SystemApplyScopeTable;
  roles: RolesTable;
  role_grants: RoleGrantsTable;
  api_tokens: ApiTokensTable;
  set_password_links: SetPasswordLinksTable;
  job_schedules: JobSchedulesTable;
  job_runs: JobRunsTable;
  inactivity_periods: InactivityPeriodsTable;
  passkeys: PasskeysTable;
  passkey_challenges: PasskeyChallengesTable;
  scim_tokens: ScimTokensTable;
  scim_external_ids: ScimExternalIdsTable;
  scim_roles: ScimRolesTable;
  scim_push_targets: ScimPushTargetsTable;
  scim_push_links: ScimPushLinksTable;
}

/** A client's externalId of an account, per system (028, SSO-6). */
export interface ScimExternalIdsTable { system_code: string; account_id: number; external_id: string }
/** A role created through SCIM Group POST, owned by the token's subtree (028). */
export interface ScimRolesTable { role_code: string; system_code: string; owner_oid: string; token_id: number | null; created_by: number; created_at: Timestamp }
/** A system's SCIM endpoint that Tessera pushes to (028). */
export interface ScimPushTargetsTable {
  id: Generated<number>; system_code: string; jurisdiction_oid: string; url: string; secret_enc: string;
  enabled: ColumnType<boolean, boolean | undefined, boolean>; created_by: number; created_at: Timestamp;
  last_success_at: Timestamp | null; last_failure_at: Timestamp | null; last_error: string | null;
  failures: ColumnType<number, number | undefined, number>;
}
/** What a push target was told: the receiver's id of a user or group, and the roles it holds there (028). */
export interface ScimPushLinksTable { target_id: number; kind: 'user' | 'group'; local_id: string; remote_id: string; roles: ColumnType<string[], string[] | undefined, string[]> }

export type Org = Selectable<OrgsTable>;
export type Account = Selectable<AccountsTable>;
export type NewAccount = Insertable<AccountsTable>;
export type AuditEvent = Selectable<AuditEventsTable>;

/** Citizen certificates (AUTH-8, 019_certificates). */
export interface CertTables {
  cert_trust: {
    id: Generated<number>; kind: 'anchor' | 'intermediate'; label: string; subject: string; subject_key_id: string; authority_key_id: string;
    serial: string; der: Uint8Array; not_after: Timestamp; crl_url: string | null; crl_dp: string | null; created_at: Timestamp; created_by: number | null;
  };
  cert_bindings: {
    id: Generated<number>; account_id: number; issuer_key_id: string; serial: string; subject_key_id: string; thumbprint: string;
    issuer: string; common_name: string; not_after: Timestamp; created_at: Timestamp; last_used_at: Timestamp | null;
  };
  cert_revoked: { issuer_key_id: string; serial: string; revoked_at: Timestamp | null };
  cert_crls: {
    issuer_key_id: string; crl_number: string | null; this_update: Timestamp; next_update: Timestamp | null; entries: number; source_url: string; fetched_at: Timestamp;
  };
  /** GOV-5: the expiry reminder sent for a registered certificate (027_cert_reminders). */
  cert_expiry_reminders: { binding_id: number; sent_at: Timestamp };
  cert_ocsp_cache: { issuer_key_id: string; serial: string; status: 'good' | 'revoked' | 'unknown'; produced_at: Timestamp; fetched_at: Timestamp };
}
