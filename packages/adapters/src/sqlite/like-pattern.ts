/**
 * @module sqlite/like-pattern
 * Case-insensitive substring search with `LIKE`. SQLite's `LIKE` already ignores case for ASCII letters
 * (not for other scripts, as SQLite ships without ICU); what it needs is for the user's `%` and `_` to be
 * matched literally, which is what the escaping here and the `ESCAPE '\'` clause in the queries do.
 */

/** The escape character every search query declares with `ESCAPE '\'`. */
export const LIKE_ESCAPE = '\\';

/** `%text%` with `\`, `%` and `_` escaped, or `null` when there is nothing to search for. */
export function containsPattern(search: string | undefined): string | null {
  if (search === undefined || search === '') return null;
  return `%${search.replace(/[\\%_]/g, (char) => `${LIKE_ESCAPE}${char}`)}%`;
}
