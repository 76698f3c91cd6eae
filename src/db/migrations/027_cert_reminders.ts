// Issue 11 (GOV-5, AUTH-8): one certificate-expiry reminder per registered certificate, claimed by
// an INSERT … ON CONFLICT DO NOTHING in the transaction that writes the mail (as 023_reminders).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('cert_expiry_reminders')
    .addColumn('binding_id', 'integer', (c) => c.primaryKey().references('cert_bindings.id').onDelete('cascade'))
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .execute();
}
