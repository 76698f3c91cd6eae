// Passkeys (AUTH-11, ACC-6): the WebAuthn credentials registered to accounts, the one-time
// challenges of ceremonies in progress (in the database, so any instance can finish a ceremony
// another one started), and the last passkey sign-in of each account.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('passkeys')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    // base64url of the credential id, as the browser reports it; unique across all accounts.
    .addColumn('credential_id', 'text', (c) => c.notNull().unique())
    .addColumn('public_key', 'bytea', (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('transports', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('aaguid', 'text', (c) => c.notNull())
    .addColumn('backup_eligible', 'boolean', (c) => c.notNull())
    .addColumn('backup_state', 'boolean', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('passkeys_account').on('passkeys').column('account_id').execute();

  await db.schema.createTable('passkey_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('challenge', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose IN ('register', 'login')`))
    // sha256 of the browser's ceremony cookie (login) or of its session id (registration).
    .addColumn('binding_hash', 'text', (c) => c.notNull())
    .addColumn('account_id', 'integer', (c) => c.references('accounts.id').onDelete('cascade'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('passkey_challenges_expiry').on('passkey_challenges').column('expires_at').execute();

  await db.schema.alterTable('accounts').addColumn('last_passkey_login_at', 'timestamptz').execute();
}
