// `tessera token …` and `tessera grant …` as an operator runs them (OPS-6, ADM-2): the command (in-process)
// on a data directory (or, in the PostgreSQL pass, a fresh database), then the token is used
// against the API built on the same database.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { createDeps, buildApp } from '../../src/server.ts';
import { migratedCliEnv, runCliHere } from '../helpers/cli.ts';
import { createAccount } from '../helpers/accounts.ts';

let env: Record<string, string>;

before(async () => {
  env = await migratedCliEnv({ TESSERA_ARGON2_MEMORY_KIB: '4096', TESSERA_ARGON2_TIME: '1', TESSERA_SECRET_KEY: '22'.repeat(32) });
});

const tessera = (...args: string[]) => runCliHere(env, ...args);

/** Opens the database in this process (never while a CLI process has it: PGlite is single-process). */
async function withApp<T>(fn: (call: (url: string, token: string) => Promise<{ status: number; body: any }>, deps: Awaited<ReturnType<typeof createDeps>>) => Promise<T>): Promise<T> {
  const deps = await createDeps(loadConfig(env));
  const { app } = await buildApp(deps);
  try {
    return await fn(async (url, token) => {
      const r = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      return { status: r.statusCode, body: r.json() };
    }, deps);
  } finally { await app.close(); await deps.db.destroy(); }
}

test('OPS-6 ADM-2: grant add, token create (printed once, acts with the grant), token revoke', async () => {
  assert.equal((await tessera('bootstrap')).code, 0);
  await withApp(async (_call, deps) => {
    await createAccount(deps, { username: 'cliadmin01', password: 'Correct-Horse-9', unitOid: '2.16.886.101' });
    await createAccount(deps, { username: 'inside0001', password: 'Correct-Horse-9', unitOid: '2.16.886.101.90027.20002.20011' });
    await createAccount(deps, { username: 'outside001', password: 'Correct-Horse-9', unitOid: '2.16.886.101.90029.20002' });
  });
  const g = await tessera('grant', 'add', '--username', 'cliadmin01', '--kind', 'registration_admin', '--oid', '2.16.886.101.90027.20002', '--categories', 'csm,bms');
  assert.equal(g.code, 0, g.stderr);
  assert.match(g.stdout, /cliadmin01 is registration_admin for 2\.16\.886\.101\.90027\.20002 \(categories csm,bms\)/);

  const c = await tessera('token', 'create', '--username', 'cliadmin01', '--days', '5', '--label', 'ci');
  assert.equal(c.code, 0, c.stderr);
  const token = c.stdout.trim();
  assert.match(token, /^[A-Za-z0-9_-]{43}$/, 'stdout holds the token alone');
  assert.match(c.stderr, /shown only now/);

  await withApp(async (call, deps) => {
    const r = await call('/api/v1/accounts?pageSize=100', token);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.items.map((i: { username: string }) => i.username), ['inside0001']);
    const row = await deps.db.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.label, 'ci');
    assert.equal(row.expires_at.getTime() - row.created_at.getTime(), 5 * 86_400_000);
    assert.ok(!JSON.stringify(row).includes(token), 'the token is not stored');
  });

  const rv = await tessera('token', 'revoke', '--username', 'cliadmin01');
  assert.equal(rv.code, 0, rv.stderr);
  assert.match(rv.stdout, /revoked 1 token of cliadmin01/);
  await withApp(async (call) => assert.equal((await call('/api/v1/accounts', token)).status, 401));
});

test('OPS-6: token and grant refuse bad input with exit 1 or usage with exit 2', async () => {
  assert.equal((await tessera('token', 'create')).code, 2);
  assert.match((await tessera('token')).stderr, /token create --username U/);
  assert.equal((await tessera('token', 'create', '--username', 'nobody0001')).code, 1);
  assert.equal((await tessera('token', 'create', '--username', 'cliadmin01', '--days', 'ten')).code, 1);
  const badKind = await tessera('grant', 'add', '--username', 'cliadmin01', '--kind', 'overlord', '--oid', '2.16.886.101');
  assert.equal(badKind.code, 1);
  assert.match(badKind.stderr, /kind must be one of/);
  const badCat = await tessera('grant', 'add', '--username', 'cliadmin01', '--kind', 'helpdesk', '--oid', '2.16.886.101', '--categories', 'nosuch');
  assert.equal(badCat.code, 1);
  assert.match(badCat.stderr, /unknown categories: nosuch/);
  assert.equal((await tessera('grant', 'add', '--username', 'cliadmin01', '--kind', 'helpdesk', '--oid', '2.16..886')).code, 1);
});
