/**
 * @module postgres/migrate
 * Applying drizzle-kit's migrations (`migrations/postgres`) to a schema, safely from several processes at
 * once: every instance of a scaled-out server migrates at start, and so may `zekka migrate`.
 */

import { createHash } from 'node:crypto';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { defaultMigrationsFolder } from '../migrations-folder.ts';
import { type ConnectionSettings, clientConfig } from './connection.ts';
import { toStoreError } from './errors.ts';

/** The Postgres migrations: the published package's copy, or `migrations/postgres` in the repository. */
export const DEFAULT_POSTGRES_MIGRATIONS_FOLDER = defaultMigrationsFolder('postgres');

/** drizzle's bookkeeping table; it lives in the store's schema, next to the tables it describes. */
const MIGRATIONS_TABLE = '__drizzle_migrations';

/**
 * The advisory-lock key for migrating `schema`: the first 8 bytes of a SHA-256, as the signed 64-bit integer
 * `pg_advisory_lock` takes. Derived from the schema name, so stores in different schemas of one database
 * migrate independently, and computed here rather than by `hashtext()`, whose output Postgres does not
 * promise to keep across versions.
 */
export function migrationLockKey(schema: string): string {
  const digest = createHash('sha256').update(`zekka:migrate:${schema}`).digest();
  return digest.readBigInt64BE(0).toString();
}

export type MigrationSettings = Omit<ConnectionSettings, 'statementTimeoutMs'> & { migrationsFolder: string };

/**
 * Applies the pending migrations on one dedicated connection while holding a session-level advisory lock:
 * a second process blocks on `pg_advisory_lock` until the first is done, then finds nothing to apply.
 * drizzle's migrator runs all pending migrations in one transaction, so a failure applies none of them.
 * Returns how many it applied. Connection failures reject with `ZekkaError('UNAVAILABLE')`.
 */
export async function applyMigrations(settings: MigrationSettings): Promise<{ applied: number }> {
  // No statement timeout: waiting for another process's lock, or building an index, may take long.
  const client = new pg.Client(clientConfig(settings));
  // A connection error with no query running is emitted as an event; without a listener it would throw
  // out of the event loop. The awaited query fails on its own and reports it.
  client.on('error', () => {});
  try {
    await client.connect();
    const key = migrationLockKey(settings.schema);
    await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    try {
      const before = await appliedCount(client, settings.schema);
      await migrate(drizzle({ client }), {
        migrationsFolder: settings.migrationsFolder,
        migrationsSchema: settings.schema,
        migrationsTable: MIGRATIONS_TABLE,
      });
      return { applied: (await appliedCount(client, settings.schema)) - before };
    } finally {
      // Ending the session below releases the lock anyway; unlocking first lets a waiting process go on
      // without waiting for the disconnect. If the connection is gone, so is the lock.
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => {});
    }
  } catch (error) {
    throw toStoreError(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Rows in drizzle's bookkeeping table; 0 before the first migration created it. */
async function appliedCount(client: pg.Client, schema: string): Promise<number> {
  const table = `${schema}.${MIGRATIONS_TABLE}`;
  const exists = await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [
    table,
  ]);
  if (exists.rows[0]?.found !== true) return 0;
  // `schema` passed `checkSchemaName` (in `clientConfig`), so it needs no quoting.
  const counted = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return counted.rows[0]?.n ?? 0;
}
