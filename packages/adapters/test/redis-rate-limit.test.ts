/**
 * Rate limits on Redis: one limit shared by every instance, the wait a 429 reports, and the fallback to
 * per-instance memory when Redis cannot be reached — with one warning, not one per request. Skipped without
 * a Redis `REDIS_URL` (failing when `CI=true`); falling back and coming back over a real outage is in
 * redis-faults.test.ts.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { silentLogger } from '@zekka/core';
import { redisTestTarget } from '../src/conformance/index.ts';
import {
  createRedisClient,
  createRedisRateLimiterFactory,
  type RedisRateLimiterFactory,
} from '../src/redis/index.ts';
import { recordingLogger } from './support/recording-logger.ts';
import { freePort } from './support/redis-server.ts';

const target = redisTestTarget();

describe.skipIf(target === null)('redis rate limits', () => {
  const { url, prefix } = target ?? { url: '', prefix: '' };
  const factories: RedisRateLimiterFactory[] = [];
  const open = (options: { url?: string; logger?: typeof silentLogger } = {}) => {
    const factory = createRedisRateLimiterFactory({
      url: options.url ?? url,
      keyPrefix: prefix,
      logger: options.logger ?? silentLogger,
    });
    factories.push(factory);
    return factory;
  };
  afterEach(async () => {
    await Promise.all(factories.splice(0).map((factory) => factory.close()));
  });
  const ip = () => `ip:${crypto.randomUUID()}`;

  test('two instances share one limit per key', async () => {
    const [one, two] = [open(), open()];
    const spec = { name: 'api', pointsPerMinute: 5 } as const;
    const [a, b] = [one(spec), two(spec)];
    const key = ip();
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push(await (i % 2 === 0 ? a : b).consume(key));
    expect(waits).toEqual([0, 0, 0, 0, 0]);
    expect(await a.consume(key)).toBeGreaterThan(0);
    expect(await b.consume(key)).toBeGreaterThan(0);
    // Another key is counted on its own.
    expect(await b.consume(ip())).toBe(0);
  });

  test('over the limit, the wait is whole seconds, at least 1 and at most the window', async () => {
    const limiter = open()({ name: 'auth', pointsPerMinute: 1 });
    const key = ip();
    expect(await limiter.consume(key)).toBe(0);
    const wait = await limiter.consume(key);
    expect(Number.isInteger(wait)).toBe(true);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
  });

  test('the auth and api limits count separately', async () => {
    const factory = open();
    const auth = factory({ name: 'auth', pointsPerMinute: 1 });
    const api = factory({ name: 'api', pointsPerMinute: 1 });
    const key = ip();
    expect(await auth.consume(key)).toBe(0);
    expect(await api.consume(key)).toBe(0);
    expect(await auth.consume(key)).toBeGreaterThan(0);
  });

  test('concurrent requests on two instances never exceed the limit', async () => {
    const [one, two] = [open(), open()];
    const spec = { name: 'api', pointsPerMinute: 10 } as const;
    const [a, b] = [one(spec), two(spec)];
    const key = ip();
    const waits = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).consume(key)));
    expect(waits.filter((w) => w === 0)).toHaveLength(10);
  });

  test('with Redis unreachable, limits still hold per instance, with a single warning', async () => {
    const logger = recordingLogger();
    const factory = open({ url: `redis://127.0.0.1:${await freePort()}`, logger });
    const auth = factory({ name: 'auth', pointsPerMinute: 3 });
    const api = factory({ name: 'api', pointsPerMinute: 3 });
    const key = ip();
    const started = performance.now();
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push(await auth.consume(key), await api.consume(key));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(waits.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(waits.slice(6).every((w) => w >= 1)).toBe(true);
    expect(logger.messages('warn')).toEqual([
      'redis unavailable: rate limits fall back to per-instance memory',
    ]);
  });

  test('keys live under the prefix with the window as their TTL', async () => {
    const limiter = open()({ name: 'api', pointsPerMinute: 5 });
    const key = ip();
    await limiter.consume(key);
    const raw = createRedisClient(url, { redisOptions: { enableOfflineQueue: true } });
    const ttl = await raw.pttl(`${prefix}api:${key}`);
    await raw.quit();
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
