/**
 * @module errors
 * The one error class every Zekka service throws, with a closed set of codes and the single table that maps
 * each code to its HTTP status. Nothing else decides a status.
 */

/** Every error code a Zekka service can report. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  AUTH_REQUIRED: 401,
  TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  BUDGET_EXCEEDED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  MODEL_UNAVAILABLE: 503,
  UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** One problem with one input field; `path` is a JSON pointer such as `/email`. */
export interface ErrorDetail {
  path: string;
  message: string;
}

export interface ZekkaErrorOptions {
  details?: ErrorDetail[];
  /** Seconds the client should wait before retrying (sent as `Retry-After`). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * A failure a client can act on. `message` is for humans and never carries internals; the original error,
 * when there is one, is kept as `cause` for logs.
 */
export class ZekkaError extends Error {
  override readonly name = 'ZekkaError';
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: ZekkaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The HTTP status this error is answered with. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isZekkaError(error: unknown): error is ZekkaError {
  return error instanceof ZekkaError;
}

/** Shorthands for the errors services throw most, so call sites read as sentences. */
export const notFound = (what: string) => new ZekkaError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'Your role does not allow this action') =>
  new ZekkaError('FORBIDDEN', message);
export const conflict = (message: string) => new ZekkaError('CONFLICT', message);
export const validationFailed = (message: string, details: ErrorDetail[] = []) =>
  new ZekkaError('VALIDATION_FAILED', message, { details });
