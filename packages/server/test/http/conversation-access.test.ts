/**
 * Who may use the conversation and message routes (rows 34–45): a user who is not a member of the project
 * gets 404 on every one of them (and finds nothing in search); a viewer reads but cannot write (403); a
 * member who is removed loses access at once.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Conversation, Project } from '@zekka/core';
import { createConversation, sendMessage } from './support/conversations.ts';
import { expectError, expectNoContent, expectOk } from './support/expect-envelope.ts';
import { addMember, createProject, registerUser, type TestUser } from './support/fixtures.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

let server: TestServer;
let owner: TestUser;
let viewer: TestUser;
let stranger: TestUser;
let project: Project;
beforeAll(async () => {
  server = await createTestServer();
  [owner, viewer, stranger] = await Promise.all([
    registerUser(server.http),
    registerUser(server.http),
    registerUser(server.http),
  ]);
  project = await createProject(server.http, owner.accessToken, { name: 'Guarded' });
  await addMember(server.http, owner.accessToken, project.id, viewer.email, 'viewer');
});
afterAll(() => server.close());

describe('authorization on every conversation and message route', () => {
  test.concurrent('a user who is not a member gets 404 everywhere', async () => {
    const created = await createConversation(server.http, owner.accessToken, project.id);
    const { userMessage } = await sendMessage(server.http, owner.accessToken, created.id, 'Private words');
    const id = created.id;
    const routes: [string, string, unknown?][] = [
      ['GET', `/conversations/${id}`],
      ['PATCH', `/conversations/${id}`, { title: 'x' }],
      ['DELETE', `/conversations/${id}`],
      ['GET', `/conversations/${id}/messages`],
      ['POST', `/conversations/${id}/messages`, { content: 'hi' }],
      ['POST', `/conversations/${id}/messages/stream`, { content: 'hi' }],
      ['POST', `/conversations/${id}/stop`],
      ['DELETE', `/messages/${userMessage.id}`],
    ];
    for (const [method, path, body] of routes) {
      const res = await server.http.request(method, path, { token: stranger.accessToken, body });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
      expectError(res, 404, 'NOT_FOUND');
    }
    const search = await server.http.get<unknown[]>('/messages/search', {
      token: stranger.accessToken,
      query: { q: 'Private' },
    });
    expect(expectOk(search)).toEqual([]);
    // Nothing changed for the members.
    const still = expectOk(
      await server.http.get<Conversation>(`/conversations/${id}`, { token: owner.accessToken }),
    );
    expect(still).toMatchObject({ title: null, messageCount: 2 });
  });

  test.concurrent('a viewer reads but cannot send, stream, stop or delete: 403', async () => {
    const created = await createConversation(server.http, owner.accessToken, project.id);
    const { userMessage } = await sendMessage(server.http, owner.accessToken, created.id, 'Read only');
    const id = created.id;
    expectOk(await server.http.get(`/conversations/${id}`, { token: viewer.accessToken }));
    expectOk(await server.http.get(`/conversations/${id}/messages`, { token: viewer.accessToken }));
    const routes: [string, string, unknown?][] = [
      ['POST', `/conversations/${id}/messages`, { content: 'hi' }],
      ['POST', `/conversations/${id}/messages/stream`, { content: 'hi' }],
      ['POST', `/conversations/${id}/stop`],
      ['DELETE', `/messages/${userMessage.id}`],
    ];
    for (const [method, path, body] of routes) {
      const res = await server.http.request(method, path, { token: viewer.accessToken, body });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
      expectError(res, 403, 'FORBIDDEN');
    }
  });

  test.concurrent('a removed member loses access at once', async () => {
    const former = await registerUser(server.http);
    await addMember(server.http, owner.accessToken, project.id, former.email, 'editor');
    const created = await createConversation(server.http, former.accessToken, project.id);
    expectNoContent(
      await server.http.delete(`/projects/${project.id}/members/${former.user.id}`, {
        token: owner.accessToken,
      }),
    );
    expectError(
      await server.http.get(`/conversations/${created.id}`, { token: former.accessToken }),
      404,
      'NOT_FOUND',
    );
  });
});
