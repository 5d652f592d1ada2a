/**
 * `/ws` robustness: invalid frames are answered with an `error` frame and the socket stays open; the
 * limits (frame size, subscriptions per socket, sockets per user, send buffer) answer as documented; one
 * bus subscription per topic however many sockets; shutdown closes every socket `1012`; the metrics count.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createMemoryEventBus } from '@zekka/adapters/memory';
import type { ErrorCode, EventBus } from '@zekka/core';
import { CLOSE, type ErrorFrame, RESTART_REASON } from '../../src/realtime/index.ts';
import { createConversation } from '../http/support/conversations.ts';
import { createProject, registerUser, type TestUser } from '../http/support/fixtures.ts';
import { metricValue, type RealtimeTestServer, startRealtimeServer } from './support/realtime-server.ts';
import { WsClient } from './support/ws-client.ts';

let server: RealtimeTestServer;
let bus: EventBus & { subscriptions: number };
let alice: TestUser;
beforeAll(async () => {
  const memory = createMemoryEventBus();
  // Counts live bus subscriptions, to see the hub share one per topic.
  bus = {
    ...memory,
    subscriptions: 0,
    subscribe(topic, handler) {
      bus.subscriptions += 1;
      const unsubscribe = memory.subscribe(topic, handler);
      return () => {
        bus.subscriptions -= 1;
        unsubscribe();
      };
    },
  };
  server = await startRealtimeServer({
    bus,
    realtime: { maxFrameBytes: 1024, maxSubscriptions: 3, maxSocketsPerUser: 2, maxBufferedBytes: 64 * 1024 },
  });
  alice = await registerUser(server.http);
});
afterAll(() => server.stop());

const errorOf = (code: ErrorCode, id?: string): ErrorFrame => ({
  type: 'error',
  ...(id === undefined ? {} : { id }),
  error: { code, message: expect.any(String) },
});

describe('invalid frames', () => {
  test('each gets an error frame in the envelope’s shape and the socket stays open', async () => {
    const client = await WsClient.ready(server.wsUrl, alice.accessToken);
    const bad: unknown[] = [
      '{not json',
      'plain words',
      '42',
      '[1,2]',
      { type: 'dance' },
      { type: 'subscribe' },
      { type: 'subscribe', topic: 7 },
      { type: 'typing' },
      { type: 'ping', id: 5 },
      { type: 'subscribe', topic: `user:${alice.user.id}`, id: 'x'.repeat(2048) },
    ];
    for (const frame of bad) client.send(frame);
    await client.settle();
    const errors = client.frames.filter((f) => f.type === 'error');
    expect(errors).toHaveLength(bad.length);
    for (const error of errors.slice(0, -1)) expect(error).toEqual(errorOf('VALIDATION_FAILED'));
    expect(errors.at(-1)).toEqual(errorOf('PAYLOAD_TOO_LARGE'));
    client.socket.send(new Uint8Array([1, 2, 3]));
    await client.settle();
    expect(client.frames.filter((f) => f.type === 'error')).toHaveLength(bad.length + 1);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.close();
  });

  test('a frame past four times the limit is refused by Bun with 1009', async () => {
    const client = await WsClient.ready(server.wsUrl, alice.accessToken);
    client.send({ type: 'ping', id: 'x', pad: 'y'.repeat(8 * 1024) });
    expect((await client.closed).code).toBe(CLOSE.tooLarge);
  });
});

describe('limits', () => {
  test('subscriptions per socket: one past the limit is RATE_LIMITED; resubscribing is free', async () => {
    const client = await WsClient.ready(server.wsUrl, alice.accessToken);
    const project = await createProject(server.http, alice.accessToken);
    const conversation = await createConversation(server.http, alice.accessToken, project.id);
    for (const topic of [
      `user:${alice.user.id}`,
      `project:${project.id}`,
      `conversation:${conversation.id}`,
    ]) {
      expect(await client.subscribe(topic)).toMatchObject({ type: 'ack' });
    }
    expect(await client.subscribe(`project:${project.id}`)).toMatchObject({ type: 'ack' });
    const other = await createProject(server.http, alice.accessToken);
    const refused = await client.subscribe(`project:${other.id}`);
    expect(refused).toEqual(errorOf('RATE_LIMITED', (refused as { id: string }).id));
    client.close();
  });

  test('sockets per user: the newest past the limit is closed 4429', async () => {
    const bob = await registerUser(server.http);
    const first = await WsClient.ready(server.wsUrl, bob.accessToken);
    const second = await WsClient.ready(server.wsUrl, bob.accessToken);
    const third = await WsClient.open(server.wsUrl, bob.accessToken);
    expect((await third.closed).code).toBe(CLOSE.tooManySockets);
    await first.settle();
    first.close();
    await first.closed;
    // A place is free again.
    const fourth = await WsClient.ready(server.wsUrl, bob.accessToken);
    second.close();
    fourth.close();
  });

  test('a consumer that falls behind is closed 1013 instead of buffered for', async () => {
    const project = await createProject(server.http, alice.accessToken);
    const conversation = await createConversation(server.http, alice.accessToken, project.id);
    const topic = `conversation:${conversation.id}`;
    const client = await WsClient.ready(server.wsUrl, alice.accessToken);
    await client.subscribe(topic);
    // Published synchronously, faster than any socket drains: far past the 64 KiB send buffer.
    const chunk = 'z'.repeat(64 * 1024);
    for (let index = 0; index < 400; index += 1) {
      void server.zekka.events.publish({
        event: 'message:delta',
        topics: [topic],
        data: { conversationId: conversation.id, messageId: 'm', index, chunk },
        ts: Date.now(),
      });
    }
    expect((await client.closed).code).toBe(CLOSE.slowConsumer);
    expect(client.events().length).toBeLessThan(400);
  });
});

describe('fan-out', () => {
  test('one bus subscription per topic, however many sockets; released with the last', async () => {
    const project = await createProject(server.http, alice.accessToken);
    const before = bus.subscriptions;
    const clients = await Promise.all([
      WsClient.ready(server.wsUrl, alice.accessToken),
      WsClient.ready(server.wsUrl, alice.accessToken),
    ]);
    // Each socket watches its own user topic: alice's two sockets share one.
    expect(bus.subscriptions).toBe(before + 1);
    for (const client of clients) await client.subscribe(`project:${project.id}`);
    expect(bus.subscriptions).toBe(before + 2);
    await server.http.patch(`/projects/${project.id}`, { token: alice.accessToken, body: { name: 'Both' } });
    for (const client of clients) await client.event('project:updated');
    const connections = await metricValue(server.metrics, 'zekka_ws_connections');
    expect(connections).toBeGreaterThanOrEqual(2);
    expect(await metricValue(server.metrics, 'zekka_ws_events_delivered_total')).toBeGreaterThanOrEqual(2);
    for (const client of clients) {
      client.close();
      await client.closed;
    }
    await Bun.sleep(20);
    expect(bus.subscriptions).toBe(before);
    expect(await metricValue(server.metrics, 'zekka_ws_connections')).toBe(connections - 2);
  });
});

describe('shutdown', () => {
  test('every socket gets 1012 with a reconnect hint; new sockets too', async () => {
    const own = await startRealtimeServer();
    try {
      const user = await registerUser(own.http);
      const ready = await WsClient.ready(own.wsUrl, user.accessToken);
      const unauthenticated = await WsClient.open(own.wsUrl);
      own.readiness.beginShutdown();
      expect(await ready.closed).toEqual({ code: CLOSE.restart, reason: RESTART_REASON });
      expect((await unauthenticated.closed).code).toBe(CLOSE.restart);
      expect(RESTART_REASON).toContain('reconnect');
      const late = await WsClient.open(own.wsUrl, user.accessToken);
      expect((await late.closed).code).toBe(CLOSE.restart);
    } finally {
      await own.stop();
    }
  });
});
