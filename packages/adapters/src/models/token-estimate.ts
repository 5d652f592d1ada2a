/**
 * @module models/token-estimate
 * The token estimate used for provider models, whose tokenizers are not shipped: one token per four UTF-16
 * code units, rounded up — close to the usual ~4 characters per token of English text with the OpenAI and
 * Anthropic tokenizers, and an underestimate for scripts such as CJK. It is only ever an estimate: for
 * fitting context into a window, and for the usage of an aborted call the provider never reported.
 */
import type { ChatTurn } from '@zekka/core';

/** Approximate tokens `text` takes with a provider's tokenizer: `ceil(text.length / 4)`. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Approximate prompt tokens of a request: the system prompt and every message, each counted with `count`. */
export function countPromptTokens(
  prompt: { system?: string; messages: readonly ChatTurn[] },
  count: (text: string) => number,
): number {
  let total = prompt.system === undefined ? 0 : count(prompt.system);
  for (const message of prompt.messages) total += count(message.content);
  return total;
}
