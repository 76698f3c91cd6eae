// Verifying the audit trail (GOV-1, OPS-6, issue 15): the sealed chain link by link, every signed
// checkpoint's signature, the chain against each checkpoint's head (a rewrite with recomputed
// hashes no longer matches what was signed; a deleted tail falls short of it), and optionally
// against an external copy of the checkpoints. Every problem names its chain positions and kind.
import type { Db } from '../db/index.ts';
import { eventHash, GENESIS_HASH } from './audit-chain.ts';
import { signatureValid, type CheckpointLine } from './audit-checkpoint.ts';
import { allCheckpoints, purgeRecords, sealedEventsAfter, signingKeys, unsealedFigures } from './audit-store.ts';

export type ProblemKind =
  | 'gap' // events missing in the middle (deleted)
  | 'prev_hash' // the link to the previous event is broken (an earlier event rewritten, or one inserted)
  | 'hash' // the event was edited after it was sealed
  | 'rewritten' // the chain no longer ends where a checkpoint says at its position (rewritten with recomputed hashes)
  | 'tail' // events a checkpoint covers are missing at the end (deleted at the tail)
  | 'signature' // a checkpoint whose signature does not verify (replaced or forged)
  | 'key' // a checkpoint signed by a key the database does not have, or a key replaced
  | 'file'; // the checkpoint file has unreadable lines

export interface Problem { kind: ProblemKind; chainSeq?: number; message: string }

export interface CheckpointRef { source: 'database' | 'file'; id?: number; chainSeq: number; headHash: string; signedAt: Date }

