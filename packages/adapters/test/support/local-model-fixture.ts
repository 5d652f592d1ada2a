/**
 * @module test/support/local-model-fixture
 * A registry on the local OpenAI-compatible test server, for test files that stream over real HTTP: starts
 * the server for the file, clears its script and records before each test, and stops it after the file.
 */
import { afterAll, beforeEach, expect } from 'bun:test';
import { isZekkaError, type ModelRequest } from '@zekka/core';
import { createModelRegistry, type ModelRegistryOptions } from '../../src/models/index.ts';
import { handleOf } from './collect-model-stream.ts';
import { startOpenAICompatibleServer } from './openai-compatible-server.ts';

/** A conversation with a system prompt and some history. */
export const chatRequest: ModelRequest = {
  system: 'You are terse.',
  messages: [
    { role: 'user', content: 'Hello' },
    { role: 'assistant', content: 'Hi.' },
    { role: 'user', content: 'How are you?' },
  ],
};

/** Call at the top of a test file: `local/llama3.1` and `local/qwen3` served by a local server. */
export function useLocalModels() {
  const server = startOpenAICompatibleServer();
  afterAll(() => server.close());
  beforeEach(() => server.reset());
  const registry = (options: Partial<ModelRegistryOptions> = {}) =>
    createModelRegistry({
      providers: [
        {
          kind: 'openai-compatible',
          baseURL: server.url,
          apiKey: 'local-key',
          models: ['llama3.1', 'qwen3'],
        },
      ],
      maxRetries: 0,
      ...options,
    });
  const stream = (id: string, options: Partial<ModelRegistryOptions> = {}, request = chatRequest) =>
    handleOf(registry(options), id).stream(request);
  return { server, registry, stream };
}

/** Asserts `error` is the registry's `MODEL_UNAVAILABLE` for `model`, with a cause. */
export function expectUnavailable(error: unknown, model = 'local/llama3.1'): void {
  expect(isZekkaError(error) && error.code).toBe('MODEL_UNAVAILABLE');
  expect((error as Error).message).toBe(`${model} is unavailable`);
  expect((error as Error).cause).toBeDefined();
}

/** Polls `condition` every 10 ms; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 1000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await Bun.sleep(10);
  }
}
