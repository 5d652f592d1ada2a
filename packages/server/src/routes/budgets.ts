/**
 * @module routes/budgets
 * A project's spending limits: contract rows 32–33 under `/api/v1/projects/:projectId/budget`. Any member
 * reads them with what was spent; owners set them. Days and months are UTC; spent amounts come from the
 * usage rows.
 */
import { Budget, Ok, ProjectParams, PutBudgetBody } from '@zekka/core/schemas';
import { Elysia } from 'elysia';
import { errors, ok } from './envelope.ts';
import type { RouteDeps } from './route-deps.ts';
import { strictBody } from './strict-body.ts';

const TAG = 'budgets';

export function budgetRoutes({ zekka, auth, responses }: RouteDeps) {
  return new Elysia({ prefix: '/api/v1/projects/:projectId/budget' })
    .use(auth)
    .get('', async ({ actor, params }) => ok(await zekka.budgets.get(actor, params.projectId)), {
      auth: true,
      params: ProjectParams,
      response: responses({ 200: Ok(Budget), ...errors(400, 401, 404, 429) }),
      detail: {
        summary: "A project's budget",
        tags: [TAG],
        description:
          'Any member. The daily and monthly limits in USD (`null`: none), the fallback model, and what ' +
          'was spent today and this month — UTC days and calendar months, from the recorded usage.',
      },
    })
    .put('', async ({ actor, params, body }) => ok(await zekka.budgets.put(actor, params.projectId, body)), {
      auth: true,
      params: ProjectParams,
      ...strictBody(PutBudgetBody),
      response: responses({ 200: Ok(Budget), ...errors(400, 401, 403, 404, 415, 429) }),
      detail: {
        summary: "Set a project's budget",
        tags: [TAG],
        description:
          'Owners only. Fields left out keep their value; `null` clears one. Once spending today ' +
          '(this month) has reached `dailyUsd` (`monthlyUsd`), a new answer is refused with ' +
          '`402 BUDGET_EXCEEDED` — or runs on `fallbackModel` when one is set (a model id from ' +
          '`GET /models`, else `400`). An answer already running is never cut off by its own cost.',
      },
    });
}
