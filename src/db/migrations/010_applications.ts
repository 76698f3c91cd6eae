// Tables of account applications and one-time codes (REQ-1, AUTH-6). An application in progress is
// a draft row found by the hash of an opaque cookie; what the applicant typed is sealed
// (AES-256-GCM) in it, and the whole row, its codes and their outbox messages go when it expires.
// Nothing here is an account: the account is created only when the application is submitted.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('application_drafts')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // Keyed hash of the cookie's token: a copy of the database does not let anyone resume a draft.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    // 'new': a new account's application; 'contact': an existing contact's sign-in (seed 000 step 3).
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('new','contact')`))
    .addColumn('org_oid', 'text', (c) => c.notNull().references('orgs.oid').onUpdate('cascade').onDelete('cascade'))
    // The contact whose identity is being checked; NULL when the typed details matched no one.
    .addColumn('contact_account_id', 'bigint', (c) => c.references('accounts.id').onDelete('cascade'))
    .addColumn('data_enc', 'text', (c) => c.notNull())
    .addColumn('email_verified_at', 'timestamptz')
    .addColumn('mobile_verified_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // The sweep deletes by expiry: an index range, not a table scan.
  await db.schema.createIndex('application_drafts_expires').on('application_drafts').column('expires_at').execute();

  await db.schema.createTable('otp_challenges')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('draft_id', 'bigint', (c) => c.notNull().references('application_drafts.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('mail','sms')`))
    // Keyed HMAC of draft, channel and code: 10⁶ codes are guessed from a plain hash at once.
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // The message that carried the code: deleted with the draft (it holds the code and the address).
    .addColumn('outbox_id', 'bigint')
    .execute();
  await db.schema.createIndex('otp_challenges_draft').on('otp_challenges').columns(['draft_id', 'channel', 'created_at']).execute();

  // Codes sent per destination and per client address in a fixed window (anti-spam), keyed by HMAC.
  await db.schema.createTable('otp_send_counters')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('otp_send_counters_window').on('otp_send_counters').column('window_started_at').execute();
}
