/**
 * The Postgres store when the database goes away: backends terminated under it, a port that refuses, a
 * host that never answers, a statement stuck past its timeout. Calls succeed or fail `UNAVAILABLE` —
 * fast, never hanging, never crashing the process — and the pool recovers on its own.
 * Skipped without a Postgres `DATABASE_URL` (failing when `CI=true`).
 */
import { describe, expect, test } from 'bun:test';
import { ZekkaError } from '@zekka/core';
import pg from 'pg';
import { postgresTestTarget } from '../src/conformance/index.ts';
import { expectCode, givenUser, MINUTE, NOW } from '../src/conformance/store/fixtures.ts';
import { createPostgresStore } from '../src/postgres/index.ts';
import { postgresHarness, withApplicationName } from './support/postgres-harness.ts';

const target = postgresTestTarget();

/** Rejects when `promise` has not settled within `ms`: "never hangs" made testable. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: Timer | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe.skipIf(target === null)('postgres store losing its database', () => {
  const harness = postgresHarness(target);

  test('terminated backends: calls succeed or fail UNAVAILABLE, never hang, and the pool recovers', async () => {
    const name = `zekka_t_${crypto.randomUUID().slice(0, 8)}`;
    const poolErrors: unknown[] = [];
    const store = await harness.openStore({
      url: withApplicationName(harness.url, name),
      poolMax: 4,
      onError: (error) => poolErrors.push(error),
    });
    const user = await givenUser(store);
    const terminate = async () => {
      const admin = await harness.admin();
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1`,
        [name],
      );
      return rows[0]?.n ?? 0;
    };
    const call = () =>
      within(
        5000,
        store.users.findById(user.id).then(
          () => 'ok',
          (error: unknown) => (error instanceof ZekkaError ? error.code : `raw: ${String(error)}`),
        ),
      );

    // Idle connections: the pool hears of their death between calls, reports it, and drops them.
    await Promise.all(Array.from({ length: 8 }, call));
    expect(await terminate()).toBeGreaterThan(0);
    for (let i = 0; i < 50 && poolErrors.length === 0; i++) await Bun.sleep(20);
    expect(poolErrors.length).toBeGreaterThan(0);
    for (const outcome of await Promise.all(Array.from({ length: 8 }, call))) {
      expect(['ok', 'UNAVAILABLE']).toContain(outcome);
    }

    // Busy connections: calls in flight when their connection dies.
    const inFlight = Array.from({ length: 12 }, call);
    await terminate();
    for (const outcome of await Promise.all(inFlight)) expect(['ok', 'UNAVAILABLE']).toContain(outcome);

    let recovered = false;
    for (let attempt = 0; attempt < 5 && !recovered; attempt++) recovered = (await call()) === 'ok';
    expect(recovered).toBe(true);
    await store.ping();
  });

  test('a refused port: ping, queries and opening with migrations fail UNAVAILABLE at once', async () => {
    const url = 'postgres://postgres@127.0.0.1:1/test';
    const store = await createPostgresStore({ url, migrate: false, connectionTimeoutMs: 500 });
    harness.closeAfterTest(store);
    const started = performance.now();
    await expectCode(store.ping(), 'UNAVAILABLE');
    const error = await expectCode(store.users.findById(crypto.randomUUID()), 'UNAVAILABLE');
    expect(error.cause).toBeDefined();
    expect(performance.now() - started).toBeLessThan(2000);
    await expectCode(createPostgresStore({ url }), 'UNAVAILABLE');
  });

  test('a host that accepts but never answers: calls fail UNAVAILABLE after connectionTimeoutMs', async () => {
    // A socket that swallows the startup packet, like a host behind a dead proxy.
    const silent = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
    harness.afterTest(async () => silent.stop(true));
    const store = await createPostgresStore({
      url: `postgres://postgres@127.0.0.1:${silent.port}/test`,
      migrate: false,
      connectionTimeoutMs: 300,
    });
    harness.closeAfterTest(store);
    const started = performance.now();
    await expectCode(store.ping(), 'UNAVAILABLE');
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2000);
  });

  test('statementTimeoutMs cancels a statement stuck on a lock, reported UNAVAILABLE', async () => {
    const schema = await harness.emptySchema();
    const store = await harness.openStore({ statementTimeoutMs: 200 });
    const user = await givenUser(store);
    // Another session holds the user's row lock, so the store's UPDATE waits on it.
    const blocker = new pg.Client({ connectionString: harness.url });
    blocker.on('error', () => {});
    await blocker.connect();
    harness.afterTest(() => blocker.end());
    await blocker.query('BEGIN');
    await blocker.query(`SELECT 1 FROM ${schema}.users WHERE id = $1 FOR UPDATE`, [user.id]);
    const started = performance.now();
    await expectCode(store.users.recordLoginFailure(user.id, NOW, 5, MINUTE), 'UNAVAILABLE');
    expect(performance.now() - started).toBeLessThan(2000);
    await blocker.query('ROLLBACK');
    expect(await store.users.recordLoginFailure(user.id, NOW, 5, MINUTE)).toMatchObject({
      failedLoginCount: 1,
    });
  });

  test('close ends the pool; a closed store rejects calls and closing again is harmless', async () => {
    const store = await createPostgresStore({
      url: harness.url,
      schema: await harness.emptySchema(),
      migrate: false,
    });
    await store.ping();
    await store.close();
    await store.close();
    await expect(store.ping()).rejects.toThrow();
  });
});
