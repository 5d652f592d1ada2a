/**
 * @module bootstrap
 * `buildZekka(config)`: the default adapters for a standalone server, wired from its configuration —
 * SQLite (migrated at open), the in-memory cache and event bus, and Bun's argon2id password hasher.
 */
import { createBunPasswordHasher } from '@zekka/adapters/bun';
import { createMemoryCache, createMemoryEventBus } from '@zekka/adapters/memory';
import { createSqliteStore } from '@zekka/adapters/sqlite';
import { createZekka, type Logger, type Zekka } from '@zekka/core';
import type { ServerConfig } from './config.ts';
import { createJsonLogger } from './logger.ts';

export interface BuildZekkaOptions {
  /** @default a JSON logger at `config.logLevel` */
  logger?: Logger;
}

/**
 * Creates the store, cache, bus and hasher named by `config` and returns the services over them. The
 * SQLite file and its folder are created when missing, and pending migrations are applied.
 */
export function buildZekka(
  config: Pick<
    ServerConfig,
    'databaseUrl' | 'jwtSecret' | 'logLevel' | 'publicUrl' | 'requireEmailVerification'
  >,
  options: BuildZekkaOptions = {},
): Zekka {
  const logger = options.logger ?? createJsonLogger(config.logLevel);
  return createZekka({
    store: createSqliteStore({ url: config.databaseUrl }),
    cache: createMemoryCache(),
    bus: createMemoryEventBus(),
    passwordHasher: createBunPasswordHasher(),
    logger,
    config: {
      auth: { jwtSecret: config.jwtSecret, requireEmailVerification: config.requireEmailVerification },
      publicUrl: config.publicUrl,
    },
  });
}
