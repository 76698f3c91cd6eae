// argon2id through @node-rs/argon2 (native, off the event loop). At most one hash per core runs
// at a time: libuv's four worker threads on two cores would make every verify ~18% dearer.
import os from 'node:os';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import type { PasswordHasher } from '../platform/deps.ts';

/** A counting semaphore: `run` waits for a free slot, so excess work queues instead of thrashing. */
export function limiter(slots: number) {
  let free = slots;
  const waiting: (() => void)[] = [];
  return async function run<T>(fn: () => Promise<T>): Promise<T> {
    if (free > 0) free--; else await new Promise<void>((resolve) => waiting.push(resolve));
    try { return await fn(); } finally {
      const next = waiting.shift();
      if (next) next(); else free++;
    }
  };
}

export function argon2Hasher(params: { memoryCost: number; timeCost: number; parallelism: number }, slots = os.availableParallelism()): PasswordHasher {
  const options = { algorithm: Algorithm.Argon2id, ...params };
  const run = limiter(slots);
  return {
    hash: (password) => run(() => hash(password, options)),
    verify: (stored, password) => run(async () => {
      try { return await verify(stored, password); } catch { return false; }
    }),
  };
}
