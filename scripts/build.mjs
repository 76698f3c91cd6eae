// Bundles the server into dist/cli.js with esbuild (what tsx uses too), so `npm start` runs
// plain JavaScript: no TypeScript loader in the serving process (~30 MB less memory, faster start).
// Dependencies stay in node_modules (packages: 'external'); data files are read from src/.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
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
