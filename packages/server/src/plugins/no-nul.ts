/**
 * @module plugins/no-nul
 * Refuses NUL characters (U+0000) in JSON bodies and query strings with `400 VALIDATION_FAILED`, before
 * any route sees them. Postgres `text` cannot hold a NUL at all (it answers "invalid byte sequence"), so
 * without this a name, an e-mail or a search term carrying one would be a 500 on Postgres and stored as
 * is on SQLite. Refusing it at the edge gives one answer on every store, and no text field in the contract
 * has a use for it.
 */
import { ZekkaError } from '@zekka/core';
import { Elysia } from 'elysia';

const NUL = '\u0000';
const MESSAGE = 'Must not contain NUL (U+0000) characters';
/** Deeper than any body the schemas accept; a deeper one is refused by validation anyway. */
const MAX_DEPTH = 32;
const MAX_DETAILS = 20;

/** JSON pointers (`/settings/theme`) to every string, or key, in `value` that holds a NUL. */
export function nulPaths(value: unknown, path = '', depth = 0, found: string[] = []): string[] {
  if (found.length >= MAX_DETAILS || depth > MAX_DEPTH) return found;
  if (typeof value === 'string') {
    if (value.includes(NUL)) found.push(path);
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) nulPaths(item, `${path}/${index}`, depth + 1, found);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const itemPath = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (key.includes(NUL)) found.push(itemPath);
      else nulPaths(item, itemPath, depth + 1, found);
    }
  }
  return found;
}

export const noNulPlugin = new Elysia({ name: 'zekka/no-nul' }).onTransform(
  { as: 'global' },
  function refuseNul({ body, query }) {
    for (const [value, message] of [
      [query, 'The query string is invalid'],
      [body, 'The request body is invalid'],
    ] as const) {
      const paths = nulPaths(value);
      if (paths.length > 0) {
        throw new ZekkaError('VALIDATION_FAILED', message, {
          details: paths.map((path) => ({ path, message: MESSAGE })),
        });
      }
    }
  },
);
