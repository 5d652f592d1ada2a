/**
 * @module models/usage-mapping
 * From the AI SDK's normalized usage and finish reason to the port's `TokenUsage` and finish reasons.
 * Missing numbers count as 0; totals are never below the sum of their parts (input includes its cache reads
 * and writes, output includes its reasoning), and every count is a non-negative integer so costs can be
 * computed exactly.
 */
import type { ModelStreamPart, TokenUsage } from '@zekka/core';
import type { FinishReason, LanguageModelUsage } from 'ai';

type FinishPart = Extract<ModelStreamPart, { type: 'finish' }>;

/** `TokenUsage` from the SDK's normalized `LanguageModelUsage`. */
export function toTokenUsage(usage: LanguageModelUsage): TokenUsage {
  const cacheReadTokens = count(usage.inputTokenDetails?.cacheReadTokens);
  const cacheWriteTokens = count(usage.inputTokenDetails?.cacheWriteTokens);
  const noCacheTokens = count(usage.inputTokenDetails?.noCacheTokens);
  const reasoningTokens = count(usage.outputTokenDetails?.reasoningTokens);
  const textTokens = count(usage.outputTokenDetails?.textTokens);
  return {
    inputTokens: Math.max(count(usage.inputTokens), noCacheTokens + cacheReadTokens + cacheWriteTokens),
    cacheReadTokens,
    cacheWriteTokens,
    outputTokens: Math.max(count(usage.outputTokens), textTokens + reasoningTokens),
    reasoningTokens,
  };
}

/** The port's finish reason for the SDK's. */
export function toFinishReason(reason: FinishReason | undefined): FinishPart['reason'] {
  return reason === 'stop' || reason === 'length' ? reason : 'other';
}

function count(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
