// OPS-5 (issue 10): SQL lives only in the store and query modules of each capability, apart from
// the rules and the use cases that call them, as in immich's repositories: a file that builds a
// query is named store.ts, *-store.ts, queries.ts, *-queries.ts, or *-sql.ts for the SQL form of a
// rule that sits beside it (access/authorize.ts and its jurisdiction predicate), or sits in src/db/. Use cases
// still open the transaction (one per use case) and pass it down; opening one is not SQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../../src');
const SQL = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(<[^>]*>)?`|\bsql\.(raw|ref|table|join|id|lit)\(/;
const STORE = /(^|\/)(store|queries|[\w-]+-store|[\w-]+-queries|[\w-]+-sql)\.ts$/;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

test('OPS-5 (issue 10): SQL is written only in store and query modules (and src/db)', () => {
  const offenders = files(SRC)
    .map((f) => path.relative(SRC, f))
    .filter((f) => !f.startsWith('db/') && !STORE.test(f))
    .filter((f) => SQL.test(fs.readFileSync(path.join(SRC, f), 'utf8')));
  assert.deepEqual(offenders, [], `SQL outside store/query modules:\n${offenders.join('\n')}`);
});
