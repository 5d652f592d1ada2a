import { describe, expect, test } from 'bun:test';
import { ZekkaError } from '@zekka/core';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { guard, guardRepository, isConnectionFailure, retryOnce, toStoreError } from './errors.ts';

/** A server error as `pg` reports it (a `DatabaseError` has a `severity` and the SQLSTATE as `code`). */
function databaseError(code: string, message = `SQLSTATE ${code}`): Error {
  return Object.assign(new Error(message), { severity: 'ERROR', code });
}

/** How drizzle hands it on: wrapped, with the driver's error as `cause`. */
const wrapped = (cause: Error) => new DrizzleQueryError('select 1', [], cause);

/** A socket error as Node or Bun reports it. */
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });

function mapped(error: unknown, rules?: Parameters<typeof toStoreError>[1]): ZekkaError {
  const result = toStoreError(error, rules);
  expect(result).toBeInstanceOf(ZekkaError);
  expect((result as ZekkaError).cause).toBe(error);
  return result as ZekkaError;
}

describe('toStoreError', () => {
  test('a unique violation is CONFLICT with the given message, even when wrapped by drizzle', () => {
    expect(mapped(wrapped(databaseError('23505')), { conflict: 'E-mail taken' })).toMatchObject({
      code: 'CONFLICT',
      message: 'E-mail taken',
    });
    expect(mapped(databaseError('23505')).code).toBe('CONFLICT');
  });

  test('text Postgres cannot store (NUL, untranslatable characters) is VALIDATION_FAILED, not a 500', () => {
    expect(mapped(wrapped(databaseError('22021'))).code).toBe('VALIDATION_FAILED');
    expect(mapped(databaseError('22P05')).code).toBe('VALIDATION_FAILED');
  });

  test('a foreign-key violation is NOT_FOUND only where the caller names the missing parent', () => {
    const error = wrapped(databaseError('23503'));
    expect(mapped(error, { missingParent: 'No such project' })).toMatchObject({
      code: 'NOT_FOUND',
      message: 'No such project',
    });
    expect(toStoreError(error)).toBe(error);
  });

  test('serialization failures and deadlocks that outlived the retry are CONFLICT', () => {
    expect(mapped(wrapped(databaseError('40001'))).code).toBe('CONFLICT');
    expect(mapped(wrapped(databaseError('40P01'))).code).toBe('CONFLICT');
  });

  test.each([
    ['refused', socketError('ECONNREFUSED')],
    ['reset', socketError('ECONNRESET')],
    ['timed out', socketError('ETIMEDOUT')],
    ['refused on every address', new AggregateError([socketError('ECONNREFUSED')], 'connect failed')],
    ['terminated', new Error('Connection terminated unexpectedly')],
    ['connect timeout', new Error('Connection terminated due to connection timeout')],
    ['pool exhausted', new Error('timeout exceeded when trying to connect')],
    ['dead client', new Error('Client has encountered a connection error and is not queryable')],
    ['class 08', databaseError('08006')],
    ['admin shutdown', databaseError('57P01')],
    ['crash shutdown', databaseError('57P02')],
    ['starting up', databaseError('57P03')],
    ['too many connections', databaseError('53300')],
    ['statement timeout', databaseError('57014')],
  ])('a connection failure (%s) is UNAVAILABLE', (_, cause) => {
    const error = mapped(wrapped(cause));
    expect(error).toMatchObject({ code: 'UNAVAILABLE', message: 'The database is unavailable' });
    expect(isConnectionFailure(cause)).toBe(true);
  });

  test('an errno that looks like a SQLSTATE is not read as one', () => {
    expect(mapped(socketError('EPIPE')).code).toBe('UNAVAILABLE');
  });

  test('other errors pass through untouched, ZekkaErrors included', () => {
    const syntax = wrapped(databaseError('42601'));
    expect(toStoreError(syntax)).toBe(syntax);
    const zekka = new ZekkaError('NOT_FOUND', 'gone');
    expect(toStoreError(zekka, { conflict: 'x' })).toBe(zekka);
    expect(isConnectionFailure(new Error('Cannot use a pool after calling end on the pool'))).toBe(false);
  });
});

describe('retryOnce', () => {
  test('runs again once after a deadlock or serialization failure', async () => {
    for (const state of ['40P01', '40001']) {
      let calls = 0;
      const result = await retryOnce(async () => {
        calls++;
        if (calls === 1) throw wrapped(databaseError(state));
        return 'done';
      });
      expect({ result, calls }).toEqual({ result: 'done', calls: 2 });
    }
  });

  test('a second failure is not retried again and maps to CONFLICT through guard', async () => {
    let calls = 0;
    const work = guard(() =>
      retryOnce(async () => {
        calls++;
        throw wrapped(databaseError('40P01'));
      }),
    );
    await expect(work).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(calls).toBe(2);
  });

  test('other failures are not retried', async () => {
    let calls = 0;
    const work = retryOnce(async () => {
      calls++;
      throw wrapped(databaseError('23505'));
    });
    await expect(work).rejects.toBeInstanceOf(DrizzleQueryError);
    expect(calls).toBe(1);
  });
});

test('guardRepository maps the failures of every method and keeps their results', async () => {
  const repository = guardRepository({
    async ok(value: number) {
      return value * 2;
    },
    async lost(): Promise<never> {
      throw wrapped(new Error('Connection terminated unexpectedly'));
    },
  });
  expect(await repository.ok(21)).toBe(42);
  await expect(repository.lost()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
});
