/**
 * Contract rows 1–5 and 13–14: register, login, refresh rotation, logout, me, sessions; lockout and the
 * e-mail case rules. Refused bearer tokens (tampered, expired, wrong kind) are in `bearer-tokens.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { AuthResult, Session, TokenPair, User } from '@zekka/core';
import { expectError, expectNoContent, expectOk, ISO_RE, UUID_RE } from './support/expect-envelope.ts';
import { login, OTHER_PASSWORD, PASSWORD, registerUser, uniqueEmail } from './support/fixtures.ts';
import { decodeJwt } from './support/jwt-tampering.ts';
import { days, minutes, seconds } from './support/manual-clock.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

const USER_KEYS = ['avatarUrl', 'createdAt', 'email', 'emailVerified', 'id', 'name', 'role', 'updatedAt'];

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(() => server.close());

/** The user object never carries a hash, a password or a token, under any name. */
function expectPublicUser(user: User): void {
  for (const key of USER_KEYS) expect(user).toHaveProperty(key);
  const forbidden = Object.keys(user).filter((key) => /hash|password|token|secret|lock|failed/i.test(key));
  expect(forbidden).toEqual([]);
  expect(user.id).toMatch(UUID_RE);
  expect(user.createdAt).toMatch(ISO_RE);
  expect(user.updatedAt).toMatch(ISO_RE);
}

describe('POST /auth/register (row 1)', () => {
  test.concurrent('answers 201 with the public user and a token pair', async () => {
    const email = uniqueEmail('Register');
    const res = await server.http.post<AuthResult>('/auth/register', {
      body: { email, password: PASSWORD, name: 'Ada Lovelace' },
    });
    const data = expectOk(res, 201);
    expect(Object.keys(data).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'user']);
    expectPublicUser(data.user);
    expect(data.user).toMatchObject({
      email: email.toLowerCase(),
      name: 'Ada Lovelace',
      avatarUrl: null,
      role: 'user',
      emailVerified: false,
    });
    expect(res.text).not.toContain(PASSWORD);
    expect(res.text).not.toContain('$argon2');
    expect(data.expiresIn).toBe(900);
    expect(data.refreshToken).not.toBe(data.accessToken);
    const { header, payload } = decodeJwt(data.accessToken);
    expect(header.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: data.user.id, role: 'user', iss: 'zekka', aud: 'zekka-api' });
    expect(typeof payload.sid).toBe('string');
    expect(typeof payload.exp).toBe('number');
  });

  test.concurrent('treats e-mail case-insensitively: A@x.io then a@x.io is 409, login works in any case', async () => {
    const local = `Case.${crypto.randomUUID().slice(0, 8)}`;
    const upper = `${local.toUpperCase()}@Example.TEST`;
    const first = await registerUser(server.http, { email: upper });
    expect(first.user.email).toBe(upper.toLowerCase());

    const again = await server.http.post('/auth/register', {
      body: { email: upper.toLowerCase(), password: PASSWORD, name: 'Dup' },
    });
    expectError(again, 409, 'CONFLICT');

    const res = await server.http.post<AuthResult>('/auth/login', {
      body: { email: `${local.toLowerCase()}@example.test`, password: PASSWORD },
    });
    expect(expectOk(res).user.id).toBe(first.user.id);
  });

  test.concurrent('refuses a password that breaks the policy with 400 VALIDATION_FAILED', async () => {
    for (const password of ['Sh0rt-1!', 'alllowercaseletters', `Aa1!${'x'.repeat(125)}`]) {
      const res = await server.http.post('/auth/register', {
        body: { email: uniqueEmail(), password, name: 'Weak' },
      });
      expectError(res, 400, 'VALIDATION_FAILED');
    }
  });
});

describe('POST /auth/login (row 2)', () => {
  test.concurrent('answers 200 with the user and a new token pair', async () => {
    const registered = await registerUser(server.http);
    const res = await server.http.post<AuthResult>('/auth/login', {
      body: { email: registered.email, password: PASSWORD },
    });
    const data = expectOk(res);
    expect(Object.keys(data).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'user']);
    expectPublicUser(data.user);
    expect(data.user.id).toBe(registered.user.id);
    expect(data.refreshToken).not.toBe(registered.refreshToken);
    expect(decodeJwt(data.accessToken).payload.sid).not.toBe(decodeJwt(registered.accessToken).payload.sid);
  });

  test.concurrent('answers the same 401 INVALID_CREDENTIALS for an unknown e-mail and a wrong password', async () => {
    const registered = await registerUser(server.http);
    const unknown = await server.http.post('/auth/login', {
      body: { email: uniqueEmail('nobody'), password: PASSWORD },
    });
    const wrong = await server.http.post('/auth/login', {
      body: { email: registered.email, password: OTHER_PASSWORD },
    });
    expectError(unknown, 401, 'INVALID_CREDENTIALS');
    expectError(wrong, 401, 'INVALID_CREDENTIALS');
    expect(wrong.error?.message).toBe(unknown.error?.message ?? '');
  });
});

