/**
 * @module sqlite/budgets
 * `BudgetRepository` on SQLite: one row per project, replaced whole by `put`.
 */

import { type BudgetRecord, type BudgetRepository, ZekkaError } from '@zekka/core';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { mapUniqueViolation } from './constraint-error.ts';
import { isLiveProject } from './conversations.ts';
import type { SqliteDatabase } from './database.ts';
import { projectBudgets, projects } from './schema.ts';

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
              const project = tx
                .select({ id: projects.id })
                .from(projects)
                .where(and(eq(projects.id, budget.projectId), isNull(projects.deletedAt)))
                .get();
              if (project === undefined) throw new ZekkaError('NOT_FOUND', 'Project not found');
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
