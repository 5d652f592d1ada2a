/**
 * @module routes/envelope
 * The success envelope and the error responses every route declares, so handlers and OpenAPI agree.
 */

import { type TObject, Type } from '@sinclair/typebox';
import type { Paged } from '@zekka/core';
import { ErrorBody, Ok } from '@zekka/core/schemas';

/** `{ success: true, data }`. */
export function ok<T>(data: T): { success: true; data: T } {
  return { success: true, data };
}

/** `{ success: true, data: items, pagination }` for a page from a service. */
export function page<T>(paged: Paged<T>) {
  return {
    success: true as const,
    data: paged.items,
    pagination: {
      limit: paged.limit,
      offset: paged.offset,
      total: paged.total,
      hasMore: paged.offset + paged.items.length < paged.total,
    },
  };
}

/** What each error status means on this API, for the OpenAPI descriptions. */
const ERROR_MEANING = {
  400: 'Invalid input (`VALIDATION_FAILED`, with `details`)',
  401: 'Missing, invalid or expired credentials (`AUTH_REQUIRED`, `TOKEN_INVALID`, `TOKEN_EXPIRED`, `INVALID_CREDENTIALS`)',
  402: "The project's budget is spent and it has no fallback model (`BUDGET_EXCEEDED`)",
  403: 'Your role does not allow this action (`FORBIDDEN`)',
  404: 'No such resource, or not one you can see (`NOT_FOUND`)',
  409: 'Conflicts with the current state (`CONFLICT`)',
  415: 'The body is not JSON (`UNSUPPORTED_MEDIA_TYPE`)',
  423: 'The account is locked after failed sign-ins (`ACCOUNT_LOCKED`)',
  429: 'Too many requests; see `Retry-After` (`RATE_LIMITED`)',
  503: 'The model failed or timed out (`MODEL_UNAVAILABLE`), or a dependency is down (`UNAVAILABLE`)',
} as const;

type ErrorStatus = keyof typeof ERROR_MEANING;

/** The error envelope schema, described for one status. */
const errorBodyFor = (status: ErrorStatus): TObject<typeof ErrorBody.properties> =>
  Type.Object(ErrorBody.properties, { description: ERROR_MEANING[status] });

const ERROR_BODIES = Object.fromEntries(
  (Object.keys(ERROR_MEANING) as `${ErrorStatus}`[]).map((status) => [
    status,
    errorBodyFor(Number(status) as ErrorStatus),
  ]),
) as { [S in ErrorStatus]: TObject<typeof ErrorBody.properties> };

/** The error responses a route declares, e.g. `{ 200: Ok(User), ...errors(400, 401, 429) }`. */
export function errors<const S extends ErrorStatus[]>(
  ...statuses: S
): { [K in S[number]]: TObject<typeof ErrorBody.properties> } {
  const declared: Partial<Record<ErrorStatus, TObject<typeof ErrorBody.properties>>> = {};
  for (const status of statuses) declared[status] = ERROR_BODIES[status];
  return declared as { [K in S[number]]: TObject<typeof ErrorBody.properties> };
}

/** The 202 answer: the envelope with `data: null` (the work happens after the answer). */
export const Accepted = Type.Object(Ok(Type.Null()).properties, { description: 'Accepted' });

/** The 204 answer: no body. */
export const NoContent = Type.Void({ description: 'Done; no body' });
