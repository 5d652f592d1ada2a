/**
 * `migratePostgres` against a real database: an empty schema, an up-to-date one, two processes at once,
 * and where the migrated objects end up. Skipped without a Postgres `DATABASE_URL` (failing when `CI=true`).
 */
import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { postgresTestTarget } from '../src/conformance/index.ts';
import { makeUser } from '../src/conformance/store/fixtures.ts';
import {
  createPostgresStore,
  DEFAULT_POSTGRES_MIGRATIONS_FOLDER,
  migratePostgres,
} from '../src/postgres/index.ts';
import { postgresHarness } from './support/postgres-harness.ts';

const target = postgresTestTarget();

/** Migrations in the journal: what a migration of an empty schema applies. */
async function migrationCount(): Promise<number> {
  const journal = (await Bun.file(
    join(DEFAULT_POSTGRES_MIGRATIONS_FOLDER, 'meta', '_journal.json'),
  ).json()) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

describe.skipIf(target === null)('postgres migrations', () => {
  const pg = postgresHarness(target);

  test('migratePostgres applies every migration to an empty schema, then none', async () => {
    const schema = await pg.newSchema();
    expect(await migratePostgres({ url: pg.url, schema })).toEqual({ applied: await migrationCount() });
    expect(await migratePostgres({ url: pg.url, schema })).toEqual({ applied: 0 });
    // A store opened with `migrate: true` on the up-to-date schema works as is.
    const store = await createPostgresStore({ url: pg.url, schema });
    pg.closeAfterTest(store);
    await store.users.create(makeUser());
  });

  test('createPostgresStore migrates a schema that has no tables yet', async () => {
    const store = await createPostgresStore({ url: pg.url, schema: await pg.newSchema() });
    pg.closeAfterTest(store);
    const user = await store.users.create(makeUser());
    expect(await store.users.findById(user.id)).toEqual(user);
  });

  test('two processes migrating one schema at once: both succeed, the migrations apply once', async () => {
    const schema = await pg.newSchema();
    const script = join(import.meta.dir, 'postgres-migrate.script.ts');
    const runs = Array.from({ length: 2 }, () =>
      Bun.spawn([process.execPath, script, pg.url, schema], { stdout: 'pipe', stderr: 'pipe' }),
    );
    const results = await Promise.all(
      runs.map(async (run) => {
        const [stdout, stderr, code] = await Promise.all([
          new Response(run.stdout).text(),
          new Response(run.stderr).text(),
          run.exited,
        ]);
        expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
        return JSON.parse(stdout) as { applied: number };
      }),
    );
    const count = await migrationCount();
    expect(results.map((r) => r.applied).toSorted()).toEqual([0, count]);
    const admin = await pg.admin();
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${schema}.__drizzle_migrations`,
    );
    expect(rows[0]?.n).toBe(count);
  });

  test('tables, their foreign keys and the migrations table all live in the store’s schema', async () => {
    const schema = await pg.emptySchema();
    const admin = await pg.admin();
    const tables = await admin.query<{ name: string }>(
      'SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 ORDER BY 1',
      [schema],
    );
    expect(tables.rows.map((r) => r.name)).toEqual(expect.arrayContaining(['__drizzle_migrations', 'users']));
    const foreignKeys = await admin.query<{ parent: string }>(
      `SELECT c.confrelid::regclass::text AS parent
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE c.contype = 'f' AND n.nspname = $1`,
      [schema],
    );
    expect(foreignKeys.rows.length).toBeGreaterThan(0);
    for (const { parent } of foreignKeys.rows) expect(parent.startsWith(`${schema}.`)).toBe(true);
  });
});
