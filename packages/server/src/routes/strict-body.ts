/**
 * @module routes/strict-body
 * Elysia (1.4, `normalize: true`) cleans a body with exact-mirror *before* validating it, and the cleaner
 * reshapes wrong types instead of rejecting them: `"settings": "dark"` becomes `{"0":"d",...}` and a
 * top-level `42` or `[]` becomes `{}`, which then passes an all-optional schema. This checks the body as
 * sent, before Elysia cleans it, so wrong types are `400 VALIDATION_FAILED`; Elysia still strips unknown
 * fields afterwards. (`normalize: 'typebox'` would also fix it, at about twice the cost on every
 * response.)
 */
import { OptionalKind, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValidationError } from 'elysia';

/**
 * Route options for a JSON body schema: `{ body, transform }`; spread them into the route's options.
 * @example
 * app.post('/', handler, { ...strictBody(CreateProjectBody), auth: true })
 */
export function strictBody<T extends TSchema>(schema: T) {
  const check = TypeCompiler.Compile(schema);
  const optional = OptionalKind in schema;
  return {
    body: schema,
    transform({ body }: { body: unknown }): void {
      if (optional && body === undefined) return;
      if (!check.Check(body)) throw new ValidationError('body', check, body);
    },
  };
}
