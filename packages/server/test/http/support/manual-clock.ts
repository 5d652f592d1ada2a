/**
 * @module manual-clock
 * A `Clock` the tests move by hand, so expiry (access tokens, lockouts, one-time links) is tested without
 * waiting.
 */
import type { Clock } from '@zekka/core';

export interface ManualClock extends Clock {
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void;
}

/** A clock frozen at `start` (default: the real time when created) until `advance` is called. */
export function createManualClock(start = Date.now()): ManualClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
  };
}

export const minutes = (n: number) => n * 60_000;
export const hours = (n: number) => n * 3_600_000;
export const days = (n: number) => n * 86_400_000;
export const seconds = (n: number) => n * 1_000;
