// Delegated administration (ADM, SSO-1): the application-system and role registry, role grants,
// and personal API tokens. Administration grants themselves are in 001 (admin_grants).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('application_systems')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    // 系統類別: what an administration grant's categories refer to (ADM-2).
    .addColumn('category', 'text', (c) => c.notNull())
    // e.g. {"certificateRequired": true}; later flags need no migration.
    .addColumn('flags', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('application_systems_category').on('application_systems').column('category').execute();

  await db.schema.createTable('roles')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('system_code', 'text', (c) => c.notNull().references('application_systems.code').onUpdate('cascade'))
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('roles_system').on('roles').column('system_code').execute();

  await db.schema.createTable('role_grants')
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('role_code', 'text', (c) => c.notNull().references('roles.code').onUpdate('cascade'))
    // NULL: given by the operator's CLI or an import, not by an administrator's account.
    .addColumn('granted_by', 'bigint', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('granted_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('role_grants_account_role', ['account_id', 'role_code'])
    .execute();
  // "Who holds this role" (administrators of a system per agency, ADM-6) reads by role.
  await db.schema.createIndex('role_grants_role').on('role_grants').column('role_code').execute();

  await db.schema.createTable('api_tokens')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    // SHA-256 of the token: it has 256 random bits, so a fast hash cannot be reversed by guessing.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('api_tokens_account').on('api_tokens').column('account_id').execute();

  // Name-keyword search (ADM-4) is ILIKE '%kw%': a trigram index serves it on large registries.
  await sql`CREATE INDEX accounts_name_trgm ON accounts USING gin (name gin_trgm_ops)`.execute(db);
}
