// Tables of request engine (REQ-2..5).
import type { Kysely } from 'kysely';

export async function up(_db: Kysely<any>): Promise<void> {
}