export interface AuditReport {
  /** Sealed events read. */
  events: number;
  /** Events verified before the first problem in the chain (all of them when there is none). */
  verified: number;
  problems: Problem[];
  /** The newest checkpoint with a valid signature (database or file, whichever covers more). */
  covering: CheckpointRef | null;
  /** Sealed events after the covering checkpoint: not yet covered by a signature. */
  uncovered: number;
  /** Committed events the sealer has not chained yet. */
  unsealed: number;
  checkpoints: number;
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;
const range = (a: number, b: number) => (a === b ? `${a}` : `${a}–${b}`);

export async function verifyAudit(db: Db, external?: { lines: CheckpointLine[]; unreadable: number[] }, batch = 5000): Promise<AuditReport> {
  const problems: Problem[] = [];
  const keys = new Map((await signingKeys(db)).map((k) => [k.id, k.public_key]));

  // Checkpoints whose signature verifies; each is then checked against the chain.
  const valid: CheckpointRef[] = [];
  const dbCheckpoints = await allCheckpoints(db);
  for (const c of dbCheckpoints) {
    const ref: CheckpointRef = { source: 'database', id: Number(c.id), chainSeq: Number(c.chain_seq), headHash: c.head_hash, signedAt: new Date(c.signed_at) };
    const pub = keys.get(c.key_id);
    if (!pub) { problems.push({ kind: 'key', message: `checkpoint #${ref.id} (chain seq ${ref.chainSeq}) is signed by key ${c.key_id}, which the database does not hold` }); continue; }
    if (!signatureValid({ ...ref, signature: c.signature }, pub)) {
      problems.push({ kind: 'signature', message: `checkpoint #${ref.id} (chain seq ${ref.chainSeq}): the signature does not verify (the checkpoint was replaced or forged)` });
      continue;
    }
    valid.push(ref);
  }
  if (external) {
    for (const n of external.unreadable) problems.push({ kind: 'file', message: `checkpoint file line ${n} is not a checkpoint` });
    for (const l of external.lines) {
      const ref: CheckpointRef = { source: 'file', id: l.id, chainSeq: l.chainSeq, headHash: l.headHash, signedAt: l.signedAt };
      const name = `checkpoint file entry #${l.id ?? '?'} (chain seq ${l.chainSeq})`;
      if (!signatureValid(l, l.publicKey)) { problems.push({ kind: 'signature', message: `${name}: the signature does not verify` }); continue; }
      const dbKey = keys.get(l.keyId);
      if (dbKey !== l.publicKey) problems.push({ kind: 'key', message: `${name}: its key ${l.keyId} is ${dbKey ? 'different' : 'missing'} in the database (the signing key was replaced)` });
      valid.push(ref);
    }
  }
  const atPos = new Map<number, CheckpointRef[]>();
  for (const c of valid) atPos.set(c.chainSeq, [...(atPos.get(c.chainSeq) ?? []), c]);
  const cpName = (c: CheckpointRef) => `${c.source === 'file' ? 'the checkpoint file\'s entry' : 'checkpoint'} #${c.id ?? '?'} (signed ${c.signedAt.toISOString()})`;

  // A retention purge (docs/operations.md) removes a prefix and records where the chain goes on.
  const purges = (await purgeRecords(db)).map((r) => r.details as { throughChainSeq?: number; headHash?: string });

  let events = 0, verified = 0, clean = true, last = 0, lastGood = 0, prevHash = GENESIS_HASH;
  const fail = (p: Problem) => { if (problems.filter((x) => x.chainSeq !== undefined).length < 50) problems.push(p); clean = false; };
  let after = 0, first = true;
  for (;;) {
    const rows = await sealedEventsAfter(db, after, batch);
    if (rows.length === 0) break;
    for (const r of rows) {
      const pos = Number(r.chain_seq);
      events += 1;
      if (first && pos > 1) {
        const purge = purges.find((p) => p.throughChainSeq === pos - 1 && p.headHash === r.prev_hash);
        if (purge) { last = pos - 1; prevHash = r.prev_hash!; }
      }
      first = false;
      let ok = true;
      if (pos !== last + 1) {
        fail({ kind: 'gap', chainSeq: last + 1, message: `events ${range(last + 1, pos - 1)} are missing (${plural(pos - 1 - last, 'event')} deleted)` });
        ok = false;
      } else if (r.prev_hash !== prevHash) {
        fail({ kind: 'prev_hash', chainSeq: pos, message: `event ${pos} does not follow event ${pos - 1} (its link is broken: an earlier event was rewritten, or this one inserted)` });
        ok = false;
      }
      if (eventHash(r.prev_hash!, { ...r, seq: pos, details: r.details as Record<string, unknown> }) !== r.hash) {
        fail({ kind: 'hash', chainSeq: pos, message: `event ${pos} was edited after it was sealed (its content does not match its hash)` });
        ok = false;
      }
      for (const c of atPos.get(pos) ?? []) {
        if (c.headHash !== r.hash) {
          fail({ kind: 'rewritten', chainSeq: pos, message: `event ${pos} is not the one ${cpName(c)} signed: events ${range(lastGood + 1, pos)} were rewritten (hashes recomputed)` });
          ok = false;
        } else if (ok) lastGood = pos;
      }
      if (ok && clean) verified += 1;
      last = pos;
      prevHash = r.hash!;
    }
    after = last;
  }
  for (const c of valid) {
    if (c.chainSeq > last) {
      fail({ kind: 'tail', chainSeq: last + 1, message: `events ${range(last + 1, c.chainSeq)} covered by ${cpName(c)} are missing at the end (${plural(c.chainSeq - last, 'event')} deleted)` });
      break;
    }
  }
  const covering = valid.filter((c) => c.chainSeq <= last).sort((a, b) => b.chainSeq - a.chainSeq)[0] ?? null;
  const { count: unsealed } = await unsealedFigures(db);
  return { events, verified, problems, covering, uncovered: Math.min(events, Math.max(0, last - (covering?.chainSeq ?? 0))), unsealed, checkpoints: dbCheckpoints.length };
}

/** The report as the lines `tessera audit verify` prints; `ok` false when any problem was found. */
export function describeReport(r: AuditReport): { ok: boolean; lines: string[] } {
  const lines: string[] = [];
  const chainProblems = r.problems.filter((p) => p.chainSeq !== undefined);
  for (const p of r.problems) lines.push(`${p.kind}: ${p.message}`);
  if (chainProblems.length) {
    const f = chainProblems[0];
    lines.push(`audit chain BROKEN at chain seq ${f.chainSeq} (${f.kind}); ${plural(r.verified, 'event')} verified before it`);
  } else if (r.problems.length) {
    lines.push(`audit checkpoints BROKEN; the chain itself: ${plural(r.verified, 'event')} verified`);
  } else {
    lines.push(`audit chain intact: ${plural(r.verified, 'event')} verified`);
  }
  lines.push(r.covering
    ? `covered by ${r.covering.source === 'file' ? 'the checkpoint file' : 'checkpoint'} #${r.covering.id ?? '?'} up to chain seq ${r.covering.chainSeq} (signed ${r.covering.signedAt.toISOString()}); ${plural(r.uncovered, 'event')} after it not yet covered`
    : `no signed checkpoint covers the chain yet; ${plural(r.uncovered, 'event')} not yet covered`);
  if (r.unsealed) lines.push(`${plural(r.unsealed, 'event')} committed but not yet sealed`);
  return { ok: r.problems.length === 0, lines };
}
