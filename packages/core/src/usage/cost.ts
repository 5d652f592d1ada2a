/**
 * @module cost
 * Cost of a model call in integer micro-dollars, computed once when the usage is recorded.
 *
 * Prices are USD per 1M tokens, which is exactly micro-dollars per token; with prices converted to
 * integer nano-dollars per token (USD/1M × 1000), the cost is Σ tokens × price in nano-dollars — exact in
 * `bigint` — rounded once, half up, to micro-dollars. No floating point touches the money.
 */
import type { ModelPrice, PriceTable } from './prices.ts';
import type { TokenUsage } from './token-usage.ts';

/** A price in integer nano-dollars per token (1 USD per 1M tokens = 1000 nano-dollars per token). */
export interface NanoPrice {
  input: bigint;
  output: bigint;
  cacheRead: bigint;
  cacheWrite: bigint;
}

/** Converts USD per 1M tokens to integer nano-dollars per token; refuses prices finer than that. */
export function toNanoPrice(price: ModelPrice): NanoPrice {
  const nano = (usdPerMillion: number, name: string): bigint => {
    const value = Math.round(usdPerMillion * 1000);
    if (!(usdPerMillion >= 0) || Math.abs(value - usdPerMillion * 1000) > 1e-6) {
      throw new RangeError(
        `${name} price ${usdPerMillion} must be ≥ 0 with at most 3 decimals (USD per 1M tokens)`,
      );
    }
    return BigInt(value);
  };
  return {
    input: nano(price.input, 'input'),
    output: nano(price.output, 'output'),
    cacheRead: nano(price.cacheRead ?? price.input, 'cacheRead'),
    cacheWrite: nano(price.cacheWrite ?? price.input, 'cacheWrite'),
  };
}

/** The table's price for `modelId`: an exact entry, else the provider's `provider/*` entry, else null. */
export function findPrice(table: PriceTable, modelId: string): ModelPrice | null {
  const exact = table.prices[modelId];
  if (exact) return exact;
  const slash = modelId.indexOf('/');
  return slash > 0 ? (table.prices[`${modelId.slice(0, slash)}/*`] ?? null) : null;
}

/** Micro-dollars for `usage` at `price`, rounded half up once. */
export function costMicroUsd(usage: TokenUsage, price: NanoPrice): number {
  const cached = usage.cacheReadTokens + usage.cacheWriteTokens;
  const uncachedInput = Math.max(0, usage.inputTokens - cached);
  const nano =
    BigInt(uncachedInput) * price.input +
    BigInt(usage.cacheReadTokens) * price.cacheRead +
    BigInt(usage.cacheWriteTokens) * price.cacheWrite +
    BigInt(usage.outputTokens) * price.output;
  return Number((nano + 500n) / 1000n);
}

/** The priced cost of one call, or `null` cost when the model has no price. */
export interface PricedUsage {
  costMicroUsd: number | null;
  priceVersion: string | null;
}

/** Prices `usage` of `modelId` with `table`. */
export function priceUsage(table: PriceTable, modelId: string, usage: TokenUsage): PricedUsage {
  const price = findPrice(table, modelId);
  if (price === null) return { costMicroUsd: null, priceVersion: null };
  return { costMicroUsd: costMicroUsd(usage, toNanoPrice(price)), priceVersion: table.version };
}
