/**
 * @module open-store
 * Opens the `Store` that `DATABASE_URL` names: SQLite (the embedded default) or Postgres. The Postgres
 * adapter is imported only when the URL asks for it, so a SQLite install never loads (or needs) `pg`,
 * which is an optional peer dependency.
 */
import { createSqliteStore, isSqliteUrl, migrateSqlite } from '@zekka/adapters/sqlite';
import type { Logger, Store } from '@zekka/core';
import { type DatabaseConfig, isPostgresDatabaseUrl, redactDatabaseUrl } from './database-config.ts';

/** Thrown when the URL needs a driver that is not installed; the CLI prints its message as one line. */
export class MissingDriverError extends Error {
  override readonly name = 'MissingDriverError';
}

/**
 * Opens the store and applies pending migrations. Postgres connection errors that happen between
 * requests (an idle connection dropped by a restart or a failover) are logged as warnings; the pool
 * replaces the connection and requests carry on.
 */
export async function openStore(config: DatabaseConfig, logger: Logger): Promise<Store> {
  if (!isPostgresDatabaseUrl(config.databaseUrl)) return createSqliteStore({ url: config.databaseUrl });
  const { createPostgresStore } = await loadPostgresAdapter();
  return createPostgresStore({
    url: config.databaseUrl,
    schema: config.databaseSchema,
    poolMax: config.databasePoolMax,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
    connectionTimeoutMs: config.databaseConnectTimeoutMs,
    onError: (error) => logger.warn('database connection error; the pool will reconnect', { error }),
  });
}

/**
 * What `zekka migrate` runs: applies the pending migrations of the URL's dialect and returns the line to
 * print, which says how many were applied (Postgres) and never shows a password.
 */
export async function migrateDatabase(config: DatabaseConfig): Promise<string> {
  const url = config.databaseUrl;
  if (isPostgresDatabaseUrl(url)) {
    const { migratePostgres } = await loadPostgresAdapter();
    const { applied } = await migratePostgres({ url, schema: config.databaseSchema });
    const where = `${redactDatabaseUrl(url)} (schema "${config.databaseSchema}")`;
    if (applied === 0) return `No pending migrations: ${where} is up to date`;
    return `Applied ${applied} migration${applied === 1 ? '' : 's'} to ${where}`;
  }
  if (!isSqliteUrl(url)) throw new Error(`cannot migrate ${redactDatabaseUrl(url)}`);
  if (url === 'sqlite::memory:') return 'DATABASE_URL is an in-memory database; nothing to migrate';
  migrateSqlite(url);
  return `Migrations applied to ${url}`;
}

type PostgresAdapter = typeof import('@zekka/adapters/postgres');

async function loadPostgresAdapter(): Promise<PostgresAdapter> {
  try {
    return await import('@zekka/adapters/postgres');
  } catch (error) {
    if (isMissingPg(error)) {
      throw new MissingDriverError(
        'DATABASE_URL is a Postgres URL, but the optional dependency "pg" is not installed (bun add pg@^8)',
        { cause: error },
      );
    }
    throw error;
  }
}

function isMissingPg(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return /Cannot find (package|module) ['"]pg['"]/.test(error.message);
}
