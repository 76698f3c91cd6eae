// The tessera command (OPS-6): bootstrap, audit verify on an edited row, account unlock.
// Runs against a data directory (PGlite) or, in the PostgreSQL pass, a fresh database.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { createDeps } from '../src/server.ts';
import { passwordLogin } from '../src/auth/login.ts';
import { migratedCliEnv, runCliHere, runTessera, ROOT } from './helpers/cli.ts';
import { createAccount } from './helpers/accounts.ts';
import { Client } from './helpers/client.ts';

let env: Record<string, string>;
let checkpointFile: string;

before(async () => {
  checkpointFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-cp-')), 'checkpoints.jsonl');
  env = await migratedCliEnv({
    TESSERA_AUDIT_CHECKPOINT_FILE: checkpointFile, TESSERA_CAPTCHA: 'off', TESSERA_ARGON2_MEMORY_KIB: '4096', TESSERA_ARGON2_TIME: '1',
    TESSERA_SECRET_KEY: '11'.repeat(32),
  });
});

// The commands run in this process (fast); runTessera starts the real binary where a process matters.
const tessera = (...args: string[]) => runCliHere(env, ...args);

/** Opens the same database in this process (never while a CLI process has it open: PGlite is single-process). */
async function withDeps<T>(fn: (deps: Awaited<ReturnType<typeof createDeps>>) => Promise<T>): Promise<T> {
  const deps = await createDeps(loadConfig(env));
  try { return await fn(deps); } finally { await deps.db.destroy(); }
}

test('OPS-1 OPS-6 (issue 9 item 20): bootstrap prints the username, a one-time password and the getting-started notes once', async () => {
  const first = await tessera('bootstrap');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /username: centraladmin/);
  assert.match(first.stdout, /one-time password: [A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}/);
  // What a newcomer needs next: the sample data, the captcha, where mail goes, the first administrator.
  assert.match(first.stdout, /9 sample organisations were loaded/);
  assert.match(first.stdout, /範例高級中學 \(2\.16\.886\.111\.90001\.10300, school code 010300\)/);
  assert.match(first.stdout, /captcha is off \(TESSERA_CAPTCHA=off\)/);
  assert.match(first.stdout, /no SMTP_URL or TESSERA_SMS_URL\): read set-password links and one-time codes at http:\/\/127\.0\.0\.1:3000\/dev\/outbox/);
  assert.match(first.stdout, /\/admin\/grants \(administration grants\)[^\n]*主帳號 \(main account\) for a school, registration administrator for an agency/);
  const second = await tessera('bootstrap');
  assert.equal(second.code, 0);
  assert.doesNotMatch(second.stdout, /one-time password/);
  assert.doesNotMatch(second.stdout, /Getting started/);
  assert.match(second.stdout, /already exists/);
});

/** Changes the audit table as someone with the database's superuser would: past the append-only trigger. */
async function tamper(deps: Awaited<ReturnType<typeof createDeps>>, statement: ReturnType<typeof sql>): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await statement.execute(trx);
  });
}

test('GOV-1 OPS-6 issue 15: audit seal and verify against the signed checkpoint and its copy in a file; an edited row and a deleted tail are named', async () => {
  const ok = await tessera('audit', 'verify');
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /audit chain intact: \d+ events? verified/);
  await withDeps(async (deps) => {
    await createAccount(deps, { username: 'auditee01', password: 'Correct-Horse-9' });
    for (let i = 0; i < 3; i++) await passwordLogin(deps, { username: 'auditee01', password: 'Wrong-Guess-' + i, ip: '127.0.0.1' });
  });
  const pending = await tessera('audit', 'verify');
  assert.equal(pending.code, 0, pending.stderr);
  assert.match(pending.stdout, /\d+ events? committed but not yet sealed/);
  const sealed = await tessera('audit', 'seal');
  assert.equal(sealed.code, 0, sealed.stderr);
  assert.match(sealed.stdout, /\d+ events sealed; checkpoint #1 signed at chain seq \d+/);
  const copy = fs.readFileSync(checkpointFile, 'utf8').trim().split('\n');
  assert.equal(copy.length, 1, 'the checkpoint is appended to TESSERA_AUDIT_CHECKPOINT_FILE');
  const head = (JSON.parse(copy[0]) as { chainSeq: number }).chainSeq;
  const intact = await tessera('audit', 'verify', '--checkpoint', checkpointFile);
  assert.equal(intact.code, 0, intact.stderr);
  assert.match(intact.stdout, new RegExp(`audit chain intact: ${head} events verified\ncovered by checkpoint #1 up to chain seq ${head} .*; 0 events after it not yet covered`));

  // The application's own connection cannot change the trail.
  await withDeps(async (deps) => {
    await assert.rejects(sql`UPDATE audit_events SET result = 'ok' WHERE chain_seq = 3`.execute(deps.db), /append-only/);
    await assert.rejects(sql`DELETE FROM audit_events WHERE chain_seq = ${head}`.execute(deps.db), /append-only/);
    // Someone with the superuser rewrites history: the result of one login attempt...
    await tamper(deps, sql`UPDATE audit_events SET result = 'ok' WHERE chain_seq = 3`);
  });
  const edited = await tessera('audit', 'verify');
  assert.equal(edited.code, 1);
  assert.match(edited.stderr, /hash: event 3 was edited after it was sealed/);
  assert.match(edited.stderr, /BROKEN at chain seq 3 \(hash\); 2 events verified before it/);
  // ... and, that undone, deletes the last two events, and the checkpoints in the database with them.
  await withDeps(async (deps) => {
    await tamper(deps, sql`UPDATE audit_events SET result = 'failed' WHERE chain_seq = 3`);
    await tamper(deps, sql`DELETE FROM audit_events WHERE chain_seq > ${head - 2}`);
    await tamper(deps, sql`DELETE FROM audit_checkpoints`);
  });
  const cut = await tessera('audit', 'verify', '--checkpoint', checkpointFile);
  assert.equal(cut.code, 1);
  assert.match(cut.stderr, new RegExp(`tail: events ${head - 1}–${head} covered by the checkpoint file's entry #1 .* are missing at the end \\(2 events deleted\\)`));
  assert.match(cut.stderr, new RegExp(`BROKEN at chain seq ${head - 1} \\(tail\\); ${head - 2} events verified before it`));
  assert.match((await tessera('audit', 'verify')).stdout, /no signed checkpoint covers the chain yet/, 'without the copy, the cut is not visible: why the file exists');
});

