/**
 * @module conformance/postgres-target
 * Where every Postgres test suite (the adapters' and the server's) gets its database: `DATABASE_URL`, with a
 * fresh schema per run so parallel runs and leftovers never collide. Without a Postgres URL the suites skip
 * locally — saying so once — and fail in CI, where a missing database must not pass as green.
 *
 * @example
 * const target = postgresTestTarget();
 * describe.skipIf(target === null)('on Postgres', () => {
 *   test('…', async () => {
 *     const { schema, drop } = await target!.createSchema();
 *   });
 * });
 */

import { randomBytes } from 'node:crypto';
import { isPostgresUrl } from '../postgres/url.ts';

export interface PostgresTestTarget {
  url: string;
  /** Creates an empty schema named `zekka_t_<random>`; `drop()` removes it with everything in it. */
  createSchema(): Promise<{ schema: string; drop(): Promise<void> }>;
}

const SKIP_LINE = 'postgres suites skipped: DATABASE_URL is not a postgres:// URL';
let skipAnnounced = false;

/**
 * The Postgres test target from `DATABASE_URL`, or `null` (after printing why, once per process) when it is
 * not a Postgres URL. Throws instead when `CI=true`.
 */
export function postgresTestTarget(): PostgresTestTarget | null {
  const url = process.env.DATABASE_URL;
  if (url === undefined || !isPostgresUrl(url)) {
    if (process.env.CI === 'true') {
      throw new Error(
        `CI=true needs DATABASE_URL=postgres://… to run the postgres suites (got ${url ?? 'none'})`,
      );
    }
    if (!skipAnnounced) {
      skipAnnounced = true;
      console.warn(SKIP_LINE);
    }
    return null;
  }
  return { url, createSchema: () => createSchema(url) };
}

async function createSchema(url: string): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `zekka_t_${randomBytes(6).toString('hex')}`;
  await run(url, `CREATE SCHEMA ${schema}`);
  return { schema, drop: () => run(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

/** One statement on a short-lived connection. `pg` is loaded here so importing this module never needs it. */
async function run(url: string, statement: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
