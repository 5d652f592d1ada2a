/**
 * @module conversations/context
 * What a model sees of a conversation: its system prompt, then as many of the most recent messages as fit
 * in the model's context window after reserving room for the answer — a token budget, not a fixed count.
 */
import type { ChatTurn } from '../ports/models.ts';
import type { HistoryMessage } from './history-cache.ts';

export interface ContextInput {
  system: string | null;
  /** Earlier messages, newest first (as `messages.recent` returns them), with their token counts. */
  history: readonly HistoryMessage[];
  /** The user's new message. */
  message: string;
  contextWindow: number;
  /** Tokens kept free for the answer. */
  reservedForOutput: number;
  /** Counts the system prompt and the new message (the history comes counted). */
  countTokens: (text: string) => number;
}

/** The turns to send, oldest first, ending with the new message. */
export function buildContext(input: ContextInput): ChatTurn[] {
  let budget =
    input.contextWindow -
    input.reservedForOutput -
    input.countTokens(input.system ?? '') -
    input.countTokens(input.message);
  const earlier: ChatTurn[] = [];
  for (const message of input.history) {
    // Failed answers and empty ones carry nothing the model should build on.
    if (message.turn === null || message.status === 'failed' || message.content === '') continue;
    if (message.status === 'streaming') continue;
    if (message.tokens > budget) break;
    budget -= message.tokens;
    earlier.push(message.turn);
  }
  earlier.reverse();
  earlier.push({ role: 'user', content: input.message });
  return earlier;
}
