// The database: embedded PGlite (default) or PostgreSQL via pg when DATABASE_URL is set.
// One SQL dialect either way; migrations are forward-only and run at start.
import fs from 'node:fs';
import { Kysely, PostgresDialect, PGliteDialect } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import type { Database } from './types.ts';
import * as m001 from './migrations/001_foundation.ts';

export type Db = Kysely<Database>;

const migrations: Record<string, Migration> = {
  '001_foundation': m001,
};

export interface DbOptions {
  databaseUrl?: string;
  /** Directory for PGlite; undefined → in-memory (tests). */
  dataDir?: string;
  poolSize?: number;
}

export async function openDb(opts: DbOptions): Promise<Db> {
  if (opts.databaseUrl) {
    const pg = await import('pg');
    // bigint (int8) ids and counters fit in a JS number for any realistic count.
    pg.default.types.setTypeParser(20, (v: string) => Number(v));
    const pool = new pg.default.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const { PGlite, types } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  if (opts.dataDir) fs.mkdirSync(opts.dataDir, { recursive: true });
  const pglite = await PGlite.create(opts.dataDir ?? 'memory://', {
    extensions: { pg_trgm },
    parsers: { [types.INT8]: (v: string) => Number(v) },
  });
  return new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
}

export function migrator(db: Db): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

export async function migrate(db: Db): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every known migration has been applied (readiness). */
export async function migrationsCurrent(db: Db): Promise<boolean> {
  const list = await migrator(db).getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}
