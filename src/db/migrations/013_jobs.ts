// The one job scheduler (issue 14, REQ-6, GOV-2, OPS-2): a schedule row per named job and a row
// per run, both leased like the outbox's rows, so that with any number of instances each run
// happens once and a run whose instance died is taken over when its lease lapses. And a row per
// account and inactivity period (GOV-2), so each notice is mailed and each disabling done once.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('job_schedules')
    .addColumn('name', 'text', (c) => c.primaryKey())
    // The slot the next run is for; an instance may start it once this time has come.
    .addColumn('next_run_at', 'timestamptz', (c) => c.notNull())
    // Set while a run is under way: the instance that claimed it owns the slot until lease_until.
    .addColumn('lease_until', 'timestamptz')
    .addColumn('lease_owner', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema.createTable('job_runs')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('job_name', 'text', (c) => c.notNull())
    // The slot this run carries out (for a run started by hand, the moment it was asked for).
    .addColumn('scheduled_for', 'timestamptz', (c) => c.notNull())
    // 1 for the first try of a slot; a run taken over from a dead instance is the next attempt.
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('schedule','manual')`))
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running','finished','failed','abandoned')`))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('lease_until', 'timestamptz')
    // Counts the job reports ({"completed": 3}); the error is a class and code, never personal data.
    .addColumn('counts', 'jsonb')
    .addColumn('error', 'text')
    .execute();
  // One scheduled run per slot and attempt: a second instance cannot record the same run twice.
  await sql`CREATE UNIQUE INDEX job_runs_slot ON job_runs (job_name, scheduled_for, attempt) WHERE trigger = 'schedule'`.execute(db);
  await db.schema.createIndex('job_runs_recent').on('job_runs').columns(['job_name', 'started_at']).execute();

  await db.schema.createTable('inactivity_periods')
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    // The last sign-in (or activation/creation) the period counts from: a new sign-in starts a new period.
    .addColumn('basis_at', 'timestamptz', (c) => c.notNull())
    // The moment the account becomes inactive (and is disabled, where the policy says so).
    .addColumn('inactive_at', 'timestamptz', (c) => c.notNull())
    // When the notice was mailed; when the sweep disabled it (an administrator who enables it again
    // is not overruled by the next sweep: one disabling per period).
    .addColumn('noticed_at', 'timestamptz')
    .addColumn('disabled_at', 'timestamptz')
    .addPrimaryKeyConstraint('inactivity_periods_pk', ['account_id', 'basis_at'])
    .execute();
}
