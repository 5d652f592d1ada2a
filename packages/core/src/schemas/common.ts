/**
 * @module schemas/common
 * Building blocks shared by every resource schema.
 */
import { type TSchema, Type } from '@sinclair/typebox';

/** UUIDv7 (or any RFC 9562 UUID) in canonical lower- or upper-case form. */
export const Id = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  description: 'A UUIDv7',
  examples: ['01936f6e-8a4b-7c1d-9e2f-3a4b5c6d7e8f'],
});

export const Timestamp = Type.String({ format: 'date-time', description: 'ISO-8601 UTC timestamp' });

export const Email = Type.String({
  format: 'email',
  minLength: 3,
  maxLength: 254,
  description: 'Compared case-insensitively; stored lower-cased',
});

/** A password as typed; the policy (length, classes, deny-list) is checked by the auth service. */
export const Password = Type.String({ minLength: 1, maxLength: 128 });

export const PersonName = Type.String({ minLength: 1, maxLength: 100 });

export const Limit = (max = 100, fallback = 20) =>
  Type.Integer({ minimum: 1, maximum: max, default: fallback, description: `1–${max}, default ${fallback}` });

/** Beyond any list's length; a bound keeps absurd values a clear `400` rather than a store's problem. */
export const MAX_OFFSET = 1_000_000_000;

export const Offset = Type.Integer({
  minimum: 0,
  maximum: MAX_OFFSET,
  default: 0,
  description: `Rows to skip, 0–${MAX_OFFSET}`,
});

export const PageQuery = Type.Object({
  limit: Type.Optional(Limit()),
  offset: Type.Optional(Offset),
});

export const Pagination = Type.Object({
  limit: Type.Integer(),
  offset: Type.Integer(),
  total: Type.Integer(),
  hasMore: Type.Boolean(),
});

export const ErrorBody = Type.Object(
  {
    success: Type.Literal(false),
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
    }),
    requestId: Type.String(),
  },
  { description: 'The error envelope' },
);

/** `{ success: true, data }`. */
export const Ok = <T extends TSchema>(data: T) => Type.Object({ success: Type.Literal(true), data });

/** `{ success: true, data: [...], pagination }`. */
export const OkPage = <T extends TSchema>(item: T) =>
  Type.Object({ success: Type.Literal(true), data: Type.Array(item), pagination: Pagination });
