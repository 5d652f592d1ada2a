import { describe, expect, test } from 'bun:test';
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Id } from '@zekka/core/schemas';
import { validationDetails } from './validation-details.ts';

const detailsFor = (schema: Parameters<typeof TypeCompiler.Compile>[0], value: unknown) =>
  validationDetails(TypeCompiler.Compile(schema).Errors(value));

describe('validationDetails', () => {
  test('one detail per path, naming literal choices and described patterns', () => {
    const schema = Type.Object({
      id: Id,
      status: Type.Union([Type.Literal('active'), Type.Literal('archived')]),
      note: Type.Union([Type.String({ maxLength: 2 }), Type.Null()]),
      count: Type.Integer({ minimum: 1 }),
    });
    expect(detailsFor(schema, { id: 'x', status: 'gone', note: 5, count: 0 })).toEqual([
      { path: '/id', message: 'Expected a UUIDv7' },
      { path: '/status', message: 'Expected one of: active, archived' },
      { path: '/note', message: 'Expected a value of one of the allowed types' },
      { path: '/count', message: 'Expected integer to be greater or equal to 1' },
    ]);
  });

  test('a missing required field says so', () => {
    expect(detailsFor(Type.Object({ email: Type.String() }), {})[0]).toEqual({
      path: '/email',
      message: 'Required',
    });
  });

  test('never echoes the value and stops at 20 details', () => {
    const schema = Type.Object(
      Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, Type.String({ maxLength: 1 })])),
    );
    const value = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, 'hunter2-secret']));
    const details = detailsFor(schema, value);
    expect(details).toHaveLength(20);
    expect(JSON.stringify(details)).not.toContain('hunter2');
  });
});
