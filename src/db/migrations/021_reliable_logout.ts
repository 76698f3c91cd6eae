// Issue 13 (SSO-2): back-channel logout goes through the outbox (retried, never lost), and each
// provider session is linked to the Tessera session it was signed in with, so that the provider
// session ends — and the systems are told — when the Tessera session ends by idle or absolute
// timeout, or when its account is disabled or deleted.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE outbox DROP CONSTRAINT outbox_channel_check`.execute(db);
  await sql`ALTER TABLE outbox ADD CONSTRAINT outbox_channel_check CHECK (channel IN ('mail', 'sms', 'backchannel'))`.execute(db);
  await db.schema.createTable('sso_session_links')
    // The provider's Session id (its cookie value), the Tessera session's id hash and its account.
    .addColumn('op_session_id', 'text', (c) => c.primaryKey())
    .addColumn('session_id_hash', 'text', (c) => c.notNull())
    .addColumn('account_id', 'integer', (c) => c.notNull())
    .addColumn('linked_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sso_session_links_session').on('sso_session_links').column('session_id_hash').execute();
}
