// Tables of portal and announcements (SSO-4, SSO-5).
import type { Kysely } from 'kysely';

export async function up(_db: Kysely<any>): Promise<void> {
}
