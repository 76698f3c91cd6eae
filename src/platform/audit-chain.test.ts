// GOV-1: the audit hash chain detects edits, deletions and re-ordering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { eventHash, findBreak, GENESIS_HASH, canonicalJson, type ChainRow } from './audit-chain.ts';

function chain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const f = { seq: i, at: new Date(Date.UTC(2026, 10, 25, 0, i)), actor_account_id: i % 3 ? i : null, action: 'auth.login.password', result: 'ok', target_type: 'account', target_id: String(i), org_oid: '2.16.886.101', ip: '127.0.0.1', details: { n: i, nested: { b: 1, a: [1, 2] } } };
    const hash = eventHash(prev, f);
    rows.push({ ...f, prev_hash: prev, hash });
    prev = hash;
  }
  return rows;
}

test('GOV-1: an intact chain verifies, also when checked in batches', () => {
  const rows = chain(20);
  assert.equal(findBreak(rows, null), null);
  assert.equal(findBreak(rows.slice(10), { seq: 10, hash: rows[9].hash }), null);
});

test('GOV-1: editing any field of any row is found at that row', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 19 }), fc.constantFrom('action', 'result', 'ip', 'details', 'actor_account_id', 'at'), (i, field) => {
    const rows = chain(20);
    const edited = { ...rows[i] } as Record<string, unknown>;
    edited[field] = field === 'details' ? { n: -1 } : field === 'at' ? new Date(0) : field === 'actor_account_id' ? 999 : 'tampered';
    rows[i] = edited as unknown as ChainRow;
    const b = findBreak(rows, null);
    return b !== null && b.seq === i + 1;
  }));
});

test('GOV-1: a deleted row is a gap; a recomputed row breaks the next link', () => {
  const rows = chain(10);
  assert.deepEqual(findBreak([...rows.slice(0, 4), ...rows.slice(5)], null), { seq: 5, reason: 'gap', index: 4 });
  const forged = chain(10);
  forged[3] = { ...forged[3], result: 'failed' };
  forged[3].hash = eventHash(forged[3].prev_hash, forged[3]);
  assert.deepEqual(findBreak(forged, null), { seq: 5, reason: 'prev_hash', index: 4 });
});

test('GOV-1: canonical JSON does not depend on key order', () => {
  fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
    const reversed = Object.fromEntries(Object.entries(o).reverse());
    return canonicalJson(o) === canonicalJson(reversed);
  }));
});
