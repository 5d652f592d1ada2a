/**
 * @module realtime/options
 * The `/ws` limits and timings, each with its default. Every limit answers in a documented way
 * (docs/realtime.md): an `error` frame when the socket can carry on, a close code when it cannot.
 */

export interface RealtimeOptions {
  /** Time an unauthenticated socket has to send its `auth` frame before it is closed `4401`. @default 10000 */
  authTimeoutMs?: number;
  /**
   * Largest client frame handled; a larger one gets an `error` frame (`PAYLOAD_TOO_LARGE`) and the socket
   * stays open. Frames over four times this are refused by Bun itself, which closes the socket `1009`.
   * @default 16384
   */
  maxFrameBytes?: number;
  /** Topics one socket may subscribe to; one more gets an `error` frame (`RATE_LIMITED`). @default 100 */
  maxSubscriptions?: number;
  /** Open sockets per user on this instance; the newest one past it is closed `4429`. @default 20 */
  maxSocketsPerUser?: number;
  /**
   * Seconds without a frame either way before Bun closes a socket; the server pings idle sockets so a live
   * client always answers in time.
   * @default 120
   */
  idleTimeoutSeconds?: number;
  /**
   * Bytes a socket may have waiting to be sent. A client that reads slower than events arrive passes it
   * and is closed `1013` rather than queued for without bound.
   * @default 1048576
   */
  maxBufferedBytes?: number;
  /**
   * How long a socket's right to read a topic is trusted before the next event re-checks it. Events that
   * change access (a member removed, a project or conversation deleted) end it at once regardless.
   * @default 5000
   */
  accessTtlMs?: number;
  /**
   * How often a socket's credential is authenticated again, so a disabled account or a revoked session or
   * key is disconnected (`4401`). Also done at once when the user's memberships change.
   * @default 30000
   */
  credentialCheckMs?: number;
  /** Least time between two `typing` frames of one socket that are passed on; the others are dropped. @default 2000 */
  typingIntervalMs?: number;
}

export type ResolvedRealtimeOptions = Required<RealtimeOptions>;

export const REALTIME_DEFAULTS: ResolvedRealtimeOptions = {
  authTimeoutMs: 10_000,
  maxFrameBytes: 16 * 1024,
  maxSubscriptions: 100,
  maxSocketsPerUser: 20,
  idleTimeoutSeconds: 120,
  maxBufferedBytes: 1024 * 1024,
  accessTtlMs: 5_000,
  credentialCheckMs: 30_000,
  typingIntervalMs: 2_000,
};

export function resolveRealtimeOptions(options: RealtimeOptions = {}): ResolvedRealtimeOptions {
  const resolved = { ...REALTIME_DEFAULTS };
  for (const key of Object.keys(REALTIME_DEFAULTS) as (keyof RealtimeOptions)[]) {
    const value = options[key];
    if (value !== undefined) resolved[key] = value;
  }
  return resolved;
}

/** The close codes the server uses, beside the standard ones (1009, 1012, 1013). */
export const CLOSE = {
  /** No valid credential: missing, invalid, expired, revoked, or the account disabled. */
  unauthorized: 4401,
  /** Too many sockets for this user on this instance. */
  tooManySockets: 4429,
  /** A frame larger than Bun accepts (`maxFrameBytes` × 4). */
  tooLarge: 1009,
  /** The instance is shutting down; reconnect (to any instance). */
  restart: 1012,
  /** The client reads too slowly: its send buffer passed `maxBufferedBytes`. */
  slowConsumer: 1013,
} as const;
