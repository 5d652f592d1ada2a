/**
 * @module models/echo-model
 * The built-in `echo` model: deterministic, offline, free. It answers `Echo: <the last user message>`,
 * streamed one token at a time, and reports usage counted with its own tokenizer — input is every token of
 * the system prompt and the messages it was given, output every token it produced (only those produced
 * before an abort, when stopped).
 */
import type { ModelHandle, ModelInfo, ModelRequest, ModelStreamPart } from '@zekka/core';
import { countEchoTokens, echoTokens } from './echo-tokens.ts';

export const ECHO_MODEL_ID = 'echo';

export interface EchoModelOptions {
  /** Pause between tokens, to make streaming and stopping observable. @default 0 */
  tokenDelayMs?: number;
}

export const ECHO_MODEL_INFO: ModelInfo = {
  id: ECHO_MODEL_ID,
  provider: 'echo',
  name: 'Echo (built-in, offline)',
  contextWindow: 128_000,
  maxOutputTokens: 32_000,
  prices: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
};

/** The answer the echo model gives to `request`. */
export function echoAnswer(request: ModelRequest): string {
  const last = [...request.messages].reverse().find((m) => m.role === 'user');
  return `Echo: ${last?.content ?? ''}`;
}

export function createEchoModel(options: EchoModelOptions = {}): ModelHandle {
  const delay = options.tokenDelayMs ?? 0;
  return {
    info: ECHO_MODEL_INFO,
    async *stream(request): AsyncGenerator<ModelStreamPart> {
      const inputTokens =
        countEchoTokens(request.system ?? '') +
        request.messages.reduce((sum, message) => sum + countEchoTokens(message.content), 0);
      const limit = request.maxOutputTokens ?? ECHO_MODEL_INFO.maxOutputTokens;
      const tokens = echoTokens(echoAnswer(request));
      let produced = 0;
      let reason: 'stop' | 'length' | 'aborted' = 'stop';
      for (const token of tokens) {
        if (request.signal?.aborted) {
          reason = 'aborted';
          break;
        }
        if (produced >= limit) {
          reason = 'length';
          break;
        }
        if (delay > 0) await Bun.sleep(delay);
        if (request.signal?.aborted) {
          reason = 'aborted';
          break;
        }
        produced++;
        yield { type: 'delta', text: token };
      }
      yield {
        type: 'finish',
        reason,
        usage: {
          inputTokens,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          outputTokens: produced,
          reasoningTokens: 0,
        },
      };
    },
  };
}
