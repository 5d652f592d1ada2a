/**
 * @module redis/redis-rate-limiter
 * Rate limits shared by every instance: `rate-limiter-flexible`'s `RateLimiterRedis` (a fixed 60-second
 * window per key, counted by one atomic script), with a per-instance `RateLimiterMemory` as its insurance
 * for when Redis cannot be reached.
 *
 * The limiter objects match the server's `RateLimiter` interface (`consume(key)` → `0`, or the whole
 * seconds ≥ 1 to wait), so a factory from here is the server's `createLimiter` option as it is.
 */
import { createConsoleLogger, type Logger } from '@zekka/core';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { closeClient, createRedisClient, DEFAULT_COMMAND_TIMEOUT_MS, firstConnection } from './connection.ts';
import { createOutageLog } from './outage-log.ts';
import type { RedisConnectionChoice } from './redis-cache.ts';

/** Which limit, and how many requests a minute it allows (the server's `RateLimiterSpec`). */
export interface RedisRateLimiterSpec {
  name: 'auth' | 'api';
  pointsPerMinute: number;
}

/** Counts requests per key (the server's `RateLimiter`). */
export interface RedisRateLimiter {
  /** Counts one request for `key`: `0` when allowed, else the whole seconds (≥ 1) until it would be. */
  consume(key: string): Promise<number>;
}

/** Builds limiters on one Redis connection; `close()` quits it when the factory opened it. */
export interface RedisRateLimiterFactory {
  (spec: RedisRateLimiterSpec): RedisRateLimiter;
  close(): Promise<void>;
}

export type RedisRateLimiterOptions = RedisConnectionChoice & {
  /**
   * Keys are `<keyPrefix><name>:<key>`.
   * @default 'zekka:rl:'
   */
  keyPrefix?: string;
  /** Told once when limits fall back to memory, and once when they are back on Redis. */
  logger?: Logger;
};

/**
 * The insurance limiter, which `rate-limiter-flexible` calls only when a Redis call failed. It marks the
 * call's options object, so the factory can tell which requests were counted in memory.
 */
class InsuranceMemoryLimiter extends RateLimiterMemory {
  constructor(
    options: ConstructorParameters<typeof RateLimiterMemory>[0],
    private readonly onUse: (callOptions: object) => void,
  ) {
    super(options);
  }

  override consume(key: string | number, points?: number, options: Record<string, unknown> = {}) {
    this.onUse(options);
    return super.consume(key, points, options);
  }
}

/**
 * A factory of shared rate limiters on Redis.
 *
 * When Redis cannot be reached, each limiter counts in this instance's memory instead (the limit then holds
 * per instance rather than across them), and **one** warning is logged for the whole outage — not one per
 * request. Once Redis answers again, counting goes back to Redis (the counts made in memory are not carried
 * over) and one all-clear is logged. Calls never wait for an absent Redis: a connection that is not ready is
 * skipped at once.
 * @example
 * const createLimiter = createRedisRateLimiterFactory({ url: process.env.REDIS_URL! });
 * createServer(zekka, { rateLimit: { createLimiter } });
 */
export function createRedisRateLimiterFactory(options: RedisRateLimiterOptions): RedisRateLimiterFactory {
  const client: Redis =
    options.client ??
    createRedisClient(options.url, {
      commandTimeoutMs: DEFAULT_COMMAND_TIMEOUT_MS,
      connectionName: 'zekka:rate-limit',
    });
  const owned = options.client === undefined;
  const keyPrefix = options.keyPrefix ?? 'zekka:rl:';
  const outage = createOutageLog({
    logger: options.logger ?? createConsoleLogger(),
    message: 'redis unavailable: rate limits fall back to per-instance memory',
    recoveredMessage: 'rate limits back on redis',
    intervalMs: Number.POSITIVE_INFINITY,
  });
  const connected = firstConnection(client, DEFAULT_COMMAND_TIMEOUT_MS);
  // The options objects of calls the insurance limiter answered.
  const countedInMemory = new WeakSet<object>();

  const factory = (spec: RedisRateLimiterSpec): RedisRateLimiter => {
    const window = {
      keyPrefix: `${keyPrefix}${spec.name}`,
      points: spec.pointsPerMinute,
      duration: 60,
    };
    const limiter = new RateLimiterRedis({
      ...window,
      storeClient: client,
      // Do not even try a connection that is not ready (the insurance answers at once).
      rejectIfRedisNotReady: true,
      insuranceLimiter: new InsuranceMemoryLimiter(window, (callOptions) => {
        countedInMemory.add(callOptions);
        outage.failed();
      }),
    });
    return {
      async consume(key) {
        const callOptions = {};
        await connected;
        const settled = await limiter.consume(key, 1, callOptions).then(
          () => 0,
          (rejection: unknown) => rejection,
        );
        // Over the limit is a `RateLimiterRes`; anything else is a failure of both stores.
        if (settled !== 0 && !(settled instanceof RateLimiterRes)) throw settled;
        if (!countedInMemory.has(callOptions)) outage.recovered();
        return settled === 0 ? 0 : Math.max(1, Math.ceil(settled.msBeforeNext / 1000));
      },
    };
  };

  return Object.assign(factory, {
    async close() {
      if (owned) await closeClient(client);
    },
  });
}
