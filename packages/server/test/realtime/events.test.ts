/**
 * Every event of the contract's list that exists today reaches `/ws` subscribers on its topics, caused by
 * REST calls on the same server: project, member, conversation, message, generation and usage events, and
 * `typing` (to the conversation's other subscribers only).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createModelRegistry } from '@zekka/adapters/models';
import { startOpenAICompatibleServer } from '../../../adapters/test/support/openai-compatible-server.ts';
import { createConversation, sendMessage } from '../http/support/conversations.ts';
import { addMember, createProject, registerUser, type TestUser } from '../http/support/fixtures.ts';
import { type RealtimeTestServer, startRealtimeServer } from './support/realtime-server.ts';
import { WsClient } from './support/ws-client.ts';

const provider = startOpenAICompatibleServer();
let server: RealtimeTestServer;
let owner: TestUser;
let editor: TestUser;
beforeAll(async () => {
  server = await startRealtimeServer({
    realtime: { typingIntervalMs: 200 },
    models: createModelRegistry({
      providers: [{ kind: 'openai-compatible', baseURL: provider.url, models: ['tiny'] }],
      defaultModel: 'echo',
      maxRetries: 0,
      timeouts: { chunkMs: 200 },
    }),
  });
  [owner, editor] = await Promise.all([registerUser(server.http), registerUser(server.http)]);
});
afterAll(async () => {
  await server.stop();
  await provider.close();
});

describe('events on their topics', () => {
  test('subscribe is acknowledged with the frame id', async () => {
    const client = await WsClient.ready(server.wsUrl, owner.accessToken);
    client.send({ type: 'subscribe', topic: `user:${owner.user.id}`, id: 'a1' });
    expect(await client.waitFor((f) => f.type === 'ack')).toEqual({ type: 'ack', id: 'a1' });
    client.send({ type: 'unsubscribe', topic: `user:${owner.user.id}`, id: 'a2' });
    expect(await client.waitFor((f) => f.type === 'ack' && f.id === 'a2')).toEqual({ type: 'ack', id: 'a2' });
    client.close();
  });

  test('project and member events: on the project, and the member’s own on user:', async () => {
    const project = await createProject(server.http, owner.accessToken, { name: 'Live' });
    const watcher = await WsClient.ready(server.wsUrl, owner.accessToken);
    const member = await WsClient.ready(server.wsUrl, editor.accessToken);
    const projectTopic = `project:${project.id}`;
    expect(await watcher.subscribe(projectTopic)).toMatchObject({ type: 'ack' });
    expect(await member.subscribe(`user:${editor.user.id}`)).toMatchObject({ type: 'ack' });

    await server.http.patch(`/projects/${project.id}`, {
      token: owner.accessToken,
      body: { name: 'Renamed' },
    });
    const updated = await watcher.event('project:updated', projectTopic);
    expect(updated).toEqual({
      type: 'event',
      topic: projectTopic,
      event: 'project:updated',
      data: { projectId: project.id, fields: ['name'] },
      ts: expect.any(Number),
    });

    await addMember(server.http, owner.accessToken, project.id, editor.email, 'editor');
    const added = { projectId: project.id, userId: editor.user.id, role: 'editor' };
    expect((await watcher.event('project:member_added', projectTopic)).data).toEqual(added);
    expect((await member.event('project:member_added', `user:${editor.user.id}`)).data).toEqual(added);

    await server.http.delete(`/projects/${project.id}/members/${editor.user.id}`, {
      token: owner.accessToken,
    });
    const removed = { projectId: project.id, userId: editor.user.id };
    expect((await watcher.event('project:member_removed', projectTopic)).data).toEqual(removed);
    expect((await member.event('project:member_removed', `user:${editor.user.id}`)).data).toEqual(removed);

    await server.http.delete(`/projects/${project.id}`, { token: owner.accessToken });
    expect((await watcher.event('project:deleted', projectTopic)).data).toEqual({ projectId: project.id });
    watcher.close();
    member.close();
  });

  test('conversation events on the project; message, generation and usage events', async () => {
    const project = await createProject(server.http, owner.accessToken);
    const client = await WsClient.ready(server.wsUrl, owner.accessToken);
    const projectTopic = `project:${project.id}`;
    await client.subscribe(projectTopic);

    const conversation = await createConversation(server.http, owner.accessToken, project.id);
    const ids = { projectId: project.id, conversationId: conversation.id };
    expect((await client.event('conversation:created', projectTopic)).data).toEqual(ids);
    const topic = `conversation:${conversation.id}`;
    await client.subscribe(topic);

    await server.http.patch(`/conversations/${conversation.id}`, {
      token: owner.accessToken,
      body: { title: 'T' },
    });
    expect((await client.event('conversation:updated', projectTopic)).data).toEqual({
      ...ids,
      fields: ['title'],
    });

    const sent = await sendMessage(server.http, owner.accessToken, conversation.id, 'hello there');
    const completed = await client.event('message:completed', topic);
    const answerId = (completed.data as { id: string }).id;
    expect(completed.data).toMatchObject({ conversationId: conversation.id, status: 'complete' });
    const created = client.events().filter((e) => e.event === 'message:created');
    expect(created.map((e) => e.data)).toEqual([
      { conversationId: conversation.id, messageId: sent.userMessage.id, role: 'user' },
      { conversationId: conversation.id, messageId: answerId, role: 'assistant' },
    ]);
    const deltas = client.events().filter((e) => e.event === 'message:delta');
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.map((e) => (e.data as { index: number }).index)).toEqual(deltas.map((_, i) => i));
    expect(deltas.every((e) => e.topic === topic)).toBe(true);
    expect((await client.event('usage:recorded', projectTopic)).data).toMatchObject({
      projectId: project.id,
      conversationId: conversation.id,
      model: 'echo',
    });

    await server.http.delete(`/messages/${sent.userMessage.id}`, { token: owner.accessToken });
    expect((await client.event('message:deleted', topic)).data).toEqual({
      conversationId: conversation.id,
      messageId: sent.userMessage.id,
    });

    // Two chunks, then silence: the between-token timeout fails the call mid-answer.
    provider.replyOnce({ text: 'one two three four', stallAfterChunks: 2 });
    // Row 40 waits for the answer, so the call itself fails (503); the event is what this test is about.
    await server.http.post(`/conversations/${conversation.id}/messages`, {
      token: owner.accessToken,
      body: { content: 'fail please', model: 'local/tiny' },
    });
    expect((await client.event('generation:failed', topic)).data).toMatchObject({
      conversationId: conversation.id,
      error: { code: 'MODEL_UNAVAILABLE', message: expect.any(String) },
    });

    await server.http.delete(`/conversations/${conversation.id}`, { token: owner.accessToken });
    expect((await client.event('conversation:deleted', projectTopic)).data).toEqual(ids);
    client.close();
  });

  test('typing reaches the other subscribers, never the sender’s own sockets; rate-limited', async () => {
    const project = await createProject(server.http, owner.accessToken);
    await addMember(server.http, owner.accessToken, project.id, editor.email, 'editor');
    const conversation = await createConversation(server.http, owner.accessToken, project.id);
    const topic = `conversation:${conversation.id}`;
    const listener = await WsClient.ready(server.wsUrl, owner.accessToken);
    const typist = await WsClient.ready(server.wsUrl, editor.accessToken);
    const typistElsewhere = await WsClient.ready(server.wsUrl, editor.accessToken);
    for (const client of [listener, typist, typistElsewhere]) await client.subscribe(topic);

    typist.send({ type: 'typing', conversationId: conversation.id });
    typist.send({ type: 'typing', conversationId: conversation.id });
    const typing = await listener.event('typing', topic);
    expect(typing.data).toEqual({ conversationId: conversation.id, userId: editor.user.id });
    await typist.settle();
    await listener.settle();
    await typistElsewhere.settle();
    expect(listener.events().filter((e) => e.event === 'typing')).toHaveLength(1);
    expect(typist.events()).toEqual([]);
    expect(typistElsewhere.events()).toEqual([]);
    for (const client of [listener, typist, typistElsewhere]) client.close();
  });

  test('typing needs write access: a viewer gets FORBIDDEN, an outsider NOT_FOUND', async () => {
    const project = await createProject(server.http, owner.accessToken);
    const viewer = await registerUser(server.http);
    await addMember(server.http, owner.accessToken, project.id, viewer.email, 'viewer');
    const conversation = await createConversation(server.http, owner.accessToken, project.id);
    const client = await WsClient.ready(server.wsUrl, viewer.accessToken);
    client.send({ type: 'typing', conversationId: conversation.id });
    expect(await client.waitFor((f) => f.type === 'error')).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const outsider = await WsClient.ready(server.wsUrl, editor.accessToken);
    outsider.send({ type: 'typing', conversationId: conversation.id });
    expect(await outsider.waitFor((f) => f.type === 'error')).toMatchObject({ error: { code: 'NOT_FOUND' } });
    client.close();
    outsider.close();
  });
});
