// Expired captchas are swept from the login page's path; the sweep must not scan the table.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('captchas_expires_at').on('captchas').column('expires_at').execute();
}
