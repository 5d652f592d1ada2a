/**
 * @module models/model-timeouts
 * A watchdog for one streamed model call. The AI SDK's own `firstChunkMs` starts counting only once the
 * provider has answered with headers, so a server that accepts the connection and never answers would hang
 * the call; this watchdog counts from the start of the call instead, and says which limit fired, so that a
 * timeout (the model is unavailable) can be told apart from a caller's abort (a stop).
 */

/** Limits on one model call, in milliseconds. */
export interface ModelTimeouts {
  /** From the start of the call to the first token (text or reasoning), retries included. @default 30000 */
  firstChunkMs: number;
  /** Between two tokens once the answer has started. @default 30000 */
  chunkMs: number;
  /** The whole call. @default 600000 */
  totalMs: number;
}

export const DEFAULT_MODEL_TIMEOUTS: Readonly<ModelTimeouts> = {
  firstChunkMs: 30_000,
  chunkMs: 30_000,
  totalMs: 600_000,
};

/** Why a watchdog aborted a call. */
export class ModelTimeoutError extends Error {
  override readonly name = 'ModelTimeoutError';
  readonly limit: keyof ModelTimeouts;
  readonly ms: number;

  constructor(limit: keyof ModelTimeouts, ms: number) {
    const what = {
      firstChunkMs: 'no first token',
      chunkMs: 'no further token',
      totalMs: 'the answer did not finish',
    }[limit];
    super(`${what} within ${ms} ms`);
    this.limit = limit;
    this.ms = ms;
  }
}

export interface StreamWatchdog {
  /** Aborted when a limit is exceeded, or by `stop`. */
  readonly signal: AbortSignal;
  /** The limit that fired, or `null`. */
  readonly timeout: ModelTimeoutError | null;
  /** Records a token: the first switches from the first-token limit to the between-tokens limit. */
  progress(): void;
  /** Pauses the first-token / between-tokens clock (while the consumer handles a token); `progress` restarts it. */
  hold(): void;
  /** Clears the timers and aborts the signal, releasing the call if it is still running. */
  stop(): void;
}

export function startStreamWatchdog(timeouts: ModelTimeouts): StreamWatchdog {
  const controller = new AbortController();
  let timeout: ModelTimeoutError | null = null;
  const fire = (limit: keyof ModelTimeouts) => () => {
    timeout = new ModelTimeoutError(limit, timeouts[limit]);
    controller.abort(timeout);
  };
  const total = setTimeout(fire('totalMs'), timeouts.totalMs);
  let idle = setTimeout(fire('firstChunkMs'), timeouts.firstChunkMs);
  return {
    signal: controller.signal,
    get timeout() {
      return timeout;
    },
    progress() {
      if (timeout !== null) return;
      clearTimeout(idle);
      idle = setTimeout(fire('chunkMs'), timeouts.chunkMs);
    },
    hold() {
      clearTimeout(idle);
    },
    stop() {
      clearTimeout(total);
      clearTimeout(idle);
      controller.abort();
    },
  };
}
