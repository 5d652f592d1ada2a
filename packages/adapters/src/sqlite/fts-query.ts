/**
 * @module sqlite/fts-query
 * Turning what a user typed into an FTS5 query that cannot be a syntax error. FTS5 reads `"`, `*`, `^`,
 * `:`, `(`, `AND`/`OR`/`NOT`/`NEAR` and more as operators; a stray one fails the whole statement. Every
 * whitespace-separated word becomes a quoted string instead (`"` doubled inside), which FTS5 matches as a
 * phrase of the tokens in it: `e-mail` finds "e mail", `a OR` finds both words. Words are ANDed, like
 * Postgres's `plainto_tsquery`, so both stores answer the same question.
 */

/** A letter or digit: a word without one yields no token under unicode61 and is dropped. */
const TOKEN_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * The FTS5 query for `text`, or `null` when it has no word to search for (then nothing matches).
 *
 * @example toFtsQuery('say "hi" OR *') // '"say" """hi""" "OR"'
 */
export function toFtsQuery(text: string): string | null {
  const words = text.split(/\s+/u).filter((word) => TOKEN_CHARACTER.test(word));
  if (words.length === 0) return null;
  return words.map((word) => `"${word.replaceAll('"', '""')}"`).join(' ');
}
