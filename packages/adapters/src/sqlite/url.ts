/**
 * @module sqlite/url
 * `DATABASE_URL` forms for SQLite.
 */

const SCHEME = 'sqlite:';

/**
 * The database path in a SQLite URL: `sqlite:<path>`, `sqlite://<path>` (so `sqlite:///abs/x.db` is
 * absolute), or `sqlite::memory:` for an in-memory database (returned as `:memory:`).
 * Throws for any other scheme or an empty path.
 *
 * @example parseSqliteUrl('sqlite:./data/zekka.db') // './data/zekka.db'
 * @example parseSqliteUrl('sqlite::memory:') // ':memory:'
 */
export function parseSqliteUrl(url: string): string {
  if (!url.startsWith(SCHEME)) {
    throw new Error(`Not a SQLite URL (expected "sqlite:<path>" or "sqlite::memory:"): ${url}`);
  }
  let path = url.slice(SCHEME.length);
  if (path.startsWith('//')) path = path.slice(2);
  if (path === '') throw new Error(`SQLite URL has no path: ${url}`);
  return path;
}

/** Whether a URL names a SQLite database; lets config pick the adapter without catching errors. */
export function isSqliteUrl(url: string): boolean {
  return url.startsWith(SCHEME);
}
