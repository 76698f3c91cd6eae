// The tessera command as an operator runs it (OPS-6): a real process on a fresh data directory
// (PGlite) or, in the PostgreSQL pass, a fresh database; migrated first, since only `serve` and
// `migrate` change the schema and every other command refuses an old one (issue 15).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshPgDatabase } from './app.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface CliResult { code: number | null; stdout: string; stderr: string }

/** Runs `tessera ...args` with exactly `env` (plus PATH and HOME). */
export function runTessera(env: Record<string, string>, ...args: string[]): CliResult {
  const r = spawnSync(path.join(ROOT, 'node_modules/.bin/node'), [path.join(ROOT, 'bin/tessera.js'), ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, encoding: 'utf8', timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The environment of a new, migrated database for CLI tests: `settings` plus NODE_ENV=test and
 * either DATABASE_URL with a TESSERA_SECRET_KEY (PostgreSQL pass) or TESSERA_DATA_DIR (`dataDir`, or a new temporary one).
 */
export async function migratedCliEnv(settings: Record<string, string>, dataDir?: string): Promise<Record<string, string>> {
  const pgAdmin = process.env.TESSERA_TEST_PG_URL;
  const env = {
    NODE_ENV: 'test',
    // PostgreSQL needs the instances' shared key (issue 15); a test may choose its own.
    ...(pgAdmin ? { TESSERA_SECRET_KEY: '22'.repeat(32), DATABASE_URL: await freshPgDatabase(pgAdmin) } : { TESSERA_DATA_DIR: dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-cli-')) }),
    ...settings,
  };
  const m = runTessera(env, 'migrate');
  assert.equal(m.code, 0, m.stderr);
  return env;
}
