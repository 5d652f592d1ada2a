import { describe, expect, test } from 'bun:test';
import { createModelRegistry } from '../src/models/index.ts';
import { collectModelStream, handleOf } from './support/collect-model-stream.ts';
import { chatRequest, expectUnavailable, useLocalModels, waitFor } from './support/local-model-fixture.ts';

// Stop and fallback over real HTTP to a local server; the hosted providers' wiring checked against it too.
const { server, registry, stream } = useLocalModels();

describe('abort', () => {
  test('stops the stream with finish "aborted" and an estimate of what was consumed', async () => {
    server.reply({ text: 'one two three four five six seven eight', chunkDelayMs: 30 });
    const controller = new AbortController();
    const result = await collectModelStream(
      stream('local/llama3.1', {}, { ...chatRequest, signal: controller.signal }),
      (count) => {
        if (count === 3) controller.abort();
      },
    );
    expect(result.error).toBeNull();
    expect(result.text).toBe('one two three');
    // The provider never sent usage for the cancelled stream: chars/4 of each prompt part and of the text.
    expect(result.finish).toEqual({
      type: 'finish',
      reason: 'aborted',
      model: 'local/llama3.1',
      usage: {
        inputTokens: Math.ceil(14 / 4) + Math.ceil(5 / 4) + Math.ceil(3 / 4) + Math.ceil(12 / 4),
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: Math.ceil('one two three'.length / 4),
        reasoningTokens: 0,
      },
    });
  });

  test('an abort while the server has not answered yet is a stop, not a failure', async () => {
    server.reply({ hang: true });
    const result = await collectModelStream(
      stream(
        'local/llama3.1',
        { timeouts: { firstChunkMs: 5000 } },
        { ...chatRequest, signal: AbortSignal.timeout(150) },
      ),
    );
    expect(result.error).toBeNull();
    expect(result.finish?.reason).toBe('aborted');
    expect(result.finish?.usage.outputTokens).toBe(0);
    expect(result.elapsedMs).toBeLessThan(2000);
  });

  test('an already aborted request sends nothing and consumed nothing', async () => {
    const result = await collectModelStream(
      stream('local/llama3.1', {}, { ...chatRequest, signal: AbortSignal.abort() }),
    );
    expect(result.finish?.reason).toBe('aborted');
    expect(result.finish?.usage.inputTokens).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  test('a consumer that stops reading releases the request', async () => {
    server.reply({ text: 'one two three four five six', chunkDelayMs: 50 });
    for await (const part of handleOf(registry(), 'local/llama3.1').stream(chatRequest)) {
      expect(part).toEqual({ type: 'delta', text: 'one' });
      break;
    }
    await waitFor(() => server.requests[0]?.cancelled === true);
  });

  test('an abort cancels the HTTP request', async () => {
    server.reply({ text: 'one two three four five six', chunkDelayMs: 50 });
    const controller = new AbortController();
    await collectModelStream(
      stream('local/llama3.1', {}, { ...chatRequest, signal: controller.signal }),
      () => controller.abort(),
    );
    await waitFor(() => server.requests[0]?.cancelled === true);
  });
});

describe('fallback model', () => {
  const withFallback = { fallbackModel: 'local/qwen3', timeouts: { firstChunkMs: 300 } };

  test('answers when the model fails before its first delta; the finish names the model used', async () => {
    server.replyOnce({ status: 500 });
    server.reply({ text: 'from the fallback' });
    const result = await collectModelStream(stream('local/llama3.1', withFallback));
    expect(result.error).toBeNull();
    expect(result.text).toBe('from the fallback');
    expect(result.finish?.model).toBe('local/qwen3');
    expect(server.requests.map((sent) => sent.body.model)).toEqual(['llama3.1', 'qwen3']);
  });

  test('answers when the model times out before its first delta', async () => {
    server.replyOnce({ hang: true });
    server.reply({ text: 'late but here' });
    const result = await collectModelStream(stream('local/llama3.1', withFallback));
    expect(result.text).toBe('late but here');
    expect(result.finish?.model).toBe('local/qwen3');
  });

  test('the echo model can be the fallback', async () => {
    server.reply({ status: 502 });
    const result = await collectModelStream(stream('local/llama3.1', { fallbackModel: 'echo' }));
    expect(result.text).toBe('Echo: How are you?');
    expect(result.finish?.model).toBe('echo');
  });

  test('is not used once the model has sent a delta', async () => {
    server.replyOnce({ text: 'one two three', disconnectAfterChunks: 1 });
    server.reply({ text: 'never used' });
    const result = await collectModelStream(stream('local/llama3.1', withFallback));
    expect(result.text).toBe('one');
    expectUnavailable(result.error);
    expect(server.requests).toHaveLength(1);
  });

  test('when the fallback fails too, the error names the model asked for and keeps both causes', async () => {
    server.reply({ status: 500 });
    const result = await collectModelStream(stream('local/llama3.1', withFallback));
    expectUnavailable(result.error);
    expect((result.error as Error).cause).toBeInstanceOf(AggregateError);
    expect(((result.error as Error).cause as AggregateError).errors).toHaveLength(2);
  });

  test('a failing fallback model is not retried on itself', async () => {
    server.reply({ status: 500 });
    const result = await collectModelStream(stream('local/qwen3', withFallback));
    expectUnavailable(result.error, 'local/qwen3');
    expect(server.requests).toHaveLength(1);
  });
});

describe('hosted providers are wired to their APIs (checked against the local server, never the internet)', () => {
  test('openai uses the Responses API with a bearer key', async () => {
    const result = await collectModelStream(
      handleOf(
        createModelRegistry({
          providers: [{ kind: 'openai', apiKey: 'sk-test', baseURL: server.url, models: ['gpt-4o-mini'] }],
          maxRetries: 0,
        }),
        'openai/gpt-4o-mini',
      ).stream(chatRequest),
    );
    expectUnavailable(result.error, 'openai/gpt-4o-mini');
    expect(server.requests[0]?.path).toBe('/v1/responses');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-test');
    expect(server.requests[0]?.body.model).toBe('gpt-4o-mini');
  });

  test('anthropic uses the Messages API with an x-api-key', async () => {
    const result = await collectModelStream(
      handleOf(
        createModelRegistry({
          providers: [
            { kind: 'anthropic', apiKey: 'ant-test', baseURL: server.url, models: ['claude-haiku-4-5'] },
          ],
          maxRetries: 0,
        }),
        'anthropic/claude-haiku-4-5',
      ).stream(chatRequest),
    );
    expectUnavailable(result.error, 'anthropic/claude-haiku-4-5');
    expect(server.requests[0]?.path).toBe('/v1/messages');
    expect(server.requests[0]?.headers['x-api-key']).toBe('ant-test');
    expect(server.requests[0]?.body).toMatchObject({ model: 'claude-haiku-4-5', system: expect.anything() });
  });
});
