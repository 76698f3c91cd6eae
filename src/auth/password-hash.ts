// argon2id through @node-rs/argon2 (native, runs off the event loop).
import { hash, verify, Algorithm } from '@node-rs/argon2';
import type { PasswordHasher } from '../platform/deps.ts';

export function argon2Hasher(params: { memoryCost: number; timeCost: number; parallelism: number }): PasswordHasher {
  const options = { algorithm: Algorithm.Argon2id, ...params };
  return {
    hash: (password) => hash(password, options),
    verify: async (stored, password) => {
      try { return await verify(stored, password); } catch { return false; }
    },
  };
}
