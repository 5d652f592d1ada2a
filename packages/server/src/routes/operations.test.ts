import { afterAll, describe, expect, test } from 'bun:test';
import { createTestApp, createTestZekka, errorOf, requestIdOf, send } from '../../test/support/test-app.ts';
import { createReadiness } from '../readiness.ts';

const zekka = createTestZekka();
afterAll(() => zekka.close());

describe('GET /health', () => {
  test('answers { status: ok, version, uptimeSeconds }', async () => {
    const res = await send(createTestApp(zekka, { version: '1.2.3' }), 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok', version: '1.2.3', uptimeSeconds: expect.any(Number) });
    expect(Number.isInteger((res.json as { uptimeSeconds: number }).uptimeSeconds)).toBe(true);
  });

  test('the version defaults to the package version', async () => {
    const { version } = (await import('../../package.json')).default;
    expect((await send(createTestApp(zekka), 'GET', '/health')).json).toMatchObject({ version });
  });
});

describe('GET /ready', () => {
  test('200 when the store and the cache answer', async () => {
    const res = await send(createTestApp(zekka), 'GET', '/ready');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ready', checks: { store: true, cache: true } });
  });

  test('503 UNAVAILABLE once shutdown has begun, while /health still answers', async () => {
    const readiness = createReadiness();
    const app = createTestApp(zekka, { readiness });
    expect((await send(app, 'GET', '/ready')).status).toBe(200);
    readiness.beginShutdown();
    const res = await send(app, 'GET', '/ready');
    expect(res.status).toBe(503);
    expect(errorOf(res).code).toBe('UNAVAILABLE');
    expect(requestIdOf(res)).toBe(res.headers.get('x-request-id') ?? 'missing');
    expect((await send(app, 'GET', '/health')).status).toBe(200);
  });

  test('503 naming what failed when the store or the cache does not answer', async () => {
    const app = createTestApp({ ...zekka, health: async () => ({ store: false, cache: true }) });
    const res = await send(app, 'GET', '/ready');
    expect(res.status).toBe(503);
    expect(errorOf(res)).toMatchObject({
      code: 'UNAVAILABLE',
      message: 'Not ready: the store did not answer',
    });
  });

  test('503 within the ready timeout when the checks hang', async () => {
    const app = createTestApp({ ...zekka, health: () => new Promise(() => {}) }, { readyTimeoutMs: 50 });
    const started = performance.now();
    const res = await send(app, 'GET', '/ready');
    expect(res.status).toBe(503);
    expect(errorOf(res)).toMatchObject({
      code: 'UNAVAILABLE',
      message: 'Not ready: the store and cache did not answer',
    });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test('503 when the health check itself fails', async () => {
    const app = createTestApp({
      ...zekka,
      health: () => Promise.reject(new Error('boom')),
    });
    expect((await send(app, 'GET', '/ready')).status).toBe(503);
  });
});
