/**
 * @module routes/route-deps
 * What every route module is built from: the Zekka services and the plugins that give routes their
 * `auth` and `authRateLimit` options.
 */

import { type TSchema, Type } from '@sinclair/typebox';
import type { Cache, Logger, Zekka } from '@zekka/core';
import type { ClientIpResolver } from '../client-ip.ts';
import type { authPlugin } from '../plugins/auth.ts';
import type { rateLimitPlugin } from '../plugins/rate-limit.ts';

export interface RouteDeps {
  zekka: Zekka;
  /** Provides the `auth: true` route option (and `actor` in the handler). */
  auth: ReturnType<typeof authPlugin>;
  /** Provides the `authRateLimit: true` route option. */
  rateLimit: ReturnType<typeof rateLimitPlugin>;
  clientIp: ClientIpResolver;
  /** Where `Idempotency-Key` answers are kept (see `idempotency.ts`). */
  idempotencyCache: Cache;
  /** Where failures a route handles itself (inside an event stream) are logged. */
  logger: Logger;
  /** Wraps a route's response schemas: checked at run time, or documented only (see `responseSchemas`). */
  responses: <T extends Record<number, TSchema>>(schemas: T) => T;
}

/**
 * The `responses` of `RouteDeps`. With `validate`, Elysia checks every response against its schema (a
 * server bug becomes a 500 instead of a malformed answer); without it, the schemas still type the client,
 * fill the OpenAPI document and strip undeclared fields, but the per-field check is skipped — on a 20-row
 * list it costs more than the query behind it.
 */
export function responseSchemas(validate: boolean): RouteDeps['responses'] {
  if (validate) return (schemas) => schemas;
  return (schemas) => {
    const unchecked: Record<number, TSchema> = {};
    for (const [status, schema] of Object.entries(schemas))
      unchecked[Number(status)] = { ...schema, noValidate: true };
    return unchecked as typeof schemas;
  };
}

/** The optional `Idempotency-Key` header of the create routes, for validation and OpenAPI. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 128,
      description:
        'Retrying with the same key within 24 h replays the first answer (`Idempotency-Replayed: true`) ' +
        'and creates nothing; the same key with a different body is `409`.',
    }),
  ),
});

/** The OpenAPI `security` of a route anyone may call (the API's default is the bearer scheme). */
export const ANONYMOUS: Record<string, string[]>[] = [];
