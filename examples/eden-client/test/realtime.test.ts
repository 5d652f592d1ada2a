/**
 * The Eden realtime example against a real server: a socket opened with `api.ws.subscribe()` receives the
 * typed `event` frame of a change made through the typed REST client; a bad token closes it `4401`.
 */
import { afterAll, beforeAll, expect, expectTypeOf, test } from 'bun:test';
import { connect, unwrap } from '../src/client.ts';
import {
  type ClientFrame,
  openRealtime,
  type RealtimeSocket,
  type ServerFrame,
  watch,
} from '../src/realtime.ts';
import { type LocalServer, startLocalServer } from './support/local-server.ts';

let server: LocalServer;
let url: string;
beforeAll(() => {
  server = startLocalServer();
  ({ url } = server);
});
afterAll(() => server.stop());

test('a project change made over REST arrives as a typed event frame', async () => {
  const account = {
    email: `ws.${crypto.randomUUID().slice(0, 8)}@example.com`,
    password: 'Typed-Client-2024!',
    name: 'WS',
  };
  const { data } = await unwrap(connect(url).api.v1.auth.register.post(account));
  if (!('accessToken' in data)) throw new Error('registration needs verification');
  const api = connect(url, data.accessToken);
  const project = await unwrap(api.api.v1.projects.post({ name: 'Watched' }));

  const frames: ServerFrame[] = [];
  let socket: RealtimeSocket | undefined;
  const updated = new Promise<ServerFrame>((resolve) => {
    void watch(url, data.accessToken, [`project:${project.data.id}`], (frame) => {
      frames.push(frame);
      if (frame.type === 'event' && frame.event === 'project:updated') resolve(frame);
    }).then(async (opened) => {
      socket = opened;
      await unwrap(api.api.v1.projects({ projectId: project.data.id }).patch({ name: 'Renamed' }));
    });
  });
  const frame = await updated;
  expect(frame).toEqual({
    type: 'event',
    topic: `project:${project.data.id}`,
    event: 'project:updated',
    data: { projectId: project.data.id, fields: ['name'] },
    ts: expect.any(Number),
  });
  expect(frames[0]).toEqual({ type: 'ready', connectionId: expect.any(String), userId: data.user.id });
  socket?.close();
});

test('a bad token: the socket is closed 4401', async () => {
  const socket = openRealtime(url, 'not-a-token');
  const code = await new Promise<number>((resolve) => socket.on('close', (event) => resolve(event.code)));
  expect(code).toBe(4401);
});

/** Never called: each `@ts-expect-error` must stay an error, or `tsc` reports it as unused. */
function mistakesTheFrameTypesCatch(socket: RealtimeSocket) {
  // @ts-expect-error no such frame type
  socket.send({ type: 'dance' });
  // @ts-expect-error subscribe needs a topic
  socket.send({ type: 'subscribe', id: '1' });
  // @ts-expect-error typing names a conversationId
  socket.send({ type: 'typing', topic: 'conversation:x' });
  socket.send({ type: 'ping', id: 'fine' });
}

test('the frame types describe the contract', () => {
  expectTypeOf<Extract<ServerFrame, { type: 'ready' }>>().toEqualTypeOf<{
    type: 'ready';
    connectionId: string;
    userId: string;
  }>();
  expectTypeOf<Extract<ServerFrame, { type: 'error' }>['error']['message']>().toEqualTypeOf<string>();
  type Updated = Extract<ServerFrame, { type: 'event'; event: 'project:updated' }>;
  expectTypeOf<Updated['data']>().toEqualTypeOf<{ projectId: string; fields: string[] }>();
  type Typing = Extract<ServerFrame, { type: 'event'; event: 'typing' }>;
  expectTypeOf<Typing['data']>().toEqualTypeOf<{ conversationId: string; userId: string }>();
  expectTypeOf<Extract<ClientFrame, { type: 'subscribe' }>['topic']>().toEqualTypeOf<string>();
  expect(typeof mistakesTheFrameTypesCatch).toBe('function');
});
