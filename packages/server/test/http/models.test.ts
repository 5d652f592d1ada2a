/**
 * Contract row 60: `GET /models` lists the configured models — default first and flagged, each with its
 * prices per 1M tokens (from the shipped price table; `null` when unpriced) and its limits. Listing
 * connects to no provider.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createModelRegistry } from '@zekka/adapters/models';
import type { ModelListItem } from '@zekka/core';
import { expectError, expectOk } from './support/expect-envelope.ts';
import { registerUser, type TestUser } from './support/fixtures.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

let server: TestServer;
let plain: TestServer;
let user: TestUser;
beforeAll(async () => {
  [server, plain] = await Promise.all([
    createTestServer({
      models: createModelRegistry({
        providers: [
          { kind: 'openai', apiKey: 'sk-test-never-used', models: ['gpt-4o-mini'] },
          { kind: 'anthropic', apiKey: 'sk-ant-test-never-used', models: ['claude-haiku-4-5'] },
          {
            kind: 'openai-compatible',
            baseURL: 'http://127.0.0.1:9/v1',
            models: [{ id: 'llama3.1', name: 'Llama 3.1 8B', contextWindow: 131_072, maxOutputTokens: 2048 }],
          },
          { kind: 'openai-compatible', id: 'lab', baseURL: 'http://127.0.0.1:9/v1', models: ['raw'] },
        ],
        defaultModel: 'anthropic/claude-haiku-4-5',
      }),
    }),
    createTestServer(),
  ]);
  user = await registerUser(server.http);
});
afterAll(async () => {
  await Promise.all([server.close(), plain.close()]);
});

test('lists every configured model, the default first, with prices per 1M tokens and limits', async () => {
  const models = expectOk(await server.http.get<ModelListItem[]>('/models', { token: user.accessToken }));
  expect(models.map((m) => [m.id, m.default])).toEqual([
    ['anthropic/claude-haiku-4-5', true],
    ['openai/gpt-4o-mini', false],
    ['local/llama3.1', false],
    ['lab/raw', false],
    ['echo', false],
  ]);
  const byId = Object.fromEntries(models.map((m) => [m.id, m]));
  expect(byId['anthropic/claude-haiku-4-5']).toMatchObject({
    provider: 'anthropic',
    prices: { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  });
  expect(byId['openai/gpt-4o-mini']).toEqual({
    id: 'openai/gpt-4o-mini',
    provider: 'openai',
    name: 'GPT-4o mini',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    // A cache write costs the normal input price where the provider has no separate one.
    prices: { input: 0.15, output: 0.6, cacheRead: 0.075, cacheWrite: 0.15 },
    default: false,
  });
  expect(byId['local/llama3.1']).toMatchObject({
    provider: 'local',
    name: 'Llama 3.1 8B',
    contextWindow: 131_072,
    maxOutputTokens: 2048,
    prices: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  });
  expect(byId['lab/raw']).toMatchObject({ provider: 'lab', prices: null });
  expect(Object.keys(byId.echo ?? {}).sort()).toEqual(
    ['contextWindow', 'default', 'id', 'maxOutputTokens', 'name', 'prices', 'provider'].sort(),
  );
});

test('with nothing configured, the built-in echo model is the default and free', async () => {
  const other = await registerUser(plain.http);
  const models = expectOk(await plain.http.get<ModelListItem[]>('/models', { token: other.accessToken }));
  expect(models).toEqual([
    {
      id: 'echo',
      provider: 'echo',
      name: 'Echo (built-in, offline)',
      contextWindow: 128_000,
      maxOutputTokens: 32_000,
      prices: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
      default: true,
    },
  ]);
});

test('needs authentication', async () => {
  expectError(await server.http.get('/models'), 401, 'AUTH_REQUIRED');
});
