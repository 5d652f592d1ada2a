/**
 * Rate limits: the anonymous auth routes per client IP, everything else under `/api/v1` per user; over a
 * limit → 429 RATE_LIMITED with `Retry-After`, in the envelope.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { expectError, expectOk } from './support/expect-envelope.ts';
import { registerUser, type TestUser, uniqueEmail } from './support/fixtures.ts';
import type { ApiResponse } from './support/http-client.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

const AUTH_PER_MINUTE = 3;
const API_PER_MINUTE = 5;

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({
    server: { rateLimit: { authPerMinute: AUTH_PER_MINUTE, apiPerMinute: API_PER_MINUTE }, trustProxy: true },
  });
});
afterAll(() => server.close());

/** A client whose requests come from `ip` (through a proxy the server trusts). */
const from = (ip: string) => server.http.withHeaders({ 'x-forwarded-for': ip });

function expectRateLimited(res: ApiResponse<unknown>): void {
  expectError(res, 429, 'RATE_LIMITED');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('auth routes, per IP', () => {
  test('after the limit, every auth route from that IP answers 429 with Retry-After', async () => {
    const client = from('203.0.113.10');
    for (let i = 0; i < AUTH_PER_MINUTE; i++) {
      const res = await client.post('/auth/refresh', { body: { refreshToken: `unknown-${i}` } });
      expectError(res, 401, 'TOKEN_INVALID');
    }
    expectRateLimited(await client.post('/auth/refresh', { body: { refreshToken: 'unknown' } }));
    expectRateLimited(
      await client.post('/auth/login', { body: { email: uniqueEmail(), password: 'Whatever-123!' } }),
    );
    expectRateLimited(
      await client.post('/auth/register', {
        body: { email: uniqueEmail(), password: 'Whatever-123!', name: 'R' },
      }),
    );
    expectRateLimited(await client.post('/auth/forgot-password', { body: { email: uniqueEmail() } }));
    expectRateLimited(await client.post('/auth/verify-email', { body: { token: 'unknown' } }));
    expectRateLimited(
      await client.post('/auth/reset-password', { body: { token: 'unknown', newPassword: 'Whatever-123!' } }),
    );
  });

  test('another IP is not affected', async () => {
    const res = await from('203.0.113.11').post('/auth/refresh', { body: { refreshToken: 'unknown' } });
    expectError(res, 401, 'TOKEN_INVALID');
  });
});

describe('API routes, per user', () => {
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    [alice, bob] = await Promise.all([
      registerUser(from('198.51.100.1')),
      registerUser(from('198.51.100.2')),
    ]);
  });

  test('a user over the limit gets 429 with Retry-After; another user on the same IP does not', async () => {
    const client = from('192.0.2.50');
    for (let i = 0; i < API_PER_MINUTE; i++) {
      expectOk(await client.get('/auth/me', { token: alice.accessToken }));
    }
    expectRateLimited(await client.get('/auth/me', { token: alice.accessToken }));
    expectRateLimited(await from('192.0.2.51').get('/projects', { token: alice.accessToken }));
    expectOk(await client.get('/auth/me', { token: bob.accessToken }));
  });
});
