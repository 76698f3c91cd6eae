// Tables of self-service account application and one-time codes (REQ-1, AUTH-6) (Kysely types). Merged into the Database interface in src/db/types.ts.
import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ApplicationDraftsTable {
  id: Generated<number>;
  token_hash: string;
  kind: 'new' | 'contact';
  org_oid: string;
  contact_account_id: number | null;
  /** Keyring-sealed JSON (DraftData in drafts.ts). */
  data_enc: string;
  email_verified_at: Timestamp | null;
  mobile_verified_at: Timestamp | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface OtpChallengesTable {
  id: Generated<number>;
  draft_id: number;
  channel: 'mail' | 'sms';
  code_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  failed_attempts: ColumnType<number, number | undefined, number>;
  outbox_id: number | null;
}

export interface OtpSendCountersTable {
  key: string;
  window_started_at: Timestamp;
  sent: number;
}

export interface ApplicationTables {
  application_drafts: ApplicationDraftsTable;
  otp_challenges: OtpChallengesTable;
  otp_send_counters: OtpSendCountersTable;
}

export type DraftRow = Selectable<ApplicationDraftsTable>;
export type ChallengeRow = Selectable<OtpChallengesTable>;
