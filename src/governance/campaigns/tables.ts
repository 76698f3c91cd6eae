// GOV-3, GOV-4: table types of the review campaigns (migration 022_campaigns), joined into the Database type in src/db/types.ts.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface CampaignDefinitionsTable {
  id: Generated<number>;
  name: string;
  scope_oid: string;
  system_code: string | null;
  inactive_days: number | null;
  recurrence: 'quarterly' | 'half_yearly' | 'one_off';
  deadline_days: number;
  default_action: 'no_change' | 'disable' | 'recommendation';
  /** 026: every holder in scope confirms their own account (seed 002). */
  attestation: ColumnType<boolean, boolean | undefined, boolean>;
  next_run_at: Timestamp | null;
  created_by: number | null;
  created_at: Timestamp;
}

export interface CampaignRunsTable {
  id: Generated<number>;
  definition_id: number;
  name: string;
  scope_oid: string;
  system_code: string | null;
  inactive_days: number | null;
  default_action: 'no_change' | 'disable' | 'recommendation';
  started_at: Timestamp;
  started_by: number | null;
  deadline_at: Timestamp;
  state: 'open' | 'signed' | 'executed';
  item_count: ColumnType<number, number | undefined, number>;
  signed_by: number | null;
  signed_at: Timestamp | null;
  sign_method: 'password' | 'certificate' | null;
  sign_evidence: Json<Record<string, unknown>> | null;
  executed_at: Timestamp | null;
  reminded_at: Timestamp | null;
  escalated_at: Timestamp | null;
  report_csv: string | null;
  report_sha256: string | null;
  /** 026 */
  attestation: ColumnType<boolean, boolean | undefined, boolean>;
  executed_items: ColumnType<number, number | undefined, number>;
  execute_lease_until: Timestamp | null;
  execute_instance: string | null;
  report_pdf: Uint8Array | null;
  report_pdf_sha256: string | null;
  form_pdf: Uint8Array | null;
  form_pdf_sha256: string | null;
}

export interface CampaignItemsTable {
  run_id: number;
  account_id: number;
  username: string;
  name: string;
  unit_oid: string;
  unit_name: string | null;
  state: string;
  roles: ColumnType<string[], string[], string[]>;
  grants: ColumnType<string[], string[], string[]>;
  last_password_at: Timestamp | null;
  last_certificate_at: Timestamp | null;
  last_passkey_at: Timestamp | null;
  basis_at: Timestamp;
  inactive: boolean;
  recommendation: 'keep' | 'disable';
  decision: 'keep' | 'disable' | 'delete' | 'remove_role' | null;
  decision_role: string | null;
  reason: string | null;
  decided_by: number | null;
  decided_at: Timestamp | null;
  outcome: string | null;
  /** 026: the holder's own answer. */
  attestation: 'confirmed' | 'reported' | null;
  attestation_note: string | null;
  attested_at: Timestamp | null;
}

export interface CampaignTables {
  campaign_definitions: CampaignDefinitionsTable;
  campaign_runs: CampaignRunsTable;
  campaign_items: CampaignItemsTable;
}
