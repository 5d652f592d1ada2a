/**
 * @module
 * The `ws.fanout` clients: run as one `bun` child process of the runner (`ws-fanout.ts`), so that N
 * sockets' frame parsing has a process of its own instead of sharing the runner's event loop. It talks to
 * the runner in JSON lines: the runner writes a {@link WsClientsConfig} on stdin; the child opens the
 * sockets in batches (`/ws?token=…`, then `subscribe` to the topic once `ready` arrives, and waits for the
 * `ack`), prints a {@link WsClientsReady} line, then waits for a `collect` line (written once the runner's
 * generation has answered), waits until every socket has its `message:completed` (or `generation:failed`)
 * and prints a {@link WsClientsResult} line. Then it closes its sockets and exits.
 *
 * Latency is the receive time (`performance.timeOrigin + performance.now()`) minus the event's `ts`, which
 * the server sets when it publishes the event; both read the same machine clock. `ts` has 1 ms resolution.
 */

export interface WsClientsConfig {
  /** `ws://host:port/ws`, without the query. */
  wsUrl: string;
  /** One access token per socket (the server allows 20 sockets per user). */
  tokens: string[];
  /** e.g. `conversation:<id>`. */
  topic: string;
  /** Sockets opened at once; the next batch starts when this one is subscribed. */
  batchSize: number;
  /** How long a batch, and later the wait for the last event, may take. */
  timeoutMs: number;
}

export interface WsClientsReady {
  type: 'ready';
  /** Sockets open, authenticated and subscribed. */
  connected: number;
  /** How long connecting and subscribing all of them took. */
  connectMs: number;
  /** One line per socket that failed, at most 20 (the count is `tokens.length - connected`). */
  problems: string[];
}

export interface WsClientsResult {
  type: 'result';
  /** `event` frames received, all sockets together. */
  events: number;
  /** `message:delta` frames received, all sockets together. */
  deltas: number;
  /** Sockets that got their `message:completed` (or `generation:failed`) in time. */
  completed: number;
  /** The most deltas one socket received (the generation's length), and sockets that received fewer. */
  deltasPerSocket: number;
  socketsShort: number;
  /** From the earliest event's `ts` to the last receipt, in ms. */
  spanMs: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Gaps or repeats in a socket's delta indexes, sockets closed under the run, and the like. */
  problems: string[];
}

const now = (): number => performance.timeOrigin + performance.now();

interface Client {
  socket: WebSocket;
  subscribed: boolean;
  done: boolean;
  nextIndex: number;
}

class Latencies {
  private values = new Float64Array(1 << 16);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }
  sorted(): Float64Array {
    return this.values.slice(0, this.length).sort();
  }
}

async function main(): Promise<void> {
  const lines = console[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('ws-clients: no configuration on stdin');
  const config = JSON.parse(first.value) as WsClientsConfig;
  const problems: string[] = [];
  const problem = (text: string): void => {
    if (problems.length < 20) problems.push(text);
  };
  const latencies = new Latencies();
  let events = 0;
  let deltas = 0;
  let firstTs = Number.POSITIVE_INFINITY;
  let lastReceipt = 0;
  let collecting = false;
  let allDone: (() => void) | undefined;
  let completed = 0;
  const clients: Client[] = [];

  const open = (token: string, n: number): Promise<void> =>
    new Promise((resolve) => {
      const socket = new WebSocket(`${config.wsUrl}?token=${encodeURIComponent(token)}`);
      const client: Client = { socket, subscribed: false, done: false, nextIndex: 0 };
      clients.push(client);
      const timer = setTimeout(() => {
        problem(`socket ${n}: not subscribed within ${config.timeoutMs} ms`);
        resolve();
      }, config.timeoutMs);
      socket.onmessage = (message) => {
        const received = now();
        const frame = JSON.parse(String(message.data)) as {
          type: string;
          event?: string;
          ts?: number;
          data?: { index?: number };
          message?: string;
        };
        if (frame.type === 'event' && typeof frame.ts === 'number') {
          events++;
          latencies.push(received - frame.ts);
          if (frame.ts < firstTs) firstTs = frame.ts;
          if (received > lastReceipt) lastReceipt = received;
          if (frame.event === 'message:delta') {
            deltas++;
            if (frame.data?.index !== client.nextIndex) {
              problem(`socket ${n}: delta ${frame.data?.index} where ${client.nextIndex} was expected`);
            }
            client.nextIndex = (frame.data?.index ?? client.nextIndex) + 1;
          } else if (frame.event === 'message:completed' || frame.event === 'generation:failed') {
            if (frame.event === 'generation:failed') problem(`socket ${n}: generation:failed`);
            client.done = true;
            completed++;
            if (collecting && completed === clients.length) allDone?.();
          }
        } else if (frame.type === 'ready') {
          socket.send(JSON.stringify({ type: 'subscribe', topic: config.topic, id: 's' }));
        } else if (frame.type === 'ack') {
          client.subscribed = true;
          clearTimeout(timer);
          resolve();
        } else if (frame.type === 'error') {
          problem(`socket ${n}: error frame ${frame.message ?? JSON.stringify(frame)}`);
        }
      };
      socket.onclose = (close) => {
        if (!client.done || !collecting) problem(`socket ${n}: closed ${close.code} ${close.reason}`);
        clearTimeout(timer);
        resolve();
      };
    });

  const started = now();
  for (let from = 0; from < config.tokens.length; from += config.batchSize) {
    const batch = config.tokens.slice(from, from + config.batchSize);
    await Promise.all(batch.map((token, i) => open(token, from + i)));
  }
  const connected = clients.filter((c) => c.subscribed && c.socket.readyState === WebSocket.OPEN).length;
  const ready: WsClientsReady = { type: 'ready', connected, connectMs: now() - started, problems };
  console.log(JSON.stringify(ready));

  const next = await lines.next();
  if (next.done || (JSON.parse(next.value) as { type?: string }).type !== 'collect') return;
  // Only the sockets that subscribed can receive the events.
  const expected = clients.filter((c) => c.subscribed);
  await new Promise<void>((resolve) => {
    collecting = true;
    allDone = resolve;
    if (expected.every((c) => c.done)) resolve();
    setTimeout(resolve, config.timeoutMs);
  });
  const unfinished = expected.filter((c) => !c.done).length;
  if (unfinished > 0) problem(`${unfinished} sockets had no message:completed within ${config.timeoutMs} ms`);

  const deltasPerSocket = Math.max(0, ...expected.map((c) => c.nextIndex));
  const socketsShort = expected.filter((c) => c.nextIndex < deltasPerSocket).length;
  const sorted = latencies.sorted();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  let sum = 0;
  for (const value of sorted) sum += value;
  const result: WsClientsResult = {
    type: 'result',
    events,
    deltas,
    completed: expected.length - unfinished,
    deltasPerSocket,
    socketsShort,
    spanMs: events === 0 ? 0 : lastReceipt - firstTs,
    latencyMs: {
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      max: sorted[sorted.length - 1] ?? 0,
      mean: sorted.length === 0 ? 0 : sum / sorted.length,
    },
    problems,
  };
  console.log(JSON.stringify(result));
  for (const client of clients) client.socket.close();
}

await main();
process.exit(0);
