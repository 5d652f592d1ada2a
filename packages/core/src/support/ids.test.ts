import { expect, test } from 'bun:test';
import { randomToken, uuidv7 } from './ids.ts';

test('uuidv7 has version 7, the RFC variant, and sorts by time', () => {
  const a = uuidv7(1_700_000_000_000);
  const b = uuidv7(1_700_000_000_001);
  expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(a < b).toBe(true);
  expect(a.slice(0, 13).replace('-', '')).toBe((1_700_000_000_000).toString(16).padStart(12, '0'));
});

test('randomToken is base64url of the requested size and unique', () => {
  const tokens = new Set(Array.from({ length: 1000 }, () => randomToken(32)));
  expect(tokens.size).toBe(1000);
  for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
});
