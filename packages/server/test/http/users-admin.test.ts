/**
 * Contract rows 18–19: the admin user list and admin changes to a user (role, disabled).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { User } from '@zekka/core';
import { expectError, expectOk } from './support/expect-envelope.ts';
import { createAdmin, login, PASSWORD, registerUser, type TestUser } from './support/fixtures.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

let server: TestServer;
let admin: TestUser;
let plain: TestUser;
beforeAll(async () => {
  server = await createTestServer();
  [admin, plain] = await Promise.all([
    createAdmin(server),
    registerUser(server.http, { name: 'Plain Person' }),
  ]);
});
afterAll(() => server.close());

describe('non-admins', () => {
  test.concurrent('GET /users → 403 FORBIDDEN', async () => {
    expectError(await server.http.get('/users', { token: plain.accessToken }), 403, 'FORBIDDEN');
  });

  test.concurrent('PATCH /users/:userId → 403 FORBIDDEN, even on themselves', async () => {
    const res = await server.http.patch(`/users/${plain.user.id}`, {
      token: plain.accessToken,
      body: { role: 'admin' },
    });
    expectError(res, 403, 'FORBIDDEN');
    const me = expectOk(await server.http.get<{ user: User }>('/auth/me', { token: plain.accessToken }));
    expect(me.user.role).toBe('user');
  });

  test.concurrent('without a token → 401 AUTH_REQUIRED', async () => {
    expectError(await server.http.get('/users'), 401, 'AUTH_REQUIRED');
  });
});

describe('GET /users (row 18)', () => {
  test.concurrent('lists users with pagination', async () => {
    const res = await server.http.get<User[]>('/users', { token: admin.accessToken, query: { limit: 1 } });
    const users = expectOk(res);
    expect(users).toHaveLength(1);
    expect(res.pagination).toMatchObject({ limit: 1, offset: 0 });
    expect(res.pagination?.total).toBeGreaterThanOrEqual(2);
    expect(res.pagination?.hasMore).toBe(true);
    expect(res.text).not.toContain('$argon2');

    const all = expectOk(
      await server.http.get<User[]>('/users', { token: admin.accessToken, query: { limit: 100 } }),
    );
    expect(all.map((u) => u.id)).toEqual(expect.arrayContaining([admin.user.id, plain.user.id]));
  });

  test.concurrent('search matches e-mail or name, case-insensitively', async () => {
    const byEmail = expectOk(
      await server.http.get<User[]>('/users', {
        token: admin.accessToken,
        query: { search: plain.email.toUpperCase() },
      }),
    );
    expect(byEmail.map((u) => u.id)).toEqual([plain.user.id]);
    const byName = expectOk(
      await server.http.get<User[]>('/users', { token: admin.accessToken, query: { search: 'plain pers' } }),
    );
    expect(byName.map((u) => u.id)).toContain(plain.user.id);
    const none = await server.http.get<User[]>('/users', {
      token: admin.accessToken,
      query: { search: 'zz-no-such' },
    });
    expect(expectOk(none)).toEqual([]);
    expect(none.pagination).toMatchObject({ total: 0, hasMore: false });
  });
});

describe('PATCH /users/:userId (row 19)', () => {
  test.concurrent('changes the role', async () => {
    const user = await registerUser(server.http);
    const res = await server.http.patch<{ user: User }>(`/users/${user.user.id}`, {
      token: admin.accessToken,
      body: { role: 'admin' },
    });
    expect(expectOk(res).user).toMatchObject({ id: user.user.id, role: 'admin' });
    const fresh = await login(server.http, user.email, PASSWORD);
    expectOk(await server.http.get('/users', { token: fresh.accessToken }));
  });

  test.concurrent('a role change applies at once to the tokens the user already holds', async () => {
    const user = await registerUser(server.http);
    expectError(await server.http.get('/users', { token: user.accessToken }), 403, 'FORBIDDEN');
    expectOk(
      await server.http.patch(`/users/${user.user.id}`, {
        token: admin.accessToken,
        body: { role: 'admin' },
      }),
    );
    expectOk(await server.http.get('/users', { token: user.accessToken }));
    expectOk(
      await server.http.patch(`/users/${user.user.id}`, { token: admin.accessToken, body: { role: 'user' } }),
    );
    expectError(await server.http.get('/users', { token: user.accessToken }), 403, 'FORBIDDEN');
  });

  test.concurrent('disabling revokes the sessions and blocks login; enabling lets the user back', async () => {
    const user = await registerUser(server.http);
    const res = await server.http.patch<{ user: User }>(`/users/${user.user.id}`, {
      token: admin.accessToken,
      body: { disabled: true },
    });
    expect(expectOk(res).user.id).toBe(user.user.id);
    expectError(await server.http.get('/auth/me', { token: user.accessToken }), 401);
    expectError(await server.http.post('/auth/refresh', { body: { refreshToken: user.refreshToken } }), 401);
    const blocked = await server.http.post('/auth/login', {
      body: { email: user.email, password: PASSWORD },
    });
    expectError(blocked, blocked.status);
    expect([401, 403]).toContain(blocked.status);

    expectOk(
      await server.http.patch(`/users/${user.user.id}`, {
        token: admin.accessToken,
        body: { disabled: false },
      }),
    );
    await login(server.http, user.email, PASSWORD);
  });

  test.concurrent('an API key of a disabled user is refused', async () => {
    const user = await registerUser(server.http);
    const created = await server.http.post<{ key: string }>('/auth/api-keys', {
      token: user.accessToken,
      body: { name: 'k' },
    });
    const key = expectOk(created, 201).key;
    expectOk(
      await server.http.patch(`/users/${user.user.id}`, {
        token: admin.accessToken,
        body: { disabled: true },
      }),
    );
    expectError(await server.http.get('/auth/me', { token: key }), 401);
  });

  test.concurrent('an unknown user → 404; a bad role → 400', async () => {
    const unknown = await server.http.patch('/users/01936f6e-8a4b-7c1d-9e2f-3a4b5c6d7e8f', {
      token: admin.accessToken,
      body: { role: 'admin' },
    });
    expectError(unknown, 404, 'NOT_FOUND');
    const bad = await server.http.patch(`/users/${plain.user.id}`, {
      token: admin.accessToken,
      body: { role: 'root' },
    });
    expectError(bad, 400, 'VALIDATION_FAILED');
  });
});
