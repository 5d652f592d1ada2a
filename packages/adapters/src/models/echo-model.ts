/**
 * @module models/echo-model
 * The built-in `echo` model: deterministic, offline, free. It answers `Echo: <the last user message>`,
 * streamed one token at a time, and reports usage counted with its own tokenizer — input is every token of
 * the system prompt and the messages it was given, output every token it produced (only those produced
 * before an abort, when stopped).
 */
import type { ChatTurn, ModelHandle, ModelInfo, ModelRequest, ModelStreamPart } from '@zekka/core';
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
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i] as ChatTurn;
    if (message.role === 'user') return `Echo: ${message.content}`;
  }
  return 'Echo: ';
}

/**
 * Token counts of the turns the model was given, by turn: a conversation's context sends the same turn
 * objects again with every message (see core's history cache), and counting hundreds of them on every
 * call was most of what the model cost. The text is kept with the count, so a turn whose content was
 * changed since is counted again.
 */
const counted = new WeakMap<ChatTurn, { content: string; tokens: number }>();

function countTurnTokens(turn: ChatTurn): number {
  const known = counted.get(turn);
  if (known !== undefined && known.content === turn.content) return known.tokens;
  const tokens = countEchoTokens(turn.content);
  counted.set(turn, { content: turn.content, tokens });
  return tokens;
}

export function createEchoModel(options: EchoModelOptions = {}): ModelHandle {
  const delay = options.tokenDelayMs ?? 0;
  return {
    info: ECHO_MODEL_INFO,
    async *stream(request): AsyncGenerator<ModelStreamPart> {
      let inputTokens = countEchoTokens(request.system ?? '');
      for (const message of request.messages) inputTokens += countTurnTokens(message);
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
