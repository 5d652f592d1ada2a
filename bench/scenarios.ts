/**
 * @module
 * The benchmark's scenarios, as data. To measure something new, add an entry: name it, say which server it
 * runs against, build its requests from the seed, and give it a target. The runner measures the entries in
 * this order, all with the same load generator and settings, and divides each one's req/s by `ref`'s
 * (except for scenarios measured by the SSE driver, whose rate is streams, not requests).
 */
import type { LoadRequest } from './load/types.ts';
import type { ZekkaSeed } from './servers.ts';

/** What a scenario must reach to PASS. Both bounds apply when both are given. */
export interface Target {
  /** Minimum req/s as a fraction of the `ref` scenario's req/s measured in the same run. */
  minRatioToRef?: number;
  /** The 99th-percentile latency must be strictly below this, in milliseconds. */
  maxP99Ms?: number;
}

interface ScenarioBase {
  /** Unique; what `--only` selects and the table shows. */
  name: string;
  description: string;
  /** Omitted for the baseline itself, which has nothing to pass, and for scenarios only reported. */
  target?: Target;
  /**
   * Another scenario of the same run whose req/s this one is also divided by (e.g. the same request on
   * SQLite), shown in the `compared` column. Selecting this scenario selects that one too.
   */
  compareWith?: string;
  /**
   * What one unit of the rate is, for the table: `req` a response, `msg` a message sent and answered,
   * `stream` an SSE stream read to its end. @default 'req'
   */
  unit?: 'req' | 'msg' | 'stream';
}

/** A scenario against the bare-Elysia reference server (`bench/reference-server.ts`). */
export interface ReferenceScenario extends ScenarioBase {
  server: 'reference';
  requests(): LoadRequest[];
}

/**
 * A scenario against a Zekka server started from its CLI, seeded over HTTP (see `servers.ts`): on SQLite,
 * or on Postgres (`BENCH_POSTGRES_URL`; these scenarios are skipped with a line when it does not answer).
 */
export interface ZekkaScenario extends ScenarioBase {
  server: 'zekka-sqlite' | 'zekka-postgres';
  /**
   * Sent round-robin by the load generator (or pooled, see `exclusive`); each is also sent once beforehand
   * and must answer its `status` (default 200).
   */
  requests(seed: ZekkaSeed): LoadRequest[];
  /**
   * What measures it: `http` the load generator (wrk or autocannon); `sse` the SSE driver (`load/sse.ts`),
   * which reports time to the first body byte and streams per second, one stream at a time per request.
   * @default 'http'
   */
  driver?: 'http' | 'sse';
  /** Concurrent connections (or streams) for this scenario whatever `--connections` says. */
  connections?: number;
  /**
   * Conversations the scenario needs, seeded over HTTP before the first round: the name of a set in
   * `seed.conversations`. Its size follows the scenario's connections: one conversation per connection
   * (plus one spare per wrk thread for a pooled scenario, see `load/wrk.lua`). Scenarios naming the same
   * set on the same server share it; they never run at the same time.
   */
  conversations?: string;
  /**
   * Pool the requests (see `LoadOptions.exclusive`): no two in flight are the same entry. Each request's
   * `key` must be what its response names in this JSON field.
   */
  exclusive?: { keyField: string };
}

/** What `ws.fanout` must reach at each client count; every bound applies. */
export interface WsTarget {
  /** The largest `--ws-clients` count must reach at least this many sockets connected and subscribed. */
  minClients: number;
  /** p99 delivery latency (event `ts` to receipt) must be strictly below this, in ms. */
  maxP99Ms: number;
  /** Server RSS growth per idle subscribed socket must be strictly below this, in KB. */
  maxRssPerIdleKb: number;
}

/**
 * A WebSocket fan-out scenario (`ws-fanout.ts`): for each `--ws-clients` count, a fresh Zekka server
 * (`startZekkaWs`), that many sockets subscribed to one conversation from one client process, one
 * generation streamed to them. Measured once per count whatever `--rounds` says; one table row per count.
 */
