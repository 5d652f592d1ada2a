/**
 * Redis going away under the adapters, and coming back. The test runs its own `redis-server` on a free port,
 * points a cache, two event buses and a limiter factory at it, SIGKILLs it, and checks the degraded mode:
 * cache reads are fast misses and writes fail `UNAVAILABLE` fast, the bus still delivers locally, limits
 * hold in memory, each outage logged once. Then it starts Redis again on the same port and checks that
 * everything recovers by itself — the same adapter objects, nothing recreated.
 * Skipped without a Redis `REDIS_URL` or a `redis-server` binary (failing when `CI=true`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { type Cache, ZekkaError, type ZekkaEvent } from '@zekka/core';
import { redisTestTarget } from '../src/conformance/index.ts';
import {
  createRedisCache,
  createRedisClient,
  createRedisEventBus,
  createRedisRateLimiterFactory,
  type RedisEventBus,
  type RedisRateLimiter,
  type RedisRateLimiterFactory,
} from '../src/redis/index.ts';
import { type RecordingLogger, recordingLogger } from './support/recording-logger.ts';
import { hasRedisServer, type PrivateRedis, startPrivateRedis } from './support/redis-server.ts';

const target = redisTestTarget();
const binary = hasRedisServer();
if (target !== null && !binary) {
  if (process.env.CI === 'true')
    throw new Error('CI=true needs redis-server on the PATH for the fault suite');
  console.warn('redis fault suite skipped: no redis-server binary on the PATH');
}

const updated = (id: string, field: string): ZekkaEvent => ({
  event: 'project:updated',
  topics: [`project:${id}`],
  data: { projectId: id, fields: [field] },
  ts: Date.now(),
});

/** Resolves with how long `promise` took to settle, whichever way. */
async function elapsed(promise: Promise<unknown>): Promise<number> {
  const started = performance.now();
  await promise.catch(() => {});
  return performance.now() - started;
}

/** Retries `check` until it passes or `timeoutMs` runs out (then rethrows its last failure). */
async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await Bun.sleep(100);
    }
  }
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof ZekkaError ? error.code : `raw: ${String(error)}`),
  );

