/**
 * @module event-stream-client
 * Row 41's event stream read over a real socket: `listen` puts a test server on a port, `openStream` posts
 * to the streaming route with `fetch`, and `EventReader` parses the body as it arrives, holding every event
 * to the contract's framing — `id: <n>` (1, 2, 3, … with no gap), one `data: <json>` line, a blank line,
 * nothing else.
 */
import type { TestServer } from './test-server.ts';

/** One parsed event: its `id` and its JSON (`{ type, data }` or `{ type: "error", error }`). */
export interface ReadEvent {
  id: number;
  type: string;
  data?: unknown;
  error?: { code: string; message: string };
}

export interface ListeningServer {
  /** e.g. `http://127.0.0.1:40123` */
  url: string;
  stop(): Promise<void>;
}

/** Starts `server.app` on a free local port. */
export function listen(server: TestServer): ListeningServer {
  server.app.listen({ hostname: '127.0.0.1', port: 0 });
  const port = server.app.server?.port;
  if (port === undefined) throw new Error('the test server did not start listening');
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await server.app.stop(true);
    },
  };
}

/** `POST /api/v1/conversations/:id/messages/stream` with a JSON body, as `token`. */
export function openStream(
  base: ListeningServer,
  token: string,
  conversationId: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${base.url}/api/v1/conversations/${conversationId}/messages/stream`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'text/event-stream',
    },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

const FRAME = /^id: (\d+)\ndata: (.*)$/;

/** The `id` of an `assistantMessageStart` event's data (the answer's message id). */
export function messageIdOf(event: ReadEvent | undefined): string {
  const id = (event?.data as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string') throw new Error(`no message id in ${JSON.stringify(event)}`);
  return id;
}

/** Reads events off a streaming response, one at a time or all to the end. */
export class EventReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  #lastId = 0;
  #ended = false;
  /** Every byte received so far, as text. */
  raw = '';

  constructor(response: Response) {
    if (!response.body) throw new Error('the response has no body');
    this.#reader = response.body.getReader();
  }

  /** The next event, or `null` once the server closed the stream. Throws on a malformed frame. */
  async next(): Promise<ReadEvent | null> {
    while (true) {
      const end = this.#buffer.indexOf('\n\n');
      if (end >= 0) {
        const frame = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        return this.#parse(frame);
      }
      if (this.#ended) {
        if (this.#buffer !== '') throw new Error(`the stream ended inside a frame: ${this.#buffer}`);
        return null;
      }
      const { value, done } = await this.#reader.read();
      if (done) {
        this.#ended = true;
        continue;
      }
      const text = this.#decoder.decode(value, { stream: true });
      this.raw += text;
      this.#buffer += text;
    }
  }

  /** Every remaining event, until the server closes the stream. */
  async rest(): Promise<ReadEvent[]> {
    const events: ReadEvent[] = [];
    for (let event = await this.next(); event !== null; event = await this.next()) events.push(event);
    return events;
  }

  /** Hangs up, as a client that goes away does. */
  cancel(): Promise<void> {
    return this.#reader.cancel();
  }

  #parse(frame: string): ReadEvent {
    const match = FRAME.exec(frame);
    if (!match) throw new Error(`not an "id: <n>\\ndata: <json>" frame: ${JSON.stringify(frame)}`);
    const id = Number(match[1]);
    if (id !== this.#lastId + 1) throw new Error(`event id ${id} follows ${this.#lastId}`);
    this.#lastId = id;
    const json = JSON.parse(match[2] ?? '') as Omit<ReadEvent, 'id'>;
    return { id, ...json };
  }
}
