/**
 * `GET /api/v1/conversations/:conversationId/stream` on one instance (the in-memory stream buffer): the
 * events after `Last-Event-ID` with row 41's ids, then the live ones until `done`; a full replay of a
 * finished answer; `404` when nothing runs and nothing is buffered; `400` for a bad `Last-Event-ID`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createModelRegistry } from '@zekka/adapters/models';
import type { Message } from '@zekka/core';
import { type ListeningServer, listen } from '../http/support/event-stream-client.ts';
import { createTestServer, type TestServer } from '../http/support/test-server.ts';
import { call, createConversation, createProject, openStream, register, words } from './support/api.ts';
import { SseReader } from './support/sse.ts';

let server: TestServer;
let listening: ListeningServer;
let token: string;
let projectId: string;
beforeAll(async () => {
  server = await createTestServer({ models: createModelRegistry({ echo: { tokenDelayMs: 10 } }) });
  listening = listen(server);
  token = (await register(listening.url)).token;
  projectId = await createProject(listening.url, token);
});
afterAll(async () => {
  await listening.stop();
  await server.close();
});

const resume = (conversationId: string, lastEventId?: string) =>
  fetch(`${listening.url}/api/v1/conversations/${conversationId}/stream`, {
    headers: {
      authorization: `Bearer ${token}`,
      ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
    },
  });

describe('resuming an answer stream', () => {
  test('picks up after Last-Event-ID with the same ids and follows live to done', async () => {
    const conversationId = await createConversation(listening.url, token, projectId);
    const first = new SseReader(await openStream(listening.url, token, conversationId, words(30)));
    let last = 0;
    while (last < 4) last = (await first.next())?.id ?? last;
    await first.cancel();

    const response = await resume(conversationId, String(last));
    expect(response.status).toBe(200);
    const events = await new SseReader(response).rest();
    expect(events.map((event) => event.id)).toEqual(events.map((_, i) => last + 1 + i));
    expect(events.at(-1)?.type).toBe('done');
    const complete = events.at(-2);
    expect(complete?.type).toBe('assistantMessageComplete');
    const text = [...first.events, ...events]
      .filter((event) => event.type === 'assistantMessageDelta')
      .map((event) => (event.data as { chunk: string }).chunk)
      .join('');
    expect(text).toBe(String((complete?.data as Message | undefined)?.content));

    // The same ids as the original stream: a full replay matches what a client reading to the end saw.
    const full = await openStream(
      listening.url,
      token,
      await createConversation(listening.url, token, projectId),
      'hi',
    );
    const live = await new SseReader(full).rest();
    expect(live.map((event) => event.id)).toEqual(live.map((_, i) => i + 1));
    const replayed = await new SseReader(await resume(conversationId)).rest();
    expect(replayed[0]).toMatchObject({ id: 1, type: 'userMessage' });
    expect(replayed.at(-1)).toMatchObject({ id: events.at(-1)?.id, type: 'done' });
  });

  test('404 with nothing running or buffered; 400 for a bad Last-Event-ID', async () => {
    const conversationId = await createConversation(listening.url, token, projectId);
    expect((await resume(conversationId)).status).toBe(404);
    expect((await resume(conversationId, 'abc')).status).toBe(400);
    const stranger = await register(listening.url);
    const refused = await call(listening.url, 'GET', `/api/v1/conversations/${conversationId}/stream`, {
      token: stranger.token,
    });
    expect(refused.status).toBe(404);
  });
});
