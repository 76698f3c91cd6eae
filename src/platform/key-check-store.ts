// SQL of the keyed check value of TESSERA_SECRET_KEY (issue 15, migration 016): one row.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';

/** The stored check value; undefined before the first start. */
export async function storedKeyCheck(db: Db): Promise<string | undefined> {
  const r = await sql<{ check_value: string }>`SELECT check_value FROM key_check WHERE id = 1`.execute(db);
  return r.rows[0]?.check_value;
}

/** Stores the value unless one is there (instances starting together: one row wins). */
export async function insertKeyCheckIfAbsent(db: Db, value: string, now: Date): Promise<void> {
  await sql`INSERT INTO key_check (id, check_value, created_at) VALUES (1, ${value}, ${now}) ON CONFLICT (id) DO NOTHING`.execute(db);
}
