/**
 * @module postgres/budgets
 * `BudgetRepository` on Postgres: one row per project, replaced whole by `put` (one upsert).
 */

import type { BudgetRecord, BudgetRepository } from '@zekka/core';
import { and, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import { shareLiveProject } from './conversations.ts';
import { atomic, type PostgresDatabase } from './database.ts';
import { guard, guardRepository } from './errors.ts';
import { firstOrNull, insertedRow } from './rows.ts';
import { projectBudgets, projects } from './schema.ts';

export function createBudgetRepository(db: PostgresDatabase): BudgetRepository {
  // Read before every model call (is the project over budget?), so a named statement.
  const byProject = db
    .select(getTableColumns(projectBudgets))
    .from(projectBudgets)
    .innerJoin(projects, eq(projects.id, projectBudgets.projectId))
    .where(and(eq(projectBudgets.projectId, sql.placeholder('projectId')), isNull(projects.deletedAt)))
    .prepare('zekka_budget_by_project');

  return guardRepository<BudgetRepository>({
    async get(projectId) {
      return firstOrNull(await byProject.execute({ projectId }));
    },

    async put(budget: BudgetRecord) {
      const { projectId: _project, ...fields } = budget;
      return guard(
        () =>
          atomic(db, async (tx) => {
            await shareLiveProject(tx, budget.projectId);
            return insertedRow(
              await tx
                .insert(projectBudgets)
                .values(budget)
                .onConflictDoUpdate({ target: projectBudgets.projectId, set: fields })
                .returning(),
            );
          }),
        { missingParent: 'Project not found' },
      );
    },
  });
}
