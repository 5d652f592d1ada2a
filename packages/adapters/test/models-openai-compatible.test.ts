import { describe, expect, test } from 'bun:test';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createModelRegistry, ModelTimeoutError } from '../src/models/index.ts';
import { collectModelStream, handleOf } from './support/collect-model-stream.ts';
import { chatRequest, expectUnavailable, useLocalModels } from './support/local-model-fixture.ts';
import { startOpenAICompatibleServer } from './support/openai-compatible-server.ts';

// Everything here goes over real HTTP to a local server, through @ai-sdk/openai-compatible.
const { server, stream } = useLocalModels();

/** A compatible provider that does not ask for usage on streams, so the server sends none. */
function bareCompatibleModel(baseURL: string) {
  return createOpenAICompatible({ name: 'bare', baseURL }).chatModel('llama3.1');
}

describe('streaming from an OpenAI-compatible server', () => {
  test('deltas, then one finish with the usage normalized (cached input and reasoning output mapped)', async () => {
    server.reply({
      chunks: ['Fine', ',', ' thanks', '!'],
      usage: { promptTokens: 120, completionTokens: 30, cachedTokens: 100, reasoningTokens: 26 },
    });
    const result = await collectModelStream(stream('local/llama3.1'));
    expect(result.error).toBeNull();
    expect(result.deltas).toEqual(['Fine', ',', ' thanks', '!']);
    expect(result.finish).toEqual({
      type: 'finish',
      reason: 'stop',
      model: 'local/llama3.1',
      usage: {
        inputTokens: 120,
        cacheReadTokens: 100,
        cacheWriteTokens: 0,
        outputTokens: 30,
        reasoningTokens: 26,
      },
    });
    expect(result.extraParts).toEqual([]);
  });

  test('the system prompt, the messages, the model name, the settings and the key reach the server', async () => {
    server.reply({ text: 'ok' });
    await collectModelStream(
      stream('local/qwen3', {}, { ...chatRequest, maxOutputTokens: 50, temperature: 0.2 }),
    );
    expect(server.requests).toHaveLength(1);
    const [sent] = server.requests;
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer local-key');
    expect(sent?.body).toMatchObject({
      model: 'qwen3',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 50,
      temperature: 0.2,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Hi.' },
        { role: 'user', content: 'How are you?' },
      ],
    });
  });

  test('a length stop is reported as length', async () => {
    server.reply({ text: 'cut short', finishReason: 'length' });
    const result = await collectModelStream(stream('local/llama3.1'));
    expect(result.finish?.reason).toBe('length');
  });

  test('a server that sends no usage gives zero counts, not an error', async () => {
    const other = startOpenAICompatibleServer();
    try {
      other.reply({ text: 'no usage here' });
      const registry = createModelRegistry({
        providers: [{ kind: 'custom', id: 'bare/model', model: bareCompatibleModel(other.url) }],
        maxRetries: 0,
      });
      const result = await collectModelStream(handleOf(registry, 'bare/model').stream(chatRequest));
      expect(result.text).toBe('no usage here');
      expect(result.finish?.usage).toEqual({
        inputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 0,
        reasoningTokens: 0,
      });
    } finally {
      await other.close();
    }
  });
});

describe('provider failures become MODEL_UNAVAILABLE', () => {
  test('an HTTP 500', async () => {
    server.reply({ status: 500 });
    const result = await collectModelStream(stream('local/llama3.1'));
    expectUnavailable(result.error);
    expect(result.deltas).toEqual([]);
    expect(result.finish).toBeNull();
  });

  test('an HTTP 401 (bad key)', async () => {
    server.reply({ status: 401 });
    expectUnavailable((await collectModelStream(stream('local/llama3.1'))).error);
  });

  test('a refused connection', async () => {
    const closed = startOpenAICompatibleServer();
    await closed.close();
    const result = await collectModelStream(
      handleOf(
        createModelRegistry({
          providers: [{ kind: 'openai-compatible', baseURL: closed.url, models: ['llama3.1'] }],
          maxRetries: 0,
        }),
        'local/llama3.1',
      ).stream(chatRequest),
    );
    expectUnavailable(result.error);
  });

  test('a server that never answers fails within the first-token timeout', async () => {
    server.reply({ hang: true });
    const result = await collectModelStream(stream('local/llama3.1', { timeouts: { firstChunkMs: 300 } }));
    expectUnavailable(result.error);
    expect((result.error as Error).cause).toBeInstanceOf(ModelTimeoutError);
    expect(((result.error as Error).cause as ModelTimeoutError).limit).toBe('firstChunkMs');
    expect(result.elapsedMs).toBeGreaterThanOrEqual(290);
    expect(result.elapsedMs).toBeLessThan(2000);
  });

  test('a stream that stalls after some deltas fails within the between-token timeout', async () => {
    server.reply({ text: 'one two three four', stallAfterChunks: 2 });
    const result = await collectModelStream(stream('local/llama3.1', { timeouts: { chunkMs: 300 } }));
    expect(result.text).toBe('one two');
    expectUnavailable(result.error);
    expect(((result.error as Error).cause as ModelTimeoutError).limit).toBe('chunkMs');
    expect(result.elapsedMs).toBeLessThan(2000);
  });

  test('a slow but steady stream is bounded by the total timeout', async () => {
    server.reply({ text: 'a b c d e f g h i j', chunkDelayMs: 100 });
    const result = await collectModelStream(stream('local/llama3.1', { timeouts: { totalMs: 350 } }));
    expect(result.deltas.length).toBeGreaterThan(0);
    expect(result.deltas.length).toBeLessThan(10);
    expectUnavailable(result.error);
    expect(((result.error as Error).cause as ModelTimeoutError).limit).toBe('totalMs');
  });

  test('a consumer slower than the between-token timeout does not make the model unavailable', async () => {
    server.reply({ text: 'one two three' });
    const deltas: string[] = [];
    for await (const part of stream('local/llama3.1', { timeouts: { firstChunkMs: 200, chunkMs: 200 } })) {
      if (part.type === 'delta') deltas.push(part.text);
      await Bun.sleep(300);
    }
    expect(deltas.join('')).toBe('one two three');
  });

  test('a connection dropped mid-stream fails after the deltas already sent', async () => {
    server.reply({ text: 'one two three four', disconnectAfterChunks: 2 });
    const result = await collectModelStream(stream('local/llama3.1'));
    expect(result.text).toBe('one two');
    expectUnavailable(result.error);
    expect(result.finish).toBeNull();
  });

  test('retries a 5xx before the answer starts when maxRetries allows', async () => {
    server.replyOnce({ status: 503 });
    server.reply({ text: 'second time lucky' });
    const result = await collectModelStream(stream('local/llama3.1', { maxRetries: 1 }));
    expect(result.text).toBe('second time lucky');
    expect(server.requests).toHaveLength(2);
  });
});

describe('the test server itself', () => {
  test('lists its models and answers without streaming', async () => {
    const models = await (await fetch(`${server.url}/models`)).json();
    expect(models.data.map((model: { id: string }) => model.id)).toEqual(['llama3.1']);
    server.reply({ text: 'plain answer', usage: { promptTokens: 3, completionTokens: 2 } });
    const response = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'llama3.1', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const body = await response.json();
    expect(body.choices[0].message.content).toBe('plain answer');
    expect(body.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
  });
});
