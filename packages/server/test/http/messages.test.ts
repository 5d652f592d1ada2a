/**
 * Contract rows 39, 40, 44 and 45: listing messages (offset and `before` / `after` cursors), sending one
 * and waiting for the answer (with the built-in `echo` model: exact text, honest token counts, and an
 * Idempotency-Key that never runs the model twice), deleting one (its author or a project owner), and
 * full-text search limited to what the caller can read.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { countEchoTokens } from '@zekka/adapters/models';
import type { Message, MessageSearchHit, Project, SendMessageResult } from '@zekka/core';
import { createConversation, listMessages, sendMessage } from './support/conversations.ts';
import { expectError, expectNoContent, expectOk, ISO_RE, UUID_RE } from './support/expect-envelope.ts';
import { createProject, givenProjectTeam, type TestUser } from './support/fixtures.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

const MESSAGE_KEYS = [
  'attachments',
  'authorId',
  'content',
  'conversationId',
  'createdAt',
  'id',
  'model',
  'role',
  'status',
];

let server: TestServer;
let owner: TestUser;
let editor: TestUser;
let viewer: TestUser;
let stranger: TestUser;
let project: Project;
beforeAll(async () => {
  server = await createTestServer();
  ({ owner, editor, viewer, stranger, project } = await givenProjectTeam(server.http, 'Chats'));
});
afterAll(() => server.close());

/** A conversation holding `count` exchanges (`count` × 2 messages), oldest first. */
async function conversationWith(count: number): Promise<{ id: string; messages: Message[] }> {
  const { id } = await createConversation(server.http, owner.accessToken, project.id);
  for (let i = 1; i <= count; i++) await sendMessage(server.http, owner.accessToken, id, `Question ${i}`);
  return { id, messages: await listMessages(server.http, owner.accessToken, id) };
}

describe('POST /conversations/:conversationId/messages (row 40)', () => {
  test.concurrent('stores the question and the echo answer: exact text and honest usage', async () => {
    const conversation = await createConversation(server.http, editor.accessToken, project.id, {
      systemPrompt: 'Answer in one line.',
    });
    const res = await server.http.post<SendMessageResult>(`/conversations/${conversation.id}/messages`, {
      token: editor.accessToken,
      body: { content: 'What is the capital of France?' },
    });
    const { userMessage, assistantMessage, usage } = expectOk(res, 201);
    expect(Object.keys(userMessage).sort()).toEqual(MESSAGE_KEYS);
    expect(userMessage).toMatchObject({
      conversationId: conversation.id,
      role: 'user',
      content: 'What is the capital of France?',
      status: 'complete',
      model: null,
      authorId: editor.user.id,
      attachments: [],
    });
    expect(userMessage.id).toMatch(UUID_RE);
    expect(userMessage.createdAt).toMatch(ISO_RE);
    const inputTokens =
      countEchoTokens('Answer in one line.') + countEchoTokens('What is the capital of France?');
    const outputTokens = countEchoTokens('Echo: What is the capital of France?');
    expect(assistantMessage).toMatchObject({
      conversationId: conversation.id,
      role: 'assistant',
      content: 'Echo: What is the capital of France?',
      status: 'complete',
      model: 'echo',
      authorId: null,
      usage: { inputTokens, outputTokens, costUsd: 0 },
    });
    expect(usage).toEqual({ inputTokens, outputTokens, costUsd: 0 });
    expect(Date.parse(assistantMessage.createdAt)).toBeGreaterThan(Date.parse(userMessage.createdAt));

    // The next answer sees the history: both earlier messages count as input.
    const second = await sendMessage(server.http, editor.accessToken, conversation.id, 'And Spain?');
    expect(second.assistantMessage.content).toBe('Echo: And Spain?');
    expect(second.usage.inputTokens).toBe(inputTokens + outputTokens + countEchoTokens('And Spain?'));
    const stored = await listMessages(server.http, editor.accessToken, conversation.id);
    expect(stored).toEqual([userMessage, assistantMessage, second.userMessage, second.assistantMessage]);
  });

  test.concurrent('Idempotency-Key: a retried send replays the answer and never runs the model twice', async () => {
    const { id } = await createConversation(server.http, owner.accessToken, project.id);
    const key = crypto.randomUUID();
    const send = (content: string) =>
      server.http.post<SendMessageResult>(`/conversations/${id}/messages`, {
        token: owner.accessToken,
        body: { content },
        headers: { 'idempotency-key': key },
      });
    const first = expectOk(await send('Only once'), 201);
    const retry = await send('Only once');
    expect(expectOk(retry, 201)).toEqual(first);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expectError(await send('Something else'), 409, 'CONFLICT');
    expect(await listMessages(server.http, owner.accessToken, id)).toHaveLength(2);
    const stats = expectOk(
      await server.http.get<{ messages: number }>(`/projects/${project.id}/stats`, {
        token: owner.accessToken,
      }),
    );
    expect(stats.messages).toBeGreaterThanOrEqual(2);
  });

  test.concurrent('uses the request’s model, else the conversation’s, else the default', async () => {
    const { id } = await createConversation(server.http, owner.accessToken, project.id, { model: 'echo' });
    const explicit = await sendMessage(server.http, owner.accessToken, id, 'Hi', { model: 'echo' });
    expect(explicit.assistantMessage.model).toBe('echo');
    const unknown = await server.http.post(`/conversations/${id}/messages`, {
      token: owner.accessToken,
      body: { content: 'Hi', model: 'acme/unknown' },
    });
    expectError(unknown, 400, 'VALIDATION_FAILED');
    expect(unknown.error?.details).toEqual([{ path: '/model', message: expect.any(String) }]);
  });
});

