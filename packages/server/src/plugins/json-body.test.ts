import { expect, test } from 'bun:test';
import { isJsonContentType } from './json-body.ts';

test('JSON content types, with parameters and +json suffixes', () => {
  expect(isJsonContentType('application/json')).toBe(true);
  expect(isJsonContentType('Application/JSON; charset=utf-8')).toBe(true);
  expect(isJsonContentType('application/merge-patch+json')).toBe(true);
  expect(isJsonContentType('text/plain')).toBe(false);
  expect(isJsonContentType('application/x-www-form-urlencoded')).toBe(false);
  expect(isJsonContentType('text/json+json')).toBe(false);
});
