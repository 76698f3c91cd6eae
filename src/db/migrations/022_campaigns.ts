// GOV-3, GOV-4 (issue 14): account-review campaigns (帳號清查). A definition per jurisdiction (scope,
// recurrence, deadline, default for unanswered items); each run snapshots every account in scope
// into campaign_items (one INSERT … SELECT); reviewers decide item by item or in bulk; the sign-off
// (確認簽名: method + evidence, so a certificate signature can be added later) freezes the run, the
// decisions are executed, and the report is kept with its SHA-256 (also in the audit trail).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('campaign_definitions')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scope_oid', 'text', (c) => c.notNull())
    .addColumn('system_code', 'text')
    .addColumn('inactive_days', 'integer')
    .addColumn('recurrence', 'text', (c) => c.notNull().check(sql`recurrence in ('quarterly','half_yearly','one_off')`))
    .addColumn('deadline_days', 'integer', (c) => c.notNull())
    .addColumn('default_action', 'text', (c) => c.notNull().check(sql`default_action in ('no_change','disable','recommendation')`))
    // The next scheduled run (the campaigns.generate job starts it); null: none (one-off, started).
    .addColumn('next_run_at', 'timestamptz')
    .addColumn('created_by', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX campaign_definitions_scope ON campaign_definitions ((scope_oid COLLATE "C"))`.execute(db);
  await db.schema.createIndex('campaign_definitions_due').on('campaign_definitions').column('next_run_at').execute();

  await db.schema.createTable('campaign_runs')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('definition_id', 'bigint', (c) => c.notNull().references('campaign_definitions.id'))
    // The definition as it was when the run started.
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scope_oid', 'text', (c) => c.notNull())
    .addColumn('system_code', 'text')
    .addColumn('inactive_days', 'integer')
    .addColumn('default_action', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('started_by', 'bigint')
    .addColumn('deadline_at', 'timestamptz', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open','signed','executed')`))
    .addColumn('item_count', 'integer', (c) => c.notNull().defaultTo(0))
    // 確認簽名: who, when, how ('password' now; 'certificate' later) and the evidence of that method.
    .addColumn('signed_by', 'bigint')
    .addColumn('signed_at', 'timestamptz')
    .addColumn('sign_method', 'text', (c) => c.check(sql`sign_method in ('password','certificate')`))
    .addColumn('sign_evidence', 'jsonb')
    .addColumn('executed_at', 'timestamptz')
    // GOV-5: when the reminder before the deadline went out, when the overdue run was escalated.
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('escalated_at', 'timestamptz')
    .addColumn('report_csv', 'text')
    .addColumn('report_sha256', 'text')
    .execute();
  await db.schema.createIndex('campaign_runs_definition').on('campaign_runs').column('definition_id').execute();

  await db.schema.createTable('campaign_items')
    .addColumn('run_id', 'bigint', (c) => c.notNull().references('campaign_runs.id'))
    .addColumn('account_id', 'bigint', (c) => c.notNull())
    // The snapshot: the account as it was at the start of the run.
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit_oid', 'text', (c) => c.notNull())
    .addColumn('unit_name', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('roles', sql`text[]`, (c) => c.notNull())
    .addColumn('grants', sql`text[]`, (c) => c.notNull())
    .addColumn('last_password_at', 'timestamptz')
    .addColumn('last_certificate_at', 'timestamptz')
    .addColumn('last_passkey_at', 'timestamptz')
    // What inactivity counts from (last sign-in, else activation, else creation) and the policy's verdict.
    .addColumn('basis_at', 'timestamptz', (c) => c.notNull())
    .addColumn('inactive', 'boolean', (c) => c.notNull())
    .addColumn('recommendation', 'text', (c) => c.notNull().check(sql`recommendation in ('keep','disable')`))
    .addColumn('decision', 'text', (c) => c.check(sql`decision in ('keep','disable','delete','remove_role')`))
    .addColumn('decision_role', 'text')
    .addColumn('reason', 'text')
    .addColumn('decided_by', 'bigint')
    .addColumn('decided_at', 'timestamptz')
    // After the sign-off: what was carried out ('disabled', 'deleted', 'role_removed', 'unchanged', 'failed: …').
    .addColumn('outcome', 'text')
    .addPrimaryKeyConstraint('campaign_items_pk', ['run_id', 'account_id'])
    .execute();
  await sql`CREATE INDEX campaign_items_unit ON campaign_items (run_id, (unit_oid COLLATE "C"))`.execute(db);
}
