import { describe, expect, test } from 'bun:test';
import { DEFAULT_PRICE_TABLE } from '@zekka/core';
import {
  DEFAULT_ANTHROPIC_MODELS,
  DEFAULT_OPENAI_MODELS,
  modelRegistryFromEnv,
} from '../src/models/index.ts';
import { collectModelStream, handleOf } from './support/collect-model-stream.ts';
import { startOpenAICompatibleServer } from './support/openai-compatible-server.ts';

const ids = (env: Record<string, string>) =>
  modelRegistryFromEnv(env)
    .registry.list()
    .map((info) => info.id)
    .sort();

describe('modelRegistryFromEnv', () => {
  test('with nothing set, only echo, as the default, without problems', () => {
    const { registry, problems } = modelRegistryFromEnv({});
    expect(problems).toEqual([]);
    expect(registry.defaultModel).toBe('echo');
    expect(registry.list().map((info) => info.id)).toEqual(['echo']);
    expect(registry.priceTable).toBe(DEFAULT_PRICE_TABLE);
  });

  test('OPENAI_API_KEY enables the default OpenAI models, or OPENAI_MODELS', () => {
    expect(ids({ OPENAI_API_KEY: 'sk-x' })).toEqual(
      [...DEFAULT_OPENAI_MODELS.map((model) => `openai/${model}`), 'echo'].sort(),
    );
    expect(ids({ OPENAI_API_KEY: 'sk-x', OPENAI_MODELS: ' gpt-4.1 , o3,,gpt-4.1' })).toEqual([
      'echo',
      'openai/gpt-4.1',
      'openai/o3',
    ]);
    expect(modelRegistryFromEnv({ OPENAI_API_KEY: 'sk-x' }).registry.defaultModel).toBe('openai/gpt-4o-mini');
  });

  test('OPENAI_BASE_URL points the OpenAI provider elsewhere', async () => {
    const server = startOpenAICompatibleServer();
    try {
      const { registry, problems } = modelRegistryFromEnv({
        OPENAI_API_KEY: 'sk-x',
        OPENAI_BASE_URL: `${server.url}/`,
        MODEL_TIMEOUT_MS: '2000',
      });
      expect(problems).toEqual([]);
      await collectModelStream(
        handleOf(registry, 'openai/gpt-4o-mini').stream({ messages: [{ role: 'user', content: 'hi' }] }),
      );
      expect(server.requests[0]?.path).toBe('/v1/responses');
    } finally {
      await server.close();
    }
  });

  test('ANTHROPIC_API_KEY enables the default Anthropic models, or ANTHROPIC_MODELS', () => {
    expect(ids({ ANTHROPIC_API_KEY: 'ant-x' })).toEqual(
      [...DEFAULT_ANTHROPIC_MODELS.map((model) => `anthropic/${model}`), 'echo'].sort(),
    );
    expect(ids({ ANTHROPIC_API_KEY: 'ant-x', ANTHROPIC_MODELS: 'claude-opus-4-1' })).toEqual([
      'anthropic/claude-opus-4-1',
      'echo',
    ]);
  });

  test('OPENAI_COMPATIBLE_* configure a local server, under OPENAI_COMPATIBLE_PROVIDER (default local)', async () => {
    const server = startOpenAICompatibleServer();
    try {
      server.reply({ text: 'hello from ollama' });
      const { registry, problems } = modelRegistryFromEnv({
        OPENAI_COMPATIBLE_BASE_URL: server.url,
        OPENAI_COMPATIBLE_API_KEY: 'ollama',
        OPENAI_COMPATIBLE_MODELS: 'llama3.1,qwen3',
      });
      expect(problems).toEqual([]);
      expect(registry.defaultModel).toBe('local/llama3.1');
      const result = await collectModelStream(
        handleOf(registry, 'local/qwen3').stream({ messages: [{ role: 'user', content: 'hi' }] }),
      );
      expect(result.text).toBe('hello from ollama');
      expect(server.requests[0]?.headers.authorization).toBe('Bearer ollama');
      expect(
        ids({
          OPENAI_COMPATIBLE_BASE_URL: server.url,
          OPENAI_COMPATIBLE_MODELS: 'm',
          OPENAI_COMPATIBLE_PROVIDER: 'vllm',
        }),
      ).toEqual(['echo', 'vllm/m']);
    } finally {
      await server.close();
    }
  });

  test('DEFAULT_MODEL and FALLBACK_MODEL pick configured models; the default follows provider order', () => {
    const env = { OPENAI_API_KEY: 'sk-x', OPENAI_MODELS: 'gpt-4o', ANTHROPIC_API_KEY: 'ant-x' };
    expect(modelRegistryFromEnv(env).registry.defaultModel).toBe('openai/gpt-4o');
    const { registry, problems } = modelRegistryFromEnv({
      ...env,
      DEFAULT_MODEL: 'anthropic/claude-haiku-4-5',
      FALLBACK_MODEL: 'echo',
    });
    expect(problems).toEqual([]);
    expect(registry.defaultModel).toBe('anthropic/claude-haiku-4-5');
    expect(registry.fallbackModel).toBe('echo');
    expect(registry.list()[0]?.id).toBe('anthropic/claude-haiku-4-5');
  });

  test('MODEL_PRICES is merged over the default table, with a marked version', () => {
    const { registry, problems } = modelRegistryFromEnv({
      OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_COMPATIBLE_MODELS: 'llama3.1',
      MODEL_PRICES: '{"local/llama3.1":{"input":0.05,"output":0.1}}',
    });
    expect(problems).toEqual([]);
    expect(registry.priceTable.version).toBe(`${DEFAULT_PRICE_TABLE.version}+config`);
    expect(registry.list()[0]?.prices).toEqual({
      input: 0.05,
      output: 0.1,
      cacheRead: 0.05,
      cacheWrite: 0.05,
    });
  });

  test('ECHO_TOKEN_DELAY_MS paces the echo model', async () => {
    const { registry, problems } = modelRegistryFromEnv({ ECHO_TOKEN_DELAY_MS: '40' });
    expect(problems).toEqual([]);
    const result = await collectModelStream(
      handleOf(registry, 'echo').stream({ messages: [{ role: 'user', content: 'one two' }] }),
    );
    // "Echo", ":", " one", " two": four pauses.
    expect(result.elapsedMs).toBeGreaterThanOrEqual(150);
  });

  test('MODEL_TIMEOUT_MS bounds the wait for the first token', async () => {
    const server = startOpenAICompatibleServer();
    try {
      server.reply({ hang: true });
      const { registry } = modelRegistryFromEnv({
        OPENAI_COMPATIBLE_BASE_URL: server.url,
        OPENAI_COMPATIBLE_MODELS: 'llama3.1',
        MODEL_TIMEOUT_MS: '200',
      });
      const result = await collectModelStream(
        handleOf(registry, 'local/llama3.1').stream({ messages: [{ role: 'user', content: 'hi' }] }),
      );
      expect((result.error as { code?: string }).code).toBe('MODEL_UNAVAILABLE');
      expect(result.elapsedMs).toBeLessThan(1500);
    } finally {
      await server.close();
    }
  });

  test('every bad value is one problem line, and the registry is still built from the rest', () => {
    const { registry, problems } = modelRegistryFromEnv({
      OPENAI_API_KEY: 'sk-secret-value',
      OPENAI_MODELS: 'gpt 4o',
      OPENAI_BASE_URL: 'ftp://proxy',
      ANTHROPIC_MODELS: 'claude-haiku-4-5',
      OPENAI_COMPATIBLE_BASE_URL: 'localhost:11434',
      DEFAULT_MODEL: 'openai/gpt-9',
      FALLBACK_MODEL: 'nope',
      MODEL_TIMEOUT_MS: '0',
      MODEL_PRICES:
        '{"openai/gpt-4o":{"input":-1,"output":1},"x/y":{"input":1},"z/w":{"input":1,"output":1,"per":2}}',
      ECHO_TOKEN_DELAY_MS: 'soon',
    });
    expect(problems).toEqual([
      'OPENAI_BASE_URL: must be an http(s) URL (got "ftp://proxy")',
      'OPENAI_MODELS: must be a comma list of model names without spaces (got "gpt 4o")',
      'ANTHROPIC_MODELS: only used together with ANTHROPIC_API_KEY, which is not set',
      'OPENAI_COMPATIBLE_BASE_URL: must be an http(s) URL (got "localhost:11434")',
      expect.stringMatching(
        /^DEFAULT_MODEL: "openai\/gpt-9" is not a configured model \(configured: openai\/gpt-4o-mini, /,
      ),
      expect.stringMatching(/^FALLBACK_MODEL: "nope" is not a configured model/),
      'MODEL_TIMEOUT_MS: must be an integer from 1 to 3600000 (got "0")',
      'ECHO_TOKEN_DELAY_MS: must be an integer from 0 to 60000 (got "soon")',
      expect.stringMatching(
        /^MODEL_PRICES: "openai\/gpt-4o" has an invalid price: input price -1 must be ≥ 0/,
      ),
      'MODEL_PRICES: "x/y" output must be a number (USD per 1M tokens)',
      'MODEL_PRICES: "z/w" has unknown field(s) per',
    ]);
    expect(problems.join('\n')).not.toContain('sk-secret-value');
    expect(registry.defaultModel).toBe('openai/gpt-4o-mini');
    expect(registry.fallbackModel).toBeNull();
  });

  test('more problem lines: keys without their provider, a missing model list, a taken provider id, bad JSON', () => {
    expect(
      modelRegistryFromEnv({ OPENAI_MODELS: 'gpt-4o', OPENAI_BASE_URL: 'http://proxy' }).problems,
    ).toEqual([
      'OPENAI_MODELS: only used together with OPENAI_API_KEY, which is not set',
      'OPENAI_BASE_URL: only used together with OPENAI_API_KEY, which is not set',
    ]);
    expect(
      modelRegistryFromEnv({
        OPENAI_COMPATIBLE_MODELS: 'm',
        OPENAI_COMPATIBLE_PROVIDER: 'p',
        OPENAI_COMPATIBLE_API_KEY: 'k',
      }).problems,
    ).toEqual([
      'OPENAI_COMPATIBLE_MODELS: only used together with OPENAI_COMPATIBLE_BASE_URL, which is not set',
      'OPENAI_COMPATIBLE_API_KEY: only used together with OPENAI_COMPATIBLE_BASE_URL, which is not set',
      'OPENAI_COMPATIBLE_PROVIDER: only used together with OPENAI_COMPATIBLE_BASE_URL, which is not set',
    ]);
    expect(modelRegistryFromEnv({ OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1' }).problems).toEqual([
      'OPENAI_COMPATIBLE_MODELS: required with OPENAI_COMPATIBLE_BASE_URL (a comma list of model names)',
    ]);
    const taken = modelRegistryFromEnv({
      OPENAI_API_KEY: 'sk-x',
      OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_COMPATIBLE_MODELS: 'm',
      OPENAI_COMPATIBLE_PROVIDER: 'openai',
    });
    expect(taken.problems).toEqual([
      expect.stringMatching(/^OPENAI_COMPATIBLE_PROVIDER: .*\(got "openai"\)$/),
    ]);
    expect(modelRegistryFromEnv({ MODEL_PRICES: '{nope' }).problems).toEqual([
      'MODEL_PRICES: must be a JSON object of prices (invalid JSON)',
    ]);
    expect(modelRegistryFromEnv({ MODEL_PRICES: '[1]' }).problems).toEqual([
      'MODEL_PRICES: must be a JSON object keyed by model id',
    ]);
  });

  test('empty values count as unset', () => {
    expect(modelRegistryFromEnv({ OPENAI_API_KEY: '', DEFAULT_MODEL: ' ', MODEL_PRICES: '' })).toMatchObject({
      problems: [],
      registry: { defaultModel: 'echo' },
    });
  });
});