describe('lockout', () => {
  test('5 failures lock the account (423 even with the right password) for 15 minutes', async () => {
    const own = await createTestServer();
    try {
      const user = await registerUser(own.http);
      for (let attempt = 1; attempt <= 4; attempt++) {
        const res = await own.http.post('/auth/login', {
          body: { email: user.email, password: OTHER_PASSWORD },
        });
        expectError(res, 401, 'INVALID_CREDENTIALS');
      }
      const fifth = await own.http.post('/auth/login', {
        body: { email: user.email, password: OTHER_PASSWORD },
      });
      expect([401, 423]).toContain(fifth.status);

      const locked = await own.http.post('/auth/login', { body: { email: user.email, password: PASSWORD } });
      expectError(locked, 423, 'ACCOUNT_LOCKED');

      own.clock.advance(minutes(14));
      const stillLocked = await own.http.post('/auth/login', {
        body: { email: user.email, password: PASSWORD },
      });
      expectError(stillLocked, 423, 'ACCOUNT_LOCKED');

      own.clock.advance(minutes(1) + seconds(1));
      await login(own.http, user.email, PASSWORD);
      // The session opened before the lockout was not affected by it.
      expectOk(await own.http.post('/auth/refresh', { body: { refreshToken: user.refreshToken } }));
    } finally {
      await own.close();
    }
  });

  test.concurrent('a successful login resets the failure count', async () => {
    const user = await registerUser(server.http);
    for (let attempt = 1; attempt <= 4; attempt++) {
      await server.http.post('/auth/login', { body: { email: user.email, password: OTHER_PASSWORD } });
    }
    await login(server.http, user.email, PASSWORD);
    const res = await server.http.post('/auth/login', {
      body: { email: user.email, password: OTHER_PASSWORD },
    });
    expectError(res, 401, 'INVALID_CREDENTIALS');
    await login(server.http, user.email, PASSWORD);
  });
});

