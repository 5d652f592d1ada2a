/**
 * @module sqlite/constraint-error
 * The one place SQLite constraint errors become Zekka errors, so every repository reports a uniqueness
 * violation the same way (the contract's `CONFLICT`).
 */

import { ZekkaError } from '@zekka/core';

/** Extended result codes bun:sqlite puts on `SQLiteError.code` for the rules the contract calls uniqueness. */
const UNIQUE_VIOLATIONS = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const FOREIGN_KEY_VIOLATIONS = new Set(['SQLITE_CONSTRAINT_FOREIGNKEY']);

/**
 * Whether `error`, or an error in its `cause` chain, has one of `codes`. The chain is walked because
 * drizzle may wrap the driver's error in a `DrizzleQueryError`.
 */
function hasCode(error: unknown, codes: ReadonlySet<string>): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && codes.has(code)) return true;
    current = current.cause;
  }
  return false;
}

/** Whether `error` (or its cause) is a unique or primary-key violation. */
export const isUniqueViolation = (error: unknown): boolean => hasCode(error, UNIQUE_VIOLATIONS);

/** Whether `error` (or its cause) is a foreign-key violation: the row refers to a parent that is not there. */
export const isForeignKeyViolation = (error: unknown): boolean => hasCode(error, FOREIGN_KEY_VIOLATIONS);

/**
 * Runs a synchronous write and turns a uniqueness violation into `ZekkaError('CONFLICT', message)` and,
 * when `missingParent` is given, a foreign-key violation into `ZekkaError('NOT_FOUND', missingParent)`,
 * keeping the driver's error as `cause`. Other errors pass through untouched.
 */
export function mapUniqueViolation<T>(message: string, write: () => T, missingParent?: string): T {
  try {
    return write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ZekkaError('CONFLICT', message, { cause: error });
    if (missingParent !== undefined && isForeignKeyViolation(error)) {
      throw new ZekkaError('NOT_FOUND', missingParent, { cause: error });
    }
    throw error;
  }
}
