/**
 * @module budgets-service
 * Per-project spending limits (contract rows 32–33). Spent amounts come from the usage rows; days and
 * months are UTC. A call that would start with a limit already reached is refused (`402 BUDGET_EXCEEDED`)
 * or, when the project names a fallback model, runs on that model instead.
 */
import type { Actor } from '../actor.ts';
import type { ConversationDeps } from '../deps.ts';
import { ZekkaError } from '../errors.ts';
import type { BudgetRecord } from '../ports/records.ts';
import { projectFor } from '../projects/access.ts';
import { PutBudgetBody } from '../schemas/conversations.ts';
import { parseInput } from '../support/validate.ts';
import type { Budget, PutBudgetInput } from '../types.ts';
import { microToUsd } from '../views.ts';

export interface BudgetsService {
  get(actor: Actor, projectId: string): Promise<Budget>;
  put(actor: Actor, projectId: string, input: PutBudgetInput): Promise<Budget>;
  /**
   * The model a call on `modelId` in the project may run on: `modelId` itself, or the project's fallback
   * when a limit is reached. Throws `BUDGET_EXCEEDED` when a limit is reached and there is no fallback.
   */
  modelFor(projectId: string, modelId: string): Promise<string>;
}

/** Midnight UTC of the day of `now`, and the first of its month. */
export function utcPeriodStarts(now: number): { day: number; month: number } {
  const date = new Date(now);
  return {
    day: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()),
    month: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1),
  };
}

const usdToMicro = (usd: number | null | undefined): number | null | undefined =>
  usd === undefined || usd === null ? usd : Math.round(usd * 1_000_000);

export function createBudgetsService(deps: ConversationDeps): BudgetsService {
  const { store, clock, models } = deps;

  async function spent(projectId: string) {
    const now = clock.now();
    const starts = utcPeriodStarts(now);
    const [today, month] = await Promise.all([
      store.usage.spent(projectId, starts.day, now + 1),
      store.usage.spent(projectId, starts.month, now + 1),
    ]);
    return { today, month };
  }

  async function view(projectId: string, budget: BudgetRecord | null): Promise<Budget> {
    const { today, month } = await spent(projectId);
    return {
      dailyUsd: budget?.dailyMicroUsd == null ? null : microToUsd(budget.dailyMicroUsd),
      monthlyUsd: budget?.monthlyMicroUsd == null ? null : microToUsd(budget.monthlyMicroUsd),
      fallbackModel: budget?.fallbackModel ?? null,
      spentTodayUsd: microToUsd(today),
      spentThisMonthUsd: microToUsd(month),
    };
  }

  return {
    async get(actor, projectId) {
      await projectFor(store, actor, projectId);
      return view(projectId, await store.budgets.get(projectId));
    },

    async put(actor, projectId, input) {
      const body = parseInput(PutBudgetBody, input);
      await projectFor(store, actor, projectId, 'owner');
      if (body.fallbackModel != null && models.resolve(body.fallbackModel) === null) {
        throw new ZekkaError('VALIDATION_FAILED', 'Unknown fallback model', {
          details: [{ path: '/fallbackModel', message: 'Must be a model id from GET /models' }],
        });
      }
      for (const field of ['dailyUsd', 'monthlyUsd'] as const) {
        const usd = body[field];
        // Spending is counted in micro-dollars: a positive limit below one would be a limit of 0.
        if (usd != null && usd > 0 && usdToMicro(usd) === 0) {
          throw new ZekkaError('VALIDATION_FAILED', 'A limit is at least 0.000001 USD (or 0)', {
            details: [{ path: `/${field}`, message: 'Expected 0 or at least 0.000001' }],
          });
        }
      }
      const current = await store.budgets.get(projectId);
      const daily = usdToMicro(body.dailyUsd);
      const monthly = usdToMicro(body.monthlyUsd);
      const saved = await store.budgets.put({
        projectId,
        dailyMicroUsd: daily === undefined ? (current?.dailyMicroUsd ?? null) : daily,
        monthlyMicroUsd: monthly === undefined ? (current?.monthlyMicroUsd ?? null) : monthly,
        fallbackModel:
          body.fallbackModel === undefined ? (current?.fallbackModel ?? null) : body.fallbackModel,
        updatedAt: clock.now(),
      });
      return view(projectId, saved);
    },

    async modelFor(projectId, modelId) {
      const budget = await store.budgets.get(projectId);
      if (!budget || (budget.dailyMicroUsd === null && budget.monthlyMicroUsd === null)) return modelId;
      const { today, month } = await spent(projectId);
      const overDaily = budget.dailyMicroUsd !== null && today >= budget.dailyMicroUsd;
      const overMonthly = budget.monthlyMicroUsd !== null && month >= budget.monthlyMicroUsd;
      if (!overDaily && !overMonthly) return modelId;
      const fallback = budget.fallbackModel;
      if (fallback !== null && fallback !== modelId && models.resolve(fallback) !== null) return fallback;
      deps.telemetry.budgetExceeded(projectId);
      throw new ZekkaError(
        'BUDGET_EXCEEDED',
        overDaily ? "The project's daily budget is spent" : "The project's monthly budget is spent",
      );
    },
  };
}
