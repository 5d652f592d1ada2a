import { describe, expect, test } from 'bun:test';
import { APICallError, type LanguageModelV4StreamPart, type LanguageModelV4Usage } from '@ai-sdk/provider';
import { isZekkaError, type ModelRequest } from '@zekka/core';
import { simulateReadableStream } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { createModelRegistry, type ModelTimeoutError, type ModelTimeouts } from '../src/models/index.ts';
import { collectModelStream, handleOf } from './support/collect-model-stream.ts';

// The AI SDK's mock models plugged in as `custom` providers, for failures and timings HTTP cannot script.
type MockStream = NonNullable<ConstructorParameters<typeof MockLanguageModelV4>[0]>['doStream'];

const request: ModelRequest = { messages: [{ role: 'user', content: 'Hi' }] };

const usage = (
  input: Partial<Record<'total' | 'noCache' | 'cacheRead' | 'cacheWrite', number>>,
  output: Partial<Record<'total' | 'text' | 'reasoning', number>>,
): LanguageModelV4Usage => ({
  inputTokens: {
    total: undefined,
    noCache: undefined,
    cacheRead: undefined,
    cacheWrite: undefined,
    ...input,
  },
  outputTokens: { total: undefined, text: undefined, reasoning: undefined, ...output },
});

function textParts(...texts: string[]): LanguageModelV4StreamPart[] {
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 't' },
    ...texts.map((delta): LanguageModelV4StreamPart => ({ type: 'text-delta', id: 't', delta })),
    { type: 'text-end', id: 't' },
  ];
}

function finish(
  unified: 'stop' | 'length' | 'content-filter',
  tokens = usage({ total: 5 }, { total: 2 }),
): LanguageModelV4StreamPart {
  return { type: 'finish', finishReason: { unified, raw: unified }, usage: tokens };
}

function run(doStream: MockStream, timeouts: Partial<ModelTimeouts> = {}) {
  const registry = createModelRegistry({
    providers: [
      {
        kind: 'custom',
        id: 'mock/model',
        model: new MockLanguageModelV4({ doStream }),
        info: { name: 'Mock' },
      },
    ],
    maxRetries: 0,
    timeouts,
  });
  return collectModelStream(handleOf(registry, 'mock/model').stream(request));
}

const streamOf = (
  chunks: LanguageModelV4StreamPart[],
  options: { initialDelayInMs?: number; chunkDelayInMs?: number } = {},
) => ({ stream: simulateReadableStream({ chunks, ...options }) });

describe('a custom provider on the SDK mock model', () => {
  test('a provider error thrown when the call starts becomes MODEL_UNAVAILABLE with it as cause', async () => {
    const failure = new APICallError({
      message: 'Overloaded',
      url: 'https://mock.invalid',
      requestBodyValues: {},
      statusCode: 529,
      isRetryable: false,
    });
    const result = await run(async () => {
      throw failure;
    });
    expect(isZekkaError(result.error) && result.error.code).toBe('MODEL_UNAVAILABLE');
    expect((result.error as Error).message).toBe('mock/model is unavailable');
    expect((result.error as Error).cause).toBe(failure);
  });

  test('an error event after some text fails the stream after those deltas', async () => {
    const result = await run(async () =>
      streamOf([...textParts('Hel', 'lo').slice(0, -1), { type: 'error', error: new Error('stream broke') }]),
    );
    expect(result.deltas).toEqual(['Hel', 'lo']);
    expect(isZekkaError(result.error) && result.error.code).toBe('MODEL_UNAVAILABLE');
    expect(result.finish).toBeNull();
  });

  test('usage is normalized: totals include cache and reasoning parts, missing numbers count as 0', async () => {
    const withWrites = await run(async () =>
      streamOf([
        ...textParts('ok'),
        finish(
          'stop',
          usage(
            { total: 100, noCache: 20, cacheRead: 50, cacheWrite: 30 },
            { total: 40, text: 30, reasoning: 10 },
          ),
        ),
      ]),
    );
    expect(withWrites.finish?.usage).toEqual({
      inputTokens: 100,
      cacheReadTokens: 50,
      cacheWriteTokens: 30,
      outputTokens: 40,
      reasoningTokens: 10,
    });
    const partsOnly = await run(async () =>
      streamOf([
        ...textParts('ok'),
        finish('stop', usage({ noCache: 7, cacheRead: 3 }, { text: 4, reasoning: 6 })),
      ]),
    );
    expect(partsOnly.finish?.usage).toEqual({
      inputTokens: 10,
      cacheReadTokens: 3,
      cacheWriteTokens: 0,
      outputTokens: 10,
      reasoningTokens: 6,
    });
  });

  test('finish reasons other than stop and length are reported as other', async () => {
    const result = await run(async () => streamOf([...textParts('no'), finish('content-filter')]));
    expect(result.finish?.reason).toBe('other');
  });

  test('a stream whose first chunk is late fails within the first-token timeout', async () => {
    const result = await run(
      async () => streamOf([...textParts('late'), finish('stop')], { initialDelayInMs: 2000 }),
      {
        firstChunkMs: 100,
      },
    );
    expect(((result.error as Error).cause as ModelTimeoutError).limit).toBe('firstChunkMs');
    expect(result.elapsedMs).toBeLessThan(1000);
  });

  test('reasoning counts as progress (it keeps the call alive) but is not part of the answer', async () => {
    const reasoning: LanguageModelV4StreamPart[] = [
      { type: 'reasoning-start', id: 'r' },
      ...Array.from(
        { length: 5 },
        (): LanguageModelV4StreamPart => ({ type: 'reasoning-delta', id: 'r', delta: '… ' }),
      ),
      { type: 'reasoning-end', id: 'r' },
    ];
    const result = await run(
      async () =>
        streamOf(
          [{ type: 'stream-start', warnings: [] }, ...reasoning, ...textParts('42').slice(1), finish('stop')],
          { chunkDelayInMs: 60 },
        ),
      // The text comes ~560 ms in: only the reasoning before it keeps the 250 ms first-token limit from firing.
      { firstChunkMs: 250, chunkMs: 250 },
    );
    expect(result.error).toBeNull();
    expect(result.text).toBe('42');
  });

  test('the custom model is listed with its overrides and the provider taken from its id', () => {
    const registry = createModelRegistry({
      providers: [
        {
          kind: 'custom',
          id: 'mock/model',
          model: new MockLanguageModelV4(),
          info: { name: 'Mock', contextWindow: 1000 },
        },
      ],
    });
    expect(registry.list()[0]).toEqual({
      id: 'mock/model',
      provider: 'mock',
      name: 'Mock',
      contextWindow: 1000,
      maxOutputTokens: 4096,
      prices: null,
    });
  });
});
