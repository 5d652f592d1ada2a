/**
 * @module
 * The Postgres side of the benchmark: where it is (`BENCH_POSTGRES_URL`), whether it answers, and a schema
 * of its own for the run, created at the start and dropped at the end, so runs never see each other's rows
 * or leave tables behind. Uses Bun's built-in Postgres client; the server under test uses `pg` as usual.
 */
import { randomBytes } from 'node:crypto';
import { SQL } from 'bun';

/** Where the Postgres scenarios run when `BENCH_POSTGRES_URL` is unset. */
export const DEFAULT_BENCH_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

const schemas = new Map<string, string>();

/** `BENCH_POSTGRES_URL`, or the local default. */
export function benchPostgresUrl(): string {
  const value = process.env.BENCH_POSTGRES_URL?.trim();
  return value === undefined || value === '' ? DEFAULT_BENCH_POSTGRES_URL : value;
}

/** The URL without its password, for output. */
export function redact(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@?#]*:)[^@/?#]*@/, '$1***@');
}

/** Why Postgres at `url` cannot be used (unreachable, refused, bad URL), or `undefined` when it answers. */
export async function postgresProblem(url: string): Promise<string | undefined> {
  let sql: SQL | undefined;
  try {
    sql = new SQL(url, { max: 1, connectionTimeout: 3 });
    await sql`SELECT 1`;
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await sql?.close().catch(() => {});
  }
}

/** Creates an empty schema named `zekka_bench_<random>` and returns its name; {@link dropBenchSchemas} drops it. */
export async function createBenchSchema(url: string): Promise<string> {
  const schema = `zekka_bench_${randomBytes(6).toString('hex')}`;
  const sql = new SQL(url, { max: 1 });
  try {
    // The name is generated above from hex digits: safe to splice in.
    await sql.unsafe(`CREATE SCHEMA ${schema}`);
  } finally {
    await sql.close();
  }
  schemas.set(schema, url);
  return schema;
}

/** Drops every schema this run created (with its tables). Call after the servers using them stopped. */
export async function dropBenchSchemas(): Promise<void> {
  for (const [schema, url] of schemas) {
    const sql = new SQL(url, { max: 1, connectionTimeout: 3 });
    try {
      await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      schemas.delete(schema);
    } catch (error) {
      console.error(
        `bench: could not drop schema ${schema}: ${error instanceof Error ? error.message : error}`,
      );
    } finally {
      await sql.close().catch(() => {});
    }
  }
}
