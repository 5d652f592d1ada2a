/**
 * @module cache
 * A key-value cache shared by every instance that uses the same backend. Every key has a TTL, so nothing
 * lives forever and a lost write only costs a miss. Values are strings; callers serialise.
 */
export interface Cache {
  /** The value, or `null` when missing or expired. */
  get(key: string): Promise<string | null>;
  /** Stores `value` for `ttlMs` milliseconds (> 0), replacing any earlier value and TTL. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Removes the key; a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Adds `by` (default 1) to the integer at `key` and returns the new value, atomically. A missing key
   * starts at 0 and gets `ttlMs`; an existing key keeps its TTL.
   */
  increment(key: string, ttlMs: number, by?: number): Promise<number>;
  /** Returns the value and removes the key in one atomic step; `null` when missing. */
  getAndDelete(key: string): Promise<string | null>;
  /** Resolves when the backend answers; rejects otherwise. Used by `/ready`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
