/**
 * @module models/model-registry
 * `createModelRegistry`: the `ModelRegistry` port on the AI SDK. It holds the configured provider models
 * and the built-in `echo` model, describes each with its limits and prices, and hands out handles that
 * stream through `streamText` with timeouts, abort and an optional fallback model.
 */
import {
  DEFAULT_PRICE_TABLE,
  type Logger,
  type ModelHandle,
  type ModelInfo,
  type ModelRegistry,
  type PriceTable,
  silentLogger,
} from '@zekka/core';
import { createEchoModel, ECHO_MODEL_ID, ECHO_MODEL_INFO, type EchoModelOptions } from './echo-model.ts';
import { countEchoTokens } from './echo-tokens.ts';
import { describeModel, priceInfo } from './model-catalog.ts';
import { withFallback } from './model-fallback.ts';
import { DEFAULT_MODEL_TIMEOUTS, type ModelTimeouts } from './model-timeouts.ts';
import { configuredModels, type ProviderConfig } from './provider-config.ts';
import { createSdkModelHandle } from './sdk-model.ts';
import { estimateTokens } from './token-estimate.ts';

export interface ModelRegistryOptions {
  /** The providers and their models. @default [] (only `echo`) */
  providers?: ProviderConfig[];
  /**
   * The model used when neither the request nor the conversation names one; must be configured.
   * @default the first provider's first model, else `echo`
   */
  defaultModel?: string;
  /** Answers instead of any model that fails before its first token; must be configured. */
  fallbackModel?: string;
  /** Prices shown by `list()` (and to price usage with, via `registry.priceTable`). @default DEFAULT_PRICE_TABLE */
  priceTable?: PriceTable;
  /** The built-in `echo` model's options, or `false` to leave it out. @default {} */
  echo?: EchoModelOptions | false;
  /** Limits on every provider call (the echo model is local and needs none). */
  timeouts?: Partial<ModelTimeouts>;
  /**
   * Retries of a provider request that fails before its answer starts (HTTP 429/5xx, network errors),
   * with the SDK's exponential backoff; the first-token timeout spans them. @default 2
   */
  maxRetries?: number;
  /** Told when a fallback answers instead of the model asked for. @default silentLogger */
  logger?: Logger;
}

/** The registry, with what hosts need beside the port. */
export interface ZekkaModelRegistry extends ModelRegistry {
  /** The fallback model's id, or `null`. */
  readonly fallbackModel: string | null;
  /** The price table the listed prices come from; price usage with the same one. */
  readonly priceTable: PriceTable;
}

/**
 * Builds a registry. Nothing connects until a model is streamed.
 *
 * `countTokens` is exact when the default model is `echo` (its own tokenizer) and otherwise an estimate of
 * one token per four characters (`estimateTokens`), since provider tokenizers are not shipped.
 *
 * @throws TypeError when two models share an id, a provider id is invalid, or `defaultModel` /
 *   `fallbackModel` is not configured.
 * @example
 * const registry = createModelRegistry({
 *   providers: [{ kind: 'openai-compatible', baseURL: 'http://localhost:11434/v1', models: ['llama3.1'] }],
 *   fallbackModel: 'echo',
 * });
 * for await (const part of registry.resolve('local/llama3.1')!.stream({ messages })) …
 */
export function createModelRegistry(options: ModelRegistryOptions = {}): ZekkaModelRegistry {
  const priceTable = options.priceTable ?? DEFAULT_PRICE_TABLE;
  const logger = options.logger ?? silentLogger;
  const settings = {
    timeouts: { ...DEFAULT_MODEL_TIMEOUTS, ...options.timeouts },
    maxRetries: options.maxRetries ?? 2,
  };
  const handles = new Map<string, ModelHandle>();
  const add = (handle: ModelHandle) => {
    if (handles.has(handle.info.id)) throw new TypeError(`Model "${handle.info.id}" is configured twice`);
    handles.set(handle.info.id, handle);
  };
  for (const provider of options.providers ?? []) {
    for (const configured of configuredModels(provider)) {
      const info = describeModel(configured.id, configured.provider, priceTable, configured.overrides);
      add(createSdkModelHandle(info, configured.model, settings));
    }
  }
  if (options.echo !== false) {
    const echo = createEchoModel(options.echo);
    add({ info: { ...ECHO_MODEL_INFO, prices: priceInfo(priceTable, ECHO_MODEL_ID) }, stream: echo.stream });
  }

  const first = handles.keys().next();
  const defaultModel = options.defaultModel ?? (first.done ? undefined : first.value);
  if (defaultModel === undefined || !handles.has(defaultModel)) {
    throw new TypeError(`Default model "${defaultModel ?? ''}" is not configured`);
  }
  const fallbackModel = options.fallbackModel ?? null;
  if (fallbackModel !== null && !handles.has(fallbackModel)) {
    throw new TypeError(`Fallback model "${fallbackModel}" is not configured`);
  }
  const fallback = fallbackModel === null ? null : (handles.get(fallbackModel) ?? null);
  const resolved = new Map<string, ModelHandle>();
  for (const [id, handle] of handles) resolved.set(id, withFallback(handle, fallback, logger));

  const infos: ModelInfo[] = [...handles.values()].map((handle) => handle.info);
  infos.sort((a, b) => Number(b.id === defaultModel) - Number(a.id === defaultModel));

  return {
    defaultModel,
    fallbackModel,
    priceTable,
    list: () => infos.map((info) => ({ ...info, prices: info.prices && { ...info.prices } })),
    resolve: (id) => resolved.get(id) ?? null,
    countTokens: defaultModel === ECHO_MODEL_ID ? countEchoTokens : estimateTokens,
  };
}
