/**
 * @module realtime
 * The realtime socket through Eden: `api.ws.subscribe()` opens `/ws` with frames typed from the server's
 * route — what `send` accepts is a client frame, and each message's `data` is a server frame, narrowed by
 * its `type` (and an `event` frame's `data` by its `event`).
 *
 * Run it against a server, with a project you can read:
 * `ZEKKA_URL=http://localhost:3000 ZEKKA_TOKEN=… ZEKKA_PROJECT=… bun examples/eden-client/src/realtime.ts`.
 */
import { treaty } from '@elysiajs/eden';
import type { App } from '@zekka/server';
import { DEFAULT_URL } from './client.ts';

/**
 * Opens `/ws` authenticated by `?token=` (an access token or API key).
 * @example
 * const socket = openRealtime('http://localhost:3000', accessToken);
 * socket.subscribe(({ data }) => { if (data.type === 'event') console.log(data.event, data.data); });
 * socket.send({ type: 'subscribe', topic: `project:${projectId}`, id: 'p1' });
 */
export function openRealtime(baseUrl: string, token: string) {
  return treaty<App>(baseUrl).ws.subscribe({ query: { token } });
}

export type RealtimeSocket = ReturnType<typeof openRealtime>;
/** A frame the server sends, as Eden types it from the route. */
export type ServerFrame = Parameters<Parameters<RealtimeSocket['subscribe']>[0]>[0]['data'];
/** A frame the client may send. */
export type ClientFrame = Parameters<RealtimeSocket['send']>[0];

/**
 * A socket subscribed to `topics`: resolves once every subscription is acknowledged, rejects on an error
 * frame or a close. `onFrame` sees every frame from `ready` on.
 */
export function watch(
  baseUrl: string,
  token: string,
  topics: string[],
  onFrame: (frame: ServerFrame) => void,
): Promise<RealtimeSocket> {
  const socket = openRealtime(baseUrl, token);
  return new Promise((resolve, reject) => {
    const waiting = new Set(topics.map((_, index) => `sub-${index}`));
    socket.on('close', (event) => reject(new Error(`closed ${event.code} ${event.reason}`)));
    socket.subscribe(({ data }) => {
      onFrame(data);
      switch (data.type) {
        case 'ready':
          topics.forEach((topic, index) => {
            socket.send({ type: 'subscribe', topic, id: `sub-${index}` });
          });
          if (topics.length === 0) resolve(socket);
          return;
        case 'ack':
          waiting.delete(data.id);
          if (waiting.size === 0) resolve(socket);
          return;
        case 'error':
          reject(new Error(`${data.error.code}: ${data.error.message}`));
          return;
      }
    });
  });
}

if (import.meta.main) {
  const token = process.env.ZEKKA_TOKEN ?? '';
  const projectId = process.env.ZEKKA_PROJECT ?? '';
  await watch(DEFAULT_URL, token, [`project:${projectId}`], (frame) => {
    if (frame.type === 'event') console.log(new Date(frame.ts).toISOString(), frame.event, frame.data);
  });
  console.log(`watching project:${projectId}; Ctrl-C to stop`);
}
