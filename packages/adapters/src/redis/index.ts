/**
 * @module @zekka/adapters/redis
 * Redis for several instances acting as one: the shared `Cache`, the distributed `EventBus` (pub/sub fan-out
 * with local delivery that never waits for Redis) and rate limits shared across instances (falling back to
 * per-instance memory while Redis is away). Every connection fails fast while Redis is down and reconnects
 * by itself (see `createRedisClient`).
 *
 * `ioredis` is an optional peer dependency of `@zekka/adapters`, imported by this entry point only.
 *
 * @example
 * const url = process.env.REDIS_URL!;
 * const cache = createRedisCache({ url });
 * const bus = createRedisEventBus({ url });
 * const createLimiter = createRedisRateLimiterFactory({ url });
 */
export {
  createRedisClient,
  DEFAULT_COMMAND_TIMEOUT_MS,
  MAX_RECONNECT_DELAY_MS,
  type RedisClientOptions,
} from './connection.ts';
export { createRedisCache, type RedisCacheOptions, type RedisConnectionChoice } from './redis-cache.ts';
export { createRedisEventBus, type RedisEventBus, type RedisEventBusOptions } from './redis-event-bus.ts';
export {
  createRedisRateLimiterFactory,
  type RedisRateLimiter,
  type RedisRateLimiterFactory,
  type RedisRateLimiterOptions,
  type RedisRateLimiterSpec,
} from './redis-rate-limiter.ts';
export { isRedisUrl } from './url.ts';