export interface WsFanoutScenario extends Omit<ScenarioBase, 'target' | 'compareWith' | 'unit'> {
  server: 'zekka-ws';
  driver: 'ws';
  unit: 'event';
  target: WsTarget;
  /** Pause between the echo model's tokens (`ECHO_TOKEN_DELAY_MS`), so deltas arrive spread out. */
  echoTokenDelayMs: number;
  /** Words in the message sent; the echo answer streams one delta per word, plus `Echo:`. */
  words: number;
}

export type Scenario = ReferenceScenario | ZekkaScenario | WsFanoutScenario;
export type HttpScenario = ReferenceScenario | ZekkaScenario;

/** The baseline's name: every ratio is to this scenario's req/s. */
export const REFERENCE_SCENARIO = 'ref';

const bearer = (seed: ZekkaSeed): Record<string, string> => ({ Authorization: `Bearer ${seed.accessToken}` });

/** The conversations seeded for `set`; the runner seeds every set a selected scenario names. */
function conversationsOf(seed: ZekkaSeed, set: string): string[] {
  const ids = seed.conversations[set];
  if (ids === undefined) throw new Error(`internal: conversation set ${set} was not seeded`);
  return ids;
}

/**
 * A small message, the same every time: the `echo` model (the server's default with no provider
 * configured) answers it with `Echo: ` and the same text, streamed token by token.
 */
const MESSAGE_BODY = JSON.stringify({ content: 'Hello from the Zekka benchmark: how fast is a round trip?' });

/** `POST /api/v1/conversations/:id/messages`, one per conversation of `set`, keyed by the conversation. */
const sendMessage = (seed: ZekkaSeed, set: string): LoadRequest[] =>
  conversationsOf(seed, set).map((id) => ({
    method: 'POST',
    path: `/api/v1/conversations/${id}/messages`,
    headers: { ...bearer(seed), 'Content-Type': 'application/json' },
    body: MESSAGE_BODY,
    status: 201,
    key: id,
  }));

/** Concurrent streams for `sse.first-byte`, whatever `--connections` says. */
export const SSE_STREAMS = 20;

