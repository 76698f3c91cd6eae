// `tessera inactivity list|run` as an operator types it (GOV-2, OPS-6, issue 14): the command (in-process) on
// a data directory (PGlite) or, in the PostgreSQL pass, a fresh database.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migratedCliEnv, runCliHere } from '../helpers/cli.ts';

let env: Record<string, string>;

before(async () => {
  env = await migratedCliEnv({
    TESSERA_ARGON2_MEMORY_KIB: '4096', TESSERA_ARGON2_TIME: '1', TESSERA_SECRET_KEY: '33'.repeat(32), TESSERA_BOOTSTRAP_PASSWORD: 'Tessera-Bridge-42',
  });
});

const tessera = (...args: string[]) => runCliHere(env, ...args);

test('GOV-2 OPS-6: tessera inactivity run sweeps now and records the run; list prints CSV; bad input is usage or an error', async () => {
  assert.equal((await tessera('bootstrap')).code, 0);
  const run = await tessera('inactivity', 'run');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^inactivity sweep \(run \d+\): 0 noticed, 0 disabled\n$/);
  const list = await tessera('inactivity', 'list');
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^\uFEFFusername,name,unit_oid,unit_name,state,last_sign_in_at,never_used,inactive_since,auto_disable\n$/);
  assert.match(list.stderr, /0 inactive accounts/);
  assert.equal((await tessera('inactivity', 'list', '--unit', '2.16..886')).code, 1);
  assert.equal((await tessera('inactivity', 'list', '--as', 'nosuchuser')).code, 1);
  const bad = await tessera('inactivity', 'sweep');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /inactivity list \[--unit OID\]/);
});
