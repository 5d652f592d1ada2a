/**
 * `Idempotency-Key` on row 41 (the contract takes it on every POST that creates something): a retry
 * creates nothing and streams the first answer again, from its first event, with `Idempotency-Replayed:
 * true` — from the stream buffer (the very same events) while it holds the answer, live if the answer is
 * still being written, and rebuilt from the stored messages once a newer answer took the buffer. The same
 * key with another body, or on another route, is `409`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createModelRegistry } from '@zekka/adapters/models';
import type { Project } from '@zekka/core';
import { createConversation, listMessages, sendMessage } from './support/conversations.ts';
import { EventReader, type ListeningServer, listen, type ReadEvent } from './support/event-stream-client.ts';
import { expectNoContent } from './support/expect-envelope.ts';
import { addMember, createProject, registerUser, type TestUser } from './support/fixtures.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

const TOKEN_DELAY_MS = 5;
/** About 0.3 s of answer: long enough to retry while it is still being written. */
const LONG_TEXT = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');

let server: TestServer;
let listening: ListeningServer;
let owner: TestUser;
let editor: TestUser;
let project: Project;
beforeAll(async () => {
  server = await createTestServer({
    models: createModelRegistry({ defaultModel: 'echo', echo: { tokenDelayMs: TOKEN_DELAY_MS } }),
  });
  listening = listen(server);
  [owner, editor] = await Promise.all([registerUser(server.http), registerUser(server.http)]);
  project = await createProject(server.http, owner.accessToken, { name: 'Retries' });
  await addMember(server.http, owner.accessToken, project.id, editor.email, 'editor');
});
afterAll(async () => {
  await listening.stop();
  await server.close();
});

const newConversation = () => createConversation(server.http, owner.accessToken, project.id);

function post(conversationId: string, body: unknown, key: string, token = owner.accessToken) {
  return fetch(`${listening.url}/api/v1/conversations/${conversationId}/messages/stream`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'text/event-stream',
      'idempotency-key': key,
    },
    body: JSON.stringify(body),
  });
}

/** Posts with `key`, expects a `200` stream; returns it and whether it was a replay. */
async function streamWithKey(conversationId: string, body: unknown, key: string, token?: string) {
  const res = await post(conversationId, body, key, token);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  return { reader: new EventReader(res), replayed: res.headers.get('idempotency-replayed') === 'true' };
}

const chunks = (events: ReadEvent[]) =>
  events
    .filter((e) => e.type === 'assistantMessageDelta')
    .map((e) => (e.data as { chunk: string }).chunk)
    .join('');

