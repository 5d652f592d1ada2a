/**
 * @module test/support/postgres-harness
 * What every Postgres test file of the adapters shares: one schema per file run, created and migrated on
 * first use, with every table emptied before each test that asks for it (TRUNCATE is far cheaper than a
 * schema per test); an admin connection outside the pools under test; stores and extra schemas that are
 * closed and dropped after each test. Call `postgresHarness()` inside `describe.skipIf(target === null)`:
 * it registers its hooks there, so a skipped suite touches no database.
 *
 * @example
 * const target = postgresTestTarget();
 * describe.skipIf(target === null)('…', () => {
 *   const pg = postgresHarness(target);
 *   test('…', async () => {
 *     const store = await pg.openStore();
 *   });
 * });
 */
import { afterAll, afterEach } from 'bun:test';
import type { Store } from '@zekka/core';
import pg from 'pg';
import type { PostgresTestTarget } from '../../src/conformance/index.ts';
import { createPostgresStore, migratePostgres, type PostgresStoreOptions } from '../../src/postgres/index.ts';

export interface PostgresHarness {
  url: string;
  /** The file's schema, created and migrated on first call, with every table emptied. */
  emptySchema(): Promise<string>;
  /** A store (no migration) on the emptied file schema; closed after the test. */
  openStore(options?: Partial<PostgresStoreOptions>): Promise<Store>;
  /** Closes `store` after the test (for stores opened otherwise). */
  closeAfterTest(store: Store): void;
  /** A new, empty, unmigrated schema; dropped after the test. */
  newSchema(): Promise<string>;
  /** A connection of its own, outside every pool under test; `search_path` is not set. */
  admin(): Promise<pg.Client>;
  /** Runs after the test, after the stores are closed. */
  afterTest(cleanup: () => Promise<void>): void;
}

export function postgresHarness(target: PostgresTestTarget | null): PostgresHarness {
  const url = target?.url ?? '';
  let adminClient: pg.Client | undefined;
  let shared: { schema: string; drop(): Promise<void>; tables: string[] } | undefined;
  const stores: Store[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  const requireTarget = (): PostgresTestTarget => {
    if (target === null) throw new Error('Postgres is not configured; the suite should have been skipped');
    return target;
  };

  const harness: PostgresHarness = {
    url,
    async admin() {
      if (adminClient === undefined) {
        adminClient = new pg.Client({ connectionString: url });
        adminClient.on('error', () => {});
        await adminClient.connect();
      }
      return adminClient;
    },
    async emptySchema() {
      const client = await harness.admin();
      if (shared === undefined) {
        const created = await requireTarget().createSchema();
        await migratePostgres({ url, schema: created.schema });
        // Every table the migrations made, so tables added by later migrations are emptied too.
        const { rows } = await client.query<{ name: string }>(
          `SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 AND tablename <> '__drizzle_migrations'`,
          [created.schema],
        );
        shared = { ...created, tables: rows.map((row) => `${created.schema}.${row.name}`) };
      }
      await client.query(`TRUNCATE ${shared.tables.join(', ')} RESTART IDENTITY CASCADE`);
      return shared.schema;
    },
    async openStore(options = {}) {
      const store = await createPostgresStore({
        url,
        schema: await harness.emptySchema(),
        migrate: false,
        ...options,
      });
      stores.push(store);
      return store;
    },
    closeAfterTest(store) {
      stores.push(store);
    },
    async newSchema() {
      const { schema, drop } = await requireTarget().createSchema();
      cleanups.push(drop);
      return schema;
    },
    afterTest(cleanup) {
      cleanups.push(cleanup);
    },
  };

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  afterAll(async () => {
    await shared?.drop();
    await adminClient?.end();
  });
  return harness;
}

/** `url` with `application_name` set, so a pool's backends can be found in `pg_stat_activity`. */
export function withApplicationName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', name);
  return parsed.toString();
}
