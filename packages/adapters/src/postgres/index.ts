/**
 * @module @zekka/adapters/postgres
 * The production `Store`: Postgres through a `pg` pool and drizzle. Every method the port calls atomic is a
 * single conditional statement or a READ COMMITTED transaction that locks the rows it decides on
 * (`SELECT … FOR UPDATE`), retried once on a deadlock or serialization failure. Failures map to Zekka errors
 * in one place (`errors.ts`): a unique violation is `CONFLICT`, a database that cannot be reached is
 * `UNAVAILABLE` — fast, since connecting is bounded by `connectionTimeoutMs`.
 *
 * `pg` is an optional peer dependency of `@zekka/adapters`, imported by this entry point only.
 *
 * @example
 * const store = await createPostgresStore({ url: 'postgres://zekka@db:5432/zekka', poolMax: 20 });
 */

import type { ConnectionOptions } from 'node:tls';
import type { Store } from '@zekka/core';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { createApiKeyRepository } from './api-keys.ts';
import { createBudgetRepository } from './budgets.ts';
import { clientConfig, DEFAULT_SCHEMA } from './connection.ts';
import { createConversationRepository } from './conversations.ts';
import { guard } from './errors.ts';
import { createMemberRepository } from './members.ts';
import { createMessageRepository } from './messages.ts';
import { applyMigrations, DEFAULT_POSTGRES_MIGRATIONS_FOLDER } from './migrate.ts';
import { createOneTimeTokenRepository } from './one-time-tokens.ts';
import { createProjectRepository } from './projects.ts';
import { createSessionRepository } from './sessions.ts';
import { createUsageRepository } from './usage.ts';
import { createUserRepository } from './users.ts';

export type { PostgresDatabase } from './database.ts';
export { DEFAULT_POSTGRES_MIGRATIONS_FOLDER } from './migrate.ts';
export * as postgresSchema from './schema.ts';
export { isPostgresUrl } from './url.ts';

export interface PostgresStoreOptions {
  /**
   * `postgres://user:password@host:port/database`, with any parameter `pg` reads (`sslmode`,
   * `application_name`, …). Parameters in the URL take precedence over the options below, as in `pg`.
   */
  url: string;
  /**
   * Connections the pool opens at most.
   * @default 10
   */
  poolMax?: number;
  /**
   * The session's `statement_timeout`: a statement running longer is cancelled and reported `UNAVAILABLE`.
   * @default 30000
   */
  statementTimeoutMs?: number;
  /**
   * How long opening a connection, or waiting for a free one, may take before the call fails with
   * `UNAVAILABLE`. Keeps requests failing fast while the database is unreachable.
   * @default 3000
   */
  connectionTimeoutMs?: number;
  /**
   * TLS for the connections: `true`, or `node:tls` options (`ca`, `rejectUnauthorized`, …). An `sslmode`
   * in the URL overrides it, as in `pg`.
   * @default off, unless the URL or `PGSSLMODE` asks for it
   */
  ssl?: boolean | ConnectionOptions;
  /**
   * The schema holding the tables and drizzle's migrations table, put on every pooled connection's
   * `search_path`. Lower-case letters, digits and `_`. Tests give each run its own.
   * @default 'public'
   */
  schema?: string;
  /**
   * Apply pending migrations (under an advisory lock) before the store is returned.
   * @default true
   */
  migrate?: boolean;
  /**
   * Folder of drizzle-kit migrations.
   * @default the repository's `migrations/postgres`
   */
  migrationsFolder?: string;
  /**
   * Receives errors of idle pooled connections (a backend terminated, a network cut). The pool drops such a
   * connection and opens a fresh one when needed; these errors never crash the process.
   * @default ignore them
   */
  onError?: (error: unknown) => void;
}

const DEFAULT_POOL_MAX = 10;
const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECTION_TIMEOUT_MS = 3_000;

/**
 * Applies pending migrations (unless `migrate: false`), opens the pool, and returns the `Store` over it.
 * Rejects with `ZekkaError('UNAVAILABLE')` when migrating needs a database that cannot be reached.
 *
 * @example
 * const store = await createPostgresStore({ url: process.env.DATABASE_URL, schema: 'zekka' });
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const connectionTimeoutMs = options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS;
  if (options.migrate !== false) {
    await applyMigrations({
      url: options.url,
      ssl: options.ssl,
      schema,
      applicationName: 'zekka-migrate',
      connectionTimeoutMs,
      migrationsFolder: options.migrationsFolder ?? DEFAULT_POSTGRES_MIGRATIONS_FOLDER,
    });
  }

  const pool = new pg.Pool({
    ...clientConfig({
      url: options.url,
      ssl: options.ssl,
      schema,
      applicationName: 'zekka',
      connectionTimeoutMs,
      statementTimeoutMs: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    }),
    max: options.poolMax ?? DEFAULT_POOL_MAX,
  });
  const onError = options.onError ?? (() => {});
  // An idle client's error (its backend was terminated) is re-emitted by the pool, which has already
  // dropped the client; unhandled, the 'error' event would crash the process.
  pool.on('error', (error) => onError(error));
  // A checked-out client between two queries of a transaction has no pool listener: its error event would
  // crash the process too. Its next query fails (and is reported UNAVAILABLE), and releasing it drops it.
  pool.on('connect', (client) => client.on('error', () => {}));

  const db = drizzle({ client: pool });
  let closing: Promise<void> | undefined;

  return {
    users: createUserRepository(db),
    sessions: createSessionRepository(db),
    apiKeys: createApiKeyRepository(db),
    oneTimeTokens: createOneTimeTokenRepository(db),
    projects: createProjectRepository(db),
    members: createMemberRepository(db),
    conversations: createConversationRepository(db),
    messages: createMessageRepository(db, pool),
    usage: createUsageRepository(db),
    budgets: createBudgetRepository(db),
    async ping() {
      await guard(() => pool.query('SELECT 1'));
    },
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}

/**
 * Applies pending migrations to the schema and reports how many it applied; what `zekka migrate` runs.
 * Safe to run from several processes at once: a Postgres advisory lock keyed on the schema lets one apply
 * while the others wait, then find nothing left to do.
 *
 * @example
 * const { applied } = await migratePostgres({ url: process.env.DATABASE_URL });
 */
export function migratePostgres(
  options: Pick<PostgresStoreOptions, 'url' | 'ssl' | 'schema' | 'migrationsFolder'>,
): Promise<{ applied: number }> {
  return applyMigrations({
    url: options.url,
    ssl: options.ssl,
    schema: options.schema ?? DEFAULT_SCHEMA,
    applicationName: 'zekka-migrate',
    connectionTimeoutMs: DEFAULT_CONNECTION_TIMEOUT_MS,
    migrationsFolder: options.migrationsFolder ?? DEFAULT_POSTGRES_MIGRATIONS_FOLDER,
  });
}
