/**
 * @module models/price-config
 * `MODEL_PRICES`: price overrides given as JSON, merged over a base price table. Each entry replaces the
 * base table's entry for that model id (or `provider/*` wildcard) as a whole; the merged table's version is
 * `<base version>+config`, so usage priced with it is told apart from usage priced with the defaults.
 */
import { type ModelPrice, type PriceTable, toNanoPrice } from '@zekka/core';

const PRICE_FIELDS = ['input', 'output', 'cacheRead', 'cacheWrite'] as const;

/**
 * Parses `raw` — `{ "<model id>": { "input": 0.5, "output": 1.5, "cacheRead"?: …, "cacheWrite"?: … } }`,
 * USD per 1M tokens — and merges it over `base`. Bad entries are left out and reported, one line each.
 *
 * @example
 * parseModelPrices('{"local/llama3.1":{"input":0.1,"output":0.2}}', DEFAULT_PRICE_TABLE, 'MODEL_PRICES')
 */
export function parseModelPrices(
  raw: string,
  base: PriceTable,
  name: string,
): { table: PriceTable; problems: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { table: base, problems: [`${name}: must be a JSON object of prices (invalid JSON)`] };
  }
  if (!isRecord(parsed)) {
    return { table: base, problems: [`${name}: must be a JSON object keyed by model id`] };
  }
  const problems: string[] = [];
  const prices: Record<string, ModelPrice> = { ...base.prices };
  for (const [modelId, value] of Object.entries(parsed)) {
    const result = readPrice(value);
    if (typeof result === 'string') problems.push(`${name}: "${modelId}" ${result}`);
    else if (modelId.trim() === '') problems.push(`${name}: model ids must not be empty`);
    else prices[modelId] = result;
  }
  return { table: { version: `${base.version}+config`, prices }, problems };
}

/** The price in `value`, or why it is not one. */
function readPrice(value: unknown): ModelPrice | string {
  if (!isRecord(value)) return 'must be an object with input and output prices';
  const unknown = Object.keys(value).filter((key) => !(PRICE_FIELDS as readonly string[]).includes(key));
  if (unknown.length > 0) return `has unknown field(s) ${unknown.join(', ')}`;
  const price: Partial<Record<(typeof PRICE_FIELDS)[number], number>> = {};
  for (const field of PRICE_FIELDS) {
    const amount = value[field];
    if (amount === undefined && (field === 'cacheRead' || field === 'cacheWrite')) continue;
    if (typeof amount !== 'number') return `${field} must be a number (USD per 1M tokens)`;
    price[field] = amount;
  }
  const { input = 0, output = 0, ...cache } = price;
  const modelPrice: ModelPrice = { input, output, ...cache };
  try {
    toNanoPrice(modelPrice);
  } catch (error) {
    return `has an invalid price: ${(error as Error).message}`;
  }
  return modelPrice;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
