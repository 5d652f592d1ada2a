/**
 * Contract rows 32–33: a project's budget — read by members, set by owners (`null` clears) — and what it
 * does: an answer that would start with a limit reached is refused with `402 BUDGET_EXCEEDED`, or runs on
 * the project's fallback model. Days and months are UTC: spending at 23:59:59.999 counts for that day only.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createModelRegistry } from '@zekka/adapters/models';
import type { Budget, Project } from '@zekka/core';
import { startOpenAICompatibleServer } from '../../../adapters/test/support/openai-compatible-server.ts';
import { createConversation, listMessages, sendMessage } from './support/conversations.ts';
import { expectError, expectOk } from './support/expect-envelope.ts';
import { createProject, givenProjectTeam, login, registerUser, type TestUser } from './support/fixtures.ts';
import { days } from './support/manual-clock.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

const provider = startOpenAICompatibleServer();
// 60 + 40 tokens at $1000 per 1M tokens: every paid answer costs exactly $0.10.
provider.reply({ text: 'A paid answer', usage: { promptTokens: 60, completionTokens: 40 } });
const PAID = 0.1;
afterAll(() => provider.close());

const serverWithPaidModel = () =>
  createTestServer({
    models: createModelRegistry({
      providers: [{ kind: 'openai-compatible', baseURL: provider.url, models: ['paid'] }],
      priceTable: {
        version: 'test',
        prices: { 'local/paid': { input: 1000, output: 1000 }, echo: { input: 0, output: 0 } },
      },
      defaultModel: 'local/paid',
      maxRetries: 0,
    }),
  });

/** Sets up an owner with a project, a budget and a conversation on `server`. */
async function budgetedProject(server: TestServer, budget: Record<string, unknown>) {
  const owner = await registerUser(server.http);
  const project = await createProject(server.http, owner.accessToken, { name: 'Budgeted' });
  expectOk(
    await server.http.put(`/projects/${project.id}/budget`, { token: owner.accessToken, body: budget }),
  );
  const conversation = await createConversation(server.http, owner.accessToken, project.id);
  return { owner, project, conversationId: conversation.id };
}

const getBudget = async (server: TestServer, token: string, projectId: string) =>
  expectOk(await server.http.get<Budget>(`/projects/${projectId}/budget`, { token }));

describe('GET and PUT /projects/:projectId/budget (rows 32–33)', () => {
  let server: TestServer;
  let owner: TestUser;
  let editor: TestUser;
  let viewer: TestUser;
  let stranger: TestUser;
  let project: Project;
  beforeAll(async () => {
    server = await serverWithPaidModel();
    ({ owner, editor, viewer, stranger, project } = await givenProjectTeam(server.http, 'Money'));
  });
  afterAll(() => server.close());

  test('no budget: every limit null, nothing spent', async () => {
    expect(await getBudget(server, viewer.accessToken, project.id)).toEqual({
      dailyUsd: null,
      monthlyUsd: null,
      fallbackModel: null,
      spentTodayUsd: 0,
      spentThisMonthUsd: 0,
    });
  });

  test('the owner sets it; fields left out are kept; null clears; members read it', async () => {
    const path = `/projects/${project.id}/budget`;
    const set = await server.http.put<Budget>(path, {
      token: owner.accessToken,
      body: { dailyUsd: 1.5, monthlyUsd: 20, fallbackModel: 'echo' },
    });
    expect(expectOk(set)).toMatchObject({ dailyUsd: 1.5, monthlyUsd: 20, fallbackModel: 'echo' });
    const partial = await server.http.put<Budget>(path, {
      token: owner.accessToken,
      body: { dailyUsd: 2.25 },
    });
    expect(expectOk(partial)).toMatchObject({ dailyUsd: 2.25, monthlyUsd: 20, fallbackModel: 'echo' });
    expect(await getBudget(server, viewer.accessToken, project.id)).toMatchObject({ dailyUsd: 2.25 });
    const cleared = await server.http.put<Budget>(path, {
      token: owner.accessToken,
      body: { monthlyUsd: null, fallbackModel: null },
    });
    expect(expectOk(cleared)).toEqual({
      dailyUsd: 2.25,
      monthlyUsd: null,
      fallbackModel: null,
      spentTodayUsd: 0,
      spentThisMonthUsd: 0,
    });
  });

  test('editors and viewers → 403; a stranger → 404; bad values → 400', async () => {
    const path = `/projects/${project.id}/budget`;
    for (const user of [editor, viewer]) {
      expectError(
        await server.http.put(path, { token: user.accessToken, body: { dailyUsd: 1 } }),
        403,
        'FORBIDDEN',
      );
    }
    expectError(await server.http.get(path, { token: stranger.accessToken }), 404, 'NOT_FOUND');
    expectError(await server.http.put(path, { token: stranger.accessToken, body: { dailyUsd: 1 } }), 404);
    for (const body of [
      { dailyUsd: -1 },
      { monthlyUsd: '5' },
      { fallbackModel: 'no/such' },
      { dailyUsd: 1e12 },
      // Below one micro-dollar: it would be stored as a limit of 0, refusing everything.
      { dailyUsd: 0.0000001 },
      { monthlyUsd: 4e-7 },
    ]) {
      const res = await server.http.put(path, { token: owner.accessToken, body });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expectError(res, 400, 'VALIDATION_FAILED');
    }
    // The smallest limit there is, and 0, are taken.
    const smallest = expectOk(
      await server.http.put<{ dailyUsd: number; monthlyUsd: number }>(path, {
        token: owner.accessToken,
        body: { dailyUsd: 0.000001, monthlyUsd: 0 },
      }),
    );
    expect(smallest).toMatchObject({ dailyUsd: 0.000001, monthlyUsd: 0 });
    expectOk(
      await server.http.put(path, { token: owner.accessToken, body: { dailyUsd: null, monthlyUsd: null } }),
    );
  });
});

