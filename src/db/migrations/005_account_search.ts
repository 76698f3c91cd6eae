// Account search at scale (ADM-4, bench/admin-search): Chinese name keywords are mostly one or
// two characters, too short for pg_trgm, so every 1- and 2-character substring of a name is kept
// in a GIN-indexed array; and a "C"-collated (unit_oid, id) index carrying state, name and the
// grams serves jurisdiction ranges in page order without touching the table.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE FUNCTION name_grams(n text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN
    ARRAY(SELECT DISTINCT substr(lower(n), i, k) FROM generate_series(1, char_length(n)) i,
          generate_series(1, 2) k WHERE i + k - 1 <= char_length(n))`.execute(db);
  await sql`ALTER TABLE accounts ADD COLUMN name_grams text[] GENERATED ALWAYS AS (name_grams(name)) STORED`.execute(db);
  await sql`CREATE INDEX accounts_name_grams ON accounts USING gin (name_grams)`.execute(db);
  await sql`CREATE INDEX accounts_unit_c ON accounts ((unit_oid COLLATE "C"), id) INCLUDE (state, name, name_grams)`.execute(db);
}
