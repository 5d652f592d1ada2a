/**
 * A real `zekka serve` on a Redis of its own (a private `redis-server` the test starts, SIGKILLs and starts
 * again on the same port): while Redis is gone the instance keeps serving — `/health` 200, API requests
 * succeed (cache misses, rate limits in memory) — and `/ready` reports the cache down (503); once Redis is
 * back, `/ready` recovers by itself. Skipped locally without a Redis `REDIS_URL` or a `redis-server` binary;
 * fails with `CI=true`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisTestTarget } from '@zekka/adapters/conformance';
import {
  hasRedisServer,
  type PrivateRedis,
  startPrivateRedis,
} from '../../../adapters/test/support/redis-server.ts';
import { type ServerProcess, startServerProcess } from '../postgres/support/server-process.ts';
import { call, createProject, eventually, register } from './support/api.ts';

const target = redisTestTarget();
const binary = hasRedisServer();
if (target !== null && !binary) {
  if (process.env.CI === 'true')
    throw new Error('CI=true needs redis-server on the PATH for the fault suite');
  console.warn('server redis fault suite skipped: no redis-server binary on the PATH');
}

describe.skipIf(target === null || !binary)('a server whose Redis dies and comes back', () => {
  let redis: PrivateRedis;
  let server: ServerProcess;
  const dataDir = mkdtempSync(join(tmpdir(), 'zekka-redis-faults-'));

  beforeAll(async () => {
    redis = await startPrivateRedis();
    server = await startServerProcess({
      REDIS_URL: redis.url,
      DATABASE_URL: `sqlite:${join(dataDir, 'zekka.db')}`,
      DATA_DIR: dataDir,
      JWT_SECRET: 'fault-test-secret-that-is-long-enough-0123456789',
      TRUST_PROXY: 'true',
    });
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    await redis?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('keeps serving without Redis, reports not ready, and recovers when it returns', async () => {
    const { token } = await register(server.url);
    const projectId = await createProject(server.url, token);
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);

    await redis.kill();
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    await eventually(async () => expect((await fetch(`${server.url}/ready`)).status).toBe(503), 10_000);
    // Reads miss the cache and go to the store; limits count in memory; writes that need no cache work.
    const read = await call(server.url, 'GET', `/api/v1/projects/${projectId}`, { token });
    expect(read.status).toBe(200);
    const me = await call(server.url, 'GET', '/api/v1/auth/me', { token });
    expect(me.status).toBe(200);
    const created = await call(server.url, 'POST', '/api/v1/projects', { token, body: { name: 'Offline' } });
    expect(created.status).toBe(201);
    // A generation runs too: its claim stays local and its stream is not buffered (both logged).
    const conversation = await call(server.url, 'POST', '/api/v1/conversations', {
      token,
      body: { projectId },
    });
    expect(conversation.status).toBe(201);
    const conversationId = (conversation.body.data as { id: string }).id;
    const sent = await call(server.url, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      token,
      body: { content: 'still here' },
    });
    expect(sent.status).toBe(201);
    const login = await call(server.url, 'POST', '/api/v1/auth/login', {
      body: { email: 'nobody@example.test', password: 'Wrong-Password-1!' },
    });
    expect(login.status).toBe(401);

    await redis.restart();
    await eventually(async () => expect((await fetch(`${server.url}/ready`)).status).toBe(200), 15_000);
    expect((await call(server.url, 'GET', `/api/v1/projects/${projectId}`, { token })).status).toBe(200);
    expect(server.output()).toContain('redis');
  }, 60_000);
});
