// The audit sealer (GOV-1, OPS-2, issue 15): one instance at a time (a lease row, the job
// scheduler's pattern) gives committed events their place in the hash chain, every
// TESSERA_AUDIT_SEAL_MS (0: this instance never seals on its own; tests drive it), and signs a
// checkpoint of the head every TESSERA_AUDIT_CHECKPOINT_MS when it moved. Commit order: a seal pass
// takes the sealer row lock, then reads every unsealed event its snapshot sees, i.e. every event
// whose transaction committed before the pass; an event committed later (even with a lower seq)
// is chained by a later pass, after them. So no horizon is needed: nothing already sealed can be
// preceded by an event that commits later (docs/decisions.md, "Audit trail without a lock").
// On stop the instance seals and signs everything committed, lease or not (the row lock orders
// it with a leader's pass), so a stopped instance leaves nothing uncovered.
import type { Deps } from './deps.ts';
import { eventHash, GENESIS_HASH } from './audit-chain.ts';
import { appendCheckpointFile, signHead, type CheckpointLine } from './audit-checkpoint.ts';
import { flushPublications, publishCheckpoint } from './audit-publish.ts';
import { chainHead, claimSealerLease, latestCheckpoint, lockSealer, releaseSealerLease, setSeals, unsealedEvents, unsealedFigures } from './audit-store.ts';

const BATCH = 2000;

/** One transaction: chains up to BATCH committed events after the head. Returns how many. */
async function sealBatch(deps: Deps): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    await lockSealer(trx);
    const head = await chainHead(trx);
    const rows = await unsealedEvents(trx, BATCH);
    let pos = head?.chain_seq ?? 0, prev = head?.hash ?? GENESIS_HASH;
    const seals = rows.map((r) => {
      pos += 1;
      const hash = eventHash(prev, { ...r, seq: pos, details: r.details as Record<string, unknown> });
      const s = { seq: Number(r.seq), chain_seq: pos, prev_hash: prev, hash };
      prev = hash;
      return s;
    });
    await setSeals(trx, seals);
    return rows.length;
  });
}

/** Seals every event committed so far. Returns how many it sealed. */
export async function sealCommitted(deps: Deps): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await sealBatch(deps);
    total += n;
    if (n < BATCH) return total;
  }
}

/** Signs the chain head if it moved since the newest checkpoint; returns the new checkpoint or null. */
export async function checkpointHead(deps: Deps, instance: string): Promise<CheckpointLine | null> {
  const line = await deps.db.transaction().execute(async (trx) => {
    await lockSealer(trx);
    const head = await chainHead(trx);
    const last = await latestCheckpoint(trx);
    if (!head || (last && Number(last.chain_seq) >= head.chain_seq)) return null;
    return signHead(trx, deps.keyring, head, deps.clock.now(), instance);
  });
  if (line && deps.config.auditCheckpointFile) appendCheckpointFile(deps.config.auditCheckpointFile, line);
  // Syslog and URL copies go out in the background: a slow receiver never holds sealing up.
  if (line) publishCheckpoint(deps.config, deps.log, line);
  return line;
}

/** Seals everything committed, then signs the head: a graceful stop, and `tessera audit seal`. */
export async function sealAndSign(deps: Deps, instance: string): Promise<{ sealed: number; checkpoint: CheckpointLine | null }> {
  const sealed = await sealCommitted(deps);
  return { sealed, checkpoint: await checkpointHead(deps, instance) };
}

/** The gap between committed and sealed (/readyz detail, /metrics). */
export async function sealLag(deps: Deps): Promise<{ unsealed: number; oldestUnsealedSeconds: number }> {
  const f = await unsealedFigures(deps.db);
  const age = f.oldestAt ? Math.max(0, (deps.clock.now().getTime() - f.oldestAt.getTime()) / 1000) : 0;
  return { unsealed: f.count, oldestUnsealedSeconds: age };
}

export interface Sealer { readonly instance: string; isLeader(): boolean; stop(): Promise<void> }

/**
 * Every `auditSealMs`: take or renew the lease; as leader, seal what committed and, every
 * `auditCheckpointMs`, sign the head. stop() waits for a pass under way, then seals and signs
 * everything committed, and lets the lease go. With auditSealMs 0 it does nothing at all.
 */
export function startSealer(deps: Deps, instance: string): Sealer {
  const everyMs = deps.config.auditSealMs;
  if (everyMs === 0) return { instance, isLeader: () => false, stop: async () => {} };
  const leaseMs = Math.max(10_000, everyMs * 10);
  let stopped = false, leader = false, lastCheckpoint = 0;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  const pass = async () => {
    const now = deps.clock.now();
    leader = await claimSealerLease(deps.db, instance, now, new Date(now.getTime() + leaseMs));
    if (!leader) return;
    await sealCommitted(deps);
    if (Date.now() - lastCheckpoint >= deps.config.auditCheckpointMs) {
      lastCheckpoint = Date.now();
      const cp = await checkpointHead(deps, instance);
      if (cp) deps.log.info({ checkpoint: cp.id, chainSeq: cp.chainSeq }, 'audit checkpoint signed');
    }
  };
  const tick = () => {
    if (stopped) return;
    running = pass().catch((err) => deps.log.error({ err: { type: (err as Error).name, code: (err as { code?: string }).code } }, 'audit seal pass failed'))
      .finally(() => { running = null; if (!stopped) timer = setTimeout(tick, everyMs); });
  };
  tick();
  return {
    instance,
    isLeader: () => leader,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      try {
        const r = await sealAndSign(deps, instance);
        await releaseSealerLease(deps.db, instance);
        await flushPublications(5000);
        deps.log.info({ sealed: r.sealed, checkpoint: r.checkpoint?.id ?? null }, 'audit trail sealed and signed on stop');
      } catch (err) {
        // The database is gone: another instance (or the next start) seals what committed.
        deps.log.error({ err: { type: (err as Error).name, code: (err as { code?: string }).code } }, 'audit seal on stop failed');
      }
    },
  };
}
