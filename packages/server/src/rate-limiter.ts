/**
 * @module rate-limiter
 * The small interface the rate-limit plugin counts requests through, and its in-memory implementation on
 * `rate-limiter-flexible`. A multi-instance deployment passes a limiter on `RateLimiterRedis` through
 * `fromRateLimiterFlexible`, and nothing else changes.
 */
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Counts requests per key in a fixed window. */
export interface RateLimiter {
  /**
   * Counts one request for `key`. Resolves to `0` when it is allowed, or to the whole seconds (≥ 1) to wait
   * when the key is over its limit. Rejects only when the backing store fails.
   */
  consume(key: string): Promise<number>;
}

/** What a limiter factory is asked for: which limit, and how many requests a minute it allows. */
export interface RateLimiterSpec {
  /** `auth` (anonymous auth routes, per IP) or `api` (everything else, per user or IP). */
  name: 'auth' | 'api';
  pointsPerMinute: number;
}

/** Wraps any `rate-limiter-flexible` limiter (memory, Redis, …) in the `RateLimiter` interface. */
export function fromRateLimiterFlexible(limiter: RateLimiterAbstract): RateLimiter {
  return {
    consume: (key) =>
      limiter.consume(key).then(
        () => 0,
        (rejection: unknown) => {
          // The library rejects with a `RateLimiterRes` when over the limit and with an Error when the
          // store fails; only the first is a "wait".
          if (rejection instanceof RateLimiterRes)
            return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
          throw rejection;
        },
      ),
  };
}

/**
 * A per-process limiter: `pointsPerMinute` requests per key per 60-second window.
 * @example
 * const limiter = createMemoryRateLimiter({ name: 'api', pointsPerMinute: 600 });
 */
export function createMemoryRateLimiter(spec: RateLimiterSpec): RateLimiter {
  return fromRateLimiterFlexible(
    new RateLimiterMemory({ keyPrefix: `zekka:${spec.name}`, points: spec.pointsPerMinute, duration: 60 }),
  );
}
