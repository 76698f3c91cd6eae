// Tables of the portal home and announcements (SSO-4, SSO-5, ACC-6) (Kysely types; migration 008). Merged into the Database interface in src/db/types.ts.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type Audience = 'guest' | 'member';

export interface AnnouncementsTable {
  id: Generated<number>;
  audience: Audience;
  system_code: string | null;
  title: string;
  body: string;
  author_account_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp | null;
  updated_by: number | null;
  deleted_at: Timestamp | null;
}

export interface PortalTables {
  announcements: AnnouncementsTable;
}
