/**
 * @module routes/event-stream
 * A `text/event-stream` response in the contract's framing: every event is `id: <n>` + `data: <json>` + a
 * blank line, `n` counting from 1, nothing else on the wire (no comments, no `event:` lines). A plain
 * `Response` over a `ReadableStream` rather than Elysia's SSE helper, which frames events its own way.
 *
 * The producer runs as soon as the stream is created and its first events are enqueued synchronously,
 * so they leave with the headers. A client that goes away cancels the stream: writes become no-ops and
 * `onCancel` runs; the producer is expected to notice (through its own signal) and return.
 */
import type { Logger, StreamBufferEntry } from '@zekka/core';

/** One event's JSON: `{ type, data }`, or the single `{ type: "error", error }` that ends a stream. */
export type StreamEvent =
  | { type: string; data: unknown }
  | { type: 'error'; error: { code: string; message: string } };

export interface EventWriter {
  /** Frames and enqueues one event; a no-op once the client has gone or the stream is closed. */
  send(event: StreamEvent): void;
  /** True once the client went away (or the stream ended). */
  readonly closed: boolean;
}

/** The headers of every event stream (the app adds `X-Request-Id` and the security headers). */
export const EVENT_STREAM_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  // Tells nginx (and proxies that follow it) not to buffer the stream, so each event leaves at once.
  'x-accel-buffering': 'no',
};

const INTERNAL = { code: 'INTERNAL', message: 'Something went wrong on our side; try again later' };

/**
 * Builds the `200 text/event-stream` response that `produce` writes to.
 * @param produce - writes the events; the stream closes when it settles. If it throws, one `error` event
 *   (`INTERNAL`, details only in the log) ends the stream.
 * @param options.onCancel - runs once when the client goes away before the stream ended.
 */
export function eventStreamResponse(
  produce: (writer: EventWriter) => Promise<void>,
  options: { onCancel: () => void; logger: Logger },
): Response {
  return streamResponse(async (frames) => {
    let id = 0;
    const writer: EventWriter = {
      send(event) {
        if (frames.closed) return;
        id += 1;
        frames.write(`id: ${id}\ndata: ${JSON.stringify(event)}\n\n`);
      },
      get closed() {
        return frames.closed;
      },
    };
    try {
      await produce(writer);
    } catch (cause) {
      options.logger.error('event stream failed', { error: cause });
      writer.send({ type: 'error', error: INTERNAL });
    }
  }, options.onCancel);
}

/**
 * The `200 text/event-stream` response of events that were framed already (from the stream buffer: a
 * resumed or replayed stream), written verbatim as `id: <n>` + `data: <json>`.
 * @param options.onCancel - runs once when the client goes away before the stream ended; it must end
 *   the iteration of `events` (through their signal).
 */
export function bufferedEventStream(
  events: AsyncIterable<StreamBufferEntry>,
  options: { onCancel: () => void; logger: Logger },
): Response {
  return streamResponse(async (frames) => {
    try {
      for await (const entry of events) {
        if (frames.closed) return;
        frames.write(`id: ${entry.id}\ndata: ${entry.data}\n\n`);
      }
    } catch (cause) {
      options.logger.error('buffered event stream failed', { error: cause });
      frames.write(`data: ${JSON.stringify({ type: 'error', error: INTERNAL })}\n\n`);
    }
  }, options.onCancel);
}

/** Where a stream's frames go; writes are no-ops once the client has gone or the stream is closed. */
interface Frames {
  write(frame: string): void;
  readonly closed: boolean;
}

/**
 * The response both kinds of stream share: `run` starts at once (its first synchronous writes leave with
 * the headers), the stream closes when it settles, and a client that goes away runs `onCancel` once.
 */
function streamResponse(run: (frames: Frames) => Promise<void>, onCancel: () => void): Response {
  const encoder = new TextEncoder();
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const frames: Frames = {
        write(frame) {
          if (!closed) controller.enqueue(encoder.encode(frame));
        },
        get closed() {
          return closed;
        },
      };
      // Not awaited: `start` returns at once so the first events are readable before the producer ends.
      void run(frames).finally(() => {
        if (closed) return;
        closed = true;
        controller.close();
      });
    },
    cancel() {
      if (closed) return;
      closed = true;
      onCancel();
    },
  });
  return new Response(stream, { status: 200, headers: EVENT_STREAM_HEADERS });
}
