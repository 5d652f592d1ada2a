/**
 * @module @zekka/adapters/models
 * The `ModelRegistry` port on the AI SDK: OpenAI, Anthropic and OpenAI-compatible servers (Ollama, vLLM,
 * LM Studio) configured in code or by environment, plus the built-in offline `echo` model. Provider
 * failures and timeouts surface as `MODEL_UNAVAILABLE` (or a configured fallback model answers); usage comes
 * back normalized for pricing with core's price table.
 */
export {
  createEchoModel,
  ECHO_MODEL_ID,
  ECHO_MODEL_INFO,
  type EchoModelOptions,
  echoAnswer,
} from './echo-model.ts';
export { countEchoTokens, echoTokens } from './echo-tokens.ts';
export {
  DEFAULT_MODEL_LIMITS,
  describeModel,
  KNOWN_MODELS,
  type KnownModel,
  type ModelInfoOverrides,
  priceInfo,
} from './model-catalog.ts';
export { createModelRegistry, type ModelRegistryOptions, type ZekkaModelRegistry } from './model-registry.ts';
export { DEFAULT_MODEL_TIMEOUTS, ModelTimeoutError, type ModelTimeouts } from './model-timeouts.ts';
export { parseModelPrices } from './price-config.ts';
export type {
  AnthropicProviderConfig,
  CustomModelConfig,
  ModelSpec,
  OpenAICompatibleProviderConfig,
  OpenAIProviderConfig,
  ProviderConfig,
} from './provider-config.ts';
export {
  DEFAULT_ANTHROPIC_MODELS,
  DEFAULT_OPENAI_MODELS,
  type ModelRegistryFromEnv,
  modelRegistryFromEnv,
} from './registry-from-env.ts';
export type { SdkLanguageModel } from './sdk-model.ts';
export { estimateTokens } from './token-estimate.ts';
