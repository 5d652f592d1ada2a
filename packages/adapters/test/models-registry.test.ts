import { describe, expect, test } from 'bun:test';
import { DEFAULT_PRICE_TABLE, type PriceTable } from '@zekka/core';
import { MockLanguageModelV4 } from 'ai/test';
import {
  createModelRegistry,
  DEFAULT_MODEL_LIMITS,
  estimateTokens,
  parseModelPrices,
} from '../src/models/index.ts';

// Hosted providers are only constructed here: building a registry sends nothing.
const providers = [
  { kind: 'openai' as const, apiKey: 'sk-test', models: ['gpt-4o-mini', 'gpt-unknown'] },
  { kind: 'anthropic' as const, apiKey: 'ant-test', models: ['claude-sonnet-4-5'] },
  {
    kind: 'openai-compatible' as const,
    baseURL: 'http://127.0.0.1:9/v1',
    models: ['llama3.1', { id: 'qwen3', name: 'Qwen 3', contextWindow: 32_768, maxOutputTokens: 8192 }],
  },
];

describe('list()', () => {
  test('every configured model, default first, echo included, with prices per 1M tokens from the table', () => {
    const registry = createModelRegistry({ providers, defaultModel: 'anthropic/claude-sonnet-4-5' });
    expect(registry.list().map((info) => info.id)).toEqual([
      'anthropic/claude-sonnet-4-5',
      'openai/gpt-4o-mini',
      'openai/gpt-unknown',
      'local/llama3.1',
      'local/qwen3',
      'echo',
    ]);
    const byId = new Map(registry.list().map((info) => [info.id, info]));
    expect(byId.get('openai/gpt-4o-mini')).toEqual({
      id: 'openai/gpt-4o-mini',
      provider: 'openai',
      name: 'GPT-4o mini',
      contextWindow: 128_000,
      maxOutputTokens: 16_384,
      // No separate cache-write price: it costs the input price.
      prices: { input: 0.15, output: 0.6, cacheRead: 0.075, cacheWrite: 0.15 },
    });
    expect(byId.get('anthropic/claude-sonnet-4-5')?.prices).toEqual({
      input: 3,
      output: 15,
      cacheRead: 0.3,
      cacheWrite: 3.75,
    });
    expect(byId.get('local/llama3.1')).toMatchObject({
      provider: 'local',
      name: 'local/llama3.1',
      ...DEFAULT_MODEL_LIMITS,
      prices: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    });
    expect(byId.get('local/qwen3')).toMatchObject({
      name: 'Qwen 3',
      contextWindow: 32_768,
      maxOutputTokens: 8192,
    });
    expect(byId.get('echo')?.prices).toEqual({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
  });

  test('an unpriced model has prices null, never zeros', () => {
    const registry = createModelRegistry({ providers });
    expect(registry.list().find((info) => info.id === 'openai/gpt-unknown')?.prices).toBeNull();
  });

  test('prices come from the table given, and callers cannot change the registry through list()', () => {
    const priceTable: PriceTable = {
      version: 'custom-1',
      prices: { 'local/llama3.1': { input: 0.1, output: 0.2 } },
    };
    const registry = createModelRegistry({
      providers: [{ kind: 'openai-compatible', baseURL: 'http://127.0.0.1:9/v1', models: ['llama3.1'] }],
      priceTable,
    });
    expect(registry.priceTable).toBe(priceTable);
    const [llama] = registry.list();
    expect(llama?.prices).toEqual({ input: 0.1, output: 0.2, cacheRead: 0.1, cacheWrite: 0.1 });
    if (llama?.prices) llama.prices.input = 99;
    expect(registry.list()[0]?.prices?.input).toBe(0.1);
    expect(registry.list().find((info) => info.id === 'echo')?.prices).toBeNull();
  });
});

describe('configuration', () => {
  test('the default model is the first provider model, else echo; resolve() knows only configured ids', () => {
    const registry = createModelRegistry({ providers });
    expect(registry.defaultModel).toBe('openai/gpt-4o-mini');
    expect(registry.fallbackModel).toBeNull();
    expect(registry.resolve('local/qwen3')?.info.name).toBe('Qwen 3');
    expect(registry.resolve('local/nope')).toBeNull();
    expect(registry.resolve('gpt-4o-mini')).toBeNull();
  });

  test('countTokens estimates one token per 4 characters when a provider model is the default', () => {
    const registry = createModelRegistry({ providers });
    expect(registry.countTokens('123456789')).toBe(3);
    expect(registry.countTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
  });

  test('echo can be left out', () => {
    const registry = createModelRegistry({ providers, echo: false });
    expect(registry.resolve('echo')).toBeNull();
    expect(() => createModelRegistry({ echo: false })).toThrow('Default model "" is not configured');
  });

  test('refuses unknown default or fallback models, duplicate ids and bad provider ids', () => {
    expect(() => createModelRegistry({ providers, defaultModel: 'openai/gpt-9' })).toThrow(TypeError);
    expect(() => createModelRegistry({ providers, fallbackModel: 'local/nope' })).toThrow('not configured');
    expect(() =>
      createModelRegistry({
        providers: [{ kind: 'openai-compatible', baseURL: 'http://x', models: ['a', 'a'] }],
      }),
    ).toThrow('configured twice');
    expect(() =>
      createModelRegistry({ providers: [{ kind: 'custom', id: 'echo', model: new MockLanguageModelV4() }] }),
    ).toThrow('configured twice');
    expect(() =>
      createModelRegistry({
        providers: [{ kind: 'openai-compatible', id: 'a/b', baseURL: 'http://x', models: ['m'] }],
      }),
    ).toThrow('no "/"');
  });
});

describe('parseModelPrices', () => {
  test('merges valid entries over the base table and marks the version', () => {
    const { table, problems } = parseModelPrices(
      '{"local/llama3.1":{"input":0.1,"output":0.2},"openai/gpt-4o":{"input":2,"output":8,"cacheRead":1}}',
      DEFAULT_PRICE_TABLE,
      'MODEL_PRICES',
    );
    expect(problems).toEqual([]);
    expect(table.version).toBe(`${DEFAULT_PRICE_TABLE.version}+config`);
    expect(table.prices['local/llama3.1']).toEqual({ input: 0.1, output: 0.2 });
    expect(table.prices['openai/gpt-4o']).toEqual({ input: 2, output: 8, cacheRead: 1 });
    expect(table.prices['openai/gpt-4o-mini']).toEqual({ input: 0.15, cacheRead: 0.075, output: 0.6 });
    expect(DEFAULT_PRICE_TABLE.prices['local/llama3.1']).toBeUndefined();
  });
});

test('the @zekka/adapters/models entry point exports the registry API', async () => {
  const entry = (await import('@zekka/adapters/models')) as Record<string, unknown>;
  for (const name of [
    'createModelRegistry',
    'modelRegistryFromEnv',
    'createEchoModel',
    'ECHO_MODEL_ID',
    'estimateTokens',
  ]) {
    expect(entry[name]).toBeDefined();
  }
});
