/**
 * @module @zekka/adapters/bun
 * Ports implemented with Bun's runtime APIs.
 */
import type { PasswordHasher } from '@zekka/core';

export interface BunPasswordHasherOptions {
  /** argon2id memory cost in KiB. @default Bun's default (65536) */
  memoryCost?: number;
  /** argon2id iterations. @default Bun's default (2) */
  timeCost?: number;
}

/** argon2id through `Bun.password`, always the async form so hashing never blocks the event loop. */
export function createBunPasswordHasher(options: BunPasswordHasherOptions = {}): PasswordHasher {
  const algorithm = {
    algorithm: 'argon2id' as const,
    ...(options.memoryCost !== undefined && { memoryCost: options.memoryCost }),
    ...(options.timeCost !== undefined && { timeCost: options.timeCost }),
  };
  return {
    hash: (password) => Bun.password.hash(password, algorithm),
    async verify(password, hash) {
      try {
        return await Bun.password.verify(password, hash);
      } catch {
        // A malformed or foreign hash is a failed verification, not a server error.
        return false;
      }
    },
  };
}
