/**
 * Contract rows 41–42 over a real socket: the SSE stream's exact framing, order and payloads; errors before
 * the start as JSON envelopes; a model failing mid-stream (one `error` event, the message stored `failed`);
 * a client that disconnects (the answer is still generated and stored); and stop (the partial text kept as
 * `stopped`, the consumed tokens recorded).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createModelRegistry, echoTokens } from '@zekka/adapters/models';
import type { Message, Project, ProjectStats, SendMessageResult } from '@zekka/core';
import { startOpenAICompatibleServer } from '../../../adapters/test/support/openai-compatible-server.ts';
import { createConversation, listMessages, waitForFinished } from './support/conversations.ts';
import {
  EventReader,
  type ListeningServer,
  listen,
  messageIdOf,
  openStream,
  type ReadEvent,
} from './support/event-stream-client.ts';
import { expectError, expectOk } from './support/expect-envelope.ts';
import { addMember, createProject, registerUser, type TestUser } from './support/fixtures.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

/** Pause between echo tokens: long enough to stop or leave mid-answer, short enough for a fast suite. */
const TOKEN_DELAY_MS = 5;
const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
/** About 0.6 s of answer. */
const LONG_TEXT = words(60);
/** About 3 s of answer: ample time to stop it, even on a loaded machine (it never runs to the end). */
const STOP_TEXT = words(300);

const provider = startOpenAICompatibleServer();
let server: TestServer;
let listening: ListeningServer;
let owner: TestUser;
let viewer: TestUser;
let project: Project;
beforeAll(async () => {
  server = await createTestServer({
    models: createModelRegistry({
      providers: [{ kind: 'openai-compatible', baseURL: provider.url, models: ['tiny'] }],
      defaultModel: 'echo',
      echo: { tokenDelayMs: TOKEN_DELAY_MS },
      maxRetries: 0,
      timeouts: { chunkMs: 500 },
    }),
  });
  listening = listen(server);
  [owner, viewer] = await Promise.all([registerUser(server.http), registerUser(server.http)]);
  project = await createProject(server.http, owner.accessToken, { name: 'Streams' });
  await addMember(server.http, owner.accessToken, project.id, viewer.email, 'viewer');
});
afterAll(async () => {
  await listening.stop();
  await server.close();
  await provider.close();
});

const newConversation = (body: { systemPrompt?: string } = {}) =>
  createConversation(server.http, owner.accessToken, project.id, body);

/** Opens a stream and checks the 200 and its headers. */
async function stream(conversationId: string, body: unknown, signal?: AbortSignal): Promise<EventReader> {
  const res = await openStream(listening, owner.accessToken, conversationId, body, signal);
  expect(res.status).toBe(200);
  return new EventReader(res);
}

/** Reads until the reader has returned `count` deltas; returns every event read. */
async function readDeltas(reader: EventReader, count: number): Promise<ReadEvent[]> {
  const events: ReadEvent[] = [];
  while (events.filter((e) => e.type === 'assistantMessageDelta').length < count) {
    const event = await reader.next();
    if (event === null) throw new Error('the stream ended early');
    events.push(event);
  }
  return events;
}

const chunksOf = (events: ReadEvent[]) =>
  events.filter((e) => e.type === 'assistantMessageDelta').map((e) => (e.data as { chunk: string }).chunk);

