/**
 * @module token-usage
 * Token counts of one model call, in the normalized parts the AI SDK reports: input with its cache-read and
 * cache-write parts, output with its reasoning part. Totals include their parts.
 */
export interface TokenUsage {
  /** Every input token, cached or not. */
  inputTokens: number;
  /** Part of `inputTokens` read from the provider's prompt cache. */
  cacheReadTokens: number;
  /** Part of `inputTokens` written to the provider's prompt cache. */
  cacheWriteTokens: number;
  /** Every output token, reasoning included. */
  outputTokens: number;
  /** Part of `outputTokens` spent on reasoning. */
  reasoningTokens: number;
}

export const ZERO_USAGE: TokenUsage = {
  inputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
};
