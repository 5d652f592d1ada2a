/**
 * @module sqlite/constraint-error
 * The one place SQLite constraint errors become Zekka errors, so every repository reports a uniqueness
 * violation the same way (the contract's `CONFLICT`).
 */

import { ZekkaError } from '@zekka/core';

/** Extended result codes bun:sqlite puts on `SQLiteError.code` for the rules the contract calls uniqueness. */
const UNIQUE_VIOLATIONS = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/**
 * Whether `error`, or an error in its `cause` chain, is a unique or primary-key violation. The chain is
 * walked because drizzle may wrap the driver's error in a `DrizzleQueryError`.
 */
export function isUniqueViolation(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && UNIQUE_VIOLATIONS.has(code)) return true;
    current = current.cause;
  }
  return false;
}

/**
 * Runs a synchronous write and turns a uniqueness violation into `ZekkaError('CONFLICT', message)`, keeping
 * the driver's error as `cause`. Other errors pass through untouched.
 */
export function mapUniqueViolation<T>(message: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ZekkaError('CONFLICT', message, { cause: error });
    throw error;
  }
}
