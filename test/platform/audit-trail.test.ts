// GOV-1, OPS-2, issue 15: the audit trail without a global lock. Events are appended in the
// caller's transaction and chained by one sealer afterwards, in commit order; signed checkpoints
// make any deletion or rewrite of covered events visible to `audit verify` (here its report, the
// same lines the command prints; test/cli.test.ts runs the command itself); the database refuses
// changes; a graceful stop seals and signs; a restarted sealer picks up what committed meanwhile.
import crypto from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, freshPgDatabase, type TestApp } from '../helpers/app.ts';
import { audit } from '../../src/platform/audit.ts';
import { eventHash } from '../../src/platform/audit-chain.ts';
import { sealCommitted, checkpointHead, startSealer, sealLag } from '../../src/platform/audit-sealer.ts';
import { verifyAudit, describeReport } from '../../src/platform/audit-verify.ts';
import type { Deps } from '../../src/platform/deps.ts';
import type { Db } from '../../src/db/index.ts';

const pg = process.env.TESSERA_TEST_PG_URL;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function write(deps: Deps, n: number, tag = 'w'): Promise<void> {
  for (let i = 0; i < n; i++) {
    await deps.db.transaction().execute((trx) => audit(trx, deps.clock.now(), { actor: null, action: 'policy.set', targetType: 'policy', targetId: `${tag}${i}`, details: { i } }));
  }
}

/** What `tessera audit verify` prints and whether it passes. */
async function verify(db: Db) {
  const r = describeReport(await verifyAudit(db));
  return { ok: r.ok, text: r.lines.join('\n') };
}

/** Past the append-only trigger, as the database superuser could. */
async function tamper(db: Db, ...statements: ReturnType<typeof sql>[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    for (const s of statements) await s.execute(trx);
  });
}

async function until(cond: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(25);
  }
}

/** A trail of `n` events sealed and signed (one checkpoint at its head). */
async function signedTrail(n: number): Promise<TestApp> {
  const t = await startTestApp({ bootstrap: false });
  await write(t.deps, n);
  await sealCommitted(t.deps);
  assert.ok(await checkpointHead(t.deps, 'test'));
  return t;
}

const chainOf = (db: Db) => db.selectFrom('audit_events').select(['seq', 'chain_seq', 'hash']).orderBy('chain_seq').execute();

