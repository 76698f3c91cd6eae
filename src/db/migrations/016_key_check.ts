// Issue 15 (OPS-2): a keyed check value of TESSERA_SECRET_KEY, written at the first start. An
// instance started with another key (a restored database, a mistyped key) is refused at start and
// /readyz reports it, instead of answering 500 on every page that decrypts or finding nothing.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('key_check')
    // One row: an HMAC, under the key, of a fixed text; it tells nothing about the key itself.
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('check_value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
}
