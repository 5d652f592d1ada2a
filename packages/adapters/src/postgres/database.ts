/**
 * @module postgres/database
 * The drizzle handle the repositories share, and the two building blocks of their atomic methods.
 */

import { type SQL, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { retryOnce } from './errors.ts';

/** The drizzle handle every repository receives, over the store's pool. No relational schema. */
export type PostgresDatabase = NodePgDatabase;

/** A transaction of `PostgresDatabase`; it has the same query builders. */
export type PostgresTransaction = Parameters<Parameters<PostgresDatabase['transaction']>[0]>[0];

/**
 * Runs `body` in one READ COMMITTED transaction on one pooled connection (drizzle checks a client out of
 * the pool for it), run a second time if Postgres aborted it as a deadlock or serialization failure.
 * Race safety comes from the row locks `body` takes (`SELECT … FOR UPDATE`) and from single conditional
 * statements, not from the isolation level: READ COMMITTED re-reads a locked row after the lock is granted,
 * so the code after a lock sees the latest committed state.
 */
export function atomic<T>(db: PostgresDatabase, body: (tx: PostgresTransaction) => Promise<T>): Promise<T> {
  return retryOnce(() => db.transaction(body));
}

/**
 * `column` compared byte by byte (`COLLATE "C"`), as SQLite's default BINARY collation does. Used for id
 * tie-breaks in `ORDER BY`, so pages come out in the same order on both stores whatever the database's
 * locale.
 */
export function byteOrder(column: AnyPgColumn): SQL {
  return sql`${column} COLLATE "C"`;
}
