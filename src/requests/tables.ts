// Tables of the request engine, review queue and history (REQ-2..6) (Kysely types). Merged into the Database interface in src/db/types.ts.
import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface RequestsTable {
  id: Generated<number>;
  type: string;
  org_oid: string;
  requester_account_id: number | null;
  subject_account_id: number | null;
  systems: ColumnType<string[], string[] | undefined, string[]>;
  categories: ColumnType<string[], string[] | undefined, string[]>;
  payload: ColumnType<Record<string, unknown>, string, string>;
  /** pending → (approved, waiting for its effective date →) completed | failed; or rejected / withdrawn. */
  status: string;
  step_no: ColumnType<number, number | undefined, number>;
  step_kind: string | null;
  effective_date: string | null;
  lang: ColumnType<string, string | undefined, string>;
  submitted_at: Timestamp;
  closed_at: Timestamp | null;
  executed_at: Timestamp | null;
  error: string | null;
}

/** A request as read from the table. */
export type RequestRow = Selectable<RequestsTable>;

export type RequestStatus = 'pending' | 'approved' | 'completed' | 'rejected' | 'withdrawn' | 'failed';

export interface RequestDecisionsTable {
  id: Generated<number>;
  request_id: number;
  step_no: number;
  step_kind: string;
  decision: string;
  decided_by: number | null;
  decider_name: string;
  comment: ColumnType<string, string | undefined, string>;
  decided_at: Timestamp;
}

export interface RequestTables {
  requests: RequestsTable;
  request_decisions: RequestDecisionsTable;
}
