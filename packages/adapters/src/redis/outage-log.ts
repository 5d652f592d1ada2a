/**
 * @module redis/outage-log
 * Reports a Redis outage without flooding the log: while Redis is away every request fails over the same
 * way, and one line per request would bury everything else. Failures are logged at most once per interval
 * (with how many were left out); the first success after a logged failure is logged once, as the all-clear.
 */
import type { LogFields, Logger } from '@zekka/core';

export interface OutageLog {
  /** Counts a failure; logs a warning when none was logged in the last interval. */
  failed(fields?: LogFields): void;
  /** Marks Redis as answering again; logs the all-clear once if an outage was reported. */
  recovered(): void;
}

export interface OutageLogOptions {
  logger: Logger;
  /** The warning, e.g. `redis cache unavailable: reads are misses, writes fail`. */
  message: string;
  /** The all-clear, e.g. `redis cache available again`. */
  recoveredMessage: string;
  /**
   * Least time between two warnings of one outage; `Infinity` logs each outage once.
   * @default 10000
   */
  intervalMs?: number;
  /** @default Date.now */
  now?: () => number;
}

export function createOutageLog(options: OutageLogOptions): OutageLog {
  const { logger, message, recoveredMessage } = options;
  const intervalMs = options.intervalMs ?? 10_000;
  const now = options.now ?? Date.now;
  let down = false;
  let lastWarnedAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;

  return {
    failed(fields) {
      const t = now();
      if (down && t - lastWarnedAt < intervalMs) {
        suppressed++;
        return;
      }
      down = true;
      lastWarnedAt = t;
      logger.warn(message, suppressed > 0 ? { ...fields, suppressed } : fields);
      suppressed = 0;
    },
    recovered() {
      if (!down) return;
      down = false;
      lastWarnedAt = Number.NEGATIVE_INFINITY;
      suppressed = 0;
      logger.info(recoveredMessage);
    },
  };
}

/** The message of an unknown failure, for log fields. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
