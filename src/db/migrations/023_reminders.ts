// Issue 14 (GOV-5): reminders are sent once. Each table records what was sent for what, written in
// the transaction that writes the mail to the outbox, by an INSERT … ON CONFLICT DO NOTHING that
// only one instance's job can win.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One reminder per password: the account and when that password was set.
  await db.schema.createTable('password_reminders')
    .addColumn('account_id', 'integer', (c) => c.notNull())
    .addColumn('set_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('password_reminders_pk', ['account_id', 'set_at'])
    .execute();
  // The approvers of a request's step were told it reached them.
  await db.schema.createTable('request_step_notices')
    .addColumn('request_id', 'integer', (c) => c.notNull())
    .addColumn('step_no', 'integer', (c) => c.notNull())
    .addColumn('recipients', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('request_step_notices_pk', ['request_id', 'step_no'])
    .execute();
  // One digest of waiting requests per approver per Taipei day.
  await db.schema.createTable('approval_digests')
    .addColumn('account_id', 'integer', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('approval_digests_pk', ['account_id', 'day'])
    .execute();
}
