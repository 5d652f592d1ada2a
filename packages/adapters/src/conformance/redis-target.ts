/**
 * @module conformance/redis-target
 * Where every Redis test suite (the adapters' and the server's) gets its Redis: `REDIS_URL`, with a key and
 * channel prefix of its own so parallel runs and leftovers never collide (every key the adapters write has a
 * TTL, so nothing needs cleaning up). Without a Redis URL the suites skip locally — saying so once — and fail
 * in CI, where a missing Redis must not pass as green.
 *
 * @example
 * const target = redisTestTarget();
 * describe.skipIf(target === null)('on Redis', () => {
 *   test('…', async () => {
 *     const cache = createRedisCache({ url: target!.url, keyPrefix: target!.prefix });
 *   });
 * });
 */

import { randomBytes } from 'node:crypto';
import { isRedisUrl } from '../redis/url.ts';

export interface RedisTestTarget {
  url: string;
  /** `zekka:t:<random>:`, unique to this target: use it as the key prefix and the channel prefix. */
  prefix: string;
}

const SKIP_LINE = 'redis suites skipped: REDIS_URL is not a redis:// URL';
let skipAnnounced = false;

/**
 * The Redis test target from `REDIS_URL` with a fresh prefix, or `null` (after printing why, once per
 * process) when it is not a Redis URL. Throws instead when `CI=true`.
 */
export function redisTestTarget(): RedisTestTarget | null {
  const url = process.env.REDIS_URL;
  if (url === undefined || !isRedisUrl(url)) {
    if (process.env.CI === 'true') {
      throw new Error(`CI=true needs REDIS_URL=redis://… to run the redis suites (got ${url ?? 'none'})`);
    }
    if (!skipAnnounced) {
      skipAnnounced = true;
      console.warn(SKIP_LINE);
    }
    return null;
  }
  return { url, prefix: `zekka:t:${randomBytes(6).toString('hex')}:` };
}
