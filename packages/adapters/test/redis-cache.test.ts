/**
 * The Redis cache: the same conformance suite as the memory cache, and what only Redis can show — the TTL
 * every key carries, the key prefix, a shared client left open. Skipped without a Redis `REDIS_URL`
 * (failing when `CI=true`); the outage behaviour is in redis-faults.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { silentLogger } from '@zekka/core';
import { runCacheConformance } from '../src/conformance/cache-suite.ts';
import { redisTestTarget } from '../src/conformance/index.ts';
import { createRedisCache, createRedisClient } from '../src/redis/index.ts';

const target = redisTestTarget();

describe.skipIf(target === null)('redis cache', () => {
  const { url, prefix } = target ?? { url: '', prefix: '' };
  let raw: ReturnType<typeof createRedisClient>;
  beforeAll(() => {
    raw = createRedisClient(url, { redisOptions: { enableOfflineQueue: true } });
  });
  afterAll(() => raw.quit());

  runCacheConformance('redis', () => createRedisCache({ url, keyPrefix: prefix, logger: silentLogger }));

  const open = () => createRedisCache({ url, keyPrefix: prefix, logger: silentLogger });
  const key = () => `k:${crypto.randomUUID()}`;

  test('every key it writes carries its TTL, under the key prefix', async () => {
    const cache = open();
    const [a, b] = [key(), key()];
    await cache.set(a, 'v', 5000);
    await cache.increment(b, 7000, 3);
    const [ttlA, ttlB] = await Promise.all([raw.pttl(prefix + a), raw.pttl(prefix + b)]);
    expect(ttlA).toBeGreaterThan(4000);
    expect(ttlA).toBeLessThanOrEqual(5000);
    expect(ttlB).toBeGreaterThan(6000);
    expect(ttlB).toBeLessThanOrEqual(7000);
    expect(await raw.get(a)).toBeNull();
    await cache.close();
  });

  test('increment gives a key that has no TTL one, rather than counting forever', async () => {
    const cache = open();
    const k = key();
    await raw.set(prefix + k, '41');
    expect(await cache.increment(k, 5000)).toBe(42);
    expect(await raw.pttl(prefix + k)).toBeGreaterThan(4000);
    await cache.close();
  });

  test('increment of a value that is not an integer rejects with Redis error, not UNAVAILABLE', async () => {
    const cache = open();
    const k = key();
    await cache.set(k, 'abc', 5000);
    const error = await cache.increment(k, 5000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('ReplyError');
    expect(await cache.get(k)).toBe('abc');
    await cache.close();
  });

  test('a fractional TTL is rounded up to whole milliseconds, which Redis requires', async () => {
    const cache = open();
    const [a, b] = [key(), key()];
    await cache.set(a, 'v', 1500.5);
    await cache.increment(b, 0.5);
    const ttl = await raw.pttl(prefix + a);
    expect(ttl).toBeGreaterThan(1000);
    expect(ttl).toBeLessThanOrEqual(1501);
    await cache.close();
  });

  test('two caches on one Redis see each other’s writes', async () => {
    const [one, two] = [open(), open()];
    const k = key();
    await one.set(k, 'shared', 5000);
    expect(await two.get(k)).toBe('shared');
    expect(await two.increment(`${k}:n`, 5000)).toBe(1);
    expect(await one.increment(`${k}:n`, 5000)).toBe(2);
    expect(await two.getAndDelete(k)).toBe('shared');
    expect(await one.get(k)).toBeNull();
    await Promise.all([one.close(), two.close()]);
  });

  test('close leaves a client passed in open for its owner; a closed cache refuses calls', async () => {
    const client = createRedisClient(url, { redisOptions: { enableOfflineQueue: true } });
    const cache = createRedisCache({ client, keyPrefix: prefix, logger: silentLogger });
    await cache.set(key(), 'v', 5000);
    await cache.close();
    expect(await client.ping()).toBe('PONG');
    await expect(cache.set(key(), 'v', 5000)).rejects.toThrow('closed');
    await expect(cache.ping()).rejects.toThrow();
    await client.quit();
  });
});
