// Files that ship beside the code (static assets, sample data), found from the package root so
// they resolve the same whether the code runs from src/ (tsx) or from the dist/ bundle.
import fs from 'node:fs';
import path from 'node:path';

function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error('package.json not found above ' + from);
  }
}

export const ROOT = packageRoot(import.meta.dirname);
export const srcFile = (...parts: string[]): string => path.join(ROOT, 'src', ...parts);
