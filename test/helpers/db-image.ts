// Migrated databases for tests, made once and copied: a PGlite image (initdb plus the migrations
// cost 2–4 s per database, loading a dumped image under one) and a PostgreSQL template database
// (CREATE DATABASE … TEMPLATE instead of migrating each test's database). Both are keyed by the
// migrations' contents, so a changed or added migration makes a new one.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PGliteDialect } from 'kysely';
import { execFileSync } from 'node:child_process';
import { openDb, migrate } from '../../src/db/index.ts';
import type { Database } from '../../src/db/types.ts';

const DB_DIR = path.resolve(import.meta.dirname, '../../src/db');

let key: string | undefined;
/** A hash of every migration file and of the list that registers them. */
function migrationsKey(): string {
  if (key) return key;
  const h = crypto.createHash('sha256');
  const dir = path.join(DB_DIR, 'migrations');
  for (const f of fs.readdirSync(dir).sort()) h.update(f).update(fs.readFileSync(path.join(dir, f)));
  h.update(fs.readFileSync(path.join(DB_DIR, 'index.ts')));
  const pglite = JSON.parse(fs.readFileSync(path.resolve(DB_DIR, '../../node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  h.update(pglite.version);
  return (key = h.digest('hex').slice(0, 16));
}

let imageFile: Promise<string> | undefined;
/** A dump (tar) of a migrated PGlite data directory, cached in the temporary directory across test files. */
function migratedPgliteImageFile(): Promise<string> {
  return (imageFile ??= (async () => {
    const file = path.join(os.tmpdir(), `tessera-test-pglite-${migrationsKey()}.tar`);
    if (!fs.existsSync(file)) {
      const { PGlite } = await import('@electric-sql/pglite');
      const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
      const pglite = await PGlite.create('memory://', { extensions: { pg_trgm } });
      const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
      await migrate(db);
      const dump = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
      await db.destroy();
      // Test files start at once: each writes its own copy and renames it into place (atomic).
      const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
      fs.writeFileSync(tmp, dump);
      fs.renameSync(tmp, file);
    }
    return file;
  })());
}

/** The migrated PGlite image, for an in-memory database (DbOptions.pgliteImage). */
export async function migratedPgliteImage(): Promise<Blob> {
  return new Blob([fs.readFileSync(await migratedPgliteImageFile())]);
}

/**
 * Writes a migrated PGlite data directory into `dir` (empty or absent), as `tessera migrate` would
 * leave it: the image is a plain tar of the data directory. (Not through PGlite: a PGlite that
 * loaded an image into a directory leaves a timer behind that keeps the test process alive.)
 */
export async function migratedPgliteDir(dir: string): Promise<void> {
  const file = await migratedPgliteImageFile();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  execFileSync('tar', ['-xf', file, '-C', dir], { stdio: 'pipe' });
}

/** A new, empty database on the PostgreSQL server of `adminUrl`. */
export async function freshPgDatabase(adminUrl: string): Promise<string> {
  return createDatabase(adminUrl, async (client, name) => { await client.query(`CREATE DATABASE ${name}`); });
}

/** A new database on the PostgreSQL server of `adminUrl`, copied from a migrated template. */
export async function migratedPgDatabase(adminUrl: string): Promise<string> {
  return createDatabase(adminUrl, async (client, name) => {
    const template = `tessera_tmpl_${migrationsKey()}`;
    // One test file at a time makes the template, and copies it (a copy needs the template idle).
    await client.query('SELECT pg_advisory_lock(774411)');
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (!rowCount) {
        const building = `${template}_b${process.pid}`;
        await client.query(`DROP DATABASE IF EXISTS ${building}`);
        await client.query(`CREATE DATABASE ${building}`);
        const db = await openDb({ databaseUrl: urlOf(adminUrl, building), poolSize: 1 });
        try { await migrate(db); } finally { await db.destroy(); }
        await client.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
      }
      await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } finally {
      await client.query('SELECT pg_advisory_unlock(774411)');
    }
  });
}

async function createDatabase(adminUrl: string, create: (client: pg.Client, name: string) => Promise<void>): Promise<string> {
  const name = 'tessera_t_' + crypto.randomBytes(6).toString('hex');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try { await create(client, name); } finally { await client.end(); }
  return urlOf(adminUrl, name);
}

function urlOf(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = '/' + database;
  return u.toString();
}
