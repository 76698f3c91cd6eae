// Tables of account applications and one-time codes (REQ-1, AUTH-6).
import type { Kysely } from 'kysely';

export async function up(_db: Kysely<any>): Promise<void> {
}
