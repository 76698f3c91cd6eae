// Bundles the server into dist/cli.js with esbuild (what tsx uses too), so `npm start` runs
// plain JavaScript: no TypeScript loader in the serving process (~30 MB less memory, faster start).
// Dependencies stay in node_modules (packages: 'external'); data files are read from src/.
// When dist/cli.js is newer than every input, the bundle is left as it is: `npm start` then
// spends no time on esbuild (loading it and bundling took 2–5 s on a busy 2-core machine).
// `--force` bundles anyway.
import fs from 'node:fs';
import path from 'node:path';

const OUT = 'dist/cli.js';
/** What the bundle is made of: the sources and whatever decides how they are bundled or resolved. */
const INPUTS = ['src', 'scripts/build.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];

function newestInput() {
  let newest = 0;
  for (const input of INPUTS) {
    if (!fs.existsSync(input)) continue;
    const st = fs.statSync(input);
    if (!st.isDirectory()) { newest = Math.max(newest, st.mtimeMs); continue; }
    newest = Math.max(newest, st.mtimeMs);
    for (const entry of fs.readdirSync(input, { recursive: true, withFileTypes: true })) {
      // Directories count too: a deleted file changes its directory's time, not any file's.
      newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

const upToDate = !process.argv.includes('--force') && fs.existsSync(OUT) && fs.statSync(OUT).mtimeMs >= newestInput();
if (!upToDate) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: ['src/cli.ts'],
    outfile: OUT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    sourcemap: true,
    logLevel: 'warning',
  });
}
