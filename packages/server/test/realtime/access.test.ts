/**
 * Read access on `/ws`: checked on subscribe (what the user may not read is `NOT_FOUND`, and nothing of
 * it is ever delivered) and for each event delivered (a member removed from a project stops receiving
 * its events at once; a deleted conversation's subscription ends).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createMemoryEventBus } from '@zekka/adapters/memory';
import type { EventBus } from '@zekka/core';
import type { ErrorFrame } from '../../src/realtime/index.ts';
import { createConversation, sendMessage } from '../http/support/conversations.ts';
import { addMember, createProject, registerUser, type TestUser } from '../http/support/fixtures.ts';
import { type RealtimeTestServer, startRealtimeServer } from './support/realtime-server.ts';
import { WsClient } from './support/ws-client.ts';

let server: RealtimeTestServer;
let owner: TestUser;
let stranger: TestUser;
beforeAll(async () => {
  server = await startRealtimeServer();
  [owner, stranger] = await Promise.all([registerUser(server.http), registerUser(server.http)]);
});
afterAll(() => server.stop());

const notFound = (id: string): ErrorFrame => ({
  type: 'error',
  id,
  error: { code: 'NOT_FOUND', message: expect.any(String) },
});

describe('subscribing to what one may not read', () => {
  test('another user’s project, conversation and user topic, an agent, an unknown id: NOT_FOUND; nothing leaks', async () => {
    const project = await createProject(server.http, owner.accessToken);
    const conversation = await createConversation(server.http, owner.accessToken, project.id);
    const spy = await WsClient.ready(server.wsUrl, stranger.accessToken);
    const forbidden = [
      `project:${project.id}`,
      `conversation:${conversation.id}`,
      `user:${owner.user.id}`,
      `agent:${crypto.randomUUID()}`,
      `project:${crypto.randomUUID()}`,
      'project:not-a-uuid',
    ];
    for (const topic of forbidden) {
      const answer = await spy.subscribe(topic);
      expect(answer).toEqual(notFound((answer as { id: string }).id));
    }

    // The owner's activity on every one of those topics: the spy, listening throughout, sees none of it.
    await server.http.patch(`/projects/${project.id}`, {
      token: owner.accessToken,
      body: { name: 'Secret' },
    });
    await sendMessage(server.http, owner.accessToken, conversation.id, 'private words');
    const other = await registerUser(server.http);
    await addMember(server.http, owner.accessToken, project.id, other.email, 'viewer');
    const ownerSocket = await WsClient.ready(server.wsUrl, owner.accessToken);
    await ownerSocket.subscribe(`conversation:${conversation.id}`);
    await spy.settle();
    expect(spy.events()).toEqual([]);
    spy.close();
    ownerSocket.close();
  });

  test('a topic that is not one of the four kinds: VALIDATION_FAILED, the socket stays open', async () => {
    const client = await WsClient.ready(server.wsUrl, stranger.accessToken);
    expect(await client.subscribe('everything')).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    await client.settle();
    client.close();
  });
});

describe('access re-checked while subscribed', () => {
  test('a removed member gets the removal, then nothing more of the project or its conversations', async () => {
    const project = await createProject(server.http, owner.accessToken);
    const conversation = await createConversation(server.http, owner.accessToken, project.id);
    const member = await registerUser(server.http);
    await addMember(server.http, owner.accessToken, project.id, member.email, 'editor');
    const client = await WsClient.ready(server.wsUrl, member.accessToken);
    const projectTopic = `project:${project.id}`;
    const conversationTopic = `conversation:${conversation.id}`;
    await client.subscribe(projectTopic);
    await client.subscribe(conversationTopic);
    await server.http.patch(`/projects/${project.id}`, {
      token: owner.accessToken,
      body: { name: 'Before' },
    });
    await client.event('project:updated', projectTopic);

    await server.http.delete(`/projects/${project.id}/members/${member.user.id}`, {
      token: owner.accessToken,
    });
    await client.event('project:member_removed', projectTopic);
    const seen = client.events().length;
    // The very next events on both topics are not delivered.
    await server.http.patch(`/projects/${project.id}`, { token: owner.accessToken, body: { name: 'After' } });
    await sendMessage(server.http, owner.accessToken, conversation.id, 'after the removal');
    await client.settle();
    expect(client.events().length).toBe(seen);
    // The conversation subscription, which no event announced the end of, ends with an error frame.
    expect(client.frames).toContainEqual(notFound(expect.any(String)));
    client.close();
  });

  test('a deleted conversation ends its subscription', async () => {
    const project = await createProject(server.http, owner.accessToken);
    const conversation = await createConversation(server.http, owner.accessToken, project.id);
    const client = await WsClient.ready(server.wsUrl, owner.accessToken);
    client.send({ type: 'subscribe', topic: `conversation:${conversation.id}`, id: 'conv' });
    await client.waitFor((f) => f.type === 'ack');
    await server.http.delete(`/conversations/${conversation.id}`, { token: owner.accessToken });
    expect(await client.waitFor((f) => f.type === 'error')).toEqual(notFound('conv'));
    client.close();
  });

  test('access past its TTL is checked again before the next event', async () => {
    // A bus that loses the removal (as a lost message between instances could): only the TTL catches it.
    const memory = createMemoryEventBus();
    const lossy: EventBus = {
      ...memory,
      publish: (event) =>
        event.event === 'project:member_removed' ? Promise.resolve() : memory.publish(event),
    };
    const short = await startRealtimeServer({ realtime: { accessTtlMs: 0 }, bus: lossy });
    try {
      const [a, b] = await Promise.all([registerUser(short.http), registerUser(short.http)]);
      const project = await createProject(short.http, a.accessToken);
      await addMember(short.http, a.accessToken, project.id, b.email, 'viewer');
      const client = await WsClient.ready(short.wsUrl, b.accessToken);
      client.send({ type: 'subscribe', topic: `project:${project.id}`, id: 'p' });
      await client.waitFor((f) => f.type === 'ack');
      await short.http.patch(`/projects/${project.id}`, { token: a.accessToken, body: { name: 'One' } });
      await client.event('project:updated');
      await short.http.delete(`/projects/${project.id}/members/${b.user.id}`, { token: a.accessToken });
      client.frames.length = 0;
      await short.http.patch(`/projects/${project.id}`, { token: a.accessToken, body: { name: 'Two' } });
      await client.waitFor((f) => f.type === 'error');
      expect(client.events().filter((e) => e.event === 'project:updated')).toEqual([]);
      client.close();
    } finally {
      await short.stop();
    }
  });
});
