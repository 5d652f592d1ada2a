/**
 * @module redis/connection
 * The ioredis settings every Zekka connection gets, and the one place a Redis failure becomes a Zekka error.
 *
 * The rule is **fail fast, reconnect forever**: while Redis is away a request must not wait for it (the
 * cache turns reads into misses, the limiter falls back to memory, the bus keeps local delivery), and once
 * Redis is back every connection finds it again without anyone recreating an adapter.
 *
 * - `enableOfflineQueue: false` — a command issued while the connection is down rejects at once instead of
 *   queueing until Redis returns (ioredis's default would hold requests for as long as the outage lasts).
 * - `maxRetriesPerRequest: 0` — commands already sent when the connection drops reject on the drop.
 * - `autoResendUnfulfilledCommands: false` — nothing that has already been reported as failed is replayed
 *   after a reconnect (a replayed `INCRBY` would count twice, a replayed `SET` would land out of order).
 * - `commandTimeout` — bounds the one case the two above cannot see: a connection that is open but silent
 *   (a host that vanished without closing the socket, a Redis stuck in a long script).
 * - `retryStrategy` — exponential backoff from 100 ms, capped at 2 s, never giving up.
 */
import { ZekkaError } from '@zekka/core';
import Redis, { type RedisOptions } from 'ioredis';

/** The default bound on one command's round trip. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 1000;

/** The longest pause between two reconnection attempts. */
export const MAX_RECONNECT_DELAY_MS = 2000;

export interface RedisClientOptions {
  /**
   * How long one command may take before it fails with `UNAVAILABLE`.
   * @default 1000
   */
  commandTimeoutMs?: number;
  /** Shown by `CLIENT LIST`, e.g. `zekka:cache`. */
  connectionName?: string;
  /** Further ioredis options; they override the fail-fast settings above, so change those knowingly. */
  redisOptions?: RedisOptions;
}

/** Delay before reconnection attempt `attempt` (1, 2, …): 100 ms doubling, capped, with a little jitter. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(100 * 2 ** Math.min(attempt - 1, 10), MAX_RECONNECT_DELAY_MS);
  // Jitter keeps many instances that lost Redis together from reconnecting in lockstep.
  return base + Math.floor(Math.random() * 100);
}

/**
 * An ioredis client for `url` (`redis://[user:password@]host:port[/db]`, or `rediss://` for TLS) with the
 * fail-fast, reconnect-forever settings described above. Pass one to `createRedisCache({ client })` or
 * `createRedisRateLimiterFactory({ client })` to share a connection.
 * @example
 * const client = createRedisClient(process.env.REDIS_URL!, { connectionName: 'zekka' });
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    connectTimeout: 5000,
    retryStrategy: reconnectDelay,
    connectionName: options.connectionName,
    ...options.redisOptions,
  });
  // Without a listener ioredis prints every failed reconnection attempt; the adapters report outages
  // themselves (throttled), so the raw events are dropped here.
  client.on('error', () => {});
  return client;
}

/**
 * Resolves once `client` has made its first connection attempt — ready or failed — or after `maxWaitMs`.
 * With the offline queue off, a command sent in the first milliseconds after start would fail before the
 * connection had a chance to open; awaiting this first keeps a fresh instance from reporting an outage that
 * is not there, without ever waiting longer than one command may.
 */
export function firstConnection(client: Redis, maxWaitMs: number): Promise<void> {
  if (client.status === 'ready' || client.status === 'end') return Promise.resolve();
  if (client.status === 'wait') client.connect().catch(() => {});
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      for (const event of SETTLING_EVENTS) client.off(event, done);
      resolve();
    };
    const timer = setTimeout(done, maxWaitMs);
    for (const event of SETTLING_EVENTS) client.once(event, done);
  });
}

const SETTLING_EVENTS = ['ready', 'error', 'close', 'end'] as const;

/**
 * Redis replies that mean "not available right now" rather than "your command is wrong": a server loading
 * its data, busy in a script, a read-only replica after a failover, out of memory, unable to persist.
 */
const UNAVAILABLE_REPLIES =
  /^(LOADING|BUSY|MASTERDOWN|READONLY|OOM|MISCONF|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/;

/**
 * True when `error` says Redis could not be reached or could not serve the command now — as opposed to a
 * reply error for a wrong command (`WRONGTYPE`, a non-integer `INCRBY`), which is a bug to surface as is.
 */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name !== 'ReplyError') return true;
  return UNAVAILABLE_REPLIES.test(error.message);
}

/** `UNAVAILABLE` for a failed `operation`, keeping Redis's error as `cause`. */
export function unavailable(operation: string, cause: unknown): ZekkaError {
  return new ZekkaError('UNAVAILABLE', `Redis is unavailable (${operation})`, { cause });
}

/** `UNAVAILABLE` errors pass through; other failures of an unavailable Redis become one; the rest are rethrown. */
export function toZekkaError(operation: string, error: unknown): unknown {
  if (error instanceof ZekkaError) return error;
  return isUnavailable(error) ? unavailable(operation, error) : error;
}

/**
 * Closes a connection this module opened: `QUIT` lets pending replies arrive; when Redis is down there is
 * nothing to wait for, so the socket is dropped (and reconnection stopped) at once.
 */
export async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