test('GOV-1 issue 15: an event is appended in its transaction, unsealed; the sealer chains them in order and verify covers them with the checkpoint', async () => {
  const t = await startTestApp({ bootstrap: false });
  try {
    await write(t.deps, 5);
    // Rolled back with its change: no event.
    await assert.rejects(t.deps.db.transaction().execute(async (trx) => {
      await audit(trx, t.clock.now(), { actor: null, action: 'policy.set', targetId: 'rolled-back' });
      throw new Error('change failed');
    }), /change failed/);
    const before = await t.deps.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
    assert.equal(before.length, 5);
    assert.ok(before.every((r) => r.chain_seq === null && r.hash === null), 'the append writes no chain columns');
    assert.match((await verify(t.deps.db)).text, /audit chain intact: 0 events verified\nno signed checkpoint covers the chain yet; 0 events not yet covered\n5 events committed but not yet sealed/);
    assert.deepEqual(await sealLag(t.deps), { unsealed: 5, oldestUnsealedSeconds: 0 });

    assert.equal(await sealCommitted(t.deps), 5);
    assert.equal(await sealCommitted(t.deps), 0, 'nothing twice');
    const rows = await chainOf(t.deps.db);
    assert.deepEqual(rows.map((r) => r.chain_seq), [1, 2, 3, 4, 5]);
    assert.deepEqual(rows.map((r) => r.seq), before.map((r) => r.seq), 'committed one after the other: chained in that order');
    assert.match((await verify(t.deps.db)).text, /audit chain intact: 5 events verified\nno signed checkpoint covers the chain yet; 5 events not yet covered/);
    const cp = await checkpointHead(t.deps, 'test');
    assert.equal(cp?.chainSeq, 5);
    assert.equal(await checkpointHead(t.deps, 'test'), null, 'an unchanged head is not signed again');
    await write(t.deps, 2);
    await sealCommitted(t.deps);
    const v = await verify(t.deps.db);
    assert.equal(v.ok, true, v.text);
    assert.match(v.text, /audit chain intact: 7 events verified\ncovered by checkpoint #1 up to chain seq 5 \(signed [^)]+\); 2 events after it not yet covered/);
  } finally { await t.close(); }
});

test('GOV-1 issue 15: the database refuses UPDATE, DELETE and TRUNCATE of the trail from the application\'s connection, except the sealer filling empty seal columns', async () => {
  const t = await signedTrail(3);
  try {
    const db = t.deps.db;
    await assert.rejects(sql`UPDATE audit_events SET result = 'failed' WHERE chain_seq = 2`.execute(db), /append-only: UPDATE on audit_events/);
    await assert.rejects(sql`DELETE FROM audit_events WHERE chain_seq = 3`.execute(db), /append-only: DELETE on audit_events/);
    await assert.rejects(sql`TRUNCATE audit_events`.execute(db), /append-only: TRUNCATE on audit_events/);
    await assert.rejects(sql`UPDATE audit_checkpoints SET chain_seq = 1`.execute(db), /append-only: UPDATE on audit_checkpoints/);
    await assert.rejects(sql`DELETE FROM audit_checkpoints`.execute(db), /append-only: DELETE on audit_checkpoints/);
    await assert.rejects(sql`DELETE FROM audit_signing_keys`.execute(db), /append-only: DELETE on audit_signing_keys/);
    // Sealed columns cannot be set again, and a seal cannot carry another change with it.
    await assert.rejects(sql`UPDATE audit_events SET hash = 'x' WHERE chain_seq = 1`.execute(db), /append-only/);
    await write(t.deps, 1);
    await assert.rejects(sql`UPDATE audit_events SET chain_seq = 4, prev_hash = 'a', hash = 'b', result = 'failed' WHERE chain_seq IS NULL`.execute(db), /append-only/);
    await assert.rejects(sql`UPDATE audit_events SET chain_seq = 4 WHERE chain_seq IS NULL`.execute(db), /append-only|audit_events_sealed_whole/);
    assert.equal(await sealCommitted(t.deps), 1);
    assert.equal((await verify(db)).ok, true);
  } finally { await t.close(); }
});

test('GOV-1 issue 15: tampering is detected and named: an edited row, a deletion in the middle, a deleted tail, a rewrite with recomputed hashes, a replaced checkpoint', async () => {
  await t1('edit', async (db) => {
    await tamper(db, sql`UPDATE audit_events SET details = '{"i": 99}'::jsonb WHERE chain_seq = 4`);
  }, /hash: event 4 was edited after it was sealed[^]*BROKEN at chain seq 4 \(hash\); 3 events verified before it/);
  await t1('delete in the middle', async (db) => {
    await tamper(db, sql`DELETE FROM audit_events WHERE chain_seq IN (5, 6)`);
  }, /gap: events 5–6 are missing \(2 events deleted\)[^]*BROKEN at chain seq 5 \(gap\); 4 events verified before it/);
  await t1('delete at the tail', async (db) => {
    await tamper(db, sql`DELETE FROM audit_events WHERE chain_seq >= 9`);
  }, /tail: events 9–10 covered by checkpoint #1 \(signed [^)]+\) are missing at the end \(2 events deleted\)[^]*BROKEN at chain seq 9 \(tail\); 8 events verified before it/);
  await t1('rewrite with recomputed hashes', async (db) => {
    // Event 3 gets another result, and every hash from it on is recomputed: the links all hold.
    const rows = await db.selectFrom('audit_events').selectAll().where('chain_seq', '>=', 3).orderBy('chain_seq').execute();
    let prev = rows[0].prev_hash!;
    const fixes = rows.map((r) => {
      const e = { ...r, seq: Number(r.chain_seq), result: r.chain_seq === 3 ? 'denied' : r.result, details: r.details as Record<string, unknown> };
      const hash = eventHash(prev, e);
      const s = sql`UPDATE audit_events SET result = ${e.result}, prev_hash = ${prev}, hash = ${hash} WHERE chain_seq = ${r.chain_seq}`;
      prev = hash;
      return s;
    });
    await tamper(db, ...fixes);
  }, /rewritten: event 10 is not the one checkpoint #1 \(signed [^)]+\) signed: events 1–10 were rewritten \(hashes recomputed\)[^]*BROKEN at chain seq 10 \(rewritten\); 9 events verified before it/);
  await t1('replace a checkpoint', async (db) => {
    // The head moved to a forged chain: the checkpoint is made to say so, without the private key.
    await tamper(db, sql`UPDATE audit_checkpoints SET head_hash = ${'f'.repeat(64)}`);
  }, /signature: checkpoint #1 \(chain seq 10\): the signature does not verify \(the checkpoint was replaced or forged\)\naudit checkpoints BROKEN; the chain itself: 10 events verified\nno signed checkpoint covers the chain yet; 10 events not yet covered/);

  async function t1(name: string, act: (db: Db) => Promise<void>, expect: RegExp) {
    const t = await signedTrail(10);
    try {
      const clean = await verify(t.deps.db);
      assert.equal(clean.ok, true, clean.text);
      await act(t.deps.db);
      const r = await verify(t.deps.db);
      assert.equal(r.ok, false, `${name}: detected`);
      assert.match(r.text, expect, name);
    } finally { await t.close(); }
  }
});

test('GOV-1 issue 15: restart while sealing: events committed while the sealer is down are sealed when it is back, in commit order, none missing', async () => {
  const t = await startTestApp({ bootstrap: false });
  try {
    const deps = { ...t.deps, config: { ...t.deps.config, auditSealMs: 20, auditCheckpointMs: 0 } };
    const first = startSealer(deps, 'one');
    await write(deps, 5, 'a');
    await until(async () => (await sealLag(deps)).unsealed === 0);
    await first.stop();
    await write(deps, 7, 'b'); // nobody seals now
    assert.equal((await sealLag(deps)).unsealed, 7);
    const second = startSealer(deps, 'two');
    await until(async () => (await sealLag(deps)).unsealed === 0);
    await write(deps, 3, 'c');
    await second.stop();
    const rows = await t.deps.db.selectFrom('audit_events').select(['seq', 'chain_seq', 'target_id']).orderBy('chain_seq').execute();
    assert.equal(rows.length, 15);
    assert.deepEqual(rows.map((r) => r.chain_seq), Array.from({ length: 15 }, (_, i) => i + 1));
    assert.deepEqual(rows.map((r) => r.target_id), [...['a', 'b'].flatMap((p, k) => Array.from({ length: k ? 7 : 5 }, (_, i) => p + i)), 'c0', 'c1', 'c2']);
    const v = await verify(t.deps.db);
    assert.equal(v.ok, true, v.text);
    assert.match(v.text, /15 events verified\ncovered by checkpoint #\d+ up to chain seq 15 .*; 0 events after it not yet covered/);
  } finally { await t.close(); }
});

test('GOV-1 issue 15: an event with a lower seq that commits later is chained after the ones already sealed', { skip: !pg && 'PostgreSQL: needs two connections' }, async () => {
  const t = await startTestApp({ bootstrap: false });
  try {
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let inserted!: () => void;
    const wasInserted = new Promise<void>((r) => { inserted = r; });
    const slow = t.deps.db.transaction().execute(async (trx) => {
      await audit(trx, t.clock.now(), { actor: null, action: 'policy.set', targetId: 'slow' });
      inserted();
      await held;
    });
    await wasInserted;
    await write(t.deps, 2, 'fast');
    assert.equal(await sealCommitted(t.deps), 2, 'the uncommitted event is not seen');
    release();
    await slow;
    assert.equal(await sealCommitted(t.deps), 1);
    const rows = await t.deps.db.selectFrom('audit_events').select(['seq', 'chain_seq', 'target_id']).orderBy('chain_seq').execute();
    assert.deepEqual(rows.map((r) => r.target_id), ['fast0', 'fast1', 'slow']);
    assert.ok(Number(rows[2].seq) < Number(rows[0].seq), 'its seq is the lowest');
    assert.equal((await verify(t.deps.db)).ok, true);
  } finally { await t.close(); }
});

test('GOV-1 OPS-2 issue 15: concurrent audited writes from many connections (two instances on PostgreSQL) end in one verified, signed chain', async () => {
  const env: Record<string, string> = { TESSERA_AUDIT_SEAL_MS: '50', TESSERA_AUDIT_CHECKPOINT_MS: '200' };
  if (pg) Object.assign(env, { DATABASE_URL: await freshPgDatabase(pg), TESSERA_SECRET_KEY: '42'.repeat(32) });
  const a = await startTestApp({ env, bootstrap: false });
  const b = pg ? await startTestApp({ env, bootstrap: false }) : a;
  let closed = false;
  try {
    const writers = Array.from({ length: 16 }, (_, w) => write(w % 2 ? b.deps : a.deps, 15, `w${w}-`));
    await Promise.all(writers);
    await a.app.close();
    if (b !== a) await b.app.close();
    closed = true;
    const db = a.deps.db;
    const rows = await chainOf(db);
    assert.equal(rows.length, 240);
    assert.deepEqual(rows.map((r) => r.chain_seq), Array.from({ length: 240 }, (_, i) => i + 1), 'none missing, none twice');
    const v = await verify(db);
    assert.equal(v.ok, true, v.text);
    assert.match(v.text, /audit chain intact: 240 events verified\ncovered by checkpoint #\d+ up to chain seq 240 .*; 0 events after it not yet covered/);
  } finally {
    if (!closed) { await a.app.close(); if (b !== a) await b.app.close(); }
    await a.deps.db.destroy();
    if (b !== a) await b.deps.db.destroy();
  }
});

test('GOV-1 OPS-4 issue 15: a graceful stop seals and signs everything committed; the lag shows in /readyz and /metrics', async () => {
  const t = await startTestApp({ bootstrap: false, env: { TESSERA_AUDIT_SEAL_MS: '3600000' } });
  try {
    await until(async () => Boolean(await t.deps.db.selectFrom('audit_sealer').select('lease_owner').where('lease_owner', 'is not', null).executeTakeFirst()));
    await write(t.deps, 4);
    t.clock.advance(3000);
    const ready = await (await fetch(`${t.url}/readyz`)).json() as { status: string; audit: { unsealed: number; oldestUnsealedSeconds: number } };
    assert.deepEqual(ready, { status: 'ready', audit: { unsealed: 4, oldestUnsealedSeconds: 3 } });
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    assert.match(metrics, /^tessera_audit_unsealed_events 4$/m);
    assert.match(metrics, /^tessera_audit_seal_lag_seconds 3$/m);
    await t.app.close();
    const v = await verify(t.deps.db);
    assert.equal(v.ok, true, v.text);
    assert.match(v.text, /audit chain intact: 4 events verified\ncovered by checkpoint #1 up to chain seq 4 .*; 0 events after it not yet covered$/);
    const lease = await t.deps.db.selectFrom('audit_sealer').selectAll().executeTakeFirstOrThrow();
    assert.equal(lease.lease_owner, null, 'the lease is let go');
  } finally { await t.deps.db.destroy(); }
});

test('GOV-1 issue 15: a retention purge by the tessera_audit_purge role, recorded as audit.purge, verifies; the same deletion unrecorded is a gap; the application still cannot delete', async () => {
  const t = await signedTrail(6);
  try {
    const db = t.deps.db;
    // Roles are per server: the PostgreSQL pass may already have the purge role.
    const purger = 'audit_purger_' + crypto.randomBytes(4).toString('hex');
    await sql`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tessera_audit_purge') THEN CREATE ROLE tessera_audit_purge NOLOGIN; END IF; END $$`.execute(db);
    await sql`CREATE ROLE ${sql.id(purger)} LOGIN IN ROLE tessera_audit_purge`.execute(db);
    await sql`GRANT SELECT, DELETE, INSERT ON audit_events TO tessera_audit_purge`.execute(db);
    await assert.rejects(sql`DELETE FROM audit_events WHERE chain_seq <= 3`.execute(db), /append-only/, 'a superuser connection is not the purge role');
    await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL ROLE ${sql.id(purger)}`.execute(trx);
      const head = await sql<{ hash: string }>`SELECT hash FROM audit_events WHERE chain_seq = 3`.execute(trx);
      await sql`DELETE FROM audit_events WHERE chain_seq <= 3`.execute(trx);
      await sql`INSERT INTO audit_events (at, actor_account_id, action, result, details)
        VALUES (now(), NULL, 'audit.purge', 'ok', jsonb_build_object('throughChainSeq', 3, 'headHash', ${head.rows[0].hash}::text))`.execute(trx);
    });
    await sealCommitted(t.deps);
    const v = await verify(db);
    assert.equal(v.ok, true, v.text);
    assert.match(v.text, /audit chain intact: 4 events verified\ncovered by checkpoint #1 up to chain seq 6 .*; 1 event after it not yet covered/);
  } finally { await t.close(); }
  const u = await signedTrail(6);
  try {
    await tamper(u.deps.db, sql`DELETE FROM audit_events WHERE chain_seq <= 3`);
    assert.match((await verify(u.deps.db)).text, /gap: events 1–3 are missing \(3 events deleted\)[^]*BROKEN at chain seq 1 \(gap\); 0 events verified before it/);
  } finally { await u.close(); }
});
