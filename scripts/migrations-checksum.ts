// Released migrations are immutable (issue 15, OPS-2): src/db/migrations/CHECKSUMS.txt holds the
// SHA-256 of every migration that has landed, one `<sha256>  <file>` line each (`sha256sum -c`
// reads it too). test/db/migrations.test.ts fails when a listed file changes or a file is unlisted.
//   node --import tsx scripts/migrations-checksum.ts          adds new migrations to the manifest
//   node --import tsx scripts/migrations-checksum.ts --check  exits 1 when a migration changed or is unlisted
// It never rewrites a listed line: a change to a landed migration is a new migration instead.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/db/migrations');
export const MANIFEST = path.join(MIGRATIONS_DIR, 'CHECKSUMS.txt');

export const sha256 = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The migration files: NNN_name.ts, in order. */
export function migrationFiles(): string[] {
  return fs.readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}_[a-z0-9_]+\.ts$/.test(f)).sort();
}

/** file → recorded checksum. */
export function readManifest(): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(MANIFEST)) return out;
  for (const line of fs.readFileSync(MANIFEST, 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
    if (m) out.set(m[2], m[1]);
  }
  return out;
}

/** What is wrong: changed (listed, content differs), missing (listed, file gone), unlisted (new file). */
export function compare(): { changed: string[]; missing: string[]; unlisted: string[] } {
  const listed = readManifest();
  const files = migrationFiles();
  return {
    changed: [...listed].filter(([f, sum]) => files.includes(f) && sha256(path.join(MIGRATIONS_DIR, f)) !== sum).map(([f]) => f),
    missing: [...listed.keys()].filter((f) => !files.includes(f)),
    unlisted: files.filter((f) => !listed.has(f)),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { changed, missing, unlisted } = compare();
  for (const f of changed) console.error(`${f} changed after it landed: restore it and put the change in a new migration`);
  for (const f of missing) console.error(`${f} is listed but gone: a landed migration is never removed`);
  if (process.argv.includes('--check')) {
    for (const f of unlisted) console.error(`${f} is not in CHECKSUMS.txt: run node --import tsx scripts/migrations-checksum.ts`);
    process.exit(changed.length || missing.length || unlisted.length ? 1 : 0);
  }
  if (changed.length || missing.length) process.exit(1);
  if (unlisted.length) {
    fs.appendFileSync(MANIFEST, unlisted.map((f) => `${sha256(path.join(MIGRATIONS_DIR, f))}  ${f}\n`).join(''));
    console.log(`added ${unlisted.join(', ')}`);
  } else console.log('CHECKSUMS.txt lists every migration');
}
