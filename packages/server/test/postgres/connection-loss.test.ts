/**
 * A real `zekka serve` process on Postgres losing its database: its connections terminated under load
 * (`pg_terminate_backend`, as a restart or an operator does), and the database unreachable for a while
 * (a TCP proxy in front of it cut and resumed). Requests in the gap answer fast — 200 or
 * `503 UNAVAILABLE`, never a hang, never a 500 — `/ready` says 503 while the database is gone, and the
 * server recovers on its own, without a restart.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresTestTarget } from '@zekka/adapters/conformance';
import {
  countBackends,
  terminateBackends,
  uniqueApplicationName,
  withApplicationName,
} from './support/backends.ts';
import { type ServerProcess, startServerProcess, timedFetch } from './support/server-process.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

const target = postgresTestTarget();
/** Far above any healthy answer, far below a hang: what "fails fast" means here. */
const FAST_MS = 5000;
const PASSWORD = 'Quiet-Lantern-42!';

interface Account {
  token: string;
  projectId: string;
}

/** Registers a user and creates a project over HTTP. */
async function seed(baseUrl: string): Promise<Account> {
  const json = { 'content-type': 'application/json' };
  const registered = await timedFetch(`${baseUrl}/api/v1/auth/register`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({
      email: `loss-${crypto.randomUUID()}@example.test`,
      password: PASSWORD,
      name: 'L',
    }),
  });
  expect(registered.status).toBe(201);
  const token = (registered.body as { data: { accessToken: string } }).data.accessToken;
  const created = await timedFetch(`${baseUrl}/api/v1/projects`, {
    method: 'POST',
    headers: { ...json, authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: 'Survivor' }),
  });
  expect(created.status).toBe(201);
  return { token, projectId: (created.body as { data: { id: string } }).data.id };
}

const getProject = (baseUrl: string, account: Account) =>
  timedFetch(`${baseUrl}/api/v1/projects/${account.projectId}`, {
    headers: { authorization: `Bearer ${account.token}` },
  });

/** Asserts a 503 in the contract's envelope, with a message that gives nothing of the driver away. */
function expectUnavailable(res: { status: number; body: unknown }): void {
  expect(res.status).toBe(503);
  expect(res.body).toMatchObject({
    success: false,
    error: { code: 'UNAVAILABLE' },
    requestId: expect.any(String),
  });
  const message = (res.body as { error: { message: string } }).error.message;
  expect(message).not.toMatch(/ECONN|terminat|57P01|pg_|127\.0\.0\.1|:\d{2,5}\b|stack|at \//i);
}

/** Polls `check` until it passes or `timeoutMs` runs out; resolves to how long it took. */
async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return performance.now() - started;
    await Bun.sleep(100);
  }
  throw new Error(`still failing after ${timeoutMs} ms`);
}

