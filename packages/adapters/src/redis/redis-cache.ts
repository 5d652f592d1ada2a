/**
 * @module redis/redis-cache
 * The shared `Cache` on Redis: what one instance writes, every instance reads. Keys carry a prefix and
 * always a TTL (`PX`), so nothing the cache writes outlives its purpose.
 */
import { type Cache, createConsoleLogger, type Logger, ZekkaError } from '@zekka/core';
import type Redis from 'ioredis';
import {
  closeClient,
  createRedisClient,
  DEFAULT_COMMAND_TIMEOUT_MS,
  firstConnection,
  toZekkaError,
} from './connection.ts';
import { createOutageLog, describeError } from './outage-log.ts';

/** Where the cache's commands go: a URL (the cache opens and closes its own connection) or a client. */
export type RedisConnectionChoice =
  | {
      /** `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. */
      url: string;
      client?: undefined;
    }
  | {
      /**
       * A client to share (best made by `createRedisClient`, which fails fast while Redis is down; a client
       * with ioredis's default offline queue makes calls wait for Redis instead). Its owner closes it.
       */
      client: Redis;
      url?: undefined;
    };

export type RedisCacheOptions = RedisConnectionChoice & {
  /**
   * Prepended to every key, so several deployments (or tests) can share one Redis database.
   * @default 'zekka:'
   */
  keyPrefix?: string;
  /** Told (at most every 10 s) while Redis cannot be reached, and once when it is back. */
  logger?: Logger;
  /**
   * Bound on one command when the cache opens its own connection (`url`).
   * @default 1000
   */
  commandTimeoutMs?: number;
};

/**
 * Why a script: `INCRBY` keeps an existing key's TTL but cannot set one, and a separate `PEXPIRE` can be
 * lost (a dropped connection between the two) and leave a counter that never expires. `SET … NX PX` creates
 * the key with its TTL only when it is absent, so the first increment sets the TTL and later ones keep it;
 * the `PTTL` check gives a TTL to a key something else created without one. A script runs atomically, so
 * no other client sees a key without its TTL. (`SET NX PX` + `INCRBY` in `MULTI` would be atomic too, but
 * could not repair a TTL-less key.)
 */
const INCREMENT_WITH_TTL = `
redis.call('SET', KEYS[1], '0', 'PX', ARGV[2], 'NX')
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value
`;

/** The script's name on the client; ioredis sends it by SHA and falls back to the source on `NOSCRIPT`. */
const INCREMENT_COMMAND = 'zekkaIncrementWithTtl';

type ClientWithIncrement = Redis & {
  [INCREMENT_COMMAND](key: string, by: number, ttlMs: number): Promise<number>;
};

/**
 * A `Cache` on Redis (6.2 or later: `getAndDelete` is `GETDEL`).
 *
 * While Redis cannot be reached every call settles at once (see `createRedisClient`) and:
 * - `get` resolves `null`, as a miss — so a cached read falls through to the store and the API keeps
 *   serving;
 * - `set`, `delete`, `increment` and `getAndDelete` reject with `ZekkaError('UNAVAILABLE')`: a write that
 *   did not happen is never reported as done (a revocation marker that was not stored must not look stored),
 *   and a `getAndDelete` that could not delete must not look like "nothing there";
 * - `ping` rejects with `UNAVAILABLE`, so `/ready` fails;
 * - a warning is logged at most every 10 s, and one all-clear when Redis answers again.
 * The connection reconnects by itself; nothing has to be recreated. A reply error that is a bug rather than
 * an outage (`increment` on a non-integer value) is rethrown as Redis's error.
 *
 * `close()` quits the connection the cache opened (`url`); a `client` passed in is left to its owner.
 * @example
 * const cache = createRedisCache({ url: process.env.REDIS_URL!, keyPrefix: 'zekka:' });
 */
export function createRedisCache(options: RedisCacheOptions): Cache {
  const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const client = (options.client ??
    createRedisClient(options.url, {
      commandTimeoutMs,
      connectionName: 'zekka:cache',
    })) as ClientWithIncrement;
  const owned = options.client === undefined;
  const prefix = options.keyPrefix ?? 'zekka:';
  const outage = createOutageLog({
    logger: options.logger ?? createConsoleLogger(),
    message: 'redis cache unavailable: reads are misses, writes fail',
    recoveredMessage: 'redis cache available again',
  });
  client.defineCommand(INCREMENT_COMMAND, { numberOfKeys: 1, lua: INCREMENT_WITH_TTL });
  const connected = firstConnection(client, commandTimeoutMs);
  let closed = false;

  /** Runs one command, mapping an outage to `UNAVAILABLE` and reporting it. */
  async function run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    if (closed) throw new Error('cache is closed');
    await connected;
    try {
      const result = await command();
      outage.recovered();
      return result;
    } catch (error) {
      const mapped = toZekkaError(operation, error);
      if (mapped instanceof ZekkaError) outage.failed({ operation, error: describeError(error) });
      throw mapped;
    }
  }

  return {
    async get(key) {
      try {
        return await run('get', () => client.get(prefix + key));
      } catch (error) {
        if (error instanceof ZekkaError && error.code === 'UNAVAILABLE') return null;
        throw error;
      }
    },
    async set(key, value, ttlMs) {
      const px = checkTtl(ttlMs);
      await run('set', () => client.set(prefix + key, value, 'PX', px));
    },
    async delete(key) {
      await run('delete', () => client.del(prefix + key));
    },
    async increment(key, ttlMs, by = 1) {
      const px = checkTtl(ttlMs);
      if (!Number.isSafeInteger(by)) throw new RangeError(`by must be an integer, got ${by}`);
      return run('increment', () => client[INCREMENT_COMMAND](prefix + key, by, px));
    },
    async getAndDelete(key) {
      return run('getAndDelete', () => client.getdel(prefix + key));
    },
    async ping() {
      await run('ping', () => client.ping());
    },
    async close() {
      if (closed) return;
      closed = true;
      if (owned) await closeClient(client);
    },
  };
}

/** `PX` takes whole milliseconds ≥ 1; a fractional TTL is rounded up so it never expires early. */
function checkTtl(ttlMs: number): number {
  if (!(ttlMs > 0) || !Number.isFinite(ttlMs)) {
    throw new RangeError(`ttlMs must be a positive number, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}
