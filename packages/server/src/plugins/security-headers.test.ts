import { afterAll, describe, expect, test } from 'bun:test';
import { createTestApp, createTestZekka, send } from '../../test/support/test-app.ts';
import { securityHeaders } from './security-headers.ts';

const zekka = createTestZekka();
afterAll(() => zekka.close());

describe('security headers', () => {
  const app = createTestApp(zekka);

  test.each([
    ['a JSON answer', 'GET', '/health'],
    ['an error', 'GET', '/api/v1/projects'],
    ['an unknown route', 'GET', '/nowhere'],
    ['Swagger UI', 'GET', '/swagger'],
  ])('are on %s', async (_label, method, path) => {
    const res = await send(app, method, path);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  test('HSTS is sent when asked for (production)', async () => {
    const res = await send(createTestApp(zekka, { hsts: true }), 'GET', '/health');
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });

  test('the CSP lets Swagger UI load only from this origin', () => {
    const csp = securityHeaders()['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/https?:/);
  });
});
