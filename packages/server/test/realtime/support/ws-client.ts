/**
 * @module ws-client (test support)
 * A `/ws` client over Bun's `WebSocket` that keeps every frame it receives, waits for the ones a test
 * expects, and proves an absence with a `ping` round trip: the server handles a socket's frames in order
 * and sends events as they are published, so an event published before the ping arrives before its pong.
 */
import type { ServerFrame } from '../../../src/realtime/index.ts';

export interface Closed {
  code: number;
  reason: string;
}

type EventOf<F> = F extends { type: 'event' } ? F : never;
export type ReceivedEvent = EventOf<ServerFrame>;

let pings = 0;

export class WsClient {
  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<Closed>;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.addEventListener('message', (message) => {
      this.frames.push(JSON.parse(String(message.data)) as ServerFrame);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => {
      socket.addEventListener('close', (event) => {
        resolve({ code: event.code, reason: event.reason });
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
  }

  /** Opens `/ws` (with `?token=` when given) and waits until the socket is open. */
  static async open(baseUrl: string, token?: string): Promise<WsClient> {
    const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`;
    const client = new WsClient(new WebSocket(`${baseUrl}/ws${query}`));
    await new Promise<void>((resolve, reject) => {
      client.socket.addEventListener('open', () => resolve(), { once: true });
      client.socket.addEventListener('error', () => reject(new Error('WebSocket failed to open')), {
        once: true,
      });
    });
    return client;
  }

  /** Opens `/ws?token=` and waits for `ready`. */
  static async ready(baseUrl: string, token: string): Promise<WsClient> {
    const client = await WsClient.open(baseUrl, token);
    await client.waitFor((f) => f.type === 'ready');
    return client;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (received or still to come) that matches; fails after `timeoutMs`. */
  async waitFor<F extends ServerFrame = ServerFrame>(
    match: (frame: ServerFrame) => boolean,
    timeoutMs = 3_000,
  ): Promise<F> {
    const deadline = performance.now() + timeoutMs;
    while (true) {
      const found = this.frames.find(match);
      if (found) return found as F;
      const left = deadline - performance.now();
      if (left <= 0 || this.socket.readyState === WebSocket.CLOSED) {
        throw new Error(`no matching frame; received ${JSON.stringify(this.frames).slice(0, 2000)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The `event` frame named `name` (on `topic`, when given). */
  event(name: string, topic?: string, timeoutMs?: number): Promise<ReceivedEvent> {
    return this.waitFor<ReceivedEvent>(
      (f) => f.type === 'event' && f.event === name && (topic === undefined || f.topic === topic),
      timeoutMs,
    );
  }

  /** Every `event` frame received so far. */
  events(): ReceivedEvent[] {
    return this.frames.filter((f): f is ReceivedEvent => f.type === 'event');
  }

  /** Subscribes and waits for the `ack` (or the `error`), which it returns. */
  async subscribe(topic: string): Promise<ServerFrame> {
    const id = `sub-${++pings}`;
    this.send({ type: 'subscribe', topic, id });
    return this.waitFor((f) => (f.type === 'ack' || f.type === 'error') && f.id === id);
  }

  /** A ping round trip: everything the server sent before handling the ping has arrived. */
  async settle(): Promise<void> {
    const id = `ping-${++pings}`;
    this.send({ type: 'ping', id });
    await this.waitFor((f) => f.type === 'pong' && f.id === id);
  }

  close(): void {
    this.socket.close();
  }
}
