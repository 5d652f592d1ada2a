/**
 * @module test-store
 * The store under the acceptance suite, chosen per server:
 *
 * - by default a fresh in-memory SQLite database;
 * - with `ZEKKA_TEST_STORE=postgres`, a fresh Postgres schema (from the adapters' `postgresTestTarget()`),
 *   migrated on open and dropped when the server closes.
 *
 * The variable is set by `test/postgres/http-suite.test.ts` for the child `bun test test/http` it runs, so
 * the very same test files prove the contract on both stores, and a file added under `test/http` runs on
 * Postgres too without being listed anywhere. A test that needs Postgres whatever the environment passes
 * `postgresTestStore(target)` to `createTestServer` instead.
 */
import type { PostgresTestTarget } from '@zekka/adapters/conformance';
import { createSqliteStore } from '@zekka/adapters/sqlite';
import type { Store } from '@zekka/core';

/** A store and how to remove what it created (its Postgres schema). */
export interface TestStore {
  store: Store;
  /** Called after the store is closed. */
  drop(): Promise<void>;
}

/** Opens a fresh, empty, migrated store for one test server. */
export type TestStoreFactory = () => Promise<TestStore>;

export const TEST_STORE_VARIABLE = 'ZEKKA_TEST_STORE';

/** A fresh in-memory SQLite database. */
export const sqliteTestStore: TestStoreFactory = async () => ({
  store: createSqliteStore({ url: 'sqlite::memory:' }),
  drop: async () => {},
});

/** A fresh schema on `target`, migrated when the store opens and dropped (with its tables) by `drop()`. */
export function postgresTestStore(target: PostgresTestTarget): TestStoreFactory {
  return async () => {
    // Imported here so a SQLite-only run never loads the Postgres adapter or `pg`.
    const { createPostgresStore } = await import('@zekka/adapters/postgres');
    const { schema, drop } = await target.createSchema();
    try {
      return { store: await createPostgresStore({ url: target.url, schema }), drop };
    } catch (error) {
      await drop();
      throw error;
    }
  };
}

/** The store `ZEKKA_TEST_STORE` asks for: `postgres`, or in-memory SQLite when unset or `sqlite`. */
export async function testStoreFromEnv(): Promise<TestStore> {
  const choice = process.env[TEST_STORE_VARIABLE] ?? 'sqlite';
  if (choice === 'sqlite') return sqliteTestStore();
  if (choice !== 'postgres')
    throw new Error(`${TEST_STORE_VARIABLE} must be sqlite or postgres (got "${choice}")`);
  const { postgresTestTarget } = await import('@zekka/adapters/conformance');
  const target = postgresTestTarget();
  // Never fall back to SQLite here: the run asked for Postgres, and passing on SQLite would prove nothing.
  if (target === null) throw new Error(`${TEST_STORE_VARIABLE}=postgres needs DATABASE_URL=postgres://…`);
  return postgresTestStore(target)();
}