describe.skipIf(target === null || !binary)('redis adapters when Redis dies and returns', () => {
  const prefix = target?.prefix ?? '';
  let redis: PrivateRedis;
  let cache: Cache;
  let busA: RedisEventBus;
  let busB: RedisEventBus;
  let limiters: RedisRateLimiterFactory;
  let limiter: RedisRateLimiter;
  const logs: Record<'cache' | 'busA' | 'busB' | 'limits', RecordingLogger> = {
    cache: recordingLogger(),
    busA: recordingLogger(),
    busB: recordingLogger(),
    limits: recordingLogger(),
  };
  // Topics on B: one kept through the outage, one dropped during it, one taken during it.
  const [kept, dropped, taken] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  const onB: Record<string, string[]> = { [kept]: [], [dropped]: [], [taken]: [] };
  let dropB: () => void = () => {};

  beforeAll(async () => {
    redis = await startPrivateRedis();
    const { url } = redis;
    cache = createRedisCache({ url, keyPrefix: prefix, logger: logs.cache });
    busA = createRedisEventBus({ url, channelPrefix: prefix, logger: logs.busA });
    busB = createRedisEventBus({ url, channelPrefix: prefix, logger: logs.busB });
    limiters = createRedisRateLimiterFactory({ url, keyPrefix: prefix, logger: logs.limits });
    limiter = limiters({ name: 'api', pointsPerMinute: 3 });
    busB.subscribe(`project:${kept}`, (e) => onB[kept]?.push(e.event));
    dropB = busB.subscribe(`project:${dropped}`, (e) => onB[dropped]?.push(e.event));
  });

  afterAll(async () => {
    await redis?.kill();
    await Promise.all([cache?.close(), busA?.close(), busB?.close(), limiters?.close()]);
  });

  test('with Redis up: the cache, delivery from A to B and the shared limit all work', async () => {
    await cache.set('k', 'v', 60_000);
    expect(await cache.get('k')).toBe('v');
    await busB.sync();
    await busA.publish(updated(kept, 'before'));
    await busB.sync();
    expect(onB[kept]).toEqual(['project:updated']);
    expect(await limiter.consume('ip:1')).toBe(0);
    expect(logs.limits.messages('warn')).toEqual([]);
  });

  test('Redis killed: cache reads are misses and writes fail UNAVAILABLE, all fast', async () => {
    await redis.kill();
    await eventually(async () => {
      await expect(cache.ping()).rejects.toThrow();
    });
    for (let i = 0; i < 5; i++) expect(await elapsed(cache.get('k'))).toBeLessThan(1000);
    expect(await cache.get('k')).toBeNull();
    expect(await elapsed(cache.set('k', 'v2', 60_000))).toBeLessThan(1000);
    expect(await codeOf(cache.set('k', 'v2', 60_000))).toBe('UNAVAILABLE');
    expect(await codeOf(cache.increment('n', 60_000))).toBe('UNAVAILABLE');
    expect(await codeOf(cache.delete('k'))).toBe('UNAVAILABLE');
    expect(await codeOf(cache.getAndDelete('k'))).toBe('UNAVAILABLE');
    expect(await codeOf(cache.ping())).toBe('UNAVAILABLE');
    // A dozen failures, one warning: the rest fall within its 10-second window.
    expect(logs.cache.messages('warn')).toEqual(['redis cache unavailable: reads are misses, writes fail']);
  });

  test('Redis killed: the bus still delivers on its own instance, and publish resolves fast', async () => {
    const id = crypto.randomUUID();
    const onA: string[] = [];
    busA.subscribe(`project:${id}`, (e) => onA.push((e.data as { fields: string[] }).fields[0] ?? ''));
    const started = performance.now();
    for (let i = 0; i < 10; i++) await busA.publish(updated(id, String(i)));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(onA).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
    expect(await codeOf(busB.sync())).toBe('UNAVAILABLE');
    // Subscriptions change while Redis is away; they must hold once it is back.
    dropB();
    busB.subscribe(`project:${taken}`, (e) => onB[taken]?.push(e.event));
    expect(logs.busA.messages('warn')).toEqual([
      'redis event bus unavailable: events reach this instance only',
    ]);
  });

  test('Redis killed: limits hold in this instance’s memory, with one warning', async () => {
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push(await limiter.consume('ip:2'));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits.slice(3).every((w) => w >= 1)).toBe(true);
    expect(logs.limits.messages('warn')).toEqual([
      'redis unavailable: rate limits fall back to per-instance memory',
    ]);
  });

  test('Redis back on the same port: everything recovers without recreating the adapters', async () => {
    await redis.restart();

    await eventually(() => cache.ping());
    await cache.set('k', 'after', 60_000);
    expect(await cache.get('k')).toBe('after');
    expect(await cache.increment('n', 60_000)).toBe(1);
    expect(logs.cache.messages('info')).toEqual(['redis cache available again']);

    // Delivery from A to B resumes on the topic B kept and on the one it took during the outage.
    await eventually(async () => {
      await busB.sync();
      await busA.publish(updated(kept, 'after'));
      await busA.publish(updated(taken, 'after'));
      await busA.publish(updated(dropped, 'after'));
      await busB.sync();
      expect(onB[kept]?.length).toBeGreaterThan(1);
      expect(onB[taken]?.length).toBeGreaterThan(0);
    });
    expect(onB[dropped]).toEqual([]);
    const raw = createRedisClient(redis.url, { redisOptions: { enableOfflineQueue: true } });
    const numsub = (await raw.pubsub(
      'NUMSUB',
      `${prefix}project:${kept}`,
      `${prefix}project:${taken}`,
      `${prefix}project:${dropped}`,
    )) as (string | number)[];
    expect(numsub.filter((_, i) => i % 2 === 1).map(Number)).toEqual([1, 1, 0]);

    // Limits count in Redis again: the key is there, and the all-clear was logged once.
    await eventually(async () => {
      expect(await limiter.consume('ip:3')).toBe(0);
      expect(logs.limits.messages('info')).toEqual(['rate limits back on redis']);
    });
    expect(await raw.exists(`${prefix}api:ip:3`)).toBe(1);
    await raw.quit();
    expect(logs.limits.messages('warn')).toHaveLength(1);
  });
});
