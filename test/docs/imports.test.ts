// The house a newcomer can walk (issue 10): src/platform/ imports no capability, and no runtime
// import cycle exists among src/**/*.ts(x). Import and export-from specifiers are read with a
// regular expression (enough for this code base's one-import-per-statement style).
//
// What src/platform/ may import (type or value): src/platform/**, src/db/** and the top-level
// settings modules src/paths.ts and src/config.ts. Everything else under src/ is a capability
// (access, accounts, admin, auth, governance, orgs, portal, requests, sso, …) or the composition
// root (src/server.ts, src/cli.ts, src/cli-main.ts, src/messages.ts, src/mail-templates.ts, src/start-notes.ts),
// which assembles the capabilities and so may never be imported by the platform.
//
// Cycles: none among runtime imports (`import type`, `export type` and imports whose every name is
// marked `type` are erased when compiled; dynamic `import()` is lazy and does not bind at load
// time), and none either when type imports count, so that no two modules lean on each other (the
// platform catalog and admin/messages.ts did, through a type, before issue 10).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../../src');
const PLATFORM_MAY_IMPORT = [/^platform\//, /^db\//, /^paths\.ts$/, /^config\.ts$/];

interface Edge { to: string; typeOnly: boolean }

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const STATEMENT = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;

/** Relative imports of one file, as paths relative to src/. */
function importsOf(file: string, text: string, root: string): Edge[] {
  const edges: Edge[] = [];
  for (const m of text.matchAll(STATEMENT)) {
    const spec = m[4] ?? m[5];
    if (!spec.startsWith('.')) continue;
    const names = (m[3] ?? '').trim();
    // `{ type A, type B }` is erased like `import type`; `{ type A, b }` keeps b.
    const allTypes = /^\{[^}]*\}$/.test(names) && names.slice(1, -1).split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '));
    const typeOnly = Boolean(m[2]) || (m[5] === undefined && allTypes && names !== '{}');
    edges.push({ to: path.relative(root, path.resolve(path.dirname(file), spec)).split(path.sep).join('/'), typeOnly });
  }
  return edges;
}

function importGraph(root: string): Map<string, Edge[]> {
  const graph = new Map<string, Edge[]>();
  for (const f of sourceFiles(root)) {
    graph.set(path.relative(root, f).split(path.sep).join('/'), importsOf(f, fs.readFileSync(f, 'utf8'), root));
  }
  return graph;
}

/** `platform/x.ts -> orgs/y.ts` for every import from the platform into anything outside its allowed set. */
function platformViolations(graph: Map<string, Edge[]>): string[] {
  return [...graph].filter(([from]) => from.startsWith('platform/'))
    .flatMap(([from, edges]) => edges.filter((e) => !PLATFORM_MAY_IMPORT.some((re) => re.test(e.to))).map((e) => `${from} -> ${e.to}`));
}

/** One cycle per strongly connected component of the (runtime, unless `types`) graph, as `a -> b -> … -> a`. */
function cycles(graph: Map<string, Edge[]>, types = false): string[] {
  const next = (f: string) => (graph.get(f) ?? []).filter((e) => (types || !e.typeOnly) && graph.has(e.to)).map((e) => e.to);
  // Tarjan's strongly connected components (recursive: the import chains are short).
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); onStack.add(v);
    for (const w of next(v)) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); c.push(w); } while (w !== v);
      if (c.length > 1 || next(v).includes(v)) components.push(c);
    }
  };
  for (const f of [...graph.keys()].sort()) if (!idx.has(f)) visit(f);
  // Within a component, a shortest path from its first file back to itself is a cycle to report.
  return components.map((c) => {
    const inC = new Set(c), start = c.sort()[0];
    const prev = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of next(v).filter((x) => inC.has(x))) {
        if (w === start) {
          const cycle = [start];
          for (let x = v; x !== start; x = prev.get(x)!) cycle.splice(1, 0, x);
          return [...cycle, start].join(' -> ');
        }
        if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
      }
    }
    return c.join(' -> ');
  });
}

test('issue 10: src/platform/ imports no capability and not the composition root', () => {
  assert.deepEqual(platformViolations(importGraph(SRC)), [], 'platform must not import these (see the opening comment)');
});

test('issue 10: no import cycle among runtime imports in src/', () => {
  assert.deepEqual(cycles(importGraph(SRC)), [], 'break these cycles');
});

test('issue 10: no import cycle in src/ even counting type imports', () => {
  assert.deepEqual(cycles(importGraph(SRC), true), [], 'break these cycles (e.g. declare the shape needed where it is used)');
});

test('issue 10: the checks read type-only imports and find a cycle', () => {
  const edges = importsOf('/r/a/x.ts', [
    "import type { A } from '../b/y.ts';",
    "import { type B, type C } from './z.ts';",
    "import { type D, e } from './w.ts';",
    "export { f } from '../c.ts';",
    "import './side.ts';",
  ].join('\n'), '/r');
  assert.deepEqual(edges, [
    { to: 'b/y.ts', typeOnly: true }, { to: 'a/z.ts', typeOnly: true }, { to: 'a/w.ts', typeOnly: false },
    { to: 'c.ts', typeOnly: false }, { to: 'a/side.ts', typeOnly: false },
  ]);
  const graph = new Map<string, Edge[]>([
    ['platform/a.ts', [{ to: 'orgs/b.ts', typeOnly: true }, { to: 'db/index.ts', typeOnly: false }]],
    ['orgs/b.ts', [{ to: 'orgs/c.ts', typeOnly: false }]],
    ['orgs/c.ts', [{ to: 'orgs/b.ts', typeOnly: false }, { to: 'platform/a.ts', typeOnly: true }]],
    ['db/index.ts', []],
  ]);
  assert.deepEqual(platformViolations(graph), ['platform/a.ts -> orgs/b.ts']);
  assert.deepEqual(cycles(graph), ['orgs/b.ts -> orgs/c.ts -> orgs/b.ts']);
  graph.get('orgs/c.ts')![0].typeOnly = true; // c leans on b through a type only
  assert.deepEqual(cycles(graph), []);
  assert.deepEqual(cycles(graph, true), ['orgs/b.ts -> orgs/c.ts -> orgs/b.ts']);
});