describe('POST /auth/refresh (row 3)', () => {
  test.concurrent('rotates: a new pair that works, and the old refresh token is dead', async () => {
    const user = await registerUser(server.http);
    const res = await server.http.post<TokenPair>('/auth/refresh', {
      body: { refreshToken: user.refreshToken },
    });
    const pair = expectOk(res);
    expect(Object.keys(pair).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
    expect(pair.refreshToken).not.toBe(user.refreshToken);
    expect(pair.expiresIn).toBe(900);
    expect(decodeJwt(pair.accessToken).payload.sid).toBe(decodeJwt(user.accessToken).payload.sid);
    expectOk(await server.http.get('/auth/me', { token: pair.accessToken }));

    const next = await server.http.post<TokenPair>('/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    });
    expectOk(next);
  });

  test.concurrent('reuse of a rotated refresh token revokes the session and its access tokens at once', async () => {
    const user = await registerUser(server.http);
    const other = await login(server.http, user.email, PASSWORD);
    const rotated = expectOk(
      await server.http.post<TokenPair>('/auth/refresh', { body: { refreshToken: user.refreshToken } }),
    );
    expectOk(await server.http.get('/auth/me', { token: rotated.accessToken }));

    const reuse = await server.http.post('/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expectError(reuse, 401);

    expectError(await server.http.get('/auth/me', { token: rotated.accessToken }), 401);
    expectError(await server.http.get('/auth/me', { token: user.accessToken }), 401);
    expectError(
      await server.http.post('/auth/refresh', { body: { refreshToken: rotated.refreshToken } }),
      401,
    );

    // Only the attacked session dies; the user's other session is untouched.
    const sessions = expectOk(
      await server.http.get<Session[]>('/auth/sessions', { token: other.accessToken }),
    );
    expect(sessions.map((s) => s.id)).toEqual([String(decodeJwt(other.accessToken).payload.sid)]);
  });

  test.concurrent('refuses an unknown refresh token with 401 TOKEN_INVALID', async () => {
    const res = await server.http.post('/auth/refresh', {
      body: { refreshToken: 'not-a-real-refresh-token' },
    });
    expectError(res, 401, 'TOKEN_INVALID');
  });

  test('refuses an expired refresh token (30 days)', async () => {
    const own = await createTestServer();
    try {
      const user = await registerUser(own.http);
      own.clock.advance(days(30) + seconds(1));
      expectError(await own.http.post('/auth/refresh', { body: { refreshToken: user.refreshToken } }), 401);
    } finally {
      await own.close();
    }
  });
});

describe('POST /auth/logout (row 4)', () => {
  test.concurrent('answers 204 and revokes the current session and its tokens', async () => {
    const user = await registerUser(server.http);
    const other = await login(server.http, user.email, PASSWORD);
    expectNoContent(await server.http.post('/auth/logout', { token: user.accessToken }));
    expectError(await server.http.get('/auth/me', { token: user.accessToken }), 401);
    expectError(await server.http.post('/auth/refresh', { body: { refreshToken: user.refreshToken } }), 401);
    expectOk(await server.http.get('/auth/me', { token: other.accessToken }));
  });

  test.concurrent('accepts the refresh token in the body', async () => {
    const user = await registerUser(server.http);
    const res = await server.http.post('/auth/logout', {
      token: user.accessToken,
      body: { refreshToken: user.refreshToken },
    });
    expectNoContent(res);
    expectError(await server.http.post('/auth/refresh', { body: { refreshToken: user.refreshToken } }), 401);
  });

  test.concurrent('needs authentication', async () => {
    expectError(await server.http.post('/auth/logout'), 401, 'AUTH_REQUIRED');
  });
});

describe('GET /auth/me (row 5)', () => {
  test.concurrent('answers { user }', async () => {
    const user = await registerUser(server.http, { name: 'Grace Hopper' });
    const data = expectOk(await server.http.get<{ user: User }>('/auth/me', { token: user.accessToken }));
    expectPublicUser(data.user);
    expect(data.user).toEqual(user.user);
  });

  test.concurrent('without a token answers 401 AUTH_REQUIRED', async () => {
    expectError(await server.http.get('/auth/me'), 401, 'AUTH_REQUIRED');
  });
});

describe('GET /auth/sessions and DELETE /auth/sessions/:sessionId (rows 13–14)', () => {
  test.concurrent('lists active sessions with the current one marked', async () => {
    const user = await registerUser(server.http);
    const second = await server.http.post<AuthResult>('/auth/login', {
      body: { email: user.email, password: PASSWORD },
      headers: { 'user-agent': 'zekka-test/2.0' },
    });
    const secondAuth = expectOk(second);
    const sessions = expectOk(
      await server.http.get<Session[]>('/auth/sessions', { token: secondAuth.accessToken }),
    );
    expect(sessions).toHaveLength(2);
    for (const session of sessions) {
      for (const key of ['id', 'createdAt', 'lastUsedAt', 'userAgent', 'ip', 'current']) {
        expect(session).toHaveProperty(key);
      }
      expect(session.id).toMatch(UUID_RE);
      expect(session.createdAt).toMatch(ISO_RE);
      expect(session.lastUsedAt).toMatch(ISO_RE);
    }
    const current = sessions.filter((s) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0]?.id).toBe(String(decodeJwt(secondAuth.accessToken).payload.sid));
    expect(current[0]?.userAgent).toBe('zekka-test/2.0');
  });

  test.concurrent('revoking another session answers 204 and its access token is refused at once', async () => {
    const user = await registerUser(server.http);
    const other = await login(server.http, user.email, PASSWORD);
    const otherSid = String(decodeJwt(other.accessToken).payload.sid);
    expectNoContent(await server.http.delete(`/auth/sessions/${otherSid}`, { token: user.accessToken }));
    expectError(await server.http.get('/auth/me', { token: other.accessToken }), 401);
    expectError(await server.http.post('/auth/refresh', { body: { refreshToken: other.refreshToken } }), 401);
    const sessions = expectOk(
      await server.http.get<Session[]>('/auth/sessions', { token: user.accessToken }),
    );
    expect(sessions.map((s) => s.id)).not.toContain(otherSid);
    expectOk(await server.http.get('/auth/me', { token: user.accessToken }));
  });

  test.concurrent("another user's session id or an unknown one → 404", async () => {
    const [alice, bob] = await Promise.all([registerUser(server.http), registerUser(server.http)]);
    const bobSid = String(decodeJwt(bob.accessToken).payload.sid);
    expectError(
      await server.http.delete(`/auth/sessions/${bobSid}`, { token: alice.accessToken }),
      404,
      'NOT_FOUND',
    );
    expectOk(await server.http.get('/auth/me', { token: bob.accessToken }));
    const unknown = '01936f6e-8a4b-7c1d-9e2f-3a4b5c6d7e8f';
    expectError(
      await server.http.delete(`/auth/sessions/${unknown}`, { token: alice.accessToken }),
      404,
      'NOT_FOUND',
    );
  });
});
