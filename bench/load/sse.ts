/**
 * @module
 * The SSE driver: time to the first byte of a `text/event-stream` response, which wrk and autocannon cannot
 * measure (they neither read a stream as it arrives nor know where it ends). It runs in the runner's own
 * process, with Bun's `fetch` over keep-alive connections.
 *
 * Each of `streams` loops owns one request (one conversation), and sends it again only after it has read the
 * previous stream to its end, so no two streams ever run on the same conversation. For each stream it
 * records the time from sending the request to the first body byte, then reads the rest without decoding
 * anything but its first and last events: the first must be `userMessage` and the last `done`. Loops start
 * new streams until the window ends and finish the stream they are reading; the window's length runs until
 * the last one is done. The first failure (a status other than 200, another content type, a stream that
 * does not end with `done`, a timeout) stops every loop and is reported in `problems`.
 */
import type { LoadRequest, LoadResult } from './types.ts';

export interface SseOptions {
  /** Origin of the server under load. */
  baseUrl: string;
  /** One per loop, used by exactly one loop; at least `streams`. */
  requests: LoadRequest[];
  /** Concurrent streams. */
  streams: number;
  /** Length of the window, in seconds. */
  durationSeconds: number;
  /** A stream not read to its end after this long is a failure, in seconds. */
  timeoutSeconds: number;
}

/** The events of one stream the driver looks at: the first and the last. */
interface StreamCheck {
  firstType: string | undefined;
  lastType: string | undefined;
  bytes: number;
}

/**
 * Sends `request` once and reads the stream to its end. Returns the time to the first body byte in
 * milliseconds, or throws with what was wrong.
 */
export async function readOneStream(
  baseUrl: string,
  request: LoadRequest,
  timeoutMs: number,
): Promise<{ firstByteMs: number; check: StreamCheck }> {
  const signal = AbortSignal.timeout(timeoutMs);
  const started = performance.now();
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    signal,
  });
  const contentType = response.headers.get('content-type') ?? '';
  if (response.status !== 200 || !contentType.startsWith('text/event-stream') || response.body === null) {
    const text = await response.text().catch(() => '');
    throw new Error(
      `${request.method} ${request.path} answered ${response.status} ${contentType || '(no content type)'}, ` +
        `not 200 text/event-stream: ${text.slice(0, 300)}`,
    );
  }
  const reader = response.body.getReader();
  let firstByteMs: number | undefined;
  // Only the head (up to the end of the first event) and the tail (the last few hundred bytes) are kept.
  let head = '';
  let tail = '';
  let bytes = 0;
  const decoder = new TextDecoder();
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value.byteLength === 0) continue;
    if (firstByteMs === undefined) firstByteMs = performance.now() - started;
    bytes += value.byteLength;
    const text = decoder.decode(value, { stream: true });
    if (!head.includes('\n\n')) head += text;
    tail = (tail + text).slice(-TAIL_CHARS);
  }
  if (firstByteMs === undefined) throw new Error(`${request.method} ${request.path}: the stream was empty`);
  const check = { firstType: eventType(head, 'first'), lastType: eventType(tail, 'last'), bytes };
  if (check.firstType !== 'userMessage' || check.lastType !== 'done') {
    throw new Error(
      `${request.method} ${request.path}: the stream began with ${check.firstType ?? 'no event'} and ended ` +
        `with ${check.lastType ?? 'no event'}, not userMessage … done; its end: ${JSON.stringify(tail.slice(-300))}`,
    );
  }
  return { firstByteMs, check };
}

/** Enough for the `done` event and the end of the one before it. */
const TAIL_CHARS = 512;

/** The `type` of the first or last complete event in `text` (`id: n` / `data: {json}` lines, blank line after). */
function eventType(text: string, which: 'first' | 'last'): string | undefined {
  const events = text.split(/\r?\n\r?\n/).filter((e) => e.trim() !== '');
  // The head may end inside its second event, the tail begin inside an event: use whole ones only.
  const event = which === 'first' ? events[0] : events[events.length - 1];
  if (event === undefined) return undefined;
  const data = event
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trimStart())
    .join('\n');
  try {
    const parsed: unknown = JSON.parse(data);
    return typeof parsed === 'object' &&
      parsed !== null &&
      'type' in parsed &&
      typeof parsed.type === 'string'
      ? parsed.type
      : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the window: `streams` loops, each on its own request, for `durationSeconds`. */
export async function runSse(options: SseOptions): Promise<LoadResult> {
  if (options.requests.length < options.streams) {
    throw new Error(
      `the SSE driver needs one request per stream: ${options.streams} streams, ` +
        `${options.requests.length} requests`,
    );
  }
  const firstByte: number[] = [];
  const problems: string[] = [];
  let failed = false;
  const timeoutMs = options.timeoutSeconds * 1000;
  const started = performance.now();
  const deadline = started + options.durationSeconds * 1000;
  const loop = async (request: LoadRequest): Promise<void> => {
    while (!failed && performance.now() < deadline) {
      try {
        const { firstByteMs } = await readOneStream(options.baseUrl, request, timeoutMs);
        firstByte.push(firstByteMs);
      } catch (error) {
        failed = true;
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(options.requests.slice(0, options.streams).map(loop));
  const durationSeconds = (performance.now() - started) / 1000;
  return {
    requests: firstByte.length,
    durationSeconds,
    requestsPerSecond: firstByte.length / durationSeconds,
    latencyMs: summarize(firstByte),
    non2xx: 0,
    errors: 0,
    ...(problems.length > 0 ? { problems } : {}),
  };
}

function summarize(samples: number[]): LoadResult['latencyMs'] {
  if (samples.length === 0) return { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return {
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? 0,
    mean: samples.reduce((sum, v) => sum + v, 0) / samples.length,
  };
}
