/**
 * @module postgres/url
 * `DATABASE_URL` forms for Postgres.
 */

/**
 * Whether a URL names a Postgres database (`postgres://` or `postgresql://`, as libpq and `pg` accept);
 * lets config pick the adapter without catching errors.
 *
 * @example isPostgresUrl('postgres://zekka@db:5432/zekka') // true
 * @example isPostgresUrl('sqlite:./data/zekka.db') // false
 */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(url);
}
