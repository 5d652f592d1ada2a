/**
 * Contract rows 15–17: API keys — shown once, never listed, usable as a bearer credential, revocable,
 * expiring, and scoped to their user.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { ApiKey, CreatedApiKey, Project, User } from '@zekka/core';
import { expectError, expectNoContent, expectOk, ISO_RE, UUID_RE } from './support/expect-envelope.ts';
import { createProject, registerUser, type TestUser } from './support/fixtures.ts';
import { hours } from './support/manual-clock.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
beforeAll(async () => {
  server = await createTestServer();
  [alice, bob] = await Promise.all([registerUser(server.http), registerUser(server.http)]);
});
afterAll(() => server.close());

async function createKey(token: string, body: { name: string; expiresAt?: string }) {
  return expectOk(await server.http.post<CreatedApiKey>('/auth/api-keys', { token, body }), 201);
}

describe('POST /auth/api-keys (row 16)', () => {
  test.concurrent('answers 201 { apiKey, key } with a zk_ key shown this once', async () => {
    const created = await createKey(alice.accessToken, { name: 'CI' });
    expect(Object.keys(created).sort()).toEqual(['apiKey', 'key']);
    expect(created.key).toMatch(/^zk_[A-Za-z0-9_-]{20,}$/);
    expect(created.apiKey).toMatchObject({ name: 'CI', expiresAt: null, lastUsedAt: null });
    expect(created.apiKey.id).toMatch(UUID_RE);
    expect(created.apiKey.createdAt).toMatch(ISO_RE);
    expect(created.key.startsWith(created.apiKey.prefix)).toBe(true);
    expect(created.key.length).toBeGreaterThan(created.apiKey.prefix.length + 16);
    expect(JSON.stringify(created.apiKey)).not.toContain(created.key);
    expect(Object.keys(created.apiKey).filter((k) => /hash|secret|^key$/i.test(k))).toEqual([]);
  });

  test.concurrent('needs a name', async () => {
    const res = await server.http.post('/auth/api-keys', { token: alice.accessToken, body: {} });
    expectError(res, 400, 'VALIDATION_FAILED');
  });
});

describe('GET /auth/api-keys (row 15)', () => {
  test.concurrent('lists the keys of the caller only, never the key itself', async () => {
    const mine = await createKey(alice.accessToken, { name: 'listed' });
    const theirs = await createKey(bob.accessToken, { name: 'bobs' });
    const res = await server.http.get<ApiKey[]>('/auth/api-keys', { token: alice.accessToken });
    const keys = expectOk(res);
    expect(keys.map((k) => k.id)).toContain(mine.apiKey.id);
    expect(keys.map((k) => k.id)).not.toContain(theirs.apiKey.id);
    expect(res.text).not.toContain(mine.key);
    for (const key of keys) {
      for (const field of ['id', 'name', 'prefix', 'createdAt', 'expiresAt', 'lastUsedAt']) {
        expect(key).toHaveProperty(field);
      }
      expect(Object.keys(key).filter((k) => /hash|secret|^key$/i.test(k))).toEqual([]);
    }
  });
});

describe('authenticating with an API key', () => {
  test.concurrent('the key works as a bearer credential and its last use is kept', async () => {
    const created = await createKey(alice.accessToken, { name: 'used' });
    const me = expectOk(await server.http.get<{ user: User }>('/auth/me', { token: created.key }));
    expect(me.user.id).toBe(alice.user.id);
    const project = await createProject(server.http, created.key, { name: 'Made with a key' });
    expect(project.ownerId).toBe(alice.user.id);
    const listed = expectOk(await server.http.get<Project[]>('/projects', { token: created.key }));
    expect(listed.map((p) => p.id)).toContain(project.id);

    const keys = expectOk(await server.http.get<ApiKey[]>('/auth/api-keys', { token: alice.accessToken }));
    const used = keys.find((k) => k.id === created.apiKey.id);
    expect(used?.lastUsedAt).toMatch(ISO_RE);
  });

  test.concurrent('a key with a changed character → 401 TOKEN_INVALID', async () => {
    const created = await createKey(alice.accessToken, { name: 'tampered' });
    const last = created.key.at(-1) === 'A' ? 'B' : 'A';
    const res = await server.http.get('/auth/me', { token: `${created.key.slice(0, -1)}${last}` });
    expectError(res, 401, 'TOKEN_INVALID');
  });
});

describe('DELETE /auth/api-keys/:keyId (row 17)', () => {
  test.concurrent('revokes: 204, then the key is refused with 401 and no longer listed', async () => {
    const created = await createKey(alice.accessToken, { name: 'to revoke' });
    expectOk(await server.http.get('/auth/me', { token: created.key }));
    expectNoContent(
      await server.http.delete(`/auth/api-keys/${created.apiKey.id}`, { token: alice.accessToken }),
    );
    expectError(await server.http.get('/auth/me', { token: created.key }), 401);
    const keys = expectOk(await server.http.get<ApiKey[]>('/auth/api-keys', { token: alice.accessToken }));
    expect(keys.map((k) => k.id)).not.toContain(created.apiKey.id);
    const again = await server.http.delete(`/auth/api-keys/${created.apiKey.id}`, {
      token: alice.accessToken,
    });
    expectError(again, 404, 'NOT_FOUND');
  });

  test.concurrent("another user's key id → 404, and the key keeps working", async () => {
    const created = await createKey(bob.accessToken, { name: 'not yours' });
    const res = await server.http.delete(`/auth/api-keys/${created.apiKey.id}`, { token: alice.accessToken });
    expectError(res, 404, 'NOT_FOUND');
    expectOk(await server.http.get('/auth/me', { token: created.key }));
  });

  test.concurrent('an unknown key id → 404', async () => {
    const res = await server.http.delete('/auth/api-keys/01936f6e-8a4b-7c1d-9e2f-3a4b5c6d7e8f', {
      token: alice.accessToken,
    });
    expectError(res, 404, 'NOT_FOUND');
  });
});

describe('expiring API keys', () => {
  test('a key past its expiresAt is refused with 401', async () => {
    const own = await createTestServer();
    try {
      const user = await registerUser(own.http);
      const expiresAt = new Date(own.clock.now() + hours(1)).toISOString();
      const res = await own.http.post<CreatedApiKey>('/auth/api-keys', {
        token: user.accessToken,
        body: { name: 'short-lived', expiresAt },
      });
      const created = expectOk(res, 201);
      expect(created.apiKey.expiresAt).toBe(expiresAt);
      expectOk(await own.http.get('/auth/me', { token: created.key }));
      own.clock.advance(hours(1) + 1_000);
      expectError(await own.http.get('/auth/me', { token: created.key }), 401);
    } finally {
      await own.close();
    }
  });
});
