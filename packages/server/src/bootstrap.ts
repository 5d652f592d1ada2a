/**
 * @module bootstrap
 * `buildZekka(config)`: the default adapters for a standalone server, wired from its configuration —
 * the store `DATABASE_URL` names (SQLite or Postgres, migrated at open), the cache, event bus, rate limits
 * and stream buffers (`openSharedState`: in memory, or on Redis when `REDIS_URL` is set), Bun's argon2id
 * password hasher, and the models configured by the environment (`echo` when none are).
 */
import { createBunPasswordHasher } from '@zekka/adapters/bun';
import { createMemoryCache, createMemoryEventBus } from '@zekka/adapters/memory';
import {
  type Cache,
  createMemoryStreamBuffer,
  createZekka,
  type EventBus,
  type Logger,
  type StreamBuffer,
  type Zekka,
} from '@zekka/core';
import type { ServerConfig } from './config.ts';
import type { DatabaseConfig } from './database-config.ts';
import { createLogger } from './logger.ts';
import { openStore } from './open-store.ts';
import type { RateLimiter, RateLimiterSpec } from './rate-limiter.ts';
import { instrumentCache, instrumentStore, prometheusTelemetry } from './telemetry/core-telemetry.ts';
import type { ServerMetrics } from './telemetry/metrics.ts';

/**
 * What several instances must share: in memory for one instance, on Redis with `REDIS_URL`. `cache`, `bus`
 * and `streamBuffer` are closed by `zekka.close()`; `close()` closes the rest (the rate-limit connection).
 */
export interface SharedState {
  /** `'redis'` when `REDIS_URL` is set. */
  kind: 'memory' | 'redis';
  cache: Cache;
  bus: EventBus;
  streamBuffer: StreamBuffer;
  /** Builds the rate limiters; `undefined` → the server's in-memory ones. */
  createLimiter: ((spec: RateLimiterSpec) => RateLimiter) | undefined;
  close(): Promise<void>;
}

/** The settings `openSharedState` reads. */
export type SharedStateConfig = Partial<Pick<ServerConfig, 'redisUrl' | 'redisKeyPrefix'>>;

/**
 * Opens the cache, bus, stream buffer and rate limiter factory: on Redis when `config.redisUrl` is set
 * (ioredis is loaded only then), else in memory. Redis connections fail fast and reconnect by themselves,
 * so this never waits for Redis.
 * @example
 * const shared = await openSharedState({ redisUrl: 'redis://127.0.0.1:6379' }, logger);
 */
export async function openSharedState(config: SharedStateConfig, logger: Logger): Promise<SharedState> {
  if (!config.redisUrl) {
    return {
      kind: 'memory',
      cache: createMemoryCache(),
      bus: createMemoryEventBus(),
      streamBuffer: createMemoryStreamBuffer(),
      createLimiter: undefined,
      close: async () => {},
    };
  }
  const url = config.redisUrl;
  const prefix = config.redisKeyPrefix ?? 'zekka:';
  const redis = await import('@zekka/adapters/redis');
  const { createRedisStreamBuffer } = await import('./redis-stream-buffer.ts');
  const createLimiter = redis.createRedisRateLimiterFactory({ url, keyPrefix: `${prefix}rl:`, logger });
  return {
    kind: 'redis',
    cache: redis.createRedisCache({ url, keyPrefix: prefix, logger }),
    bus: redis.createRedisEventBus({ url, channelPrefix: `${prefix}events:`, logger }),
    streamBuffer: createRedisStreamBuffer({
      client: redis.createRedisClient(url, { connectionName: 'zekka-streams' }),
      keyPrefix: prefix,
    }),
    createLimiter,
    close: () => createLimiter.close(),
  };
}

export interface BuildZekkaOptions {
  /** @default a JSON logger at `config.logLevel` */
  logger?: Logger;
  /** Count store and cache errors, generations, tokens and cost here (pass the server's). */
  metrics?: ServerMetrics;
  /** The shared state to build on (its cache, bus and stream buffer). @default `openSharedState(config)` */
  shared?: SharedState;
}

/** The settings `buildZekka` reads. */
export type BuildZekkaConfig = DatabaseConfig &
  Pick<ServerConfig, 'jwtSecret' | 'logLevel' | 'publicUrl' | 'requireEmailVerification' | 'models'> &
  SharedStateConfig;

/**
 * Creates the store, cache, bus and hasher named by `config` and returns the services over them. A SQLite
 * file and its folder are created when missing; pending migrations are applied (Postgres: under an
 * advisory lock, so several instances starting together apply them once). Rejects when the database
 * cannot be opened or migrated.
 * @example
 * const zekka = await buildZekka(loadConfig());
 */
export async function buildZekka(config: BuildZekkaConfig, options: BuildZekkaOptions = {}): Promise<Zekka> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = await openStore(config, logger);
  const { metrics } = options;
  let shared = options.shared;
  try {
    shared ??= await openSharedState(config, logger);
    const { cache, bus, streamBuffer } = shared;
    return createZekka({
      store: metrics ? instrumentStore(store, metrics) : store,
      cache: metrics ? instrumentCache(cache, metrics) : cache,
      bus,
      streamBuffer,
      passwordHasher: createBunPasswordHasher(),
      models: config.models,
      logger,
      ...(metrics ? { telemetry: prometheusTelemetry(metrics) } : {}),
      config: {
        auth: { jwtSecret: config.jwtSecret, requireEmailVerification: config.requireEmailVerification },
        publicUrl: config.publicUrl,
      },
    });
  } catch (error) {
    await store.close();
    throw error;
  }
}
