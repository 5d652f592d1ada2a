/**
 * @module validate
 * Input validation for service calls. The server validates requests too, but an embedding host calls the
 * services directly, so core checks its own inputs with the same schemas.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { type ErrorDetail, ZekkaError } from '../errors.ts';
import { registerFormats } from '../schemas/formats.ts';

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor<T extends TSchema>(schema: T): TypeCheck<T> {
  let check = compiled.get(schema);
  if (!check) {
    registerFormats();
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check as TypeCheck<T>;
}

/** Returns `value` typed by `schema`, or throws `VALIDATION_FAILED` with one detail per problem (max 20). */
export function parseInput<T extends TSchema>(schema: T, value: unknown): Static<T> {
  const check = checkerFor(schema);
  if (check.Check(value)) return value;
  const details: ErrorDetail[] = [];
  for (const error of check.Errors(value)) {
    details.push({ path: error.path || '/', message: error.message });
    if (details.length >= 20) break;
  }
  throw new ZekkaError('VALIDATION_FAILED', 'The request is not valid', { details });
}

/** Trims `value` and refuses an empty result (schemas check length, not blankness). */
export function nonBlank(value: string, path: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) {
    throw new ZekkaError('VALIDATION_FAILED', 'The request is not valid', {
      details: [{ path, message: 'Must not be blank' }],
    });
  }
  return trimmed;
}
