/**
 * @module backends
 * Server-side views of a test's Postgres connections, through Bun's own Postgres client (an admin
 * connection, separate from the pool under test): which backends a given `application_name` holds, and
 * terminating them the way a restart or `pg_terminate_backend` by an operator would.
 */
import { SQL } from 'bun';

/** `url` with `application_name` set, so the connections it opens can be found in `pg_stat_activity`. */
export function withApplicationName(url: string, applicationName: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', applicationName);
  return parsed.toString();
}

/** A name unique to this run, usable as an `application_name` (at most 63 bytes). */
export function uniqueApplicationName(label: string): string {
  return `zekka-${label}-${crypto.randomUUID().slice(0, 8)}`;
}

async function withAdmin<T>(url: string, run: (sql: SQL) => Promise<T>): Promise<T> {
  const sql = new SQL(url, { max: 1 });
  try {
    return await run(sql);
  } finally {
    await sql.close();
  }
}

/** How many backends `applicationName` holds right now. */
export function countBackends(url: string, applicationName: string): Promise<number> {
  return withAdmin(url, async (sql) => {
    const rows: { count: number }[] =
      await sql`SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = ${applicationName}`;
    return rows[0]?.count ?? 0;
  });
}

/** Terminates every backend of `applicationName`; resolves to how many were terminated. */
export function terminateBackends(url: string, applicationName: string): Promise<number> {
  return withAdmin(url, async (sql) => {
    const rows: { terminated: boolean }[] = await sql`
      SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
      WHERE application_name = ${applicationName} AND pid <> pg_backend_pid()`;
    return rows.filter((row) => row.terminated).length;
  });
}
