import { afterAll, describe, expect, test } from 'bun:test';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import {
  createTestApp,
  createTestZekka,
  errorOf,
  registerUser,
  type Sent,
  send,
  type TestApp,
} from '../../test/support/test-app.ts';
import { fromRateLimiterFlexible, type RateLimiterSpec } from '../rate-limiter.ts';

const zekka = createTestZekka();
afterAll(() => zekka.close());

function expectRateLimited(res: Sent): void {
  expect(res.status).toBe(429);
  expect(errorOf(res).code).toBe('RATE_LIMITED');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

const from = (ip: string) => ({ 'x-forwarded-for': `${ip}, 10.0.0.1` });
const refresh = (app: TestApp, headers: Record<string, string>) =>
  send(app, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: 'unknown' }, headers });

describe('auth routes: per client IP', () => {
  const app = createTestApp(zekka, { rateLimit: { authPerMinute: 2, apiPerMinute: 100 }, trustProxy: true });

  test('over the limit → 429 RATE_LIMITED with Retry-After; another IP is unaffected', async () => {
    expect((await refresh(app, from('203.0.113.1'))).status).toBe(401);
    expect((await refresh(app, from('203.0.113.1'))).status).toBe(401);
    expectRateLimited(await refresh(app, from('203.0.113.1')));
    expectRateLimited(
      await send(app, 'POST', '/api/v1/auth/login', {
        body: { email: 'a@example.com', password: 'x' },
        headers: from('203.0.113.1'),
      }),
    );
    expect((await refresh(app, from('203.0.113.2'))).status).toBe(401);
  });

  test('without TRUST_PROXY, X-Forwarded-For is ignored: a client cannot pick a fresh IP', async () => {
    const untrusting = createTestApp(zekka, { rateLimit: { authPerMinute: 2, apiPerMinute: 100 } });
    await refresh(untrusting, from('198.51.100.1'));
    await refresh(untrusting, from('198.51.100.2'));
    expectRateLimited(await refresh(untrusting, from('198.51.100.3')));
  });
});

describe('API routes: per user', () => {
  test('a user over the limit gets 429; another user does not', async () => {
    const app = createTestApp(zekka, { rateLimit: { authPerMinute: 100, apiPerMinute: 3 } });
    const alice = await registerUser(app);
    const bob = await registerUser(app);
    for (let i = 0; i < 3; i++)
      expect((await send(app, 'GET', '/api/v1/auth/me', { token: alice.token })).status).toBe(200);
    expectRateLimited(await send(app, 'GET', '/api/v1/projects', { token: alice.token }));
    expect((await send(app, 'GET', '/api/v1/auth/me', { token: bob.token })).status).toBe(200);
  });

  test('failed authentications count against the client IP', async () => {
    const app = createTestApp(zekka, {
      rateLimit: { authPerMinute: 100, apiPerMinute: 2 },
      trustProxy: true,
    });
    const guess = () => send(app, 'GET', '/api/v1/auth/me', { token: 'guess', headers: from('192.0.2.9') });
    expect((await guess()).status).toBe(401);
    expect((await guess()).status).toBe(401);
    expectRateLimited(await guess());
  });

  test('probes are never limited', async () => {
    const app = createTestApp(zekka, { rateLimit: { authPerMinute: 1, apiPerMinute: 1 } });
    for (let i = 0; i < 5; i++) expect((await send(app, 'GET', '/health')).status).toBe(200);
  });
});

describe('configuration', () => {
  test('rateLimit: false turns limiting off', async () => {
    const app = createTestApp(zekka, { rateLimit: false });
    for (let i = 0; i < 30; i++) expect((await refresh(app, {})).status).toBe(401);
  });

  test('limiters come from createLimiter, so a shared (Redis) limiter can be swapped in', async () => {
    const asked: RateLimiterSpec[] = [];
    const app = createTestApp(zekka, {
      rateLimit: {
        authPerMinute: 7,
        apiPerMinute: 9,
        createLimiter: (spec) => {
          asked.push(spec);
          return { consume: async () => 42 };
        },
      },
    });
    expect(asked).toEqual([
      { name: 'auth', pointsPerMinute: 7 },
      { name: 'api', pointsPerMinute: 9 },
    ]);
    const res = await refresh(app, {});
    expectRateLimited(res);
    expect(res.headers.get('retry-after')).toBe('42');
  });
});

describe('fromRateLimiterFlexible', () => {
  test('resolves 0 while allowed, then the seconds to wait', async () => {
    const limiter = fromRateLimiterFlexible(new RateLimiterMemory({ points: 1, duration: 60 }));
    expect(await limiter.consume('k')).toBe(0);
    const wait = await limiter.consume('k');
    expect(wait).toBeGreaterThanOrEqual(59);
    expect(wait).toBeLessThanOrEqual(60);
  });

  test('a store failure is an error, not a wait', async () => {
    const failing = new RateLimiterMemory({ points: 1, duration: 60 });
    failing.consume = () => Promise.reject(new Error('redis down'));
    await expect(fromRateLimiterFlexible(failing).consume('k')).rejects.toThrow('redis down');
  });
});
