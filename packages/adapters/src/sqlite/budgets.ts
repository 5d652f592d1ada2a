/**
 * @module sqlite/budgets
 * `BudgetRepository` on SQLite: one row per project, replaced whole by `put`.
 */

import type { BudgetRecord, BudgetRepository } from '@zekka/core';
import { and, eq, sql } from 'drizzle-orm';
import { mapUniqueViolation } from './constraint-error.ts';
import { isLiveProject, requireLiveProject } from './conversations.ts';
import type { SqliteDatabase } from './database.ts';
import { projectBudgets } from './schema.ts';

export function createBudgetRepository(db: SqliteDatabase): BudgetRepository {
  // Read before every model call (is the project over budget?), so prepared once; the project's
  // liveness as a subquery, not a join (see `isLiveConversation`).
  const byProject = db
    .select()
    .from(projectBudgets)
    .where(
      and(
        eq(projectBudgets.projectId, sql.placeholder('projectId')),
        isLiveProject(projectBudgets.projectId),
      ),
    )
    .prepare();

  return {
    async get(projectId) {
      return byProject.get({ projectId }) ?? null;
    },

    async put(budget: BudgetRecord) {
      const { projectId: _project, ...fields } = budget;
      return mapUniqueViolation(
        'This budget already exists',
        () =>
          db.transaction(
            (tx) => {
              requireLiveProject(tx, budget.projectId);
              return tx
                .insert(projectBudgets)
                .values(budget)
                .onConflictDoUpdate({ target: projectBudgets.projectId, set: fields })
                .returning()
                .get();
            },
            { behavior: 'immediate' },
          ),
        'Project not found',
      );
    },
  };
}
