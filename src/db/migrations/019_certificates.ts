// Citizen-certificate sign-in (AUTH-8, ACC-6): trust anchors and intermediates configured by the
// central authority, certificates bound to accounts (憑證註冊), revoked serials from verified CRLs
// indexed by (issuer key id, serial) so every instance shares them and sign-in reads one row, the
// state of each CRL, a cache of OCSP answers, and the challenge table widened to certificate
// ceremonies (one table of single-use sign-in challenges for passkeys and certificates).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('cert_trust')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('anchor', 'intermediate')`))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    // Hex key identifiers: MOICA G2 and G3 share a subject DN and differ only by these.
    .addColumn('subject_key_id', 'text', (c) => c.notNull().unique())
    .addColumn('authority_key_id', 'text', (c) => c.notNull())
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('der', 'bytea', (c) => c.notNull())
    .addColumn('not_after', 'timestamptz', (c) => c.notNull())
    // Where its CRL is fetched when the certificates' distribution point is not to be used.
    .addColumn('crl_url', 'text')
    // The distribution point named by the certificates it issued (learned at registration).
    .addColumn('crl_dp', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
    .execute();

  await db.schema.createTable('cert_bindings')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('issuer_key_id', 'text', (c) => c.notNull())
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('subject_key_id', 'text', (c) => c.notNull())
    .addColumn('thumbprint', 'text', (c) => c.notNull().unique())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('common_name', 'text', (c) => c.notNull())
    .addColumn('not_after', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_used_at', 'timestamptz')
    .addUniqueConstraint('cert_bindings_issuer_serial', ['issuer_key_id', 'serial'])
    .execute();
  await db.schema.createIndex('cert_bindings_account').on('cert_bindings').column('account_id').execute();

  await db.schema.createTable('cert_revoked')
    .addColumn('issuer_key_id', 'text', (c) => c.notNull())
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addPrimaryKeyConstraint('cert_revoked_pk', ['issuer_key_id', 'serial'])
    .execute();

  await db.schema.createTable('cert_crls')
    .addColumn('issuer_key_id', 'text', (c) => c.primaryKey())
    .addColumn('crl_number', 'text')
    .addColumn('this_update', 'timestamptz', (c) => c.notNull())
    .addColumn('next_update', 'timestamptz')
    .addColumn('entries', 'integer', (c) => c.notNull())
    .addColumn('source_url', 'text', (c) => c.notNull())
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema.createTable('cert_ocsp_cache')
    .addColumn('issuer_key_id', 'text', (c) => c.notNull())
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('good', 'revoked', 'unknown')`))
    .addColumn('produced_at', 'timestamptz', (c) => c.notNull())
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('cert_ocsp_cache_pk', ['issuer_key_id', 'serial'])
    .execute();

  await sql`ALTER TABLE passkey_challenges DROP CONSTRAINT IF EXISTS passkey_challenges_purpose_check`.execute(db);
  await sql`ALTER TABLE passkey_challenges ADD CONSTRAINT passkey_challenges_purpose_check CHECK (purpose IN ('register', 'login', 'cert-login', 'cert-register'))`.execute(db);
}
