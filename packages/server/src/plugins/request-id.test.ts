import { afterAll, describe, expect, test } from 'bun:test';
import { createTestApp, createTestZekka, requestIdOf, send } from '../../test/support/test-app.ts';
import { requestIdFor } from './request-id.ts';

const zekka = createTestZekka();
const app = createTestApp(zekka);
afterAll(() => zekka.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('X-Request-Id', () => {
  test('a sane incoming id is echoed, on success and on errors', async () => {
    const ok = await send(app, 'GET', '/health', { headers: { 'x-request-id': 'trace-1.abc_DEF-2' } });
    expect(ok.headers.get('x-request-id')).toBe('trace-1.abc_DEF-2');
    const failed = await send(app, 'GET', '/api/v1/nowhere', { headers: { 'x-request-id': 'trace-2' } });
    expect(failed.status).toBe(404);
    expect(failed.headers.get('x-request-id')).toBe('trace-2');
    expect(requestIdOf(failed)).toBe('trace-2');
  });

  test('one is generated when none is sent, and the envelope carries the same one', async () => {
    const res = await send(app, 'GET', '/api/v1/projects');
    expect(res.status).toBe(401);
    const header = res.headers.get('x-request-id');
    expect(header).toMatch(UUID);
    expect(requestIdOf(res)).toBe(header);
  });

  test('each request gets its own id', async () => {
    const [a, b] = await Promise.all([send(app, 'GET', '/health'), send(app, 'GET', '/health')]);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });

  test.each([
    ['too long', 'a'.repeat(129)],
    ['spaces', 'has space'],
    ['a newline-like payload', 'abc%0d%0aSet-Cookie:x'],
    ['other punctuation', 'id;drop'],
    ['non-ASCII', 'idé'],
  ])('an id with %s is replaced', async (_label, incoming) => {
    const res = await send(app, 'GET', '/health', { headers: { 'x-request-id': incoming } });
    expect(res.headers.get('x-request-id')).toMatch(UUID);
  });

  test('128 characters is still sane', () => {
    expect(requestIdFor('a'.repeat(128))).toBe('a'.repeat(128));
    expect(requestIdFor('')).toMatch(UUID);
    expect(requestIdFor(null)).toMatch(UUID);
  });
});
