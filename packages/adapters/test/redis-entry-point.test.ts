/**
 * The `@zekka/adapters/redis` entry point loads without a Redis (importing it opens no connection) and
 * exports its API; `redisTestTarget` is on the conformance entry point. Runs with or without `REDIS_URL`.
 */
import { expect, test } from 'bun:test';

test('the @zekka/adapters/redis entry point exports the Redis adapters', async () => {
  const entry = (await import('@zekka/adapters/redis')) as Record<string, unknown>;
  for (const name of [
    'createRedisCache',
    'createRedisEventBus',
    'createRedisRateLimiterFactory',
    'createRedisClient',
    'isRedisUrl',
  ]) {
    expect(typeof entry[name]).toBe('function');
  }
});

test('the conformance entry point exports redisTestTarget', async () => {
  const entry = (await import('@zekka/adapters/conformance')) as Record<string, unknown>;
  expect(typeof entry.redisTestTarget).toBe('function');
});

test('isRedisUrl accepts redis:// and rediss:// only', async () => {
  const { isRedisUrl } = await import('@zekka/adapters/redis');
  expect(isRedisUrl('redis://127.0.0.1:6379')).toBe(true);
  expect(isRedisUrl('REDISS://cache.example.com:6380/1')).toBe(true);
  expect(isRedisUrl('postgres://db/zekka')).toBe(false);
  expect(isRedisUrl('127.0.0.1:6379')).toBe(false);
});
