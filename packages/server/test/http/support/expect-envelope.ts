/**
 * @module expect-envelope
 * Assertions for the contract's envelopes, so every test checks the whole shape the same way.
 */
import { expect } from 'bun:test';
import type { ApiResponse } from './http-client.ts';

/** Asserts the error envelope: status, code, a human message, a `requestId` matching `X-Request-Id`. */
export function expectError(res: ApiResponse<unknown>, status: number, code?: string): void {
  expect({ status: res.status, body: res.json }).toMatchObject({ status, body: { success: false } });
  expect(res.error).toBeDefined();
  if (code !== undefined) expect(res.error?.code).toBe(code);
  expect(typeof res.error?.message).toBe('string');
  expect(res.requestId).toBeString();
  expect(res.requestId?.length).toBeGreaterThan(0);
  expect(res.headers.get('x-request-id')).toBe(res.requestId ?? null);
}

/** Asserts a success envelope with the given status and returns its `data`. */
export function expectOk<T>(res: ApiResponse<T>, status = 200): T {
  expect({ status: res.status, body: res.json }).toMatchObject({ status, body: { success: true } });
  expect(res.json).toHaveProperty('data');
  expect(res.headers.get('x-request-id')).toBeTruthy();
  return res.data;
}

/** Asserts a `204` with an empty body. */
export function expectNoContent(res: ApiResponse<unknown>): void {
  expect({ status: res.status, text: res.text }).toEqual({ status: 204, text: '' });
  expect(res.headers.get('x-request-id')).toBeTruthy();
}

/** Asserts a 4xx (never 5xx) in the error envelope. */
export function expectClientError(res: ApiResponse<unknown>): void {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expectError(res, res.status);
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
export const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
