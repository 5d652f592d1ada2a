/**
 * @module postgres/usage
 * `UsageRepository` on Postgres. Sums stay exact: `sum(bigint)` is `numeric`, cast back to `bigint` (and
 * `sum(integer)`, `count(*)` are `bigint`), which `pg` hands over as a string of digits; `Number()` reads it
 * exactly up to 2^53 (9 billion dollars in micro-dollars), never through a float. Usage rows are the
 * project's spending record: they are summed whatever became of the conversation or the account behind them.
 */

import type { UsageRecord, UsageRepository, UsageTotals } from '@zekka/core';
import { and, asc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { byteOrder, type PostgresDatabase } from './database.ts';
import { guard, guardRepository } from './errors.ts';
import { usageRecords } from './schema.ts';

type Executor = Pick<PostgresDatabase, 'select'>;

/** `sum(column)` of the matching rows as an exact integer, 0 when none. */
const exactSum = (column: AnyPgColumn) => sql<number>`coalesce(sum(${column}), 0)::bigint`.mapWith(Number);

/** Σ over the project's usage rows matching `window`; unpriced calls (null cost) add nothing. */
export async function usageTotals(db: Executor, projectId: string, window?: SQL): Promise<UsageTotals> {
  const [row] = await db
    .select({
      calls: sql<number>`count(*)`.mapWith(Number),
      inputTokens: exactSum(usageRecords.inputTokens),
      outputTokens: exactSum(usageRecords.outputTokens),
      costMicroUsd: exactSum(usageRecords.costMicroUsd),
    })
    .from(usageRecords)
    .where(and(eq(usageRecords.projectId, projectId), window));
  return row ?? { calls: 0, inputTokens: 0, outputTokens: 0, costMicroUsd: 0 };
}

export function createUsageRepository(db: PostgresDatabase): UsageRepository {
  // Every model call checks the project's budget: two windows of this sum.
  const spent = db
    .select({ micro: exactSum(usageRecords.costMicroUsd) })
    .from(usageRecords)
    .where(
      and(
        eq(usageRecords.projectId, sql.placeholder('projectId')),
        gte(usageRecords.createdAt, sql.placeholder('from')),
        lt(usageRecords.createdAt, sql.placeholder('to')),
      ),
    )
    .prepare('zekka_usage_spent');

  return guardRepository<UsageRepository>({
    async record(usage: UsageRecord) {
      await guard(() => db.insert(usageRecords).values(usage), {
        conflict: 'This usage record already exists',
        missingParent: 'No such project, user, conversation or message',
      });
    },

    async spent(projectId, from, to) {
      const [row] = await spent.execute({ projectId, from, to });
      return row?.micro ?? 0;
    },

    async totals(projectId, from) {
      return usageTotals(db, projectId, from === undefined ? undefined : gte(usageRecords.createdAt, from));
    },

    async listByUser(userId) {
      return db
        .select()
        .from(usageRecords)
        .where(eq(usageRecords.userId, userId))
        .orderBy(asc(usageRecords.createdAt), asc(byteOrder(usageRecords.id)));
    },
  });
}
