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
    // ES256 by default (fast); RS256 for relying parties whose libraries know nothing else.
    .addColumn('id_token_signed_response_alg', 'text', (c) => c.notNull().defaultTo('ES256'))
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

  // Every artefact oidc-provider persists (Session, Interaction, AuthorizationCode, AccessToken,
  // RefreshToken, ClientCredentials, Grant, ReplayDetection, …) in one table, so any instance can
  // continue any flow. The looked-up fields are columns; the rest stays in the payload.
  await db.schema.createTable('oidc_models')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('grant_id', 'text')
    .addColumn('uid', 'text') // Session: the uid its tokens refer to
    .addColumn('user_code', 'text')
    .addColumn('account_id', 'text') // Grant and Session: consent revocation and logout find them by account
    .addColumn('client_id', 'text')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('consumed_at', 'timestamptz')
    .addPrimaryKeyConstraint('oidc_models_pk', ['model', 'id'])
    .execute();
  await sql`CREATE INDEX oidc_models_grant ON oidc_models (grant_id) WHERE grant_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX oidc_models_uid ON oidc_models (uid) WHERE uid IS NOT NULL`.execute(db);
  await sql`CREATE INDEX oidc_models_user_code ON oidc_models (user_code) WHERE user_code IS NOT NULL`.execute(db);
  await sql`CREATE INDEX oidc_models_account ON oidc_models (account_id, client_id) WHERE account_id IS NOT NULL`.execute(db);
  // The sweep deletes expired rows a few hundred at a time through this index.
  await sql`CREATE INDEX oidc_models_expiry ON oidc_models (expires_at) WHERE expires_at IS NOT NULL`.execute(db);

  // Token signing keys (SSO-2 JWKS rotation): private part encrypted with the Keyring. A key signs
  // from activates_at until a newer key of its algorithm activates, and is published until its
  // tokens have expired (docs/decisions.md).
  await db.schema.createTable('sso_signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('private_jwk_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('activates_at', 'timestamptz', (c) => c.notNull())
    .execute();
}
