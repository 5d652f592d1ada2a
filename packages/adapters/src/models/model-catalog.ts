/**
 * @module models/model-catalog
 * What `GET /models` says about a model: a readable name, its context window and output limit from a small
 * table of the models the default price table knows, and its prices from the price table in use. A model
 * missing from the table gets conservative limits (so context fitting never overflows a small local model);
 * a provider config can override any of it per model.
 */
import { findPrice, type ModelInfo, type ModelPriceInfo, type PriceTable } from '@zekka/core';

export interface KnownModel {
  name: string;
  contextWindow: number;
  maxOutputTokens: number;
}

/** Limits for a model missing from `KNOWN_MODELS` and not given any in its config. */
export const DEFAULT_MODEL_LIMITS = { contextWindow: 8192, maxOutputTokens: 4096 } as const;

const known = (name: string, contextWindow: number, maxOutputTokens: number): KnownModel => ({
  name,
  contextWindow,
  maxOutputTokens,
});

/** Published context windows and output limits, keyed by model id. */
export const KNOWN_MODELS: Readonly<Record<string, KnownModel>> = {
  'openai/gpt-5': known('GPT-5', 400_000, 128_000),
  'openai/gpt-5-mini': known('GPT-5 mini', 400_000, 128_000),
  'openai/gpt-5-nano': known('GPT-5 nano', 400_000, 128_000),
  'openai/gpt-4.1': known('GPT-4.1', 1_047_576, 32_768),
  'openai/gpt-4.1-mini': known('GPT-4.1 mini', 1_047_576, 32_768),
  'openai/gpt-4.1-nano': known('GPT-4.1 nano', 1_047_576, 32_768),
  'openai/gpt-4o': known('GPT-4o', 128_000, 16_384),
  'openai/gpt-4o-mini': known('GPT-4o mini', 128_000, 16_384),
  'openai/o3': known('o3', 200_000, 100_000),
  'openai/o4-mini': known('o4-mini', 200_000, 100_000),
  'anthropic/claude-opus-4-1': known('Claude Opus 4.1', 200_000, 32_000),
  'anthropic/claude-opus-4-0': known('Claude Opus 4', 200_000, 32_000),
  'anthropic/claude-sonnet-4-5': known('Claude Sonnet 4.5', 200_000, 64_000),
  'anthropic/claude-sonnet-4-0': known('Claude Sonnet 4', 200_000, 64_000),
  'anthropic/claude-3-7-sonnet-latest': known('Claude Sonnet 3.7', 200_000, 64_000),
  'anthropic/claude-haiku-4-5': known('Claude Haiku 4.5', 200_000, 64_000),
  'anthropic/claude-3-5-haiku-latest': known('Claude Haiku 3.5', 200_000, 8192),
  'google/gemini-2.5-pro': known('Gemini 2.5 Pro', 1_048_576, 65_536),
  'google/gemini-2.5-flash': known('Gemini 2.5 Flash', 1_048_576, 65_536),
  'google/gemini-2.5-flash-lite': known('Gemini 2.5 Flash-Lite', 1_048_576, 65_536),
  'google/gemini-2.0-flash': known('Gemini 2.0 Flash', 1_048_576, 8192),
};

/** Per-model overrides a provider config may give. */
export interface ModelInfoOverrides {
  name?: string;
  contextWindow?: number;
  maxOutputTokens?: number;
}

/** The table's prices for `modelId` as shown to clients (cache prices default to the input price). */
export function priceInfo(table: PriceTable, modelId: string): ModelPriceInfo | null {
  const price = findPrice(table, modelId);
  if (price === null) return null;
  return {
    input: price.input,
    output: price.output,
    cacheRead: price.cacheRead ?? price.input,
    cacheWrite: price.cacheWrite ?? price.input,
  };
}

/** The `ModelInfo` of `modelId` (`provider/model`). */
export function describeModel(
  modelId: string,
  provider: string,
  table: PriceTable,
  overrides: ModelInfoOverrides = {},
): ModelInfo {
  const entry = KNOWN_MODELS[modelId];
  return {
    id: modelId,
    provider,
    name: overrides.name ?? entry?.name ?? modelId,
    contextWindow: overrides.contextWindow ?? entry?.contextWindow ?? DEFAULT_MODEL_LIMITS.contextWindow,
    maxOutputTokens:
      overrides.maxOutputTokens ?? entry?.maxOutputTokens ?? DEFAULT_MODEL_LIMITS.maxOutputTokens,
    prices: priceInfo(table, modelId),
  };
}
