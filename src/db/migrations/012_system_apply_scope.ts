// Which subtrees may apply for an application system's roles (SSO-1, REQ-1, issue 9 item 14): one
// row per system and subtree root OID. A system without rows is offered to nobody on /apply.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('system_apply_scope')
    .addColumn('system_code', 'text', (c) => c.notNull().references('application_systems.code').onUpdate('cascade').onDelete('cascade'))
    // A subtree root, not necessarily a registered node (the national root 2.16.886 is none).
    .addColumn('subtree_oid', 'text', (c) => c.notNull().check(sql`subtree_oid ~ '^[0-9]+(\\.[0-9]+)*$'`))
    .addPrimaryKeyConstraint('system_apply_scope_pk', ['system_code', 'subtree_oid'])
    .execute();
  // Systems registered before this migration keep being offered where they were, everywhere,
  // except the school systems (category shs, seed 001), which only schools apply for.
  await sql`INSERT INTO system_apply_scope (system_code, subtree_oid)
    SELECT code, CASE WHEN category = 'shs' THEN '2.16.886.111' ELSE '2.16.886' END FROM application_systems`.execute(db);
}
