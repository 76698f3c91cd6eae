// Issue 14 (seed 002 五(七)): account usage rules (帳號使用規則) published per subtree in versions;
// every account holder under it acknowledges the current version at their next sign-in; a session
// carries whether that is still owed, as it carries a forced password change.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('usage_rules')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('oid', 'text', (c) => c.notNull().references('orgs.oid'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('published_at', 'timestamptz', (c) => c.notNull())
    .addColumn('published_by', 'integer')
    .addUniqueConstraint('usage_rules_oid_version', ['oid', 'version'])
    .execute();
  await db.schema.createTable('usage_rule_acceptances')
    .addColumn('account_id', 'integer', (c) => c.notNull())
    .addColumn('rule_id', 'integer', (c) => c.notNull().references('usage_rules.id'))
    .addColumn('accepted_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_rule_acceptances_pk', ['account_id', 'rule_id'])
    .execute();
  await sql`ALTER TABLE sessions ADD COLUMN must_accept_rules boolean NOT NULL DEFAULT false`.execute(db);
}
