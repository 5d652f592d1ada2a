/**
 * @module
 * What every load generator takes and returns, so the runner measures each scenario the same way whichever
 * tool is installed.
 */

/** One HTTP request a load generator sends; a scenario's list of these is sent round-robin. */
export interface LoadRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/api/v1/projects?limit=20`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
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
}

export interface LoadResult {
  /** Responses received in the window. */
  requests: number;
  /** The window's real length, in seconds. */
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Responses whose status was not 2xx (wrk: 4xx and 5xx, the only ones it counts). */
  non2xx: number;
  /** Socket errors and timeouts. */
  errors: number;
}

export interface LoadGenerator {
  /** `wrk 4.1.0`, `autocannon 9.0.0`: written into the results. */
  readonly name: string;
  run(options: LoadOptions): Promise<LoadResult>;
}
