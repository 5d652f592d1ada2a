/**
 * @module models/provider-config
 * The providers a registry is built from, and how each becomes AI SDK language models. Model ids are
 * `<provider id>/<model>`: `openai/gpt-4o-mini`, `anthropic/claude-haiku-4-5`, `local/llama3.1`.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { ModelInfoOverrides } from './model-catalog.ts';
import type { SdkLanguageModel } from './sdk-model.ts';

/** A model of a provider: its name at the provider, or that with overrides of what the catalog says. */
export type ModelSpec = string | ({ id: string } & ModelInfoOverrides);

interface HostedProviderConfig {
  /** Sent as the provider's API key. @default the SDK reads the provider's usual environment variable */
  apiKey?: string;
  /** The API's base URL, for a proxy or a compatible server. @default the provider's public API */
  baseURL?: string;
  /** Model names at this provider (`gpt-4o-mini`), each listed as `<id>/<name>`. */
  models: ModelSpec[];
}

/** OpenAI, through `@ai-sdk/openai` (the Responses API). */
export interface OpenAIProviderConfig extends HostedProviderConfig {
  kind: 'openai';
  /** @default 'openai' */
  id?: string;
}

/** Anthropic, through `@ai-sdk/anthropic`. */
export interface AnthropicProviderConfig extends HostedProviderConfig {
  kind: 'anthropic';
  /** @default 'anthropic' */
  id?: string;
}

/** Any OpenAI-compatible chat completions server (Ollama, vLLM, LM Studio, …), with usage on streams. */
export interface OpenAICompatibleProviderConfig extends HostedProviderConfig {
  kind: 'openai-compatible';
  /** @default 'local' */
  id?: string;
  /** e.g. `http://localhost:11434/v1` for Ollama. */
  baseURL: string;
}

/** One ready-made AI SDK model — another provider package, or the SDK's mock models in tests. */
export interface CustomModelConfig {
  kind: 'custom';
  /** The full model id, `provider/model`; the provider is the part before the first `/`. */
  id: string;
  model: SdkLanguageModel;
  info?: ModelInfoOverrides;
}

export type ProviderConfig =
  | OpenAIProviderConfig
  | AnthropicProviderConfig
  | OpenAICompatibleProviderConfig
  | CustomModelConfig;

/** One configured model, ready to be described and wrapped in a handle. */
export interface ConfiguredModel {
  id: string;
  provider: string;
  model: SdkLanguageModel;
  overrides: ModelInfoOverrides;
}

const DEFAULT_PROVIDER_IDS = {
  openai: 'openai',
  anthropic: 'anthropic',
  'openai-compatible': 'local',
} as const;

/** The models `config` provides. Building them sends nothing: providers connect on the first call. */
export function configuredModels(config: ProviderConfig): ConfiguredModel[] {
  if (config.kind === 'custom') {
    const slash = config.id.indexOf('/');
    const provider = slash > 0 ? config.id.slice(0, slash) : config.id;
    return [{ id: config.id, provider, model: config.model, overrides: config.info ?? {} }];
  }
  const provider = config.id ?? DEFAULT_PROVIDER_IDS[config.kind];
  if (provider === '' || provider.includes('/')) {
    throw new TypeError(`Provider id "${provider}" must be non-empty and contain no "/"`);
  }
  const modelFor = languageModelFactory(config, provider);
  return config.models.map((spec) => {
    const { id: name, ...overrides } = typeof spec === 'string' ? { id: spec } : spec;
    return { id: `${provider}/${name}`, provider, model: modelFor(name), overrides };
  });
}

function languageModelFactory(
  config: Exclude<ProviderConfig, CustomModelConfig>,
  provider: string,
): (name: string) => SdkLanguageModel {
  const connection = { apiKey: config.apiKey, baseURL: config.baseURL };
  switch (config.kind) {
    case 'openai': {
      const openai = createOpenAI(connection);
      return (name) => openai(name);
    }
    case 'anthropic': {
      const anthropic = createAnthropic(connection);
      return (name) => anthropic(name);
    }
    case 'openai-compatible': {
      const compatible = createOpenAICompatible({
        name: provider,
        baseURL: config.baseURL,
        apiKey: config.apiKey,
        // Without it the server sends no usage on streams, and every call would be unpriced.
        includeUsage: true,
      });
      return (name) => compatible.chatModel(name);
    }
  }
}