test('AUTH-2 OPS-6: account unlock clears a lock-out', async () => {
  await withDeps(async (deps) => {
    await createAccount(deps, { username: 'lockedcli1', password: 'Correct-Horse-9' });
    for (let i = 0; i < 3; i++) await passwordLogin(deps, { username: 'lockedcli1', password: 'Wrong-Guess-' + i, ip: '127.0.0.2' });
    const r = await passwordLogin(deps, { username: 'lockedcli1', password: 'Correct-Horse-9', ip: '127.0.0.2' });
    assert.equal(r.ok ? 'ok' : r.reason, 'locked');
  });
  const u = await tessera('account', 'unlock', 'lockedcli1');
  assert.equal(u.code, 0, u.stderr);
  assert.match(u.stdout, /unlocked lockedcli1/);
  await withDeps(async (deps) => {
    const r = await passwordLogin(deps, { username: 'lockedcli1', password: 'Correct-Horse-9', ip: '127.0.0.2' });
    assert.equal(r.ok, true);
    const ev = await deps.db.selectFrom('audit_events').selectAll().where('action', '=', 'account.unlock').executeTakeFirstOrThrow();
    assert.equal(ev.details.via, 'cli');
  });
});

test('ORG-4 OPS-6: account move changes the unit, is audited, and refuses unknown units and accounts', async () => {
  await withDeps((deps) => createAccount(deps, { username: 'mover0001', password: 'Correct-Horse-9', unitOid: '2.16.886.101.90027.20002.20011' }));
  const moved = await tessera('account', 'move', 'mover0001', '2.16.886.101.90029.20002');
  assert.equal(moved.code, 0, moved.stderr);
  assert.match(moved.stdout, /moved mover0001 from 2\.16\.886\.101\.90027\.20002\.20011 to 2\.16\.886\.101\.90029\.20002/);
  const unknownUnit = await tessera('account', 'move', 'mover0001', '2.16.886.101.777');
  assert.equal(unknownUnit.code, 1);
  assert.match(unknownUnit.stderr, /orgs\.parentMissing/);
  assert.equal((await tessera('account', 'move', 'nobody0001', '2.16.886.101.90029.20002')).code, 1);
  await withDeps(async (deps) => {
    const a = await deps.db.selectFrom('accounts').select('unit_oid').where('username', '=', 'mover0001').executeTakeFirstOrThrow();
    assert.equal(a.unit_oid, '2.16.886.101.90029.20002');
    const ev = await deps.db.selectFrom('audit_events').selectAll().where('action', '=', 'account.move').execute();
    assert.equal(ev.length, 1, 'only the successful move is an event');
    assert.deepEqual(ev[0].details.before, { unitOid: '2.16.886.101.90027.20002.20011' });
  });
});

test('OPS-6: unknown commands print usage and exit 2', async () => {
  const r = runTessera(env, 'frobnicate');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /usage: tessera/);
});

test('OPS-1: a second process cannot open an embedded data directory in use', { skip: Boolean(process.env.TESSERA_TEST_PG_URL) && 'PGlite only' }, async () => {
  await withDeps(async () => {
    const r = runTessera(env, 'audit', 'verify');
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`in use by process ${process.pid}`));
  });
  const after = runTessera(env, 'audit', 'verify');
  assert.match(after.stdout, /audit chain intact/, 'opens once released (the chain cut above, without its checkpoint file)');
});

test('GOV-1 OPS-6 issue 15: tessera serve stopped with SIGTERM seals and signs everything committed first', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
  });
  const child = spawn(path.join(ROOT, 'node_modules/.bin/node'), [path.join(ROOT, 'bin/tessera.js'), 'serve'], {
    // The sealer's first pass runs at start; the next not for an hour: only the stop can seal what follows.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port), TESSERA_AUDIT_SEAL_MS: '3600000', TESSERA_OUTBOX_POLL_MS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => { out += String(d); if (out.includes('Tessera is serving')) resolve(); });
      child.on('exit', () => reject(new Error('serve exited early: ' + out)));
    });
    const url = `http://127.0.0.1:${port}`;
    const c = new Client(url);
    for (let i = 0; i < 2; i++) {
      const r = await c.submit('/login', '/login', { username: 'nobody' + i, password: 'Wrong-Guess-1' });
      assert.ok(r.status < 500, 'a failed sign-in, audited');
    }
    const ready = await (await fetch(url + '/readyz')).json() as { audit: { unsealed: number } };
    assert.ok(ready.audit.unsealed >= 2, 'committed, not yet sealed');
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) { child.kill('SIGKILL'); await exited; }
  }
  const v = await tessera('audit', 'verify');
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /audit chain intact: \d+ events verified\ncovered by checkpoint #\d+ up to chain seq \d+ .*; 0 events after it not yet covered\n$/);
});
