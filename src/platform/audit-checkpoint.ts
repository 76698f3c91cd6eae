// Signed checkpoints of the audit chain (GOV-1, issue 15): the chain head (position, hash, time)
// signed with an Ed25519 key whose private half is stored encrypted with TESSERA_SECRET_KEY, so
// the database alone (or its role) cannot sign. Each checkpoint is a row, and optionally a JSON
// line appended to TESSERA_AUDIT_CHECKPOINT_FILE, a copy outside the database that carries the
// public key, so it verifies on its own.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Db } from '../db/index.ts';
import type { Keyring } from './crypto.ts';
import { checkpointMessage } from './audit-chain.ts';
import { insertCheckpoint, insertSigningKey, newestSigningKey } from './audit-store.ts';

export interface Checkpoint { id?: number; chainSeq: number; headHash: string; signedAt: Date; keyId: string; signature: string }
/** A line of the checkpoint file. */
export interface CheckpointLine extends Checkpoint { publicKey: string }

const keyIdOf = (spkiB64: string): string => crypto.createHash('sha256').update(Buffer.from(spkiB64, 'base64')).digest('hex').slice(0, 16);

/** The signing key, made on first use (under the sealer lock, so instances agree on one). */
export async function signingKey(trx: Db, keyring: Keyring, now: Date): Promise<{ id: string; publicKey: string; privateKey: crypto.KeyObject }> {
  const row = await newestSigningKey(trx);
  if (row) {
    const privateKey = crypto.createPrivateKey({ key: Buffer.from(keyring.decrypt(row.private_key_enc), 'base64'), format: 'der', type: 'pkcs8' });
    return { id: row.id, publicKey: row.public_key, privateKey };
  }
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const priv = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  const id = keyIdOf(pub);
  await insertSigningKey(trx, { id, public_key: pub, private_key_enc: keyring.encrypt(priv), created_at: now });
  return { id, publicKey: pub, privateKey };
}

export function signatureValid(c: { chainSeq: number; headHash: string; signedAt: Date; signature: string }, publicKeyB64: string): boolean {
  try {
    const key = crypto.createPublicKey({ key: Buffer.from(publicKeyB64, 'base64'), format: 'der', type: 'spki' });
    return crypto.verify(null, Buffer.from(checkpointMessage(c)), key, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Signs the head and records the checkpoint (the caller appends it to the file once committed). */
export async function signHead(trx: Db, keyring: Keyring, head: { chain_seq: number; hash: string }, now: Date, instance: string): Promise<CheckpointLine> {
  const key = await signingKey(trx, keyring, now);
  const c = { chainSeq: head.chain_seq, headHash: head.hash, signedAt: now };
  const signature = crypto.sign(null, Buffer.from(checkpointMessage(c)), key.privateKey).toString('base64');
  const row = await insertCheckpoint(trx, { chain_seq: c.chainSeq, head_hash: c.headHash, signed_at: now, key_id: key.id, signature, instance });
  const line: CheckpointLine = { id: Number(row.id), ...c, keyId: key.id, signature, publicKey: key.publicKey };
  return line;
}

/** The copy outside the database: one JSON line per checkpoint, appended. */
export function appendCheckpointFile(file: string, line: CheckpointLine): void {
  fs.appendFileSync(file, JSON.stringify(line) + '\n', { mode: 0o600 });
}

/** Reads a checkpoint file (JSON lines); lines that do not parse are reported by number. */
export function readCheckpointFile(file: string): { lines: CheckpointLine[]; unreadable: number[] } {
  const lines: CheckpointLine[] = [], unreadable: number[] = [];
  fs.readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
    if (!text.trim()) return;
    try {
      const o = JSON.parse(text) as CheckpointLine;
      if (typeof o.chainSeq !== 'number' || typeof o.headHash !== 'string' || typeof o.signature !== 'string' || typeof o.publicKey !== 'string') throw new Error('fields');
      lines.push({ ...o, signedAt: new Date(o.signedAt) });
    } catch { unreadable.push(i + 1); }
  });
  return { lines, unreadable };
}
