/**
 * @module sqlite/usage
 * `UsageRepository` on SQLite. Sums are SQLite's 64-bit integer arithmetic, so money adds up exactly (and
 * an overflow would raise an error rather than round). Usage rows are the project's spending record: they
 * are summed whatever became of the conversation or the account behind them.
 */

import type { UsageRecord, UsageRepository, UsageTotals } from '@zekka/core';
import { and, asc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import { mapUniqueViolation } from './constraint-error.ts';
import type { SqliteDatabase } from './database.ts';
import { usageRecords } from './schema.ts';

type Executor = Pick<SqliteDatabase, 'select'>;

/** Σ over the project's usage rows matching `window`; unpriced calls (null cost) add nothing. */
export function usageTotals(db: Executor, projectId: string, window?: SQL): UsageTotals {
  const row = db
    .select({
      calls: sql<number>`count(*)`,
      inputTokens: sql<number>`coalesce(sum(${usageRecords.inputTokens}), 0)`,
      outputTokens: sql<number>`coalesce(sum(${usageRecords.outputTokens}), 0)`,
      costMicroUsd: sql<number>`coalesce(sum(${usageRecords.costMicroUsd}), 0)`,
    })
    .from(usageRecords)
    .where(and(eq(usageRecords.projectId, projectId), window))
    .get();
  return row ?? { calls: 0, inputTokens: 0, outputTokens: 0, costMicroUsd: 0 };
}

export function createUsageRepository(db: SqliteDatabase): UsageRepository {
  // Every model call checks the project's budget: two windows of this sum.
  const spent = db
    .select({ micro: sql<number>`coalesce(sum(${usageRecords.costMicroUsd}), 0)` })
    .from(usageRecords)
    .where(
      and(
        eq(usageRecords.projectId, sql.placeholder('projectId')),
        gte(usageRecords.createdAt, sql.placeholder('from')),
        lt(usageRecords.createdAt, sql.placeholder('to')),
      ),
    )
    .prepare();

  return {
    async record(usage: UsageRecord) {
      mapUniqueViolation(
        'This usage record already exists',
        () => db.insert(usageRecords).values(usage).run(),
        'No such project, user, conversation or message',
      );
    },

    async spent(projectId, from, to) {
      return spent.get({ projectId, from, to })?.micro ?? 0;
    },

    async totals(projectId, from) {
      return usageTotals(db, projectId, from === undefined ? undefined : gte(usageRecords.createdAt, from));
    },

    async listByUser(userId) {
      return db
        .select()
        .from(usageRecords)
        .where(eq(usageRecords.userId, userId))
        .orderBy(asc(usageRecords.createdAt), asc(usageRecords.id))
        .all();
    },
  };
}