describe('GET /conversations/:conversationId/messages (row 39)', () => {
  test.concurrent('oldest first, 50 by default, with offset paging', async () => {
    const { id, messages } = await conversationWith(3);
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Question 1'],
      ['assistant', 'Echo: Question 1'],
      ['user', 'Question 2'],
      ['assistant', 'Echo: Question 2'],
      ['user', 'Question 3'],
      ['assistant', 'Echo: Question 3'],
    ]);
    const all = await server.http.get<Message[]>(`/conversations/${id}/messages`, {
      token: viewer.accessToken,
    });
    expect(expectOk(all)).toEqual(messages);
    expect(all.pagination).toEqual({ limit: 50, offset: 0, total: 6, hasMore: false });
    const page = await server.http.get<Message[]>(`/conversations/${id}/messages`, {
      token: viewer.accessToken,
      query: { limit: 2, offset: 2 },
    });
    expect(expectOk(page)).toEqual(messages.slice(2, 4));
    expect(page.pagination).toEqual({ limit: 2, offset: 2, total: 6, hasMore: true });
  });

  test.concurrent('before and after: the messages just before / after the cursor, with hasMore', async () => {
    const { id, messages } = await conversationWith(3);
    const ids = messages.map((m) => m.id);
    const get = (query: Record<string, string | number>) =>
      server.http.get<Message[]>(`/conversations/${id}/messages`, { token: owner.accessToken, query });

    const before = await get({ before: ids[4] ?? '', limit: 2 });
    expect(expectOk(before).map((m) => m.id)).toEqual(ids.slice(2, 4));
    expect(before.pagination).toMatchObject({ limit: 2, total: 6, hasMore: true });
    const first = await get({ before: ids[2] ?? '', limit: 2 });
    expect(expectOk(first).map((m) => m.id)).toEqual(ids.slice(0, 2));
    expect(first.pagination).toMatchObject({ hasMore: false });
    const none = await get({ before: ids[0] ?? '' });
    expect(expectOk(none)).toEqual([]);
    expect(none.pagination).toMatchObject({ hasMore: false });

    const after = await get({ after: ids[1] ?? '', limit: 2 });
    expect(expectOk(after).map((m) => m.id)).toEqual(ids.slice(2, 4));
    expect(after.pagination).toMatchObject({ hasMore: true });
    const last = await get({ after: ids[3] ?? '', limit: 2 });
    expect(expectOk(last).map((m) => m.id)).toEqual(ids.slice(4));
    expect(last.pagination).toMatchObject({ hasMore: false });
    const rest = await get({ after: ids[2] ?? '' });
    expect(expectOk(rest).map((m) => m.id)).toEqual(ids.slice(3));
    expect(rest.pagination).toMatchObject({ limit: 50, hasMore: false });
  });

  test.concurrent('bad paging → 400: mixed cursors, foreign or unknown cursors, limit over 200', async () => {
    const { id, messages } = await conversationWith(1);
    const other = await conversationWith(1);
    const cursor = messages[0]?.id ?? '';
    const bad: Record<string, string | number>[] = [
      { offset: 0, before: cursor },
      { offset: 1, after: cursor },
      { before: cursor, after: cursor },
      { before: other.messages[0]?.id ?? '' },
      { after: '01936f6e-8a4b-7c1d-9e2f-3a4b5c6d7e8f' },
      { before: 'not-a-uuid' },
      { limit: 201 },
      { limit: 0 },
      { offset: -1 },
      { offset: 1_000_000_001 },
      { offset: '1000000000000000000000' },
      { limit: 'ten' },
    ];
    for (const query of bad) {
      const res = await server.http.get(`/conversations/${id}/messages`, { token: owner.accessToken, query });
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expectError(res, 400, 'VALIDATION_FAILED');
    }
    const max = await server.http.get(`/conversations/${id}/messages`, {
      token: owner.accessToken,
      query: { limit: 200 },
    });
    expect(max.pagination?.limit).toBe(200);
  });
});

