/**
 * Contract rows 6–12: the signed-in user's account — profile, deletion, export, password change, e-mail
 * verification, password reset — and the `requireEmailVerification` switch.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import {
  type AccountExport,
  type AuthResult,
  type Project,
  type RegisterResult,
  systemActor,
  type User,
} from '@zekka/core';
import { createConversation, sendMessage } from './support/conversations.ts';
import { expectClientError, expectError, expectNoContent, expectOk } from './support/expect-envelope.ts';
import {
  addMember,
  createProject,
  login,
  OTHER_PASSWORD,
  PASSWORD,
  registerUser,
  uniqueEmail,
} from './support/fixtures.ts';
import { hours, minutes, seconds } from './support/manual-clock.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

const VERIFY = /verif/i;
const RESET = /reset/i;
const NEW_PASSWORD = 'Velvet-Comet-93#';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(() => server.close());

describe('PATCH /auth/me (row 6)', () => {
  test.concurrent('updates name and avatarUrl and answers { user }', async () => {
    const user = await registerUser(server.http);
    server.clock.advance(seconds(1));
    const res = await server.http.patch<{ user: User }>('/auth/me', {
      token: user.accessToken,
      body: { name: 'New Name', avatarUrl: 'https://cdn.example.test/a.png' },
    });
    const { user: updated } = expectOk(res);
    expect(updated).toMatchObject({
      id: user.user.id,
      name: 'New Name',
      avatarUrl: 'https://cdn.example.test/a.png',
    });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(user.user.updatedAt));
    expect(updated.email).toBe(user.user.email);

    const cleared = await server.http.patch<{ user: User }>('/auth/me', {
      token: user.accessToken,
      body: { avatarUrl: null },
    });
    expect(expectOk(cleared).user).toMatchObject({ name: 'New Name', avatarUrl: null });
  });

  test.concurrent('refuses a non-http avatar URL and fields it does not own', async () => {
    const user = await registerUser(server.http);
    const bad = await server.http.patch('/auth/me', {
      token: user.accessToken,
      body: { avatarUrl: 'javascript:alert(1)' },
    });
    expectError(bad, 400, 'VALIDATION_FAILED');
    // Privileged fields are not writable through PATCH /me: they are refused or ignored, never applied.
    const sneaky = await server.http.patch<{ user: User }>('/auth/me', {
      token: user.accessToken,
      body: { name: 'Sneaky', role: 'admin', emailVerified: true, email: uniqueEmail() },
    });
    if (sneaky.status === 200) {
      expect(sneaky.data.user).toMatchObject({ role: 'user', emailVerified: false, email: user.email });
    } else {
      expectError(sneaky, 400, 'VALIDATION_FAILED');
    }
    const me = expectOk(await server.http.get<{ user: User }>('/auth/me', { token: user.accessToken }));
    expect(me.user).toMatchObject({ role: 'user', emailVerified: false, email: user.email });
  });
});

describe('DELETE /auth/me (row 7)', () => {
  test.concurrent('a wrong password → 401 and nothing is deleted', async () => {
    const user = await registerUser(server.http);
    const res = await server.http.delete('/auth/me', {
      token: user.accessToken,
      body: { password: OTHER_PASSWORD },
    });
    expectError(res, 401, 'INVALID_CREDENTIALS');
    expectOk(await server.http.get('/auth/me', { token: user.accessToken }));
  });

  test.concurrent('deletes the account and the projects only it owns; the e-mail is free again', async () => {
    const [owner, member] = await Promise.all([registerUser(server.http), registerUser(server.http)]);
    const solo = await createProject(server.http, owner.accessToken, { name: 'Solo' });
    const shared = await createProject(server.http, owner.accessToken, { name: 'Shared, one owner' });
    const coOwned = await createProject(server.http, member.accessToken, { name: 'Co-owned' });
    await addMember(server.http, owner.accessToken, shared.id, member.email, 'viewer');
    await addMember(server.http, member.accessToken, coOwned.id, owner.email, 'owner');

    expectNoContent(
      await server.http.delete('/auth/me', { token: owner.accessToken, body: { password: PASSWORD } }),
    );

    expectError(await server.http.get('/auth/me', { token: owner.accessToken }), 401);
    expectError(await server.http.post('/auth/refresh', { body: { refreshToken: owner.refreshToken } }), 401);
    const relogin = await server.http.post('/auth/login', {
      body: { email: owner.email, password: PASSWORD },
    });
    expectError(relogin, 401, 'INVALID_CREDENTIALS');

    expectError(
      await server.http.get(`/projects/${shared.id}`, { token: member.accessToken }),
      404,
      'NOT_FOUND',
    );
    const kept = expectOk(
      await server.http.get<Project>(`/projects/${coOwned.id}`, { token: member.accessToken }),
    );
    expect(kept.role).toBe('owner');
    const members = expectOk(
      await server.http.get<{ userId: string }[]>(`/projects/${coOwned.id}/members`, {
        token: member.accessToken,
      }),
    );
    expect(members.map((m) => m.userId)).toEqual([member.user.id]);
    const system = systemActor('test');
    await expect(server.zekka.projects.get(system, solo.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(server.zekka.projects.get(system, shared.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const again = await registerUser(server.http, { email: owner.email });
    expect(again.user.id).not.toBe(owner.user.id);
  });
});

describe('GET /auth/me/export (row 8)', () => {
  test.concurrent('answers every record about the user and no secret', async () => {
    const user = await registerUser(server.http);
    const project = await createProject(server.http, user.accessToken, { name: 'Exported' });
    const res = await server.http.get<AccountExport>('/auth/me/export', { token: user.accessToken });
    const data = expectOk(res);
    expect(data.user).toEqual(expect.objectContaining({ id: user.user.id, email: user.email }));
    expect(data.projects.map((p) => p.id)).toContain(project.id);
    expect(data.sessions.length).toBeGreaterThanOrEqual(1);
    expect(res.text).not.toContain('$argon2');
    expect(res.text).not.toContain(user.refreshToken);
    expect(res.text).not.toContain(user.accessToken);
    expect(res.text).not.toMatch(/passwordHash|tokenHash|keyHash/);
  });
});

describe('GET /auth/me/export covers every domain (row 8)', () => {
  test.concurrent('includes conversations, messages and usage (empty for a new user)', async () => {
    const user = await registerUser(server.http);
    const data = expectOk(
      await server.http.get<Record<string, unknown>>('/auth/me/export', { token: user.accessToken }),
    );
    expect(data).toMatchObject({ conversations: [], messages: [], usage: [] });
  });

  test.concurrent('lists the conversations the user started, the messages they wrote and their usage', async () => {
    const [user, other] = await Promise.all([registerUser(server.http), registerUser(server.http)]);
    const project = await createProject(server.http, user.accessToken, { name: 'Talkative' });
    await addMember(server.http, user.accessToken, project.id, other.email, 'editor');
    const mine = await createConversation(server.http, user.accessToken, project.id, { title: 'Mine' });
    const theirs = await createConversation(server.http, other.accessToken, project.id, { title: 'Theirs' });
    const sent = await sendMessage(server.http, user.accessToken, mine.id, 'My words');
    await sendMessage(server.http, other.accessToken, theirs.id, 'Their words');
    await sendMessage(server.http, user.accessToken, theirs.id, 'My reply');

    const data = expectOk(
      await server.http.get<AccountExport>('/auth/me/export', { token: user.accessToken }),
    );
    expect(data.conversations.map((c) => c.id)).toEqual([mine.id]);
    expect(data.conversations[0]).toMatchObject({ projectId: project.id, title: 'Mine', archived: false });
    expect(data.messages.map((m) => m.content)).toEqual(['My words', 'My reply']);
    expect(data.messages[0]).toEqual(sent.userMessage);
    // One usage row per model call the user made, with its normalized parts.
    expect(data.usage.map((u) => [u.conversationId, u.model, u.outcome])).toEqual([
      [mine.id, 'echo', 'complete'],
      [theirs.id, 'echo', 'complete'],
    ]);
    expect(data.usage[0]).toMatchObject({
      messageId: sent.assistantMessage.id,
      inputTokens: sent.usage.inputTokens,
      outputTokens: sent.usage.outputTokens,
      cacheReadTokens: 0,
      reasoningTokens: 0,
      costUsd: 0,
    });
  });
});

describe('POST /auth/change-password (row 9)', () => {
  test.concurrent('answers 204, keeps the current session and revokes the others', async () => {
    const user = await registerUser(server.http);
    const other = await login(server.http, user.email, PASSWORD);
    const res = await server.http.post('/auth/change-password', {
      token: user.accessToken,
      body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    });
    expectNoContent(res);
    expectOk(await server.http.get('/auth/me', { token: user.accessToken }));
    expectOk(await server.http.post('/auth/refresh', { body: { refreshToken: user.refreshToken } }));
    expectError(await server.http.get('/auth/me', { token: other.accessToken }), 401);
    expectError(await server.http.post('/auth/refresh', { body: { refreshToken: other.refreshToken } }), 401);
    const old = await server.http.post('/auth/login', { body: { email: user.email, password: PASSWORD } });
    expectError(old, 401, 'INVALID_CREDENTIALS');
    await login(server.http, user.email, NEW_PASSWORD);
  });

  test.concurrent('a wrong current password → 401 INVALID_CREDENTIALS; a weak new one → 400', async () => {
    const user = await registerUser(server.http);
    const wrong = await server.http.post('/auth/change-password', {
      token: user.accessToken,
      body: { currentPassword: OTHER_PASSWORD, newPassword: NEW_PASSWORD },
    });
    expectError(wrong, 401, 'INVALID_CREDENTIALS');
    const weak = await server.http.post('/auth/change-password', {
      token: user.accessToken,
      body: { currentPassword: PASSWORD, newPassword: 'weak' },
    });
    expectError(weak, 400, 'VALIDATION_FAILED');
    await login(server.http, user.email, PASSWORD);
  });
});

describe('POST /auth/verify-email (row 10)', () => {
  test.concurrent('the link from the registration e-mail verifies once', async () => {
    const user = await registerUser(server.http);
    const token = server.mailer.tokenFor(user.email, VERIFY);
    const res = await server.http.post<{ user: User }>('/auth/verify-email', { body: { token } });
    expect(expectOk(res).user).toMatchObject({ id: user.user.id, emailVerified: true });
    const me = expectOk(await server.http.get<{ user: User }>('/auth/me', { token: user.accessToken }));
    expect(me.user.emailVerified).toBe(true);

    expectClientError(await server.http.post('/auth/verify-email', { body: { token } }));
  });

  test.concurrent('an unknown token → 4xx', async () => {
    expectClientError(await server.http.post('/auth/verify-email', { body: { token: 'no-such-token' } }));
  });

  test('an expired link (after 24 h) is refused', async () => {
    const own = await createTestServer();
    try {
      const user = await registerUser(own.http);
      const token = own.mailer.tokenFor(user.email, VERIFY);
      own.clock.advance(hours(24) + minutes(1));
      expectClientError(await own.http.post('/auth/verify-email', { body: { token } }));
      const me = expectOk(
        await own.http.get<{ user: User }>('/auth/me', {
          token: (await login(own.http, user.email, PASSWORD)).accessToken,
        }),
      );
      expect(me.user.emailVerified).toBe(false);
    } finally {
      await own.close();
    }
  });
});

describe('POST /auth/forgot-password (row 11)', () => {
  test.concurrent('answers 202 the same way for an unknown and a known address', async () => {
    const user = await registerUser(server.http);
    const nobody = uniqueEmail('nobody');
    const unknown = await server.http.post('/auth/forgot-password', { body: { email: nobody } });
    const known = await server.http.post('/auth/forgot-password', {
      body: { email: user.email.toUpperCase() },
    });
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(known.json).toEqual(unknown.json);
    expect(server.mailer.sentTo(nobody)).toEqual([]);
    expect(server.mailer.tokenFor(user.email, RESET)).toBeString();
  });
});

describe('POST /auth/reset-password (row 12)', () => {
  test.concurrent('sets the password with a single-use token and revokes every session', async () => {
    const user = await registerUser(server.http);
    const other = await login(server.http, user.email, PASSWORD);
    expect((await server.http.post('/auth/forgot-password', { body: { email: user.email } })).status).toBe(
      202,
    );
    const token = server.mailer.tokenFor(user.email, RESET);

    const weak = await server.http.post('/auth/reset-password', { body: { token, newPassword: 'weak' } });
    expectError(weak, 400, 'VALIDATION_FAILED');

    expectNoContent(
      await server.http.post('/auth/reset-password', { body: { token, newPassword: NEW_PASSWORD } }),
    );
    for (const session of [user, other]) {
      expectError(await server.http.get('/auth/me', { token: session.accessToken }), 401);
      expectError(
        await server.http.post('/auth/refresh', { body: { refreshToken: session.refreshToken } }),
        401,
      );
    }
    const old = await server.http.post('/auth/login', { body: { email: user.email, password: PASSWORD } });
    expectError(old, 401, 'INVALID_CREDENTIALS');
    await login(server.http, user.email, NEW_PASSWORD);

    const reuse = await server.http.post('/auth/reset-password', {
      body: { token, newPassword: OTHER_PASSWORD },
    });
    expectClientError(reuse);
    await login(server.http, user.email, NEW_PASSWORD);
  });

  test('an expired reset link (after 60 min) is refused', async () => {
    const own = await createTestServer();
    try {
      const user = await registerUser(own.http);
      await own.http.post('/auth/forgot-password', { body: { email: user.email } });
      const token = own.mailer.tokenFor(user.email, RESET);
      own.clock.advance(minutes(61));
      expectClientError(
        await own.http.post('/auth/reset-password', { body: { token, newPassword: NEW_PASSWORD } }),
      );
      await login(own.http, user.email, PASSWORD);
    } finally {
      await own.close();
    }
  });
});

describe('with auth.requireEmailVerification on', () => {
  let strict: TestServer;
  beforeAll(async () => {
    strict = await createTestServer({ auth: { requireEmailVerification: true } });
  });
  afterAll(() => strict.close());

  test('register answers { user, requiresEmailVerification: true } and login waits for verification', async () => {
    const email = uniqueEmail('strict');
    const res = await strict.http.post<RegisterResult>('/auth/register', {
      body: { email, password: PASSWORD, name: 'Strict' },
    });
    const data = expectOk(res, 201);
    expect(Object.keys(data).sort()).toEqual(['requiresEmailVerification', 'user']);
    expect(data).toMatchObject({ requiresEmailVerification: true, user: { email, emailVerified: false } });

    const refused = await strict.http.post('/auth/login', { body: { email, password: PASSWORD } });
    expectClientError(refused);
    expect([401, 403]).toContain(refused.status);

    const token = strict.mailer.tokenFor(email, VERIFY);
    expectOk(await strict.http.post('/auth/verify-email', { body: { token } }));
    const auth = expectOk(
      await strict.http.post<AuthResult>('/auth/login', { body: { email, password: PASSWORD } }),
    );
    expect(auth.user.emailVerified).toBe(true);
  });
});
