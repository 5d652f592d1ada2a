/**
 * @module conformance/store/budgets
 * `BudgetRepository` cases: one budget per project, replaced by `put`.
 */

import { describe, expect, test } from 'bun:test';
import { expectCode, givenUser, makeBudget, makeProject, NOW, type StoreContext } from './fixtures.ts';

export function describeBudgets(ctx: StoreContext): void {
  describe('budgets', () => {
    test('get is null until put stores a budget, which get then reads back', async () => {
      const { store } = ctx;
      const owner = await givenUser(store);
      const project = await store.projects.createWithOwner(makeProject(owner.id));
      expect(await store.budgets.get(project.id)).toBeNull();
      const budget = makeBudget(project.id, { fallbackModel: 'gpt-4o-mini' });
      expect(await store.budgets.put(budget)).toEqual(budget);
      expect(await store.budgets.get(project.id)).toEqual(budget);
      expect(await store.budgets.get(crypto.randomUUID())).toBeNull();
    });

    test('put replaces the whole budget, nulls included', async () => {
      const { store } = ctx;
      const owner = await givenUser(store);
      const project = await store.projects.createWithOwner(makeProject(owner.id));
      const other = await store.projects.createWithOwner(makeProject(owner.id));
      await store.budgets.put(makeBudget(project.id, { fallbackModel: 'gpt-4o-mini' }));
      const otherBudget = await store.budgets.put(makeBudget(other.id));

      const replaced = makeBudget(project.id, {
        dailyMicroUsd: null,
        monthlyMicroUsd: 9_000_000_000_000,
        fallbackModel: null,
        updatedAt: NOW + 1,
      });
      expect(await store.budgets.put(replaced)).toEqual(replaced);
      expect(await store.budgets.get(project.id)).toEqual(replaced);
      expect(await store.budgets.get(other.id)).toEqual(otherBudget);
    });

    test('put throws NOT_FOUND for an unknown or deleted project; a deleted project’s budget is invisible', async () => {
      const { store } = ctx;
      const owner = await givenUser(store);
      await expectCode(store.budgets.put(makeBudget(crypto.randomUUID())), 'NOT_FOUND');

      const project = await store.projects.createWithOwner(makeProject(owner.id));
      await store.budgets.put(makeBudget(project.id));
      await store.projects.softDelete(project.id, NOW);
      expect(await store.budgets.get(project.id)).toBeNull();
      await expectCode(store.budgets.put(makeBudget(project.id, { updatedAt: NOW + 1 })), 'NOT_FOUND');
    });
  });
}
