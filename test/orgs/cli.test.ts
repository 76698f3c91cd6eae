// `tessera org import|export` (ORG-2): exit codes, line-numbered errors on stderr, nothing written
// on error, export → import round trip. Each call opens the database afresh (PGlite: ~4 s).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migratedCliEnv, runCliHere } from '../helpers/cli.ts';

let env: Record<string, string>;
let dir: string;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-orgcli-'));
  env = await migratedCliEnv({ TESSERA_SECRET_KEY: '22'.repeat(32) }, path.join(dir, 'data'));
});

const tessera = (...args: string[]) => runCliHere(env, ...args);

const header = 'oid,name,agency_code,tenant_code,kind';

test('ORG-2: org import refuses a file with bad lines, naming each line, and writes nothing', async () => {
  const file = path.join(dir, 'bad.csv');
  fs.writeFileSync(file, [header, '2.16.886.300,好的一列,,,agency', '2.16.886.300.x,壞的 OID,,,unit', '2.16.886.301,類型錯誤,,,moon', ''].join('\n'));
  const r = await tessera('org', 'import', file);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^line 3: orgs\.invalidOid$/m);
  assert.match(r.stderr, /^line 4: orgs\.invalidKind$/m);
  assert.match(r.stdout, /0 created, 0 updated, 0 unchanged, 2 errors/);
});

test('ORG-2: org import then export round-trips; importing the export changes nothing', async () => {
  const file = path.join(dir, 'good.csv');
  fs.writeFileSync(file, '\uFEFF' + [header, '2.16.886.300,好的一列,,,agency', '2.16.886.300.1,"單位, 甲",387000003C,,unit', '2.16.886.300.1.2,學校,,300102,school', ''].join('\r\n'));
  const imported = await tessera('org', 'import', file);
  assert.equal(imported.code, 0, imported.stderr);
  // 2.16.886.300 is created now: the refused file above did not write its good line.
  assert.match(imported.stdout, /3 created, 0 updated, 0 unchanged, 0 errors/);

  const out = path.join(dir, 'export.csv');
  const exported = await tessera('org', 'export', out);
  assert.equal(exported.code, 0, exported.stderr);
  const text = fs.readFileSync(out, 'utf8');
  assert.match(text, /^\uFEFFoid,name,agency_code,tenant_code,kind\n2\.16\.886\.300,好的一列,,,agency\n2\.16\.886\.300\.1,"單位, 甲",387000003C,,unit\n/);

  const again = await tessera('org', 'import', out);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /0 created, 0 updated, 3 unchanged, 0 errors/);
});
