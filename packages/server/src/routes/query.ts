/**
 * @module routes/query
 * Query strings are text, and Elysia only converts `number` and `boolean` query fields by itself; core's
 * list schemas use `integer` (`limit`, `offset`). This converts the integer fields of a query schema
 * before validation, so the schema stays core's one copy and the errors read "Expected integer" at
 * `/limit` rather than a union message.
 */
import { Kind, type TObject, type TSchema } from '@sinclair/typebox';

/** Any whole number: one too large for the field then reads "Expected integer to be less or equal to …". */
const INTEGER_TEXT = /^-?\d{1,400}$/;

/** The names of a query schema's integer fields. */
function integerFields(schema: TObject): string[] {
  return Object.entries(schema.properties as Record<string, TSchema>)
    .filter(([, field]) => field[Kind] === 'Integer')
    .map(([name]) => name);
}

/**
 * Route options for a query schema: `{ query, transform }`; spread them into the route's options.
 * @example
 * app.get('/', handler, { ...integerQuery(ProjectListQuery), auth: true })
 */
export function integerQuery<T extends TObject>(schema: T) {
  const fields = integerFields(schema);
  return {
    query: schema,
    transform({ query }: { query: unknown }): void {
      const raw = query as Record<string, unknown>;
      for (const field of fields) {
        const value = raw[field];
        if (typeof value === 'string' && INTEGER_TEXT.test(value)) raw[field] = Number(value);
      }
    },
  };
}
