/**
 * @module conversations/context
 * What a model sees of a conversation: its system prompt, then as many of the most recent messages as fit
 * in the model's context window after reserving room for the answer — a token budget, not a fixed count.
 */
import type { ChatTurn } from '../ports/models.ts';
import type { UsableTurns } from './history-cache.ts';

export interface ContextInput {
  system: string | null;
  /** What the context may use of the earlier messages, oldest first, with their token counts. */
  history: UsableTurns;
  /** The user's new message. */
  message: string;
  contextWindow: number;
  /** Tokens kept free for the answer. */
  reservedForOutput: number;
  /** Counts the system prompt and the new message (the history comes counted). */
  countTokens: (text: string) => number;
}

/**
 * The turns to send, oldest first, ending with the new message: the newest earlier turns up to the first
 * that does not fit.
 */
export function buildContext(input: ContextInput): ChatTurn[] {
  let budget =
    input.contextWindow -
    input.reservedForOutput -
    input.countTokens(input.system ?? '') -
    input.countTokens(input.message);
  const { turns, tokens } = input.history;
  let first = tokens.length;
  while (first > 0 && (tokens[first - 1] as number) <= budget) {
    first--;
    budget -= tokens[first] as number;
  }
  const context = turns.slice(first);
  context.push({ role: 'user', content: input.message });
  return context;
}
