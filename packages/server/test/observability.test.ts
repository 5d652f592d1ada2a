/**
 * What an operator sees: one log line per request with its route pattern and no secrets, and Prometheus
 * metrics with bounded labels — checked on a real `zekka serve` process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerProcess, startServerProcess } from './postgres/support/server-process.ts';

const PASSWORD = 'correct-Horse-battery-9';
const NEW_PASSWORD = 'another-Horse-battery-7';

describe('logs and metrics of a running server', () => {
  let server: ServerProcess;
  let dir: string;
  const secrets: string[] = [PASSWORD, NEW_PASSWORD];

  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as { data: Record<string, unknown> }) : null;
    return { status: res.status, data: json?.data ?? {} };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zekka-observability-'));
    server = await startServerProcess({
      DATABASE_URL: `sqlite:${join(dir, 'zekka.db')}`,
      DATA_DIR: dir,
      JWT_SECRET: 'an-observability-test-secret-of-40-bytes!',
      LOG_LEVEL: 'debug',
    });

    // A full auth flow; every secret it handles is remembered for the grep below.
    const registered = await call('POST', '/api/v1/auth/register', {
      email: 'ops@example.com',
      password: PASSWORD,
      name: 'Ops',
    });
    expect(registered.status).toBe(201);
    const { accessToken, refreshToken } = registered.data as {
      accessToken: string;
      refreshToken: string;
    };
    secrets.push(accessToken, refreshToken);
    const login = await call('POST', '/api/v1/auth/login', { email: 'ops@example.com', password: PASSWORD });
    const loginData = login.data as { accessToken: string; refreshToken: string };
    secrets.push(loginData.accessToken, loginData.refreshToken);
    const refreshed = await call('POST', '/api/v1/auth/refresh', { refreshToken: loginData.refreshToken });
    const pair = refreshed.data as { accessToken: string; refreshToken: string };
    secrets.push(pair.accessToken, pair.refreshToken);
    expect(
      (await call('POST', '/api/v1/auth/login', { email: 'ops@example.com', password: 'wrong-Password-1' }))
        .status,
    ).toBe(401);
    const key = await call('POST', '/api/v1/auth/api-keys', { name: 'ci' }, pair.accessToken);
    secrets.push((key.data as { key: string }).key);
    expect(
      (
        await call(
          'POST',
          '/api/v1/auth/change-password',
          { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
          pair.accessToken,
        )
      ).status,
    ).toBe(204);
    await call('POST', '/api/v1/auth/forgot-password', { email: 'ops@example.com' });
    const project = await call('POST', '/api/v1/projects', { name: 'Observed' }, pair.accessToken);
    const projectId = (project.data as { id: string }).id;
    await call('GET', `/api/v1/projects/${projectId}`, undefined, pair.accessToken);
    const conversation = await call('POST', '/api/v1/conversations', { projectId }, pair.accessToken);
    const conversationId = (conversation.data as { id: string }).id;
    expect(
      (
        await call(
          'POST',
          `/api/v1/conversations/${conversationId}/messages`,
          { content: 'hello' },
          pair.accessToken,
        )
      ).status,
    ).toBe(201);
    await call('POST', '/api/v1/auth/logout', {}, pair.accessToken);
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('no password, token, refresh token or API key ever reaches the log', () => {
    const log = server.output();
    expect(log.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(log).not.toContain(secret);
  });

  test('one line per request with request id, route pattern, status, duration and user id', () => {
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === 'request');
    const projectGet = lines.find((entry) => entry.route === '/api/v1/projects/:projectId');
    expect(projectGet).toMatchObject({ method: 'GET', status: 200 });
    expect(typeof projectGet?.requestId).toBe('string');
    expect(typeof projectGet?.durationMs).toBe('number');
    expect(typeof projectGet?.userId).toBe('string');
    // Raw paths never become route labels.
    expect(lines.some((entry) => String(entry.route).includes('-7'))).toBe(false);
  });

  test('/metrics: request histogram by route pattern, generations, tokens, readiness, process metrics', async () => {
    await call('GET', '/no/such/route/123');
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('http_request_duration_seconds_bucket{');
    expect(text).toContain('route="/api/v1/projects/:projectId"');
    expect(text).toContain('route="unmatched"');
    expect(text).not.toContain('/no/such/route');
    expect(text).toMatch(/zekka_generations_total\{model="echo",outcome="complete"\} 1/);
    expect(text).toMatch(/zekka_tokens_total\{model="echo",kind="output"\} \d+/);
    expect(text).toContain('zekka_ready 1');
    expect(text).toContain('http_requests_in_flight');
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
