/**
 * @module cache-suite
 * The `Cache` conformance suite. Every cache adapter runs it; `sleep` lets a suite on a real backend wait
 * for real expiry.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { Cache } from '@zekka/core';

export function runCacheConformance(name: string, factory: () => Promise<Cache> | Cache): void {
  describe(`Cache conformance: ${name}`, () => {
    let cache: Cache;
    let prefix: string;
    beforeEach(async () => {
      cache = await factory();
      prefix = `t:${crypto.randomUUID()}:`;
    });
    afterEach(async () => {
      await cache.close();
    });
    const key = (k: string) => prefix + k;

    test('get of a missing key is null', async () => {
      expect(await cache.get(key('missing'))).toBeNull();
    });

    test('set then get returns the value; set replaces it', async () => {
      await cache.set(key('a'), 'one', 10_000);
      expect(await cache.get(key('a'))).toBe('one');
      await cache.set(key('a'), 'two', 10_000);
      expect(await cache.get(key('a'))).toBe('two');
    });

    test('values expire after their TTL', async () => {
      await cache.set(key('short'), 'x', 30);
      await Bun.sleep(80);
      expect(await cache.get(key('short'))).toBeNull();
    });

    test('a non-positive TTL is refused', async () => {
      await expect(cache.set(key('bad'), 'x', 0)).rejects.toThrow();
      await expect(cache.increment(key('bad'), -1)).rejects.toThrow();
    });

    test('delete removes a key and ignores a missing one', async () => {
      await cache.set(key('d'), 'x', 10_000);
      await cache.delete(key('d'));
      await cache.delete(key('never-set'));
      expect(await cache.get(key('d'))).toBeNull();
    });

    test('increment starts at 0, adds, and keeps the first TTL', async () => {
      expect(await cache.increment(key('n'), 60)).toBe(1);
      expect(await cache.increment(key('n'), 60_000, 5)).toBe(6);
      await Bun.sleep(120);
      // The second call's long TTL did not extend the key.
      expect(await cache.get(key('n'))).toBeNull();
      expect(await cache.increment(key('n'), 10_000)).toBe(1);
    });

    test('concurrent increments never lose a count', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => cache.increment(key('c'), 10_000)));
      expect(new Set(results).size).toBe(50);
      expect(await cache.get(key('c'))).toBe('50');
    });

    test('getAndDelete returns the value once', async () => {
      await cache.set(key('once'), 'v', 10_000);
      const [first, second] = await Promise.all([
        cache.getAndDelete(key('once')),
        cache.getAndDelete(key('once')),
      ]);
      expect([first, second].filter((v) => v === 'v')).toHaveLength(1);
      expect(await cache.get(key('once'))).toBeNull();
      expect(await cache.getAndDelete(key('missing'))).toBeNull();
    });

    test('ping resolves while open', async () => {
      await cache.ping();
    });
  });
}