describe('spending against the budget', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serverWithPaidModel();
  });
  afterAll(() => server.close());

  test('below the limit answers; once spending reaches it, 402 BUDGET_EXCEEDED on send and stream', async () => {
    const { owner, project, conversationId } = await budgetedProject(server, { dailyUsd: 0.15 });
    const first = await sendMessage(server.http, owner.accessToken, conversationId, 'One');
    expect(first.usage.costUsd).toBe(PAID);
    // $0.10 spent of $0.15: the next answer may still start (and take spending past the limit).
    await sendMessage(server.http, owner.accessToken, conversationId, 'Two');
    expect(await getBudget(server, owner.accessToken, project.id)).toMatchObject({
      spentTodayUsd: 0.2,
      spentThisMonthUsd: 0.2,
    });
    for (const path of ['messages', 'messages/stream']) {
      const res = await server.http.post(`/conversations/${conversationId}/${path}`, {
        token: owner.accessToken,
        body: { content: 'Three' },
      });
      expectError(res, 402, 'BUDGET_EXCEEDED');
      expect(res.headers.get('content-type')).toContain('application/json');
    }
    expect(await listMessages(server.http, owner.accessToken, conversationId)).toHaveLength(4);
  });

  test('with a fallback model, an answer over budget runs on the fallback instead', async () => {
    const { owner, conversationId } = await budgetedProject(server, {
      dailyUsd: PAID,
      fallbackModel: 'echo',
    });
    expect(
      (await sendMessage(server.http, owner.accessToken, conversationId, 'Paid')).assistantMessage.model,
    ).toBe('local/paid');
    const routed = await sendMessage(server.http, owner.accessToken, conversationId, 'Cheap', {
      model: 'local/paid',
    });
    expect(routed.assistantMessage).toMatchObject({
      model: 'echo',
      content: 'Echo: Cheap',
      status: 'complete',
    });
    expect(routed.usage.costUsd).toBe(0);
  });
});

describe('UTC boundaries', () => {
  test('a day: spent at 23:59:59.999 UTC is refused until 00:00 the next day', async () => {
    const server = await serverWithPaidModel();
    try {
      // The 15th of next month, so the month does not change at the same moment.
      const today = new Date(server.clock.now());
      const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 15);
      server.clock.advance(midnight - 1 - server.clock.now());
      const { owner, project, conversationId } = await budgetedProject(server, { dailyUsd: PAID });
      await sendMessage(server.http, owner.accessToken, conversationId, 'Last call');
      expect(new Date(server.clock.now()).toISOString()).toMatch(/T23:59:59\.999Z$/);
      expect(await getBudget(server, owner.accessToken, project.id)).toMatchObject({ spentTodayUsd: PAID });
      const refused = await server.http.post(`/conversations/${conversationId}/messages`, {
        token: owner.accessToken,
        body: { content: 'One more' },
      });
      expectError(refused, 402, 'BUDGET_EXCEEDED');

      server.clock.advance(1);
      expect(await getBudget(server, owner.accessToken, project.id)).toMatchObject({
        spentTodayUsd: 0,
        spentThisMonthUsd: PAID,
      });
      await sendMessage(server.http, owner.accessToken, conversationId, 'A new day');
    } finally {
      await server.close();
    }
  });

  test('a month: spent on its last days is refused until the 1st of the next month, 00:00 UTC', async () => {
    const server = await serverWithPaidModel();
    try {
      const today = new Date(server.clock.now());
      const nextMonthEnd = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 2, 1) - 1;
      // 23:59:59.999 on the second-to-last day of next month.
      server.clock.advance(nextMonthEnd - days(1) - server.clock.now());
      const { owner, project, conversationId } = await budgetedProject(server, { monthlyUsd: PAID });
      await sendMessage(server.http, owner.accessToken, conversationId, 'Month end');

      server.clock.advance(1);
      expect(await getBudget(server, owner.accessToken, project.id)).toMatchObject({
        spentTodayUsd: 0,
        spentThisMonthUsd: PAID,
      });
      const post = (token: string) =>
        server.http.post(`/conversations/${conversationId}/messages`, { token, body: { content: 'More' } });
      expectError(await post(owner.accessToken), 402, 'BUDGET_EXCEEDED');

      server.clock.advance(days(1) - 1);
      expect(new Date(server.clock.now()).toISOString()).toMatch(/T23:59:59\.999Z$/);
      // The access token expired during the day; sign in again.
      const { accessToken } = await login(server.http, owner.email, owner.password);
      expectError(await post(accessToken), 402, 'BUDGET_EXCEEDED');

      server.clock.advance(1);
      expect(new Date(server.clock.now()).getUTCDate()).toBe(1);
      expect(await getBudget(server, accessToken, project.id)).toMatchObject({ spentThisMonthUsd: 0 });
      await sendMessage(server.http, accessToken, conversationId, 'A new month');
    } finally {
      await server.close();
    }
  });
});
