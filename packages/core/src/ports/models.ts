/**
 * @module models
 * The model port: which models exist, and running one as a stream of text deltas ending in its usage.
 * Core never imports a provider SDK; the `@zekka/adapters/models` registry implements this port on the AI
 * SDK, and the built-in `echo` model implements it directly.
 */
import type { PriceTable } from '../usage/prices.ts';
import type { TokenUsage } from '../usage/token-usage.ts';

/** USD per 1M tokens, as shown by `GET /models`. */
export interface ModelPriceInfo {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export interface ModelInfo {
  /** `provider/model`, e.g. `openai/gpt-4o-mini`; the built-in model is `echo`. */
  id: string;
  provider: string;
  /** Human-readable name. */
  name: string;
  /** Tokens the model accepts (prompt + output). */
  contextWindow: number;
  /** Upper bound on tokens one answer may produce. */
  maxOutputTokens: number;
  /** From the price table; `null` when the model has no known price. */
  prices: ModelPriceInfo | null;
}

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface ModelRequest {
  system?: string;
  /** Oldest first; the last one is the user's new message. */
  messages: ChatTurn[];
  maxOutputTokens?: number;
  temperature?: number;
  /** Aborting stops generation; the stream then ends with a `finish` part whose `reason` is `aborted`. */
  signal?: AbortSignal;
}

export type ModelStreamPart =
  | { type: 'delta'; text: string }
  | {
      type: 'finish';
      reason: 'stop' | 'length' | 'aborted' | 'other';
      /** What was actually consumed, including for an aborted call when the provider reported it. */
      usage: TokenUsage;
      /** The id of the model that answered, set by the registry: not the one asked for after a fallback. */
      model?: string;
    };

/** One runnable model. */
export interface ModelHandle {
  info: ModelInfo;
  /**
   * Runs the model. The iterator yields deltas then exactly one `finish`. Provider failures (network,
   * HTTP errors, timeouts) reject the iteration with `ZekkaError('MODEL_UNAVAILABLE')`.
   */
  stream(request: ModelRequest): AsyncIterable<ModelStreamPart>;
}

export interface ModelRegistry {
  /** Every configured model, default first. */
  list(): ModelInfo[];
  /** The model for `id`, or `null` when it is not configured. */
  resolve(id: string): ModelHandle | null;
  /** The id used when neither the request nor the conversation names a model. */
  readonly defaultModel: string;
  /** The price table `list()` shows and core prices usage with (one table, so the two never disagree). */
  readonly priceTable: PriceTable;
  /**
   * Estimates the tokens `text` takes, for fitting context into a window. Exact for `echo`; an
   * approximation for providers (their tokenizers are not shipped).
   */
  countTokens(text: string): number;
}
