// Tables of the request engine (REQ-2..6): one row per request, one row per decided step.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('requests')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // A RequestTypeCode; its steps and executor are declared in src/requests/types/, not stored.
    .addColumn('type', 'text', (c) => c.notNull())
    // Whose organisation decides: approvers' jurisdictions must cover it (REQ-4).
    .addColumn('org_oid', 'text', (c) => c.notNull().references('orgs.oid').onUpdate('cascade'))
    // NULL: an applicant without an enabled account (account_application).
    .addColumn('requester_account_id', 'bigint', (c) => c.references('accounts.id').onDelete('set null'))
    // The account the request changes (the applicant's pending account, the user whose role changes …).
    .addColumn('subject_account_id', 'bigint', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('systems', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    // The systems' categories when submitted: what an administrator's grant must cover (ADM-2).
    .addColumn('categories', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('status', 'text', (c) => c.notNull()
      .check(sql`status IN ('pending', 'approved', 'completed', 'rejected', 'withdrawn', 'failed')`))
    // The step waiting for a decision (1-based) and who decides it; step_kind is NULL once the request is closed.
    .addColumn('step_no', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('step_kind', 'text', (c) => c.check(sql`step_kind IN ('supervisor', 'administrator', 'central')`))
    // REQ-6 離職或異動日 (Taipei calendar day, YYYY-MM-DD): approved ahead, executed on that day.
    .addColumn('effective_date', 'text', (c) => c.check(sql`effective_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    // The requester's language, for the mail sent at each decision.
    .addColumn('lang', 'text', (c) => c.notNull().defaultTo('zh-TW'))
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('executed_at', 'timestamptz')
    // Why a scheduled execution failed (a message key), for the details page.
    .addColumn('error', 'text')
    .execute();
  // The review queues read pending requests by step kind; "my requests" by requester; the REQ-2
  // permission page by subject.
  await db.schema.createIndex('requests_pending').on('requests').columns(['step_kind', 'org_oid'])
    .where(sql.ref('status'), '=', 'pending').execute();
  await db.schema.createIndex('requests_requester').on('requests').columns(['requester_account_id', 'id']).execute();
  await db.schema.createIndex('requests_subject').on('requests').columns(['subject_account_id', 'type']).execute();
  await db.schema.createIndex('requests_due').on('requests').column('effective_date')
    .where(sql.ref('status'), '=', 'approved').execute();

  await db.schema.createTable('request_decisions')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('request_id', 'bigint', (c) => c.notNull().references('requests.id').onDelete('cascade'))
    .addColumn('step_no', 'integer', (c) => c.notNull())
    .addColumn('step_kind', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision IN ('approved', 'rejected')`))
    .addColumn('decided_by', 'bigint', (c) => c.references('accounts.id').onDelete('set null'))
    // The decider's name when deciding: the history (REQ-5) keeps it even if the account is later erased.
    .addColumn('decider_name', 'text', (c) => c.notNull())
    // 審查說明
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull())
    // Two approvers deciding the same step at once: the database keeps exactly one decision.
    .addUniqueConstraint('request_decisions_one_per_step', ['request_id', 'step_no'])
    .execute();
}
