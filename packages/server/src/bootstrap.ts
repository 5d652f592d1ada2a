/**
 * @module bootstrap
 * `buildZekka(config)`: the default adapters for a standalone server, wired from its configuration —
 * the store `DATABASE_URL` names (SQLite or Postgres, migrated at open), the in-memory cache and event bus,
 * Bun's argon2id password hasher, and the models configured by the environment (`echo` when none are).
 */
import { createBunPasswordHasher } from '@zekka/adapters/bun';
import { createMemoryCache, createMemoryEventBus } from '@zekka/adapters/memory';
import { createZekka, type Logger, type Zekka } from '@zekka/core';
import type { ServerConfig } from './config.ts';
import type { DatabaseConfig } from './database-config.ts';
import { createLogger } from './logger.ts';
import { openStore } from './open-store.ts';
import { instrumentCache, instrumentStore, prometheusTelemetry } from './telemetry/core-telemetry.ts';
import type { ServerMetrics } from './telemetry/metrics.ts';

export interface BuildZekkaOptions {
  /** @default a JSON logger at `config.logLevel` */
  logger?: Logger;
  /** Count store and cache errors, generations, tokens and cost here (pass the server's). */
  metrics?: ServerMetrics;
}

/** The settings `buildZekka` reads. */
export type BuildZekkaConfig = DatabaseConfig &
  Pick<ServerConfig, 'jwtSecret' | 'logLevel' | 'publicUrl' | 'requireEmailVerification' | 'models'>;

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
  try {
    const cache = createMemoryCache();
    return createZekka({
      store: metrics ? instrumentStore(store, metrics) : store,
      cache: metrics ? instrumentCache(cache, metrics) : cache,
      bus: createMemoryEventBus(),
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
