/**
 * Contract rows 34–38: conversations — create (with Idempotency-Key), read, list (membership, filters,
 * order, pages), update, delete — with the roles each needs. Access across every conversation and message
 * route is in `conversation-access.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Conversation, Project } from '@zekka/core';
import { createConversation, sendMessage } from './support/conversations.ts';
import { expectError, expectNoContent, expectOk, ISO_RE, UUID_RE } from './support/expect-envelope.ts';
import { createProject, givenProjectTeam, registerUser, type TestUser } from './support/fixtures.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

const CONVERSATION_KEYS = [
  'agentId',
  'archived',
  'createdAt',
  'createdBy',
  'id',
  'lastMessageAt',
  'messageCount',
  'model',
  'projectId',
  'role',
  'systemPrompt',
  'title',
  'updatedAt',
];
const UNKNOWN_ID = '01936f6e-8a4b-7c1d-9e2f-3a4b5c6d7e8f';

let server: TestServer;
let owner: TestUser;
let editor: TestUser;
let viewer: TestUser;
let stranger: TestUser;
let project: Project;
beforeAll(async () => {
  server = await createTestServer();
  ({ owner, editor, viewer, stranger, project } = await givenProjectTeam(server.http, 'Talks'));
});
afterAll(() => server.close());

describe('POST /conversations (row 35)', () => {
  test.concurrent('an editor creates one: 201 with the conversation', async () => {
    const res = await server.http.post<Conversation>('/conversations', {
      token: editor.accessToken,
      body: { projectId: project.id, title: '  Plans  ', model: 'echo', systemPrompt: 'Be brief.' },
    });
    const conversation = expectOk(res, 201);
    expect(Object.keys(conversation).sort()).toEqual(CONVERSATION_KEYS);
    expect(conversation).toMatchObject({
      projectId: project.id,
      title: 'Plans',
      model: 'echo',
      agentId: null,
      systemPrompt: 'Be brief.',
      archived: false,
      createdBy: editor.user.id,
      role: 'editor',
      messageCount: 0,
      lastMessageAt: null,
    });
    expect(conversation.id).toMatch(UUID_RE);
    expect(conversation.createdAt).toMatch(ISO_RE);
  });

  test.concurrent('fills defaults: title, model, agentId and systemPrompt null', async () => {
    const conversation = await createConversation(server.http, owner.accessToken, project.id);
    expect(conversation).toMatchObject({ title: null, model: null, agentId: null, systemPrompt: null });
  });

  test.concurrent('a viewer → 403; a stranger or an unknown project → 404', async () => {
    const body = { projectId: project.id };
    expectError(
      await server.http.post('/conversations', { token: viewer.accessToken, body }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await server.http.post('/conversations', { token: stranger.accessToken, body }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await server.http.post('/conversations', { token: owner.accessToken, body: { projectId: UNKNOWN_ID } }),
      404,
      'NOT_FOUND',
    );
  });

  test.concurrent('an unknown model → 400; an unknown agent → 404', async () => {
    const unknownModel = await server.http.post('/conversations', {
      token: owner.accessToken,
      body: { projectId: project.id, model: 'openai/gpt-9' },
    });
    expectError(unknownModel, 400, 'VALIDATION_FAILED');
    expect(unknownModel.error?.details).toEqual([{ path: '/model', message: expect.any(String) }]);
    expectError(
      await server.http.post('/conversations', {
        token: owner.accessToken,
        body: { projectId: project.id, agentId: UNKNOWN_ID },
      }),
      404,
      'NOT_FOUND',
    );
  });

  test.concurrent('an archived project refuses new conversations with 409', async () => {
    const archived = await createProject(server.http, owner.accessToken, { name: 'Old' });
    expectOk(await server.http.post(`/projects/${archived.id}/archive`, { token: owner.accessToken }));
    expectError(
      await server.http.post('/conversations', {
        token: owner.accessToken,
        body: { projectId: archived.id },
      }),
      409,
      'CONFLICT',
    );
  });

  test.concurrent('Idempotency-Key: a retry replays the first answer; another body is 409', async () => {
    const key = crypto.randomUUID();
    const send = (title: string) =>
      server.http.post<Conversation>('/conversations', {
        token: owner.accessToken,
        body: { projectId: project.id, title },
        headers: { 'idempotency-key': key },
      });
    const first = expectOk(await send('Once'), 201);
    const again = await send('Once');
    expect(expectOk(again, 201)).toEqual(first);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expectError(await send('Twice'), 409, 'CONFLICT');
    const listed = expectOk(
      await server.http.get<Conversation[]>('/conversations', {
        token: owner.accessToken,
        query: { projectId: project.id, search: 'Once', limit: 100 },
      }),
    );
    expect(listed.filter((c) => c.title === 'Once')).toHaveLength(1);
  });
});

describe('GET /conversations (row 34)', () => {
  test.concurrent('lists the caller’s conversations, newest-updated first, with filters and pages', async () => {
    const [user, other] = await Promise.all([registerUser(server.http), registerUser(server.http)]);
    const mine = await createProject(server.http, user.accessToken, { name: 'Mine' });
    const second = await createProject(server.http, user.accessToken, { name: 'Second' });
    const foreign = await createProject(server.http, other.accessToken, { name: 'Foreign' });
    const a = await createConversation(server.http, user.accessToken, mine.id, { title: 'Alpha notes' });
    server.clock.advance(1_000);
    const b = await createConversation(server.http, user.accessToken, second.id, { title: 'Beta' });
    server.clock.advance(1_000);
    const c = await createConversation(server.http, user.accessToken, mine.id, { title: 'Gamma notes' });
    await createConversation(server.http, other.accessToken, foreign.id, { title: 'Alpha elsewhere' });

    const all = await server.http.get<Conversation[]>('/conversations', { token: user.accessToken });
    expect(expectOk(all).map((x) => x.id)).toEqual([c.id, b.id, a.id]);
    expect(all.pagination).toEqual({ limit: 20, offset: 0, total: 3, hasMore: false });

    // A new message makes its conversation the most recently updated.
    server.clock.advance(1_000);
    await sendMessage(server.http, user.accessToken, a.id, 'bump');
    const reordered = expectOk(
      await server.http.get<Conversation[]>('/conversations', { token: user.accessToken }),
    );
    expect(reordered.map((x) => x.id)).toEqual([a.id, c.id, b.id]);

    const inProject = await server.http.get<Conversation[]>('/conversations', {
      token: user.accessToken,
      query: { projectId: mine.id },
    });
    expect(expectOk(inProject).map((x) => x.id)).toEqual([a.id, c.id]);
    const searched = await server.http.get<Conversation[]>('/conversations', {
      token: user.accessToken,
      query: { search: 'NOTES' },
    });
    expect(expectOk(searched).map((x) => x.id)).toEqual([a.id, c.id]);
    const paged = await server.http.get<Conversation[]>('/conversations', {
      token: user.accessToken,
      query: { limit: 1, offset: 1 },
    });
    expect(expectOk(paged).map((x) => x.id)).toEqual([c.id]);
    expect(paged.pagination).toEqual({ limit: 1, offset: 1, total: 3, hasMore: true });

    const foreignOnly = await server.http.get<Conversation[]>('/conversations', {
      token: user.accessToken,
      query: { projectId: foreign.id },
    });
    expect(expectOk(foreignOnly)).toEqual([]);
  });

  test.concurrent('a viewer sees the project’s conversations', async () => {
    const created = await createConversation(server.http, owner.accessToken, project.id, { title: 'Shared' });
    const listed = expectOk(
      await server.http.get<Conversation[]>('/conversations', {
        token: viewer.accessToken,
        query: { projectId: project.id, limit: 100 },
      }),
    );
    expect(listed.find((c) => c.id === created.id)?.role).toBe('viewer');
  });
});

describe('GET /conversations/:conversationId (row 36)', () => {
  test.concurrent('answers with messageCount and lastMessageAt; any member may read it', async () => {
    const created = await createConversation(server.http, editor.accessToken, project.id);
    const sent = await sendMessage(server.http, editor.accessToken, created.id, 'Hello there');
    const read = expectOk(
      await server.http.get<Conversation>(`/conversations/${created.id}`, { token: viewer.accessToken }),
    );
    expect(read).toMatchObject({
      id: created.id,
      role: 'viewer',
      messageCount: 2,
      lastMessageAt: sent.assistantMessage.createdAt,
    });
  });

  test.concurrent('an unknown id → 404', async () => {
    expectError(
      await server.http.get(`/conversations/${UNKNOWN_ID}`, { token: owner.accessToken }),
      404,
      'NOT_FOUND',
    );
  });
});

describe('PATCH /conversations/:conversationId (row 37)', () => {
  test.concurrent('an editor changes fields; null clears; left-out fields keep their value', async () => {
    const created = await createConversation(server.http, owner.accessToken, project.id, {
      title: 'Draft',
      systemPrompt: 'Old prompt',
    });
    server.clock.advance(1_000);
    const updated = expectOk(
      await server.http.patch<Conversation>(`/conversations/${created.id}`, {
        token: editor.accessToken,
        body: { title: 'Final', model: 'echo', systemPrompt: null },
      }),
    );
    expect(updated).toMatchObject({ title: 'Final', model: 'echo', systemPrompt: null, role: 'editor' });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
    const unchanged = expectOk(
      await server.http.patch<Conversation>(`/conversations/${created.id}`, {
        token: editor.accessToken,
        body: {},
      }),
    );
    expect(unchanged).toMatchObject({ title: 'Final', model: 'echo' });
  });

  test.concurrent('archived: true refuses new messages (409) until unarchived', async () => {
    const created = await createConversation(server.http, owner.accessToken, project.id);
    const archived = expectOk(
      await server.http.patch<Conversation>(`/conversations/${created.id}`, {
        token: owner.accessToken,
        body: { archived: true },
      }),
    );
    expect(archived.archived).toBe(true);
    const refused = await server.http.post(`/conversations/${created.id}/messages`, {
      token: owner.accessToken,
      body: { content: 'Anyone?' },
    });
    expectError(refused, 409, 'CONFLICT');
    expectOk(
      await server.http.patch(`/conversations/${created.id}`, {
        token: owner.accessToken,
        body: { archived: false },
      }),
    );
    await sendMessage(server.http, owner.accessToken, created.id, 'Back again');
  });

  test.concurrent('an archived project refuses new messages (409), sent or streamed, until unarchived', async () => {
    const old = await createProject(server.http, owner.accessToken, { name: 'Shelved' });
    const created = await createConversation(server.http, owner.accessToken, old.id);
    await sendMessage(server.http, owner.accessToken, created.id, 'Before the shelf');
    expectOk(await server.http.post(`/projects/${old.id}/archive`, { token: owner.accessToken }));
    for (const path of ['messages', 'messages/stream']) {
      const refused = await server.http.post(`/conversations/${created.id}/${path}`, {
        token: owner.accessToken,
        body: { content: 'Anyone?' },
      });
      expectError(refused, 409, 'CONFLICT');
      expect((refused.json as { error: { message: string } }).error.message).toContain('project is archived');
    }
    // Still readable.
    const messages = await server.http.get<unknown[]>(`/conversations/${created.id}/messages`, {
      token: owner.accessToken,
    });
    expect(expectOk(messages)).toHaveLength(2);
    expectOk(await server.http.post(`/projects/${old.id}/unarchive`, { token: owner.accessToken }));
    await sendMessage(server.http, owner.accessToken, created.id, 'Back on the desk');
  });

  test.concurrent('a viewer → 403; an unknown model → 400', async () => {
    const created = await createConversation(server.http, owner.accessToken, project.id);
    const path = `/conversations/${created.id}`;
    expectError(
      await server.http.patch(path, { token: viewer.accessToken, body: { title: 'Mine now' } }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await server.http.patch(path, { token: owner.accessToken, body: { model: 'nope/never' } }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('DELETE /conversations/:conversationId (row 38)', () => {
  test.concurrent('an editor deletes it: 204, then it and its messages are gone', async () => {
    const created = await createConversation(server.http, owner.accessToken, project.id);
    const sent = await sendMessage(server.http, owner.accessToken, created.id, 'Remember me');
    expectNoContent(await server.http.delete(`/conversations/${created.id}`, { token: editor.accessToken }));
    expectError(
      await server.http.get(`/conversations/${created.id}`, { token: owner.accessToken }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await server.http.get(`/conversations/${created.id}/messages`, { token: owner.accessToken }),
      404,
      'NOT_FOUND',
    );
    const hits = expectOk(
      await server.http.get<unknown[]>('/messages/search', {
        token: owner.accessToken,
        query: { q: 'Remember' },
      }),
    );
    expect(JSON.stringify(hits)).not.toContain(sent.userMessage.id);
    expectError(
      await server.http.delete(`/conversations/${created.id}`, { token: owner.accessToken }),
      404,
      'NOT_FOUND',
    );
  });

  test.concurrent('a viewer → 403', async () => {
    const created = await createConversation(server.http, owner.accessToken, project.id);
    expectError(
      await server.http.delete(`/conversations/${created.id}`, { token: viewer.accessToken }),
      403,
      'FORBIDDEN',
    );
  });
});
