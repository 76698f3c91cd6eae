// Foundation schema: organisations, policies, accounts, credentials, sessions, throttles, captchas,
// administration grants and the chained audit trail.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);

  await db.schema.createTable('orgs')
    .addColumn('oid', 'text', (c) => c.primaryKey())
    .addColumn('parent_oid', 'text', (c) => c.references('orgs.oid').onUpdate('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('agency_code', 'text')
    .addColumn('tenant_code', 'text', (c) => c.unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('agency','unit','school','other')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('orgs_parent').on('orgs').column('parent_oid').execute();
  await db.schema.createIndex('orgs_agency_code').on('orgs').column('agency_code').execute();
  // text_pattern_ops makes "oid LIKE 'prefix.%'" an index range scan (jurisdiction and prefix look-ups).
  await sql`CREATE INDEX orgs_oid_pattern ON orgs (oid text_pattern_ops)`.execute(db);
  await sql`CREATE INDEX orgs_name_trgm ON orgs USING gin (name gin_trgm_ops)`.execute(db);

  await db.schema.createTable('policies')
    .addColumn('oid', 'text', (c) => c.primaryKey().references('orgs.oid').onUpdate('cascade').onDelete('cascade'))
    .addColumn('settings', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.createTable('accounts')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('username_norm', 'text', (c) => c.notNull().unique())
    .addColumn('unit_oid', 'text', (c) => c.notNull().references('orgs.oid').onUpdate('cascade'))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending','not_activated','enabled','disabled','deleted')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('national_id_enc', 'text')
    .addColumn('national_id_hmac', 'text')
    .addColumn('birth_month', 'smallint')
    .addColumn('birth_day', 'smallint')
    .addColumn('email', 'text')
    .addColumn('mobile', 'text')
    .addColumn('title', 'text')
    .addColumn('department', 'text')
    .addColumn('address', 'text')
    .addColumn('office_phone', 'text')
    .addColumn('office_ext', 'text')
    .addColumn('fax', 'text')
    .addColumn('staff_code', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('activated_at', 'timestamptz')
    .addColumn('last_password_login_at', 'timestamptz')
    .addColumn('last_certificate_login_at', 'timestamptz')
    .execute();
  await sql`CREATE INDEX accounts_unit_pattern ON accounts (unit_oid text_pattern_ops)`.execute(db);
  await db.schema.createIndex('accounts_national_id_hmac').on('accounts').column('national_id_hmac').execute();

  await db.schema.createTable('passwords')
    .addColumn('account_id', 'bigint', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('set_at', 'timestamptz', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('password','initial','one_day')`))
    .addColumn('must_change', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('expires_at', 'timestamptz')
    .execute();

  await db.schema.createTable('password_history')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('set_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('password_history_account').on('password_history').columns(['account_id', 'set_at']).execute();

  await db.schema.createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('absolute_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('idle_seconds', 'integer', (c) => c.notNull())
    .addColumn('auth_method', 'text', (c) => c.notNull())
    .addColumn('must_change_password', 'boolean', (c) => c.notNull().defaultTo(false))
    // The account's previous password login, shown on the home page as "last login" (ACC-6).
    .addColumn('previous_login_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();

  await db.schema.createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .execute();

  await db.schema.createTable('captchas')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('answer_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();

  await db.schema.createTable('admin_grants')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('central','registration_admin','main_account','unit_supervisor','helpdesk')`))
    .addColumn('jurisdiction_oid', 'text', (c) => c.notNull())
    .addColumn('categories', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('admin_grants_account').on('admin_grants').column('account_id').execute();

  await db.schema.createTable('audit_events')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_account_id', 'bigint')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('org_oid', 'text')
    .addColumn('ip', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
  await db.schema.createIndex('audit_events_actor').on('audit_events').column('actor_account_id').execute();
}
