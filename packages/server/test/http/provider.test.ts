/**
 * The whole path to a real provider over HTTP: the server's registry talks to a local OpenAI-compatible
 * server through `@ai-sdk/openai-compatible`. What the provider receives (system prompt, context within a
 * token budget), the usage it reports (cached and reasoning parts), the exact cost, an unpriced model, and a
 * provider failure — for both sending (row 40) and streaming (row 41).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test';
import { createModelRegistry } from '@zekka/adapters/models';
import type {
  AccountExport,
  Message,
  ModelListItem,
  Project,
  ProjectStats,
  SendMessageResult,
} from '@zekka/core';
import { startOpenAICompatibleServer } from '../../../adapters/test/support/openai-compatible-server.ts';
import { createConversation, listMessages, sendMessage } from './support/conversations.ts';
import { EventReader, type ListeningServer, listen, openStream } from './support/event-stream-client.ts';
import { expectError, expectOk } from './support/expect-envelope.ts';
import { createProject, registerUser, type TestUser } from './support/fixtures.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

const provider = startOpenAICompatibleServer();
let server: TestServer;
let listening: ListeningServer;
let user: TestUser;
let project: Project;
beforeAll(async () => {
  server = await createTestServer({
    models: createModelRegistry({
      providers: [
        {
          kind: 'openai-compatible',
          id: 'local',
          baseURL: provider.url,
          models: ['tiny', { id: 'small', contextWindow: 40, maxOutputTokens: 10 }],
        },
        { kind: 'openai-compatible', id: 'lab', baseURL: provider.url, models: ['raw'] },
      ],
      // USD per 1M tokens; `lab/raw` (and `echo`) have no price.
      priceTable: {
        version: 'test-prices',
        prices: {
          'local/tiny': { input: 0.6, cacheRead: 0.06, output: 2.4 },
          'local/small': { input: 1, output: 1 },
        },
      },
      defaultModel: 'local/tiny',
      maxRetries: 0,
    }),
  });
  listening = listen(server);
  user = await registerUser(server.http);
  project = await createProject(server.http, user.accessToken, { name: 'Providers' });
});
beforeEach(() => provider.reset());
afterAll(async () => {
  await listening.stop();
  await server.close();
  await provider.close();
});

const usageRows = async () =>
  expectOk(await server.http.get<AccountExport>('/auth/me/export', { token: user.accessToken })).usage;

describe('sending through the provider (row 40)', () => {
  test('the provider gets the system prompt and the context; usage and cost come back exact', async () => {
    const { id } = await createConversation(server.http, user.accessToken, project.id, {
      systemPrompt: 'You are terse.',
    });
    provider.replyOnce({ text: 'Hi.', usage: { promptTokens: 7, completionTokens: 3 } });
    const first = await sendMessage(server.http, user.accessToken, id, 'Hello');
    // 7 × 0.6 + 3 × 2.4 = 11.4 micro-dollars, rounded half up once.
    expect(first.usage).toEqual({ inputTokens: 7, outputTokens: 3, costUsd: 0.000011 });

    provider.replyOnce({
      text: 'Fine, thanks.',
      usage: { promptTokens: 1200, cachedTokens: 200, completionTokens: 450, reasoningTokens: 150 },
    });
    const second = await sendMessage(server.http, user.accessToken, id, 'How are you?');
    expect(second.assistantMessage).toMatchObject({
      content: 'Fine, thanks.',
      status: 'complete',
      model: 'local/tiny',
      // 1000 uncached × 0.6 + 200 cached × 0.06 + 450 × 2.4 = 1692 micro-dollars.
      usage: { inputTokens: 1200, outputTokens: 450, costUsd: 0.001692 },
    });

    const request = provider.requests.at(-1);
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.body).toMatchObject({ model: 'tiny', stream: true });
    expect(request?.body.messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi.' },
      { role: 'user', content: 'How are you?' },
    ]);

    const rows = (await usageRows()).filter((row) => row.conversationId === id);
    expect(rows.map(({ id: _, createdAt: __, ...row }) => row)).toEqual([
      {
        projectId: project.id,
        conversationId: id,
        messageId: first.assistantMessage.id,
        provider: 'local',
        model: 'local/tiny',
        inputTokens: 7,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 3,
        reasoningTokens: 0,
        costUsd: 0.000011,
        outcome: 'complete',
      },
      {
        projectId: project.id,
        conversationId: id,
        messageId: second.assistantMessage.id,
        provider: 'local',
        model: 'local/tiny',
        inputTokens: 1200,
        cacheReadTokens: 200,
        cacheWriteTokens: 0,
        outputTokens: 450,
        reasoningTokens: 150,
        costUsd: 0.001692,
        outcome: 'complete',
      },
    ]);
  });

  test('the context is cut to the model’s window by tokens, newest messages kept', async () => {
    const { id } = await createConversation(server.http, user.accessToken, project.id);
    // 40 characters ≈ 10 tokens. Window 40 − 10 reserved for the answer − 10 for the new message leaves
    // room for exactly two earlier messages.
    const text = (label: string) => label.padEnd(40, '.');
    for (const n of [1, 2]) {
      provider.replyOnce({ text: text(`answer ${n}`) });
      await sendMessage(server.http, user.accessToken, id, text(`question ${n}`), { model: 'local/small' });
    }
    provider.replyOnce({ text: 'ok' });
    await sendMessage(server.http, user.accessToken, id, text('question 3'), { model: 'local/small' });
    expect(provider.requests.at(-1)?.body.messages).toEqual([
      { role: 'user', content: text('question 2') },
      { role: 'assistant', content: text('answer 2') },
      { role: 'user', content: text('question 3') },
    ]);
    expect(provider.requests.at(-1)?.body.max_tokens).toBe(10);
  });

  test('a model without a price: costUsd null, never 0', async () => {
    const { id } = await createConversation(server.http, user.accessToken, project.id, { model: 'lab/raw' });
    provider.replyOnce({ text: 'Free?', usage: { promptTokens: 50, completionTokens: 5 } });
    const sent = await sendMessage(server.http, user.accessToken, id, 'Price check');
    expect(sent.assistantMessage.model).toBe('lab/raw');
    expect(sent.usage).toEqual({ inputTokens: 50, outputTokens: 5, costUsd: null });
    expect(provider.requests.at(-1)?.body.model).toBe('raw');
    const row = (await usageRows()).find((r) => r.messageId === sent.assistantMessage.id);
    expect(row).toMatchObject({ provider: 'lab', model: 'lab/raw', costUsd: null });
    const models = expectOk(await server.http.get<ModelListItem[]>('/models', { token: user.accessToken }));
    expect(models.find((m) => m.id === 'lab/raw')?.prices).toBeNull();
  });

  test('a provider error → 503 MODEL_UNAVAILABLE; the failed answer stays stored', async () => {
    const { id } = await createConversation(server.http, user.accessToken, project.id);
    provider.replyOnce({ status: 500 });
    const res = await server.http.post<SendMessageResult>(`/conversations/${id}/messages`, {
      token: user.accessToken,
      body: { content: 'Are you up?' },
    });
    expectError(res, 503, 'MODEL_UNAVAILABLE');
    expect(res.error?.message).not.toMatch(/500|Scripted|127\.0\.0\.1/);
    const stored = await listMessages(server.http, user.accessToken, id);
    expect(stored.map((m) => [m.role, m.status, m.content])).toEqual([
      ['user', 'complete', 'Are you up?'],
      ['assistant', 'failed', ''],
    ]);
    const row = (await usageRows()).find((r) => r.messageId === stored[1]?.id);
    expect(row).toMatchObject({ outcome: 'failed', inputTokens: 0, outputTokens: 0 });
    // The conversation is free for the next message, and the failed answer is not part of its context.
    provider.replyOnce({ text: 'Yes.' });
    await sendMessage(server.http, user.accessToken, id, 'Now?');
    expect(provider.requests.at(-1)?.body.messages).toEqual([
      { role: 'user', content: 'Are you up?' },
      { role: 'user', content: 'Now?' },
    ]);
  });
});

describe('streaming through the provider (row 41)', () => {
  test('the provider’s chunks are the deltas; the complete event carries the priced usage', async () => {
    const { id } = await createConversation(server.http, user.accessToken, project.id);
    provider.replyOnce({
      chunks: ['Hel', 'lo ', 'there', '!'],
      usage: { promptTokens: 10, completionTokens: 4 },
    });
    const res = await openStream(listening, user.accessToken, id, { content: 'Greet me' });
    expect(res.status).toBe(200);
    const events = await new EventReader(res).rest();
    const deltas = events.filter((e) => e.type === 'assistantMessageDelta');
    expect(deltas.map((e) => (e.data as { chunk: string }).chunk)).toEqual(['Hel', 'lo ', 'there', '!']);
    const complete = events.at(-2)?.data as Message;
    // 10 × 0.6 + 4 × 2.4 = 15.6 → 16 micro-dollars.
    expect(complete).toMatchObject({
      content: 'Hello there!',
      status: 'complete',
      model: 'local/tiny',
      usage: { inputTokens: 10, outputTokens: 4, costUsd: 0.000016 },
    });
    expect(events.at(-1)?.type).toBe('done');
    expect(provider.requests.at(-1)?.body.messages).toEqual([{ role: 'user', content: 'Greet me' }]);
  });

  test('project stats and the budget sum the exact micro-dollars', async () => {
    const own = await createProject(server.http, user.accessToken, { name: 'Sums' });
    const { id } = await createConversation(server.http, user.accessToken, own.id);
    provider.reply({ text: 'ok', usage: { promptTokens: 1, completionTokens: 1 } });
    // Each call: 0.6 + 2.4 = 3 micro-dollars; 0.1 + 0.2 would not add up in floating point, these must.
    for (let i = 0; i < 7; i++) await sendMessage(server.http, user.accessToken, id, `call ${i}`);
    const stats = expectOk(
      await server.http.get<ProjectStats>(`/projects/${own.id}/stats`, { token: user.accessToken }),
    );
    expect(stats).toMatchObject({ messages: 14, inputTokens: 7, outputTokens: 7, costUsd: 0.000021 });
    const budget = expectOk(
      await server.http.get<{ spentTodayUsd: number }>(`/projects/${own.id}/budget`, {
        token: user.accessToken,
      }),
    );
    expect(budget.spentTodayUsd).toBe(0.000021);
  });
});
