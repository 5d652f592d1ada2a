/**
 * @module prices
 * The price table: public list prices in USD per 1M tokens, per usage kind, as data. Reasoning tokens are
 * billed as output by every provider listed, so they have no separate price. A model missing from the table
 * has no price: its cost is `null`, never 0. Local models (served by Ollama, vLLM, LM Studio, … under the
 * `local` provider) and the built-in `echo` model cost nothing.
 *
 * Hosts override or extend the table through configuration (`MODEL_PRICES`); a cost records the version of
 * the table it was computed with, so a later price change never rewrites history.
 */

/** USD per 1M tokens. `cacheRead`/`cacheWrite` default to `input` when a provider has no separate price. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export interface PriceTable {
  /** Recorded on every usage row priced with this table. */
  version: string;
  /** Keyed by model id (`provider/model`); a key ending in `/*` prices every model of that provider. */
  prices: Record<string, ModelPrice>;
}

export const DEFAULT_PRICE_TABLE: PriceTable = {
  version: '2026-11-01',
  prices: {
    // OpenAI — cached input is the "cached input" list price; cache writes cost the normal input price.
    'openai/gpt-5': { input: 1.25, cacheRead: 0.125, output: 10 },
    'openai/gpt-5-mini': { input: 0.25, cacheRead: 0.025, output: 2 },
    'openai/gpt-5-nano': { input: 0.05, cacheRead: 0.005, output: 0.4 },
    'openai/gpt-4.1': { input: 2, cacheRead: 0.5, output: 8 },
    'openai/gpt-4.1-mini': { input: 0.4, cacheRead: 0.1, output: 1.6 },
    'openai/gpt-4.1-nano': { input: 0.1, cacheRead: 0.025, output: 0.4 },
    'openai/gpt-4o': { input: 2.5, cacheRead: 1.25, output: 10 },
    'openai/gpt-4o-mini': { input: 0.15, cacheRead: 0.075, output: 0.6 },
    'openai/o3': { input: 2, cacheRead: 0.5, output: 8 },
    'openai/o4-mini': { input: 1.1, cacheRead: 0.275, output: 4.4 },
    // Anthropic — cache writes (5-minute) at 1.25× input, cache reads at 0.1× input.
    'anthropic/claude-opus-4-1': { input: 15, cacheWrite: 18.75, cacheRead: 1.5, output: 75 },
    'anthropic/claude-opus-4-0': { input: 15, cacheWrite: 18.75, cacheRead: 1.5, output: 75 },
    'anthropic/claude-sonnet-4-5': { input: 3, cacheWrite: 3.75, cacheRead: 0.3, output: 15 },
    'anthropic/claude-sonnet-4-0': { input: 3, cacheWrite: 3.75, cacheRead: 0.3, output: 15 },
    'anthropic/claude-3-7-sonnet-latest': { input: 3, cacheWrite: 3.75, cacheRead: 0.3, output: 15 },
    'anthropic/claude-haiku-4-5': { input: 1, cacheWrite: 1.25, cacheRead: 0.1, output: 5 },
    'anthropic/claude-3-5-haiku-latest': { input: 0.8, cacheWrite: 1, cacheRead: 0.08, output: 4 },
    // Google — prompts up to 200k tokens; context caching reads at the listed cached price.
    'google/gemini-2.5-pro': { input: 1.25, cacheRead: 0.31, output: 10 },
    'google/gemini-2.5-flash': { input: 0.3, cacheRead: 0.075, output: 2.5 },
    'google/gemini-2.5-flash-lite': { input: 0.1, cacheRead: 0.025, output: 0.4 },
    'google/gemini-2.0-flash': { input: 0.1, cacheRead: 0.025, output: 0.4 },
    // Zero-cost: models on your own hardware, and the built-in echo model.
    'local/*': { input: 0, output: 0 },
    echo: { input: 0, output: 0 },
  },
};