describe('POST /conversations/:id/messages/stream (row 41)', () => {
  test.concurrent('200 text/event-stream: the exact events, in order, with the stored messages', async () => {
    const { id } = await newConversation();
    const res = await openStream(listening, owner.accessToken, id, { content: 'Stream this, please' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const reader = new EventReader(res);
    const events = await reader.rest();
    const [user, assistant] = await listMessages(server.http, owner.accessToken, id);
    if (!user || !assistant) throw new Error('the messages were not stored');

    const answer = 'Echo: Stream this, please';
    const tokens = echoTokens(answer);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual([
      'userMessage',
      'assistantMessageStart',
      ...tokens.map(() => 'assistantMessageDelta'),
      'assistantMessageComplete',
      'done',
    ]);
    const ref = { id: assistant.id, conversationId: id };
    expect(events[0]).toEqual({ id: 1, type: 'userMessage', data: user });
    expect(user).toMatchObject({ role: 'user', content: 'Stream this, please', authorId: owner.user.id });
    expect(events[1]).toEqual({ id: 2, type: 'assistantMessageStart', data: ref });
    expect(events.slice(2, -2).map((e) => e.data)).toEqual(tokens.map((chunk) => ({ ...ref, chunk })));
    expect(chunksOf(events).join('')).toBe(answer);
    expect(events.at(-2)).toEqual({
      id: events.length - 1,
      type: 'assistantMessageComplete',
      data: assistant,
    });
    expect(assistant).toMatchObject({ content: answer, status: 'complete', model: 'echo' });
    expect(assistant.usage).toEqual({ inputTokens: 4, outputTokens: tokens.length, costUsd: 0 });
    expect(events.at(-1)).toEqual({ id: events.length, type: 'done', data: null });
    expect(reader.raw.endsWith(`id: ${events.length}\ndata: {"type":"done","data":null}\n\n`)).toBe(true);
  });

  test.concurrent('the first event is written while the answer is still being generated', async () => {
    const { id } = await newConversation();
    const reader = await stream(id, { content: LONG_TEXT });
    const first = await reader.next();
    expect(first?.type).toBe('userMessage');
    const stored = await listMessages(server.http, owner.accessToken, id);
    expect(stored.map((m) => m.status)).toEqual(['complete', 'streaming']);
    const rest = await reader.rest();
    expect(rest.at(-1)?.type).toBe('done');
  });

  test.concurrent('errors before the start are JSON envelopes with their status', async () => {
    const { id } = await newConversation();
    const post = (token: string, conversationId: string, body: unknown) =>
      server.http.post(`/conversations/${conversationId}/messages/stream`, { token, body });
    expectError(await post(owner.accessToken, id, { content: '' }), 400, 'VALIDATION_FAILED');
    expectError(
      await post(owner.accessToken, id, { content: 'x', model: 'no/such' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await post(viewer.accessToken, id, { content: 'x' }), 403, 'FORBIDDEN');
    expectError(
      await post(owner.accessToken, '01936f6e-8a4b-7c1d-9e2f-3a4b5c6d7e8f', { content: 'x' }),
      404,
      'NOT_FOUND',
    );

    // While one answer is being generated, a second one in the same conversation is 409.
    const running = await stream(id, { content: LONG_TEXT });
    await readDeltas(running, 1);
    const busy = await post(owner.accessToken, id, { content: 'me too' });
    expectError(busy, 409, 'CONFLICT');
    expect(busy.headers.get('content-type')).toContain('application/json');
    await running.rest();
  });

  test.concurrent('a model failing mid-stream: one error event, then the stream closes; stored failed', async () => {
    const { id } = await newConversation();
    // Two chunks, then silence: the between-token timeout fails the call after the deltas were read.
    provider.replyOnce({ text: 'one two three four five', stallAfterChunks: 2 });
    const reader = await stream(id, { content: 'Count for me', model: 'local/tiny' });
    const events = await reader.rest();
    expect(events.map((e) => e.type)).toEqual([
      'userMessage',
      'assistantMessageStart',
      'assistantMessageDelta',
      'assistantMessageDelta',
      'error',
    ]);
    const error = events.at(-1);
    expect(Object.keys(error ?? {}).sort()).toEqual(['error', 'id', 'type']);
    expect(error?.error).toEqual({ code: 'MODEL_UNAVAILABLE', message: expect.any(String) });
    expect(chunksOf(events).join('')).toBe('one two');
    const stored = await listMessages(server.http, owner.accessToken, id);
    expect(stored[1]).toMatchObject({
      id: messageIdOf(events[1]),
      status: 'failed',
      model: 'local/tiny',
      content: 'one two',
    });
  });

  test.concurrent('a provider dropping the connection mid-answer: one error event; stored failed', async () => {
    const { id } = await newConversation();
    provider.replyOnce({ text: 'one two three four five', disconnectAfterChunks: 2 });
    const reader = await stream(id, { content: 'Count again', model: 'local/tiny' });
    const events = await reader.rest();
    // Chunks still unread when the connection resets are lost with it, so at most the two sent arrive.
    const deltas = events.filter((e) => e.type === 'assistantMessageDelta');
    expect(deltas.length).toBeLessThanOrEqual(2);
    expect(events.map((e) => e.type)).toEqual([
      'userMessage',
      'assistantMessageStart',
      ...deltas.map(() => 'assistantMessageDelta'),
      'error',
    ]);
    expect(events.at(-1)?.error?.code).toBe('MODEL_UNAVAILABLE');
    const stored = await listMessages(server.http, owner.accessToken, id);
    expect(stored[1]).toMatchObject({ status: 'failed', content: chunksOf(events).join('') });
  });

  test.concurrent('a client that disconnects mid-answer: the answer is still generated and stored', async () => {
    const { id } = await newConversation();
    const aborter = new AbortController();
    const reader = await stream(id, { content: LONG_TEXT }, aborter.signal);
    const events = await readDeltas(reader, 2);
    const assistantId = messageIdOf(events[1]);
    aborter.abort();
    await reader.cancel().catch(() => {});

    const stored = await waitForFinished(server.http, owner.accessToken, id, assistantId);
    expect(stored).toMatchObject({ status: 'complete', content: `Echo: ${LONG_TEXT}` });
    expect(stored.usage?.outputTokens).toBe(echoTokens(`Echo: ${LONG_TEXT}`).length);
    // The conversation is free again.
    const next = await stream(id, { content: 'Still here?' });
    expect((await next.rest()).at(-1)?.type).toBe('done');
  });
});

describe('POST /conversations/:id/stop (row 42)', () => {
  test.concurrent('202; the stream ends with the partial answer stopped, and the usage consumed is recorded', async () => {
    const ownProject = await createProject(server.http, owner.accessToken, { name: 'Stopping' });
    const { id } = await createConversation(server.http, owner.accessToken, ownProject.id);
    const reader = await stream(id, { content: STOP_TEXT });
    const before = await readDeltas(reader, 3);
    const stop = await server.http.post<{ stopped: boolean }>(`/conversations/${id}/stop`, {
      token: owner.accessToken,
    });
    expect(expectOk(stop, 202)).toEqual({ stopped: true });
    const events = [...before, ...(await reader.rest())];
    const types = events.map((e) => e.type);
    expect(types.slice(-2)).toEqual(['assistantMessageComplete', 'done']);
    expect(types.filter((t) => t === 'error')).toEqual([]);

    const complete = events.at(-2)?.data as Message;
    const text = chunksOf(events).join('');
    expect(complete.status).toBe('stopped');
    expect(complete.content).toBe(text);
    expect(text.length).toBeLessThan(`Echo: ${STOP_TEXT}`.length);
    expect(`Echo: ${STOP_TEXT}`.startsWith(text)).toBe(true);
    const inputTokens = echoTokens(STOP_TEXT).length;
    expect(complete.usage).toEqual({ inputTokens, outputTokens: echoTokens(text).length, costUsd: 0 });
    const stored = await listMessages(server.http, owner.accessToken, id);
    expect(stored[1]).toEqual(complete);

    const stats = expectOk(
      await server.http.get<ProjectStats>(`/projects/${ownProject.id}/stats`, {
        token: owner.accessToken,
        query: { period: 'day' },
      }),
    );
    expect(stats).toMatchObject({
      messages: 2,
      inputTokens,
      outputTokens: echoTokens(text).length,
      costUsd: 0,
    });

    const again = await server.http.post(`/conversations/${id}/stop`, { token: owner.accessToken });
    expect(expectOk(again, 202)).toEqual({ stopped: false });
  });

  test.concurrent('stopping a waiting send answers it with the stopped message', async () => {
    const { id } = await newConversation();
    const pending = server.http.post<SendMessageResult>(`/conversations/${id}/messages`, {
      token: owner.accessToken,
      body: { content: STOP_TEXT },
    });
    // The answer is stored as `streaming` when it starts; let it produce a few tokens.
    const deadline = performance.now() + 3_000;
    while (!(await listMessages(server.http, owner.accessToken, id)).some((m) => m.role === 'assistant')) {
      if (performance.now() > deadline) throw new Error('the answer did not start');
      await Bun.sleep(1);
    }
    await Bun.sleep(TOKEN_DELAY_MS * 4);
    const stop = await server.http.post(`/conversations/${id}/stop`, { token: owner.accessToken });
    expect(expectOk(stop, 202)).toEqual({ stopped: true });
    const sent = expectOk(await pending, 201);
    expect(sent.assistantMessage.status).toBe('stopped');
    expect(sent.assistantMessage.content.length).toBeLessThan(`Echo: ${STOP_TEXT}`.length);
    expect(sent.usage.outputTokens).toBe(echoTokens(sent.assistantMessage.content).length);
  });

  test.concurrent('a viewer → 403; a stranger → 404', async () => {
    const { id } = await newConversation();
    const stranger = await registerUser(server.http);
    expectError(await server.http.post(`/conversations/${id}/stop`, { token: viewer.accessToken }), 403);
    expectError(await server.http.post(`/conversations/${id}/stop`, { token: stranger.accessToken }), 404);
  });
});
