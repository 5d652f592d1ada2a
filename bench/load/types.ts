/**
 * @module
 * What every load generator takes and returns, so the runner measures each scenario the same way whichever
 * tool is installed.
 */

/** One HTTP request a load generator sends; a scenario's list of these is sent round-robin (or pooled). */
export interface LoadRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/api/v1/projects?limit=20`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The status the pre-flight check requires (e.g. 201 for a POST that creates). @default 200 */
  status?: number;
  /**
   * With {@link LoadOptions.exclusive}: what the response to this request names in its key field (e.g. the
   * conversation id), unique among the requests. Ignored otherwise.
   */
  key?: string;
}

export interface LoadOptions {
  /** Origin of the server under load, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  /** Sent in turn, wrapping around; at least one. */
  requests: LoadRequest[];
  /** Concurrent keep-alive connections. */
  connections: number;
  /** Length of the window, in seconds. */
  durationSeconds: number;
  /** Generator threads (wrk only; autocannon runs in one). */
  threads: number;
  /** A response slower than this counts as an error, in seconds. */
  timeoutSeconds: number;
  /**
   * When set, `requests` are a pool instead of a round-robin: a connection about to send takes a request
   * that is not in flight, and the request goes back to the pool when its response arrives, so no two
   * in-flight requests are the same entry (one conversation per in-flight request, say). The response is
   * matched to its request by the first `"<keyField>":"<value>"` in its body, which must equal the request's
   * `key`. Needs at least `connections` requests (wrk: plus one per thread, see `wrk.lua`). A response that
   * names no known key, or a connection that finds the pool empty, is reported in `problems`.
   */
  exclusive?: { keyField: string };
}

export interface LoadResult {
  /** Responses received in the window (SSE driver: streams read to their end). */
  requests: number;
  /** The window's real length, in seconds. */
  durationSeconds: number;
  requestsPerSecond: number;
  /** Response latency (SSE driver: time to the first body byte). */
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Responses whose status was not 2xx (wrk: 4xx and 5xx, the only ones it counts, unless pooled). */
  non2xx: number;
  /** Socket errors and timeouts. */
  errors: number;
  /** Anything else that makes the window meaningless, one line each (e.g. a stream that did not end with `done`). */
  problems?: string[];
}

export interface LoadGenerator {
  /** `wrk 4.1.0`, `autocannon 9.0.0`: written into the results. */
  readonly name: string;
  run(options: LoadOptions): Promise<LoadResult>;
}
