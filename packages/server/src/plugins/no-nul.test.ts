import { afterAll, describe, expect, test } from 'bun:test';
import { createTestApp, createTestZekka, errorOf, registerUser, send } from '../../test/support/test-app.ts';
import { nulPaths } from './no-nul.ts';

describe('nulPaths', () => {
  test('points at every string and key holding a NUL, and nothing else', () => {
    expect(nulPaths({ name: 'a\u0000b', ok: 'fine', nested: { list: ['x', 'y\u0000'] } })).toEqual([
      '/name',
      '/nested/list/1',
    ]);
    expect(nulPaths({ 'k\u0000': 1, 'a/b': 'c\u0000' })).toEqual(['/k\u0000', '/a~1b']);
    expect(nulPaths('\u0000')).toEqual(['']);
    expect(nulPaths({ name: 'Ünïcödé ‮ 😀', n: 1, b: true, z: null })).toEqual([]);
    expect(nulPaths(undefined)).toEqual([]);
  });
});

describe('the plugin', () => {
  const zekka = createTestZekka();
  afterAll(() => zekka.close());
  const app = createTestApp(zekka);

  test('a NUL in a JSON body is 400 VALIDATION_FAILED naming the field; the route never runs', async () => {
    const { token } = await registerUser(app);
    const res = await send(app, 'POST', '/api/v1/projects', { token, body: { name: 'a\u0000b' } });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'The request body is invalid',
      details: [{ path: '/name', message: 'Must not contain NUL (U+0000) characters' }],
    });
    const list = await send(app, 'GET', '/api/v1/projects', { token });
    expect((list.json as { data: unknown[] }).data).toEqual([]);
  });

  test("a NUL in the query string is 400 too, and so is one in an anonymous route's body", async () => {
    const { token } = await registerUser(app);
    const res = await send(app, 'GET', '/api/v1/projects?search=a%00b', { token });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({
      message: 'The query string is invalid',
      details: [{ path: '/search' }],
    });
    const login = await send(app, 'POST', '/api/v1/auth/login', {
      body: { email: 'a\u0000@example.test', password: 'x' },
    });
    expect(login.status).toBe(400);
  });
});
