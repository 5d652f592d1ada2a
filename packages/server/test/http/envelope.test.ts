/**
 * The contract's conventions for every response: the success and error envelopes, pagination, `204`
 * without a body, and `X-Request-Id` on every response (echoed when sane).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Project } from '@zekka/core';
import { expectError, expectNoContent, expectOk } from './support/expect-envelope.ts';
import { createProject, login, PASSWORD, registerUser, type TestUser } from './support/fixtures.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

let server: TestServer;
let user: TestUser;
beforeAll(async () => {
  server = await createTestServer();
  user = await registerUser(server.http);
});
afterAll(() => server.close());

describe('success envelope', () => {
  test.concurrent('a single resource is { success: true, data } as JSON', async () => {
    const res = await server.http.get('/auth/me', { token: user.accessToken });
    expectOk(res);
    expect(Object.keys(res.json as object).sort()).toEqual(['data', 'success']);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  test.concurrent('a page is { success: true, data: [...], pagination: { limit, offset, total, hasMore } }', async () => {
    const owner = await registerUser(server.http);
    await createProject(server.http, owner.accessToken, { name: 'One' });
    await createProject(server.http, owner.accessToken, { name: 'Two' });
    const res = await server.http.get<Project[]>('/projects', {
      token: owner.accessToken,
      query: { limit: 1 },
    });
    expect(expectOk(res)).toHaveLength(1);
    expect(Object.keys(res.json as object).sort()).toEqual(['data', 'pagination', 'success']);
    expect(res.pagination).toEqual({ limit: 1, offset: 0, total: 2, hasMore: true });
    const defaults = await server.http.get('/projects', { token: owner.accessToken });
    expect(defaults.pagination).toEqual({ limit: 20, offset: 0, total: 2, hasMore: false });
  });
});

describe('error envelope', () => {
  test.concurrent('is exactly { success: false, error: { code, message }, requestId } and leaks nothing', async () => {
    const res = await server.http.get('/auth/me');
    expectError(res, 401, 'AUTH_REQUIRED');
    expect(Object.keys(res.json as object).sort()).toEqual(['error', 'requestId', 'success']);
    expect(Object.keys(res.error ?? {}).sort()).toEqual(['code', 'message']);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.text).not.toMatch(/at .*\.ts:\d+|stack|node_modules/i);
  });

  test.concurrent('validation errors carry details [{ path, message }]', async () => {
    const res = await server.http.post('/projects', { token: user.accessToken, body: { name: 42 } });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.error?.details?.length).toBeGreaterThan(0);
    expect(res.error?.details?.[0]).toEqual({ path: expect.any(String), message: expect.any(String) });
    expect(res.error?.details?.map((d) => d.path)).toContain('/name');
  });
});

describe('204 responses', () => {
  test.concurrent('have no body', async () => {
    const session = await login(server.http, user.email, PASSWORD);
    const project = await createProject(server.http, user.accessToken, { name: 'Gone' });
    const responses = [
      await server.http.delete(`/projects/${project.id}`, { token: user.accessToken }),
      await server.http.post('/auth/logout', { token: session.accessToken }),
    ];
    for (const res of responses) {
      expectNoContent(res);
      expect(['0', null]).toContain(res.headers.get('content-length'));
    }
  });
});

describe('X-Request-Id', () => {
  test.concurrent('is on every response: success, 201, 204, 4xx, unknown route, outside /api/v1', async () => {
    const session = await login(server.http, user.email, PASSWORD);
    const responses = [
      await server.http.get('/auth/me', { token: user.accessToken }),
      await server.http.post('/projects', { token: user.accessToken, body: { name: 'Id' } }),
      await server.http.post('/auth/logout', { token: session.accessToken }),
      await server.http.get('/auth/me'),
      await server.http.post('/auth/login', { body: '{' }),
      await server.http.get('/no/such/route'),
      await server.http.get('//health'),
      await server.http.get('//nowhere'),
    ];
    const ids = responses.map((res) => res.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^[\w.-]{8,128}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test.concurrent('echoes a sane client id, on success and in the error envelope', async () => {
    const ok = await server.http.get('/auth/me', {
      token: user.accessToken,
      headers: { 'x-request-id': 'client-req.123_ABC' },
    });
    expect(ok.headers.get('x-request-id')).toBe('client-req.123_ABC');
    const failed = await server.http.get('/auth/me', { headers: { 'x-request-id': 'client-req-456' } });
    expectError(failed, 401);
    expect(failed.requestId).toBe('client-req-456');
  });

  test.concurrent('replaces an id that is not sane (spaces, markup, too long)', async () => {
    for (const sent of ['has spaces', '<script>alert(1)</script>', 'x'.repeat(500), 'line\tbreak']) {
      const res = await server.http.get('/auth/me', { headers: { 'x-request-id': sent } });
      const id = res.headers.get('x-request-id');
      expect(id).toBeTruthy();
      expect(id).not.toBe(sent);
      expect(res.requestId).toBe(id ?? '');
    }
  });
});
