// The database (OPS-1, OPS-2): embedded PGlite (default) or PostgreSQL via pg when DATABASE_URL is set.
// One SQL dialect either way; migrations are forward-only and run at start.
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, PGliteDialect, sql } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import type { Database } from './types.ts';
import * as m001 from './migrations/001_foundation.ts';
import * as m002 from './migrations/002_outbox.ts';
import * as m003 from './migrations/003_admin.ts';
import * as m004 from './migrations/004_tenant.ts';
import * as m005 from './migrations/005_account_search.ts';
import * as m006 from './migrations/006_captcha_expiry.ts';
import * as m007 from './migrations/007_sso.ts';
import * as m008 from './migrations/008_portal.ts';
import * as m009 from './migrations/009_requests.ts';
import * as m010 from './migrations/010_applications.ts';
import * as m011 from './migrations/011_system_owner.ts';
import * as m012 from './migrations/012_system_apply_scope.ts';
import * as m013 from './migrations/013_jobs.ts';
import * as m014 from './migrations/014_passkeys.ts';
import * as m015 from './migrations/015_audit_seal.ts';

export type Db = Kysely<Database>;

const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_outbox': m002,
  '003_admin': m003,
  '004_tenant': m004,
  '005_account_search': m005,
  '006_captcha_expiry': m006,
  '007_sso': m007,
  '008_portal': m008,
  '009_requests': m009,
  '010_applications': m010,
  '011_system_owner': m011,
  '012_system_apply_scope': m012,
  '013_jobs': m013,
  '014_passkeys': m014,
  '015_audit_seal': m015,
};

export interface DbOptions {
  databaseUrl?: string;
  /** Directory for PGlite; undefined → in-memory (tests). */
  dataDir?: string;
  poolSize?: number;
}

/**
 * A statement whose text starts with this comment is sent to PostgreSQL as a named (prepared)
 * statement, parsed and planned once per connection instead of on every call: for the few hot
 * statements whose planning costs more than their execution (bench/oidc). Only for statements whose
 * text has a bounded set of shapes (values as parameters). PGlite ignores it.
 */
export const PREPARED = '/*prepared*/';

export async function openDb(opts: DbOptions): Promise<Db> {
  if (opts.databaseUrl) {
    const pg = await import('pg');
    const { createHash } = await import('node:crypto');
    // bigint (int8) ids and counters fit in a JS number for any realistic count.
    pg.default.types.setTypeParser(20, (v: string) => Number(v));
    class PreparingClient extends pg.default.Client {
      override query(...args: unknown[]): never {
        const [text, values, ...rest] = args;
        const query = super.query as (...a: unknown[]) => never;
        if (typeof text !== 'string' || !text.startsWith(PREPARED)) return query.apply(this, args);
        const name = `p${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
        return query.call(this, { name, text, values }, ...rest);
      }
    }
    const pool = new pg.default.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, Client: PreparingClient as never });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const release = opts.dataDir ? lockDataDir(opts.dataDir) : () => {};
  const { PGlite, types } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const pglite = await PGlite.create(opts.dataDir ?? 'memory://', {
    extensions: { pg_trgm },
    parsers: { [types.INT8]: (v: string) => Number(v) },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  const destroy = db.destroy.bind(db);
  db.destroy = async () => { await destroy(); release(); };
  return db;
}

export class DataDirBusy extends Error {}

/**
 * PGlite is one process per data directory: a second one (say `tessera audit verify` while
 * `serve` runs) would corrupt it. A pid file refuses the second process; a stale one is taken over.
 */
function lockDataDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'tessera.pid');
  const mine = String(process.pid);
  try {
    const holder = Number(fs.readFileSync(file, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new DataDirBusy(`the data directory ${dir} is in use by process ${holder}; stop it first (or use PostgreSQL for several processes)`);
    }
  } catch (e) {
    if (e instanceof DataDirBusy) throw e;
  }
  fs.writeFileSync(file, mine);
  const release = () => { try { if (fs.readFileSync(file, 'utf8') === mine) fs.unlinkSync(file); } catch { /* already gone */ } };
  process.once('exit', release);
  return release;
}

function isAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
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

export type Readiness = 'ready' | 'migrations pending' | 'database unreachable';

/** Whether the database answers and its schema is current (/readyz, OPS-4). */
export async function databaseReady(db: Db): Promise<Readiness> {
  try {
    await sql`SELECT 1`.execute(db);
    return (await migrationsCurrent(db)) ? 'ready' : 'migrations pending';
  } catch {
    return 'database unreachable';
  }
}
