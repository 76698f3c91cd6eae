// Issue 12 (INC-6, INC-7, INC-9): what incident statistics, drills, profile choice and the
// critical-infrastructure notice need. Each clock's anchor, due and meeting time as last computed
// from the events (rewritten with every event; statistics group them in SQL, the pages still compute
// clocks from the events); the incident's type (category), its drill kind, the critical-
// infrastructure groups it affects; per agency, the extra deadline profiles it may choose.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE incidents ADD COLUMN category text`.execute(db);
  await sql`ALTER TABLE incidents ADD COLUMN drill_kind text CHECK (drill_kind IN ('notification', 'social_engineering'))`.execute(db);
  await sql`ALTER TABLE incidents ADD COLUMN ci_groups text[] NOT NULL DEFAULT '{}'::text[]`.execute(db);
  await sql`ALTER TABLE org_incident_settings ADD COLUMN allowed_profiles text[] NOT NULL DEFAULT '{}'::text[]`.execute(db);
  await db.schema.createTable('incident_clock_outcomes')
    .addColumn('incident_id', 'bigint', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('anchor_at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('met_at', 'timestamptz')
    .addPrimaryKeyConstraint('incident_clock_outcomes_pk', ['incident_id', 'profile_id', 'rule_id'])
    .execute();
  await sql`CREATE INDEX incidents_drill_stats ON incidents (reported_at) WHERE state <> 'draft' AND drill`.execute(db);
}
