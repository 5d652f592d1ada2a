/**
 * @module postgres/page-total
 * The `total` of a page without a count query when the page itself tells it (the rule of
 * `sqlite/page-total.ts`, for counts that are a round trip away).
 */

/**
 * A page shorter than `limit` that has rows is the last one, so `offset + rows` is the exact total and the
 * count query is skipped (the common case: most lists fit in one page). A full page, or an empty one past
 * the start, cannot tell what lies beyond; then `count()` runs.
 */
export async function pageTotal(
  offset: number,
  limit: number,
  rows: number,
  count: () => Promise<number>,
): Promise<number> {
  if (rows < limit && (rows > 0 || offset === 0)) return offset + rows;
  return count();
}
