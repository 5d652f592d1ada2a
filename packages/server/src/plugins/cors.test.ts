import { afterAll, describe, expect, test } from 'bun:test';
import { createTestApp, createTestZekka, send } from '../../test/support/test-app.ts';

const zekka = createTestZekka();
afterAll(() => zekka.close());

const ALLOWED = 'https://app.example.com';
const preflight = (origin: string) => ({
  headers: {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type',
  },
});

describe('CORS with an allow-list', () => {
  const app = createTestApp(zekka, { corsOrigins: [ALLOWED] });

  test('an allowed origin is answered with its own origin, not *', async () => {
    const res = await send(app, 'GET', '/health', { headers: { origin: ALLOWED } });
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    expect(res.headers.get('vary')).toContain('Origin');
  });

  test('a disallowed origin gets no Access-Control-Allow-Origin', async () => {
    for (const origin of [
      'https://evil.example.com',
      'http://app.example.com',
      'x://https://app.example.com',
    ]) {
      const res = await send(app, 'GET', '/health', { headers: { origin } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  test('a preflight from an allowed origin is answered with the allowed methods and headers', async () => {
    const res = await send(app, 'OPTIONS', '/api/v1/projects', preflight(ALLOWED));
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('Authorization');
    expect(res.headers.get('access-control-max-age')).toBe('600');
  });

  test('a preflight from a disallowed origin does not allow it', async () => {
    const res = await send(app, 'OPTIONS', '/api/v1/projects', preflight('https://evil.example.com'));
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS without origins', () => {
  const app = createTestApp(zekka);

  test('no origin is allowed, and a preflight is not answered as allowed', async () => {
    const res = await send(app, 'GET', '/health', { headers: { origin: ALLOWED } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await send(app, 'OPTIONS', '/api/v1/projects', preflight(ALLOWED));
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS with *', () => {
  test('any origin is allowed with a literal *', async () => {
    const app = createTestApp(zekka, { corsOrigins: ['*'] });
    const res = await send(app, 'GET', '/health', { headers: { origin: 'https://anything.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});
