/**
 * @module routes/route-deps
 * What every route module is built from: the Zekka services and the plugins that give routes their
 * `auth` and `authRateLimit` options.
 */

import { Type } from '@sinclair/typebox';
import type { Cache, Zekka } from '@zekka/core';
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
