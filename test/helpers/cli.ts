// The tessera command as an operator runs it (OPS-6): a real process on a fresh data directory
// (PGlite) or, in the PostgreSQL pass, a fresh database; migrated first, since only `serve` and
// `migrate` change the schema and every other command refuses an old one (issue 15).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migratedPgDatabase, migratedPgliteDir } from './db-image.ts';

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
 * Runs `tessera ...args` inside the test process with exactly `env`: the same commands, parsing,
 * output and exit codes as the process (src/cli-main.ts), without a node start and a load of the
 * whole source tree per call (2–4 s). runTessera stays for what needs a process (serve, signals,
 * the binary itself).
 */
export async function runCliHere(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  const { runCli } = await import('../../src/cli-main.ts');
  let stdout = '', stderr = '';
  const code = await runCli(args, { out: (s) => { stdout += s; }, err: (s) => { stderr += s; }, tty: false }, { ...env });
  return { code, stdout, stderr };
}

/**
 * The environment of a new, migrated database for CLI tests: `settings` plus NODE_ENV=test and
 * either DATABASE_URL with a TESSERA_SECRET_KEY (PostgreSQL pass) or TESSERA_DATA_DIR (`dataDir`, or a new temporary one).
 */
export async function migratedCliEnv(settings: Record<string, string>, dataDir?: string): Promise<Record<string, string>> {
  const pgAdmin = process.env.TESSERA_TEST_PG_URL;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    // PostgreSQL needs the instances' shared key (issue 15); a test may choose its own.
    ...(pgAdmin ? { TESSERA_SECRET_KEY: '22'.repeat(32), DATABASE_URL: await migratedPgDatabase(pgAdmin) } : { TESSERA_DATA_DIR: dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-cli-')) }),
    ...settings,
  };
  // What `tessera migrate` leaves, copied from a migrated image (a spawned migrate costs seconds;
  // the command itself is tested in test/platform/operations.test.ts).
  if (!pgAdmin) await migratedPgliteDir(env.TESSERA_DATA_DIR!);
  return env;
}
