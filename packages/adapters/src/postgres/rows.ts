/**
 * @module postgres/rows
 * Reading the rows drizzle returns for statements that affect at most one row.
 */

/** The first row, or `null` when the statement matched nothing. */
export function firstOrNull<T>(rows: readonly T[]): T | null {
  return rows[0] ?? null;
}

/** The row an `INSERT … RETURNING` of one row produced; its absence is a bug, not a "not found". */
export function insertedRow<T>(rows: readonly T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
  return row;
}
