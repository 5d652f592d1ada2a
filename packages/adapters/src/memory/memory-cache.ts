/**
 * @module memory-cache
 * The in-process `Cache`: a Map with per-key expiry. Expired keys are dropped when read and by a periodic
 * sweep, so keys that are never read again do not accumulate.
 */
import type { Cache } from '@zekka/core';

interface Entry {
  value: string;
  expiresAt: number;
}

export interface MemoryCacheOptions {
  /** How often expired keys are swept, in ms. @default 30000 */
  sweepIntervalMs?: number;
  /** Clock for expiry (tests). @default Date.now */
  now?: () => number;
}

export function createMemoryCache(options: MemoryCacheOptions = {}): Cache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let closed = false;

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const sweep = setInterval(() => {
    const t = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= t) entries.delete(key);
  }, options.sweepIntervalMs ?? 30_000);
  // The sweep must never keep a process alive on its own.
  sweep.unref?.();

  const assertTtl = (ttlMs: number) => {
    if (!(ttlMs > 0) || !Number.isFinite(ttlMs))
      throw new RangeError(`ttlMs must be a positive number, got ${ttlMs}`);
  };
  const assertOpen = () => {
    if (closed) throw new Error('cache is closed');
  };

  return {
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlMs) {
      assertOpen();
      assertTtl(ttlMs);
      entries.set(key, { value, expiresAt: now() + ttlMs });
    },
    async delete(key) {
      entries.delete(key);
    },
    async increment(key, ttlMs, by = 1) {
      assertOpen();
      assertTtl(ttlMs);
      const entry = live(key);
      if (entry === undefined) {
        entries.set(key, { value: String(by), expiresAt: now() + ttlMs });
        return by;
      }
      const current = Number.parseInt(entry.value, 10);
      if (!Number.isSafeInteger(current)) throw new TypeError(`value at ${key} is not an integer`);
      entry.value = String(current + by);
      return current + by;
    },
    async getAndDelete(key) {
      const entry = live(key);
      entries.delete(key);
      return entry?.value ?? null;
    },
    async ping() {
      assertOpen();
    },
    async close() {
      closed = true;
      clearInterval(sweep);
      entries.clear();
    },
  };
}
