/**
 * @module plugins/error-envelope
 * Every failure leaves the server in the contract's envelope:
 * `{ success: false, error: { code, message, details? }, requestId }`, with the status from core's one
 * table. Elysia's own answers (422 for schema errors, plain-text 400 for malformed JSON, 404 for unknown
 * routes) are mapped into it here, and anything unexpected becomes a logged `500 INTERNAL` whose message
 * says nothing about the cause.
 */
import type { ErrorCode, ErrorDetail, Logger } from '@zekka/core';
import { ERROR_STATUS, ZekkaError } from '@zekka/core';
import {
  Elysia,
  ElysiaCustomStatusResponse,
  InvalidCookieSignature,
  InvalidFileType,
  NotFoundError,
  ParseError,
  ValidationError,
} from 'elysia';
import { validationDetails } from '../validation-details.ts';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id.ts';

/** The error envelope, as sent. */
export interface ErrorEnvelope {
  success: false;
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
  requestId: string;
}

const INTERNAL_MESSAGE = 'Something went wrong on our side; try again later';

/** Builds the envelope for `error` and sets status and headers on `set`. */
export function errorEnvelope(
  error: ZekkaError,
  set: { status?: number | string; headers: Record<string, string | number> },
): ErrorEnvelope {
  set.status = ERROR_STATUS[error.code];
  // RFC 6750: a 401 names the scheme the client should use.
  if (set.status === 401) set.headers['www-authenticate'] = 'Bearer';
  if (error.retryAfterSeconds !== undefined) {
    set.headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
  }
  const existing = set.headers[REQUEST_ID_HEADER];
  // The request-id plugin runs first; the fallback only matters for an app mounted without it.
  const requestId = typeof existing === 'string' ? existing : requestIdFor(null);
  set.headers[REQUEST_ID_HEADER] = requestId;
  const body: ErrorEnvelope['error'] = { code: error.code, message: error.message };
  if (error.details !== undefined && error.details.length > 0) body.details = error.details;
  return { success: false, error: body, requestId };
}

/**
 * Maps anything thrown while handling a request to a `ZekkaError`. Unknown errors, response-schema
 * failures (a server bug, not bad input) and 5xx statuses are passed to `report` with their cause.
 */
export function toZekkaError(error: unknown, report: (cause: unknown) => void): ZekkaError {
  if (error instanceof ZekkaError) {
    if (ERROR_STATUS[error.code] >= 500) report(error);
    return error;
  }
  if (error instanceof ValidationError) {
    if (error.type === 'response') {
      report(error);
      return new ZekkaError('INTERNAL', INTERNAL_MESSAGE, { cause: error });
    }
    return new ZekkaError('VALIDATION_FAILED', invalidPartMessage(error.type), {
      details: validationDetails(error.all),
    });
  }
  // Elysia wraps whatever a parse hook throws (our 415) in a ParseError.
  if (error instanceof ParseError && error.cause instanceof ZekkaError) return error.cause;
  if (error instanceof ParseError) {
    return new ZekkaError('VALIDATION_FAILED', 'The request body is not valid JSON', {
      details: [{ path: '', message: 'Malformed JSON' }],
    });
  }
  if (error instanceof NotFoundError) return new ZekkaError('NOT_FOUND', 'No such route');
  if (error instanceof InvalidCookieSignature || error instanceof InvalidFileType) {
    return new ZekkaError('VALIDATION_FAILED', 'The request is invalid');
  }
  if (error instanceof ElysiaCustomStatusResponse) return fromStatus(Number(error.code), error, report);
  report(error);
  return new ZekkaError('INTERNAL', INTERNAL_MESSAGE, { cause: error });
}

const PART_NAMES: Record<string, string> = {
  body: 'The request body is invalid',
  query: 'The query string is invalid',
  params: 'The path parameters are invalid',
  headers: 'The request headers are invalid',
  cookie: 'The cookies are invalid',
};

function invalidPartMessage(part: string): string {
  return PART_NAMES[part] ?? 'The request is invalid';
}

/** A bare status thrown with Elysia's `status()`: keep it, under the code core uses for it. */
function fromStatus(status: number, error: unknown, report: (cause: unknown) => void): ZekkaError {
  const code = (Object.keys(ERROR_STATUS) as ErrorCode[]).find((key) => ERROR_STATUS[key] === status);
  if (code === undefined || status >= 500) {
    report(error);
    return new ZekkaError('INTERNAL', INTERNAL_MESSAGE, { cause: error });
  }
  return new ZekkaError(code, 'The request could not be completed');
}

/**
 * The plugin: one global `onError` that answers every failure with the envelope.
 * @param logger - where unexpected errors are logged, with their cause.
 */
export function errorEnvelopePlugin(logger: Logger) {
  return new Elysia({ name: 'zekka/error-envelope', seed: logger }).onError(
    { as: 'global' },
    function toErrorEnvelope({ error, request, set }) {
      const report = (cause: unknown): void => {
        // A dependency being down is an operational condition (one line per request during an outage);
        // everything else reaching here is a bug.
        const dependencyDown =
          cause instanceof ZekkaError && (cause.code === 'UNAVAILABLE' || cause.code === 'MODEL_UNAVAILABLE');
        const fields = {
          method: request.method,
          path: new URL(request.url).pathname,
          requestId: set.headers[REQUEST_ID_HEADER],
          error: cause,
        };
        if (dependencyDown) logger.warn('request failed', fields);
        else logger.error('request failed', fields);
      };
      return errorEnvelope(toZekkaError(error, report), set);
    },
  );
}