describe('POST …/messages/stream with an Idempotency-Key', () => {
  test.concurrent('a retry after the answer: the same events again, nothing created', async () => {
    const { id } = await newConversation();
    const body = { content: 'Say it once' };
    // The same body under another key is another message.
    await (await streamWithKey(id, body, crypto.randomUUID())).reader.rest();
    const key = crypto.randomUUID();
    const original = await streamWithKey(id, body, key);
    expect(original.replayed).toBe(false);
    const events = await original.reader.rest();

    const retry = await streamWithKey(id, body, key);
    expect(retry.replayed).toBe(true);
    expect(await retry.reader.rest()).toEqual(events);
    expect(events.at(-1)?.type).toBe('done');
    // Two sends with two keys, then one retry: four messages.
    expect(await listMessages(server.http, owner.accessToken, id)).toHaveLength(4);
  });

  test.concurrent('a retry while the answer is written follows it live, from the first event', async () => {
    const { id } = await newConversation();
    const key = crypto.randomUUID();
    const original = await streamWithKey(id, { content: LONG_TEXT }, key);
    const start = [await original.reader.next(), await original.reader.next()];
    expect(start.map((e) => e?.type)).toEqual(['userMessage', 'assistantMessageStart']);

    const retry = await streamWithKey(id, { content: LONG_TEXT }, key);
    expect(retry.replayed).toBe(true);
    const [replayed, rest] = await Promise.all([retry.reader.rest(), original.reader.rest()]);
    expect(replayed).toEqual([...(start as ReadEvent[]), ...rest]);
    expect(chunks(replayed)).toBe(`Echo: ${LONG_TEXT}`);
    expect(replayed.at(-1)?.type).toBe('done');
    expect(await listMessages(server.http, owner.accessToken, id)).toHaveLength(2);
  });

  test.concurrent('duplicates sent at once start one answer and stream it to both', async () => {
    const { id } = await newConversation();
    const key = crypto.randomUUID();
    const [a, b] = await Promise.all([
      streamWithKey(id, { content: 'Only once' }, key),
      streamWithKey(id, { content: 'Only once' }, key),
    ]);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    const [eventsA, eventsB] = await Promise.all([a.reader.rest(), b.reader.rest()]);
    expect(eventsA).toEqual(eventsB);
    expect(await listMessages(server.http, owner.accessToken, id)).toHaveLength(2);
  });

  test.concurrent('once a newer answer took the buffer: rebuilt from the stored messages', async () => {
    const { id } = await newConversation();
    const key = crypto.randomUUID();
    const original = await (await streamWithKey(id, { content: 'First question' }, key)).reader.rest();
    await sendMessage(server.http, owner.accessToken, id, 'Second question');

    const retry = await streamWithKey(id, { content: 'First question' }, key);
    expect(retry.replayed).toBe(true);
    const rebuilt = await retry.reader.rest();
    const [user, assistant] = await listMessages(server.http, owner.accessToken, id);
    expect(rebuilt).toEqual([
      { id: 1, type: 'userMessage', data: user },
      { id: 2, type: 'assistantMessageStart', data: { id: assistant?.id, conversationId: id } },
      {
        id: 3,
        type: 'assistantMessageDelta',
        data: { id: assistant?.id, conversationId: id, chunk: 'Echo: First question' },
      },
      { id: 4, type: 'assistantMessageComplete', data: assistant },
      { id: 5, type: 'done', data: null },
    ]);
    // The same messages the first stream carried, with the same text.
    expect(rebuilt[0]).toEqual(original[0] as ReadEvent);
    expect(rebuilt.at(-2)?.data).toEqual(original.at(-2)?.data);
    expect(chunks(rebuilt)).toBe(chunks(original));
    expect(await listMessages(server.http, owner.accessToken, id)).toHaveLength(4);
  });

  test.concurrent('an answer deleted since: the retry ends with NOT_FOUND, and sends nothing again', async () => {
    const { id } = await newConversation();
    const key = crypto.randomUUID();
    await (await streamWithKey(id, { content: 'Soon gone' }, key)).reader.rest();
    await sendMessage(server.http, owner.accessToken, id, 'Newer');
    const [, answer] = await listMessages(server.http, owner.accessToken, id);
    expectNoContent(await server.http.delete(`/messages/${answer?.id}`, { token: owner.accessToken }));

    const retry = await streamWithKey(id, { content: 'Soon gone' }, key);
    expect(retry.replayed).toBe(true);
    const events = await retry.reader.rest();
    expect(events.map((e) => e.type)).toEqual(['userMessage', 'assistantMessageStart', 'error']);
    expect(events.at(-1)?.error?.code).toBe('NOT_FOUND');
    expect(await listMessages(server.http, owner.accessToken, id)).toHaveLength(3);
  });

  test.concurrent('the same key with another body, or on POST …/messages, is 409', async () => {
    const { id } = await newConversation();
    const key = crypto.randomUUID();
    await (await streamWithKey(id, { content: 'One body' }, key)).reader.rest();
    const other = await post(id, { content: 'Another body' }, key);
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ success: false, error: { code: 'CONFLICT' } });

    const sendKey = crypto.randomUUID();
    const sent = await server.http.post(`/conversations/${id}/messages`, {
      token: owner.accessToken,
      body: { content: 'Sent' },
      headers: { 'idempotency-key': sendKey },
    });
    expect(sent.status).toBe(201);
    const streamed = await post(id, { content: 'Sent' }, sendKey);
    expect(streamed.status).toBe(409);
    await streamed.body?.cancel();
    expect(await listMessages(server.http, owner.accessToken, id)).toHaveLength(4);
  });

  test.concurrent("keys are the user's own: another member's same key sends again", async () => {
    const { id } = await newConversation();
    const key = crypto.randomUUID();
    await (await streamWithKey(id, { content: 'Mine' }, key)).reader.rest();
    const theirs = await streamWithKey(id, { content: 'Mine' }, key, editor.accessToken);
    expect(theirs.replayed).toBe(false);
    await theirs.reader.rest();
    expect(await listMessages(server.http, owner.accessToken, id)).toHaveLength(4);
  });

  test.concurrent('a retry after losing access to the project is 404', async () => {
    const [member, stranger] = await Promise.all([registerUser(server.http), registerUser(server.http)]);
    const shared = await createProject(server.http, owner.accessToken, { name: 'Shared for a while' });
    await addMember(server.http, owner.accessToken, shared.id, member.email, 'editor');
    const { id } = await createConversation(server.http, owner.accessToken, shared.id);
    const key = crypto.randomUUID();
    await (await streamWithKey(id, { content: 'Before' }, key, member.accessToken)).reader.rest();
    // Someone else's key of the same name is not this one: a stranger is answered as any stranger.
    const theirs = await post(id, { content: 'Before' }, key, stranger.accessToken);
    expect(theirs.status).toBe(404);
    await theirs.body?.cancel();

    expectNoContent(
      await server.http.delete(`/projects/${shared.id}/members/${member.user.id}`, {
        token: owner.accessToken,
      }),
    );
    const res = await post(id, { content: 'Before' }, key, member.accessToken);
    expect(res.status).toBe(404);
    expect(res.headers.get('idempotency-replayed')).toBeNull();
    expect(await res.json()).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
  });
});