describe.skipIf(target === null)('a server on Postgres losing its database', () => {
  let dataDir: string;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'zekka-pg-loss-'));
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** `zekka serve` on a fresh schema at `url`, stopped (and its schema dropped) after the file. */
  async function serve(url: string, env: Record<string, string> = {}): Promise<ServerProcess> {
    if (target === null) throw new Error('unreachable: the suite is skipped without Postgres');
    const schema = await target.createSchema();
    cleanups.push(schema.drop);
    const server = await startServerProcess({
      DATABASE_URL: url,
      DATABASE_SCHEMA: schema.schema,
      DATA_DIR: dataDir,
      JWT_SECRET: 'connection-loss-test-secret-of-32-bytes+',
      // The load below is one user's; the per-user limit would answer 429 long before the database matters.
      API_RATE_LIMIT_PER_MINUTE: '100000000',
      ...env,
    });
    cleanups.push(() => server.stop());
    return server;
  }

  test('terminated backends: requests answer 200 or 503 fast, pool errors are warnings, the pool recovers', async () => {
    if (target === null) return;
    const appName = uniqueApplicationName('loss');
    const server = await serve(withApplicationName(target.url, appName), { DATABASE_POOL_MAX: '4' });
    const account = await seed(server.url);
    await Promise.all(Array.from({ length: 8 }, () => getProject(server.url, account)));
    expect(await countBackends(target.url, appName)).toBeGreaterThan(0);

    // Idle connections first: the pool hears about each one's death between requests.
    expect(await terminateBackends(target.url, appName)).toBeGreaterThan(0);
    await eventually(async () => server.output().includes('"msg":"database connection error'), FAST_MS);
    await eventually(async () => (await getProject(server.url, account)).status === 200, FAST_MS);

    // Then under load, so some queries are in flight when their connection dies.
    const answers: { status: number; body: unknown; ms: number }[] = [];
    let loading = true;
    const workers = Array.from({ length: 6 }, async () => {
      while (loading) answers.push(await getProject(server.url, account));
    });
    await Bun.sleep(300);
    let terminated = 0;
    for (let i = 0; i < 5; i++) {
      terminated += await terminateBackends(target.url, appName);
      await Bun.sleep(100);
    }
    await Bun.sleep(300);
    loading = false;
    await Promise.all(workers);

    expect(terminated).toBeGreaterThan(0);
    expect(answers.length).toBeGreaterThan(10);
    for (const answer of answers) {
      expect(answer.ms).toBeLessThan(FAST_MS);
      if (answer.status !== 200) expectUnavailable(answer);
    }
    console.log(
      `connection loss: ${terminated} backends terminated under load; ` +
        `${answers.filter((a) => a.status === 200).length} answers 200, ` +
        `${answers.filter((a) => a.status === 503).length} answered 503`,
    );

    // Recovered without a restart: the same process serves and is ready again.
    await eventually(async () => (await getProject(server.url, account)).status === 200, FAST_MS);
    expect((await timedFetch(`${server.url}/ready`)).status).toBe(200);
    expect(server.alive()).toBe(true);
  }, 60_000);

  test('database unreachable: /health 200, /ready and the API 503 fast; back to 200 when it returns', async () => {
    if (target === null) return;
    const upstream = new URL(target.url);
    const proxy: TcpProxy = startTcpProxy({
      host: upstream.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
      port: Number(upstream.port || 5432),
    });
    cleanups.push(async () => proxy.close());
    const viaProxy = new URL(target.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const server = await serve(viaProxy.toString(), { DATABASE_CONNECT_TIMEOUT_MS: '1000' });
    const account = await seed(server.url);
    expect((await timedFetch(`${server.url}/ready`)).status).toBe(200);

    proxy.cut();
    const ready = await timedFetch(`${server.url}/ready`);
    expectUnavailable(ready);
    expect(ready.ms).toBeLessThan(FAST_MS);
    expect((await timedFetch(`${server.url}/health`)).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const res = await getProject(server.url, account);
      expectUnavailable(res);
      expect(res.ms).toBeLessThan(FAST_MS);
    }

    proxy.resume();
    await eventually(async () => (await timedFetch(`${server.url}/ready`)).status === 200, 10_000);
    expect((await getProject(server.url, account)).status).toBe(200);
    expect(server.alive()).toBe(true);
  }, 60_000);

  test('a server whose database is unreachable at start exits 1 with one line, and fast', async () => {
    if (target === null) return;
    const started = performance.now();
    const child = Bun.spawn({
      cmd: [process.execPath, join(import.meta.dir, '..', '..', 'src', 'cli.ts'), 'serve'],
      env: {
        ...process.env,
        DATABASE_URL: 'postgres://zekka:not-a-real-secret@127.0.0.1:1/zekka',
        DATA_DIR: dataDir,
        JWT_SECRET: 'connection-loss-test-secret-of-32-bytes+',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
    expect(code).toBe(1);
    expect(performance.now() - started).toBeLessThan(15_000);
    const last = stderr.trim().split('\n').at(-1) ?? '';
    // One line an operator can act on: what failed and the driver's reason.
    expect(last).toMatch(/^zekka: The database is unavailable \(connect ECONNREFUSED 127\.0\.0\.1:1\)$/);
    expect(stderr).not.toContain('not-a-real-secret');
  }, 30_000);
});