describe('DELETE /messages/:messageId (row 44)', () => {
  test.concurrent('the author deletes their message; an owner deletes any; others are refused', async () => {
    const { id } = await createConversation(server.http, owner.accessToken, project.id);
    const mine = await sendMessage(server.http, editor.accessToken, id, 'Written by the editor');
    const theirs = await sendMessage(server.http, owner.accessToken, id, 'Written by the owner');

    for (const user of [viewer, editor]) {
      expectError(
        await server.http.delete(`/messages/${theirs.userMessage.id}`, { token: user.accessToken }),
        403,
        'FORBIDDEN',
      );
    }
    expectError(
      await server.http.delete(`/messages/${mine.assistantMessage.id}`, { token: editor.accessToken }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await server.http.delete(`/messages/${mine.userMessage.id}`, { token: stranger.accessToken }),
      404,
      'NOT_FOUND',
    );

    expectNoContent(
      await server.http.delete(`/messages/${mine.userMessage.id}`, { token: editor.accessToken }),
    );
    expectNoContent(
      await server.http.delete(`/messages/${mine.assistantMessage.id}`, { token: owner.accessToken }),
    );
    expectNoContent(
      await server.http.delete(`/messages/${theirs.userMessage.id}`, { token: owner.accessToken }),
    );
    const left = await listMessages(server.http, owner.accessToken, id);
    expect(left.map((m) => m.id)).toEqual([theirs.assistantMessage.id]);
    expectError(
      await server.http.delete(`/messages/${mine.userMessage.id}`, { token: editor.accessToken }),
      404,
      'NOT_FOUND',
    );
  });
});

describe('GET /messages/search (row 45)', () => {
  test.concurrent('finds words in what the caller can read, with a snippet', async () => {
    const word = `zebra${crypto.randomUUID().slice(0, 8)}`;
    const { id } = await createConversation(server.http, owner.accessToken, project.id);
    const sent = await sendMessage(server.http, owner.accessToken, id, `The ${word} crossed the road`);
    const elsewhere = await createProject(server.http, stranger.accessToken, { name: 'Elsewhere' });
    const hidden = await createConversation(server.http, stranger.accessToken, elsewhere.id);
    await sendMessage(server.http, stranger.accessToken, hidden.id, `Another ${word} here`);

    const res = await server.http.get<MessageSearchHit[]>('/messages/search', {
      token: viewer.accessToken,
      query: { q: word },
    });
    const hits = expectOk(res);
    // The question and its echo both match; nothing from the stranger's project.
    expect(hits.map((h) => h.message.id).sort()).toEqual(
      [sent.userMessage.id, sent.assistantMessage.id].sort(),
    );
    expect(res.pagination).toEqual({ limit: 20, offset: 0, total: 2, hasMore: false });
    const hit = hits.find((h) => h.message.id === sent.userMessage.id);
    expect(hit).toMatchObject({ conversationId: id, projectId: project.id, message: sent.userMessage });
    expect(hit?.snippet).toContain(word);
    expect(hit?.snippet).toContain('crossed');

    const theirs = expectOk(
      await server.http.get<MessageSearchHit[]>('/messages/search', {
        token: stranger.accessToken,
        query: { q: word },
      }),
    );
    expect(theirs.map((h) => h.projectId)).toEqual([elsewhere.id, elsewhere.id]);
    const filtered = await server.http.get<MessageSearchHit[]>('/messages/search', {
      token: owner.accessToken,
      query: { q: word, projectId: elsewhere.id },
    });
    expect(expectOk(filtered)).toEqual([]);
    const paged = await server.http.get<MessageSearchHit[]>('/messages/search', {
      token: owner.accessToken,
      query: { q: word, limit: 1, offset: 1 },
    });
    expect(expectOk(paged)).toHaveLength(1);
    expect(paged.pagination).toEqual({ limit: 1, offset: 1, total: 2, hasMore: false });
  });

  test.concurrent('a snippet stays short around the match, even in a message of very long words', async () => {
    const word = `needle${crypto.randomUUID().slice(0, 8)}`;
    const { id } = await createConversation(server.http, owner.accessToken, project.id);
    await sendMessage(
      server.http,
      owner.accessToken,
      id,
      `${'z'.repeat(5000)} haystack ${word} ${'y'.repeat(5000)}`,
    );
    const [hit] = expectOk(
      await server.http.get<MessageSearchHit[]>('/messages/search', {
        token: owner.accessToken,
        query: { q: word, limit: 1 },
      }),
    );
    expect(hit?.snippet.length).toBeLessThanOrEqual(240);
    expect(hit?.snippet).toContain(`**${word}**`);
  });

  test.concurrent('a deleted message is no longer found', async () => {
    const word = `quokka${crypto.randomUUID().slice(0, 8)}`;
    const { id } = await createConversation(server.http, owner.accessToken, project.id);
    const sent = await sendMessage(server.http, owner.accessToken, id, word);
    expectNoContent(
      await server.http.delete(`/messages/${sent.userMessage.id}`, { token: owner.accessToken }),
    );
    const hits = expectOk(
      await server.http.get<MessageSearchHit[]>('/messages/search', {
        token: owner.accessToken,
        query: { q: word },
      }),
    );
    expect(hits.map((h) => h.message.id)).toEqual([sent.assistantMessage.id]);
  });

  test.concurrent('a missing or blank q → 400', async () => {
    const bad: Record<string, string>[] = [{}, { q: '' }, { q: '   ' }, { q: 'x'.repeat(201) }];
    for (const query of bad) {
      const res = await server.http.get('/messages/search', { token: owner.accessToken, query });
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expectError(res, 400, 'VALIDATION_FAILED');
    }
  });
});