export const scenarios: Scenario[] = [
  {
    name: REFERENCE_SCENARIO,
    description: 'bare Elysia, GET /ref returning a small JSON envelope',
    server: 'reference',
    requests: () => [{ method: 'GET', path: '/ref', headers: {} }],
  },
  {
    name: 'project.get',
    description: 'authenticated GET /api/v1/projects/:id, round-robin over the seeded projects',
    server: 'zekka-sqlite',
    requests: (seed) =>
      seed.projectIds.map((id) => ({ method: 'GET', path: `/api/v1/projects/${id}`, headers: bearer(seed) })),
    target: { minRatioToRef: 0.4, maxP99Ms: 20 },
  },
  {
    name: 'project.list',
    description: 'authenticated GET /api/v1/projects?limit=20 (a full page of the seeded projects)',
    server: 'zekka-sqlite',
    requests: (seed) => [{ method: 'GET', path: '/api/v1/projects?limit=20', headers: bearer(seed) }],
    target: { minRatioToRef: 0.25, maxP99Ms: 20 },
  },
  // The same two requests on Postgres. No target yet: the figures are reported beside SQLite's.
  {
    name: 'project.get.pg',
    description: 'project.get on a Zekka server on Postgres',
    server: 'zekka-postgres',
    requests: (seed) =>
      seed.projectIds.map((id) => ({ method: 'GET', path: `/api/v1/projects/${id}`, headers: bearer(seed) })),
    compareWith: 'project.get',
  },
  {
    name: 'project.list.pg',
    description: 'project.list on a Zekka server on Postgres',
    server: 'zekka-postgres',
    requests: (seed) => [{ method: 'GET', path: '/api/v1/projects?limit=20', headers: bearer(seed) }],
    compareWith: 'project.list',
  },
  // A message round trip: the user message stored, the echo model run, the answer and its usage stored.
  // A conversation runs one generation at a time (a second send answers 409), so the requests are pooled:
  // one conversation per connection, never two requests in flight on one.
  {
    name: 'message.send',
    description:
      'authenticated POST /api/v1/conversations/:id/messages with the echo model, one conversation per connection',
    server: 'zekka-sqlite',
    unit: 'msg',
    conversations: 'send',
    exclusive: { keyField: 'conversationId' },
    requests: (seed) => sendMessage(seed, 'send'),
    target: { minRatioToRef: 0.15 },
    compareWith: 'ref.writes',
  },
  // The floor under message.send: only the store's writes of a send, behind bare Elysia (writes-floor.ts).
  // Reported, not a target: message.send's `compared` column is its ratio to this.
  {
    name: 'ref.writes',
    description:
      'the reference server doing only the SQLite store writes of one send (createMany + complete with usage)',
    server: 'reference',
    unit: 'msg',
    requests: () => [
      {
        method: 'POST',
        path: '/floor/messages',
        headers: { 'Content-Type': 'application/json' },
        body: MESSAGE_BODY,
        status: 201,
      },
    ],
  },
  {
    name: 'message.send.pg',
    description: 'message.send on a Zekka server on Postgres',
    server: 'zekka-postgres',
    unit: 'msg',
    conversations: 'send',
    exclusive: { keyField: 'conversationId' },
    requests: (seed) => sendMessage(seed, 'send'),
    compareWith: 'message.send',
  },
  // Time to the first byte of the SSE answer (contract row 41): 20 streams at once, each on its own
  // conversation and read to its `done` event before the next starts there.
  {
    name: 'sse.first-byte',
    description:
      'POST /api/v1/conversations/:id/messages/stream, time to the first body byte, 20 concurrent streams',
    server: 'zekka-sqlite',
    unit: 'stream',
    driver: 'sse',
    connections: SSE_STREAMS,
    conversations: 'stream',
    requests: (seed) =>
      conversationsOf(seed, 'stream').map((id) => ({
        method: 'POST',
        path: `/api/v1/conversations/${id}/messages/stream`,
        headers: { ...bearer(seed), 'Content-Type': 'application/json', Accept: 'text/event-stream' },
        body: MESSAGE_BODY,
      })),
    target: { maxP99Ms: 25 },
  },
  // Issue 5: N sockets on one conversation, one generation streamed to all of them (see ws-fanout.ts).
  {
    name: 'ws.fanout',
    description:
      'N /ws sockets subscribed to one conversation, one echo generation (~100 deltas, 5 ms apart) fanned out',
    server: 'zekka-ws',
    driver: 'ws',
    unit: 'event',
    echoTokenDelayMs: 5,
    words: 100,
    target: { minClients: 5000, maxP99Ms: 100, maxRssPerIdleKb: 20 },
  },
];

/** "≥ 0.40× ref, p99 < 20 ms"; "baseline" for `ref`, "none yet" for a scenario that is only reported. */
export function describeTarget(scenario: Scenario): string {
  if (scenario.server === 'zekka-ws') {
    const { target } = scenario;
    return `p99 < ${target.maxP99Ms} ms, < ${target.maxRssPerIdleKb} KB/conn, ${target.minClients.toLocaleString('en-US')} conn`;
  }
  const { target } = scenario;
  if (target === undefined) return scenario.name === REFERENCE_SCENARIO ? 'baseline' : 'none yet';
  const parts: string[] = [];
  if (target.minRatioToRef !== undefined) parts.push(`≥ ${target.minRatioToRef.toFixed(2)}× ref`);
  if (target.maxP99Ms !== undefined) parts.push(`p99 < ${target.maxP99Ms} ms`);
  return parts.join(', ');
}
