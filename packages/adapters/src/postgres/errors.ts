/**
 * @module postgres/errors
 * The one place Postgres and `pg` failures become Zekka errors, by SQLSTATE (or, for failures below SQL, by
 * the driver's error code or message). Every mapped error keeps the original as `cause`.
 *
 * - 23505 unique violation → `CONFLICT` (with the repository's message).
 * - 23503 foreign-key violation → `NOT_FOUND`, where the caller names the missing parent.
 * - 40001 serialization failure, 40P01 deadlock → retried once by `retryOnce`, then `CONFLICT`.
 * - 22021 (a NUL character, which Postgres text cannot hold) and 22P05 (an untranslatable character) →
 *   `VALIDATION_FAILED`: bad input is a 4xx, and an embedding host gets the same answer as the HTTP API.
 * - The database cannot be reached or dropped the connection → `UNAVAILABLE`, so a client gets a fast 503 it
 *   may retry, never a 500.
 */

import { ZekkaError } from '@zekka/core';

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const RETRYABLE = new Set(['40001', '40P01']);
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

/**
 * SQLSTATEs that mean "the database is not there for us right now". Class 08 (connection exceptions) is
 * matched as a class. 57014 (statement cancelled, i.e. `statement_timeout` hit) is included: a statement
 * that could not finish in time is an overloaded or blocked database, which a client should retry later.
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

/** Socket-level codes Node and Bun put on connection errors. */
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * `pg` and `pg-pool` report these without a code: a connection that ended under a query ("Connection
 * terminated unexpectedly", "… due to connection timeout"), a pool that could not hand out a client in
 * `connectionTimeoutMillis`, a client whose socket already failed.
 */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|Client was closed and is not queryable/;

/** The errors in `error`'s cause chain (drizzle wraps the driver's error in `DrizzleQueryError`). */
function* causeChain(error: unknown): Generator<Error> {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    yield current;
    // Node reports a refused dual-stack connect as an AggregateError of one error per address.
    if (current instanceof AggregateError) {
      for (const inner of current.errors) if (inner instanceof Error) yield inner;
    }
    current = current.cause;
  }
}

const codeOf = (error: Error): string | undefined => {
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * The SQLSTATE of the first database error in the cause chain, if any. A server error (`pg`'s
 * `DatabaseError`) is told from a socket error by its `severity`: both have a string `code`, and some errno
 * codes (`EPIPE`) look like SQLSTATEs.
 */
export function sqlState(error: unknown): string | undefined {
  for (const current of causeChain(error)) {
    const code = codeOf(current);
    if (code !== undefined && typeof (current as Error & { severity?: unknown }).severity === 'string') {
      return code;
    }
  }
  return undefined;
}

/** Whether `error` means the database could not be reached or the connection was lost. */
export function isConnectionFailure(error: unknown): boolean {
  for (const current of causeChain(error)) {
    const code = codeOf(current);
    if (code !== undefined && UNAVAILABLE_ERRNOS.has(code)) return true;
    const state = sqlState(current);
    if (state !== undefined && (UNAVAILABLE_STATES.has(state) || state.startsWith('08'))) return true;
    if (UNAVAILABLE_MESSAGES.test(current.message)) return true;
  }
  return false;
}

/** Whether `error` is a serialization failure or a deadlock: the transaction may succeed if run again. */
export function isRetryableConflict(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && RETRYABLE.has(state);
}

export interface ErrorRules {
  /** Message of the `CONFLICT` a unique violation becomes. */
  conflict?: string;
  /** When given, a foreign-key violation becomes `NOT_FOUND` with this message (a parent row is missing). */
  missingParent?: string;
}

const DEFAULT_CONFLICT = 'This record already exists';
const CONCURRENT_CHANGE = 'A concurrent change got in the way; try again';

/**
 * The Zekka error `error` stands for, or `error` itself when it is already a `ZekkaError` or has no mapping
 * (a bug, which should surface as an internal error with its full cause).
 */
export function toStoreError(error: unknown, rules: ErrorRules = {}): unknown {
  if (error instanceof ZekkaError) return error;
  const state = sqlState(error);
  if (state === UNIQUE_VIOLATION) {
    return new ZekkaError('CONFLICT', rules.conflict ?? DEFAULT_CONFLICT, { cause: error });
  }
  if (state === FOREIGN_KEY_VIOLATION && rules.missingParent !== undefined) {
    return new ZekkaError('NOT_FOUND', rules.missingParent, { cause: error });
  }
  if (state !== undefined && RETRYABLE.has(state)) {
    return new ZekkaError('CONFLICT', CONCURRENT_CHANGE, { cause: error });
  }
  if (state !== undefined && UNSTORABLE_TEXT.has(state)) {
    return new ZekkaError(
      'VALIDATION_FAILED',
      'Text must not contain NUL or characters the database cannot store',
      {
        cause: error,
      },
    );
  }
  if (isConnectionFailure(error)) {
    return new ZekkaError('UNAVAILABLE', 'The database is unavailable', { cause: error });
  }
  return error;
}

/** Runs `work`, rethrowing its failure mapped by `toStoreError`. */
export async function guard<T>(work: () => Promise<T>, rules?: ErrorRules): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toStoreError(error, rules);
  }
}

/**
 * Runs `work`, and once more if it failed with a serialization failure or a deadlock — Postgres aborted it
 * so another transaction could win, and a second run normally goes through. A second such failure is left
 * for `toStoreError` to report as `CONFLICT`.
 */
export async function retryOnce<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isRetryableConflict(error)) throw error;
    return work();
  }
}

type AsyncMethods<T> = { [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? T[K] : never };

/**
 * The repository with every method wrapped in `guard`, so no failure of any method, present or future,
 * escapes unmapped (a lost connection is `UNAVAILABLE` everywhere, not only where someone remembered).
 * Methods with their own rules (`conflict`, `missingParent`) apply them first; their `ZekkaError`s pass.
 */
export function guardRepository<T extends AsyncMethods<T>>(repository: T): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(repository) as [
    string,
    (...args: unknown[]) => Promise<unknown>,
  ][]) {
    guarded[name] = (...args: unknown[]) => guard(() => method(...args));
  }
  return guarded as T;
}
