// Issue 12 (INC-1..INC-9): the security-incident capability. The incident system (資通安全事件通報應變)
// and its roles, so that reporters, reviewers, the technical centre and the national office are role
// grants like any other (INC-8); which organisation is a competent authority (主管機關) as data on the
// tree; the contacts registry's own facts (dedicated staff, last confirmed); incidents with their
// draft fields; their append-only events, from which the clocks are computed (never stored); the
// escalations sent, one row per breached clock so that two instances never send twice; and the
// earliest open due time per incident, kept for the "what is overdue now" query.
import { sql, type Kysely } from 'kysely';

const NATIONAL_ROOT = '2.16.886';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`INSERT INTO application_systems (code, name_zh, name_en, category, owner_oid)
    VALUES ('incidents', '資通安全事件通報應變', 'Security incident notification and response', 'incidents', ${NATIONAL_ROOT})
    ON CONFLICT (code) DO NOTHING`.execute(db);
  await sql`INSERT INTO roles (code, system_code, name_zh, name_en) VALUES
    ('incident_security_contact', 'incidents', '資安聯絡人', 'Security contact'),
    ('incident_it_chief', 'incidents', '資訊主管', 'IT chief'),
    ('incident_ciso', 'incidents', '資安長', 'Chief information security officer'),
    ('incident_reviewer', 'incidents', '資安審核人', 'Security reviewer'),
    ('incident_centre_analyst', 'incidents', '技術服務中心分析人員', 'Technical service centre analyst'),
    ('incident_national_office', 'incidents', '資通安全防護組', 'National cyber security office')
    ON CONFLICT (code) DO NOTHING`.execute(db);

  // 主管機關 (INC-8): a flag, and an explicit authority that overrides the nearest marked ancestor.
  await db.schema.createTable('org_incident_settings')
    .addColumn('oid', 'text', (c) => c.primaryKey().references('orgs.oid').onUpdate('cascade').onDelete('cascade'))
    .addColumn('is_competent_authority', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('competent_authority_oid', 'text', (c) => c.references('orgs.oid').onUpdate('cascade').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX org_incident_settings_ca ON org_incident_settings (oid) WHERE is_competent_authority`.execute(db);

  // INC-1: what the registry knows beyond the role grant (dedicated security staff), per holder and role.
  await db.schema.createTable('incident_contacts')
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('role_code', 'text', (c) => c.notNull().references('roles.code').onUpdate('cascade'))
    .addColumn('dedicated', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_contacts_pk', ['account_id', 'role_code'])
    .execute();
  // INC-1: per agency, when its contacts were last confirmed and last reminded.
  await db.schema.createTable('incident_contact_confirmations')
    .addColumn('org_oid', 'text', (c) => c.primaryKey().references('orgs.oid').onUpdate('cascade').onDelete('cascade'))
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('confirmed_by', 'bigint', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('reminded_at', 'timestamptz')
    .execute();

  await db.schema.createTable('incidents')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('org_oid', 'text', (c) => c.notNull().references('orgs.oid').onUpdate('cascade'))
    // The competent authority when it was reported (INC-3): who reviews it, and who sees it.
    .addColumn('authority_oid', 'text', (c) => c.references('orgs.oid').onUpdate('cascade'))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('draft','open','closed')`))
    .addColumn('level', 'smallint', (c) => c.check(sql`level between 1 and 4`))
    .addColumn('drill', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('profile_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('aware_at', 'timestamptz')
    // [{"code": "csm"} | {"text": "公文系統"}]
    .addColumn('affected_systems', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('support_requested', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('other_agencies_affected', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('critical_infrastructure', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('contact_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('contact_phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('contact_email', 'text', (c) => c.notNull().defaultTo(''))
    // Report made by phone to the technical centre, awaiting the agency's back-fill.
    .addColumn('backfill_pending', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_by', 'bigint', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reported_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    // The earliest due time of an open clock (recomputed from the events after every event), for
    // the "what is overdue now" query; NULL when nothing is open. Never a source of truth.
    .addColumn('next_due_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('incidents_org').on('incidents').columns(['org_oid', 'id']).execute();
  await db.schema.createIndex('incidents_authority').on('incidents').columns(['authority_oid', 'id']).execute();
  await sql`CREATE INDEX incidents_next_due ON incidents (next_due_at) WHERE next_due_at IS NOT NULL`.execute(db);
  await sql`CREATE INDEX incidents_stats ON incidents (reported_at, level) WHERE state <> 'draft' AND NOT drill`.execute(db);

  await db.schema.createTable('incident_events')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('incident_id', 'bigint', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // When it happened (the time of awareness, the phone call); recorded_at: when it was written.
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_account_id', 'bigint', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('level', 'smallint', (c) => c.check(sql`level between 1 and 4`))
    .addColumn('reason', 'text')
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex('incident_events_incident').on('incident_events').columns(['incident_id', 'id']).execute();
  // Append-only: the events are the record the clocks are computed from.
  await sql`CREATE FUNCTION incident_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'incident_events is append-only'; END $$`.execute(db);
  await sql`CREATE TRIGGER incident_events_no_change BEFORE UPDATE OR DELETE ON incident_events
    FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION incident_events_append_only()`.execute(db);

  // INC-6: one row per breached clock; the primary key makes the escalation happen once.
  await db.schema.createTable('incident_escalations')
    .addColumn('incident_id', 'bigint', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('escalated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recipients', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_escalations_pk', ['incident_id', 'profile_id', 'rule_id', 'due_at'])
    .execute();
}
