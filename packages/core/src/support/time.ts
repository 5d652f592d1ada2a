import type { Clock } from '../ports/services.ts';

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Recent conversions, because lists render the same timestamps on every request and `toISOString` is a
 * measurable share of a list's cost. Bounded: it starts over past 4096 entries.
 */
const isoMemo = new Map<number, string>();

export function iso(ms: number): string {
  let text = isoMemo.get(ms);
  if (text === undefined) {
    text = new Date(ms).toISOString();
    if (isoMemo.size >= 4096) isoMemo.clear();
    isoMemo.set(ms, text);
  }
  return text;
}
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
