// GOV-3, GOV-4, OPS-7 (issue 14, second slice): account-review campaigns — the signed report as a
// PDF and the D-06-20 form (kept with their SHA-256), holder attestation (every account holder
// confirms their own account, unit and roles, or reports what is wrong: seed 002), and execution of
// the signed decisions as a job whose progress (items done / total) is kept on the run.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('campaign_definitions')
    .addColumn('attestation', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  await db.schema.alterTable('campaign_runs')
    .addColumn('attestation', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  // Execution by the campaigns.execute job: how many items are carried out so far.
  await db.schema.alterTable('campaign_runs')
    .addColumn('executed_items', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // …under a lease (the outbox's pattern): one instance carries a run out; a dead one's lease lapses and another resumes.
  await db.schema.alterTable('campaign_runs').addColumn('execute_lease_until', 'timestamptz').execute();
  await db.schema.alterTable('campaign_runs').addColumn('execute_instance', 'text').execute();
  // The signed report (PDF, Traditional Chinese) and the D-06-20 form, as served, with their SHA-256.
  await db.schema.alterTable('campaign_runs').addColumn('report_pdf', 'bytea').execute();
  await db.schema.alterTable('campaign_runs').addColumn('report_pdf_sha256', 'text').execute();
  await db.schema.alterTable('campaign_runs').addColumn('form_pdf', 'bytea').execute();
  await db.schema.alterTable('campaign_runs').addColumn('form_pdf_sha256', 'text').execute();
  // The holder's own answer (確認): 'confirmed' or 'reported' (with what is wrong), and when.
  await db.schema.alterTable('campaign_items')
    .addColumn('attestation', 'text', (c) => c.check(sql`attestation in ('confirmed','reported')`)).execute();
  await db.schema.alterTable('campaign_items').addColumn('attestation_note', 'text').execute();
  await db.schema.alterTable('campaign_items').addColumn('attested_at', 'timestamptz').execute();
  // The snapshot of a large review is one INSERT … SELECT, and every index and foreign key of
  // campaign_items is paid per row (bench/governance: the run_id foreign key's trigger alone took a
  // fifth of the statement). Items are written only by that statement, for the run it has just
  // inserted, and never deleted, so the foreign key guards nothing; and one unique index on
  // (account_id, run_id) serves both the key's look-ups and a holder's attestations, where the
  // primary key on (run_id, account_id) and a second index would be kept up twice.
  await sql`ALTER TABLE campaign_items DROP CONSTRAINT IF EXISTS campaign_items_run_id_fkey`.execute(db);
  await sql`ALTER TABLE campaign_items DROP CONSTRAINT IF EXISTS campaign_items_pk`.execute(db);
  await db.schema.createIndex('campaign_items_account').on('campaign_items').columns(['account_id', 'run_id']).unique().execute();
}
