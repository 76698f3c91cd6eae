// SSO-6 (issue 13): SCIM bearer tokens. Each is issued for one application system by an
// administrator, bound to a jurisdiction OID (inside the issuer's) and the system's category;
// stored by SHA-256 only, listed, revoked, never reissued.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('scim_tokens')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('system_code', 'text', (c) => c.notNull().references('application_systems.code').onDelete('cascade'))
    .addColumn('jurisdiction_oid', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'bigint', (c) => c.notNull().references('accounts.id'))
    // SHA-256 of the token: 256 random bits, so a fast hash cannot be reversed by guessing.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('scim_tokens_system').on('scim_tokens').columns(['system_code', 'jurisdiction_oid']).execute();
}
