// Tables of single sign-on (SSO-1..3): one OpenID Connect client per application system, and the
// consents users gave to each system. The provider's own models (sessions, codes, tokens, grants,
// interactions) and the signing keys are added below by the provider's adapter.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('sso_clients')
    // The client_id is the application system's code: one client per system.
    .addColumn('system_code', 'text', (c) => c.primaryKey().references('application_systems.code').onDelete('cascade'))
    // client_secret_basic/_post need the secret itself to compare: kept encrypted (Keyring), never plain.
    .addColumn('secret_enc', 'text')
    .addColumn('auth_method', 'text', (c) => c.notNull().defaultTo('client_secret_basic'))
    .addColumn('jwks', 'jsonb') // private_key_jwt: the client's public keys
    .addColumn('redirect_uris', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('post_logout_redirect_uris', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('backchannel_logout_uri', 'text')
    // Where the portal tile sends the user: the system starts its own login from there (OIDC third-party-initiated login).
    .addColumn('initiate_login_uri', 'text')
    .addColumn('grant_types', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{authorization_code,refresh_token}'`))
    .addColumn('certificate_required', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema.createTable('sso_consents')
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('system_code', 'text', (c) => c.notNull().references('application_systems.code').onDelete('cascade'))
    .addColumn('claims', sql`text[]`, (c) => c.notNull()) // the claim names released
    .addColumn('granted_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('sso_consents_pk', ['account_id', 'system_code'])
    .execute();
  await db.schema.createIndex('sso_consents_system').on('sso_consents').columns(['system_code', 'account_id']).execute();
}
