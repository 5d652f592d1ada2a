/**
 * @module sqlite/database
 * Opening a SQLite database the way every Zekka store needs it: pragmas set, migrations applied.
 */

import { Database } from 'bun:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type BunSQLiteDatabase, drizzle } from 'drizzle-orm/bun-sqlite';
import { migrate } from 'drizzle-orm/bun-sqlite/migrator';
import { defaultMigrationsFolder } from '../migrations-folder.ts';

/** The drizzle handle every repository receives. No relational schema: repositories use the query builder. */
export type SqliteDatabase = BunSQLiteDatabase;

/** The SQLite migrations: the published package's copy, or `migrations/sqlite` in the repository. */
export const DEFAULT_SQLITE_MIGRATIONS_FOLDER = defaultMigrationsFolder('sqlite');

export interface OpenSqliteOptions {
  /** A file path, or `:memory:`. The parent directory of a file is created when missing. */
  path: string;
  /**
   * Where drizzle-kit's SQL and `meta/_journal.json` live.
   * @default the repository's `migrations/sqlite`
   */
  migrationsFolder?: string;
  /**
   * How long a statement waits for another connection's write lock before failing with `SQLITE_BUSY`.
   * @default 5000
   */
  busyTimeoutMs?: number;
}

export interface OpenedSqlite {
  client: Database;
  db: SqliteDatabase;
}

/** `:memory:` (or the empty path): a private in-memory database, without a WAL. */
export const isMemoryPath = (path: string) => path === ':memory:' || path === '';

/**
 * Opens (creating when missing) the database, sets its pragmas and applies pending migrations.
 * Throws when a migration fails or leaves a foreign key pointing at nothing; the database is closed then.
 */
export function openSqliteDatabase(options: OpenSqliteOptions): OpenedSqlite {
  const { path, migrationsFolder = DEFAULT_SQLITE_MIGRATIONS_FOLDER, busyTimeoutMs = 5000 } = options;
  if (!isMemoryPath(path)) mkdirSync(dirname(path), { recursive: true });
  const client = new Database(path, { create: true, readwrite: true });
  try {
    // busy_timeout first, so even the WAL switch waits for a concurrent opener instead of failing.
    client.run(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    // WAL lets readers run while one writer commits; in-memory databases cannot use it.
    if (!isMemoryPath(path)) client.run('PRAGMA journal_mode = WAL');
    // NORMAL is durable against application crashes in WAL mode and much faster than FULL.
    client.run('PRAGMA synchronous = NORMAL');
    const db = drizzle({ client });
    applyMigrations(client, db, migrationsFolder);
    client.run('PRAGMA foreign_keys = ON');
    return { client, db };
  } catch (error) {
    client.close();
    throw error;
  }
}

/**
 * drizzle's migrator wraps all pending migrations in one transaction, where `PRAGMA foreign_keys` is a
 * no-op; with foreign keys on, a drizzle-kit table rebuild (`DROP TABLE` of a parent) would cascade-delete
 * every child row. So migrations run with foreign keys off and, when any was applied, the result is checked
 * afterwards, as SQLite's own ALTER TABLE procedure prescribes. (Only then: the check scans every table.)
 */
function applyMigrations(client: Database, db: SqliteDatabase, migrationsFolder: string): void {
  client.run('PRAGMA foreign_keys = OFF');
  const before = appliedMigrationCount(client);
  migrate(db, { migrationsFolder });
  if (appliedMigrationCount(client) === before) return;
  const violations = client.query('PRAGMA foreign_key_check').all();
  if (violations.length > 0) {
    throw new Error(
      `SQLite migrations left ${violations.length} foreign key violation(s): ${JSON.stringify(violations.slice(0, 5))}`,
    );
  }
}

/** Rows in drizzle's bookkeeping table; 0 before the first migration created it. */
function appliedMigrationCount(client: Database): number {
  const table = client
    .query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (table === null) return 0;
  const row = client.query<{ n: number }, []>('SELECT count(*) AS n FROM __drizzle_migrations').get();
  return row?.n ?? 0;
}
