// Pure rules of the tamper-evident audit chain (GOV-1): hash = SHA-256(prev_hash ‖ canonical
// event), where the event's `seq` is its chain position; and what a signed checkpoint says.
import { sha256 } from './crypto.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  /** The chain position (audit_events.chain_seq). */
  seq: number;
  at: Date;
  actor_account_id: number | null;
  action: string;
  result: string;
  target_type: string | null;
  target_id: string | null;
  org_oid: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

/** JSON with object keys sorted at every depth, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Hashes exactly the chained fields, so extra columns on a row read back do not matter. */
export function eventHash(prevHash: string, e: ChainedFields): string {
  const fields: ChainedFields = {
    seq: Number(e.seq), at: new Date(e.at), actor_account_id: e.actor_account_id === null ? null : Number(e.actor_account_id),
    action: e.action, result: e.result, target_type: e.target_type, target_id: e.target_id, org_oid: e.org_oid, ip: e.ip,
    details: e.details,
  };
  return sha256(prevHash + canonicalJson(fields));
}

export interface ChainRow extends ChainedFields { prev_hash: string; hash: string }

/**
 * gap: events missing (deleted); prev_hash: the link to the previous event is broken (an event
 * before it was rewritten, or one was inserted); hash: the event's content was edited.
 */
export type ChainBreak = { seq: number; reason: 'prev_hash' | 'hash' | 'gap'; index: number };

/**
 * Checks a run of rows in chain order, continuing from `prev` (the last verified row, if any).
 * `index` is how many rows of this run verified before the break.
 */
export function findBreak(rows: ChainRow[], prev: { seq: number; hash: string } | null): ChainBreak | null {
  let expectSeq = prev ? prev.seq + 1 : 1;
  let prevHash = prev ? prev.hash : GENESIS_HASH;
  for (const [index, r] of rows.entries()) {
    const seq = Number(r.seq);
    if (seq !== expectSeq) return { seq: expectSeq, reason: 'gap', index };
    if (r.prev_hash !== prevHash) return { seq, reason: 'prev_hash', index };
    if (eventHash(r.prev_hash, r) !== r.hash) return { seq, reason: 'hash', index };
    prevHash = r.hash;
    expectSeq = seq + 1;
  }
  return null;
}

/** The exact bytes a checkpoint signs: version, chain position, head hash, time. */
export const checkpointMessage = (c: { chainSeq: number; headHash: string; signedAt: Date }): string =>
  `tessera-audit-checkpoint/v1\n${c.chainSeq}\n${c.headHash}\n${new Date(c.signedAt).toISOString()}`;
