import { describe, expect, test } from 'bun:test';
import { costMicroUsd, findPrice, priceUsage, toNanoPrice } from './cost.ts';
import { DEFAULT_PRICE_TABLE, type PriceTable } from './prices.ts';
import { type TokenUsage, ZERO_USAGE } from './token-usage.ts';

const usage = (parts: Partial<TokenUsage>): TokenUsage => ({ ...ZERO_USAGE, ...parts });

describe('cost in micro-dollars', () => {
  // Each expected value is worked out by hand from the list price (USD per 1M tokens = µ$ per token).
  test.each([
    // gpt-4o: 1,000 in × 2.5 + 500 out × 10 = 2,500 + 5,000 = 7,500 µ$
    ['openai/gpt-4o', usage({ inputTokens: 1000, outputTokens: 500 }), 7500],
    // gpt-4o with 600 of 1,000 input cached: 400 × 2.5 + 600 × 1.25 + 0 = 1,000 + 750 = 1,750 µ$
    ['openai/gpt-4o', usage({ inputTokens: 1000, cacheReadTokens: 600 }), 1750],
    // gpt-4o-mini: 7 in × 0.15 = 1.05 µ$, 3 out × 0.6 = 1.8 µ$ → 2.85 → rounds to 3
    ['openai/gpt-4o-mini', usage({ inputTokens: 7, outputTokens: 3 }), 3],
    // gpt-4o-mini: 3 in × 0.15 = 0.45 → rounds to 0
    ['openai/gpt-4o-mini', usage({ inputTokens: 3 }), 0],
    // gpt-5-nano: 10 in × 0.05 = 0.5 → rounds half up to 1
    ['openai/gpt-5-nano', usage({ inputTokens: 10 }), 1],
    // Sonnet 4.5: 10,000 in of which 2,000 cache write and 5,000 cache read; 800 out of which 300 reasoning:
    // 3,000 × 3 + 2,000 × 3.75 + 5,000 × 0.3 + 800 × 15 = 9,000 + 7,500 + 1,500 + 12,000 = 30,000 µ$
    [
      'anthropic/claude-sonnet-4-5',
      usage({
        inputTokens: 10_000,
        cacheWriteTokens: 2000,
        cacheReadTokens: 5000,
        outputTokens: 800,
        reasoningTokens: 300,
      }),
      30_000,
    ],
    // Opus 4.1: 1M in × 15 + 1M out × 75 = 90,000,000 µ$ = $90
    ['anthropic/claude-opus-4-1', usage({ inputTokens: 1_000_000, outputTokens: 1_000_000 }), 90_000_000],
    // Gemini 2.5 Pro cached read 0.31: 1,000 cached of 1,000 → 310 µ$
    ['google/gemini-2.5-pro', usage({ inputTokens: 1000, cacheReadTokens: 1000 }), 310],
    // A local model is free.
    ['local/llama3.1', usage({ inputTokens: 123_456, outputTokens: 7890 }), 0],
  ])('%s %o → %d µ$', (model, tokens, expected) => {
    expect(priceUsage(DEFAULT_PRICE_TABLE, model, tokens)).toEqual({
      costMicroUsd: expected,
      priceVersion: DEFAULT_PRICE_TABLE.version,
    });
  });

  test('an unknown model has no cost (null, never 0)', () => {
    expect(priceUsage(DEFAULT_PRICE_TABLE, 'openai/gpt-unknown', usage({ inputTokens: 10 }))).toEqual({
      costMicroUsd: null,
      priceVersion: null,
    });
    expect(findPrice(DEFAULT_PRICE_TABLE, 'mystery')).toBeNull();
  });

  test('huge token counts stay exact (no float rounding)', () => {
    // 9e12 tokens × 75 µ$ = 6.75e14 µ$: beyond float-exact products of fractional prices, exact in bigint.
    const price = toNanoPrice({ input: 0.075, output: 75 });
    expect(costMicroUsd(usage({ inputTokens: 9e12, outputTokens: 9e12 }), price)).toBe(
      675_000_000_000_000 + 675_000_000_000,
    );
  });

  test('summing 10,000 usage rows gives the exact micro-dollar total', () => {
    const price = toNanoPrice(DEFAULT_PRICE_TABLE.prices['openai/gpt-4o-mini'] ?? { input: 0, output: 0 });
    let total = 0;
    for (let i = 0; i < 10_000; i++)
      total += costMicroUsd(usage({ inputTokens: 1000 + i, outputTokens: 100 }), price);
    // Each row: (1000+i) × 0.15 + 60 µ$, exact because 1000+i is a whole number of 1/20 µ$ steps; rounded
    // half up per row. Σ over i of round(150 + 0.15 i + 60) computed independently in integers:
    let expected = 0n;
    for (let i = 0n; i < 10_000n; i++) expected += ((1000n + i) * 150n + 100n * 600n + 500n) / 1000n;
    expect(BigInt(total)).toBe(expected);
    expect(Number.isSafeInteger(total)).toBe(true);
  });

  test('prices finer than a nano-dollar per token are refused', () => {
    expect(() => toNanoPrice({ input: 0.0001, output: 1 })).toThrow(RangeError);
    expect(() => toNanoPrice({ input: -1, output: 1 })).toThrow(RangeError);
  });

  test('a provider wildcard prices every model of that provider; an exact entry wins', () => {
    const table: PriceTable = {
      version: 't',
      prices: { 'acme/*': { input: 1, output: 1 }, 'acme/big': { input: 10, output: 10 } },
    };
    expect(findPrice(table, 'acme/small')).toEqual({ input: 1, output: 1 });
    expect(findPrice(table, 'acme/big')).toEqual({ input: 10, output: 10 });
  });
});
