// Tables of portal and announcements (SSO-4, SSO-5).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // 公告: guest ones are public (shown before login), member ones to signed-in accounts; a system
  // scope ties one to an application system, whose administrators manage it.
  await db.schema.createTable('announcements')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('audience', 'text', (c) => c.notNull().check(sql`audience IN ('guest', 'member')`))
    // NULL: platform-wide, managed by the central authority only.
    .addColumn('system_code', 'text', (c) => c.references('application_systems.code').onUpdate('cascade').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    // Plain text; the pages escape it and turn line breaks into <br>.
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author_account_id', 'bigint', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    // NULL until the first edit: "(已編輯)" is shown only for an edited one.
    .addColumn('updated_at', 'timestamptz')
    .addColumn('updated_by', 'bigint', (c) => c.references('accounts.id').onDelete('set null'))
    // Deleted announcements are kept (the audit trail names them) but shown nowhere.
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  // Every list is "newest first, 10 a page" over the live rows.
  await db.schema.createIndex('announcements_live').on('announcements').columns(['created_at desc', 'id desc'])
    .where(sql.ref('deleted_at'), 'is', null).execute();
  await db.schema.createIndex('announcements_system').on('announcements').column('system_code').execute();
}
