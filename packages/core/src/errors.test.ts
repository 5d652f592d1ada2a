import { expect, test } from 'bun:test';
import { ERROR_CODES, ERROR_STATUS, ZekkaError } from './errors.ts';

test('every code has a status and the contract statuses hold', () => {
  expect(ERROR_CODES).toHaveLength(16);
  expect(ERROR_STATUS.VALIDATION_FAILED).toBe(400);
  expect(ERROR_STATUS.ACCOUNT_LOCKED).toBe(423);
  expect(ERROR_STATUS.BUDGET_EXCEEDED).toBe(402);
  expect(new ZekkaError('RATE_LIMITED', 'slow down').status).toBe(429);
});

test('errors keep their cause', () => {
  const cause = new Error('driver said no');
  const error = new ZekkaError('UNAVAILABLE', 'The store is unavailable', { cause });
  expect(error.cause).toBe(cause);
  expect(error.message).not.toContain('driver');
});
