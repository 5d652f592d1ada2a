/**
 * @module models/registry-from-env
 * `modelRegistryFromEnv`: the registry configured by environment variables, validated like the server's
 * configuration — every bad value is one line in `problems` (API keys are never echoed), and the registry is
 * still built from what was valid, so the host decides whether problems stop the start.
 *
 * | Variable | Meaning |
 * | --- | --- |
 * | `OPENAI_API_KEY` | enables `openai/…` models |
 * | `OPENAI_MODELS` | comma list. @default `gpt-4o-mini,gpt-4o,gpt-4.1-mini,gpt-5-mini` |
 * | `OPENAI_BASE_URL` | optional, e.g. a proxy |
 * | `ANTHROPIC_API_KEY` | enables `anthropic/…` models |
 * | `ANTHROPIC_MODELS` | comma list. @default `claude-sonnet-4-5,claude-haiku-4-5` |
 * | `OPENAI_COMPATIBLE_BASE_URL` | an OpenAI-compatible server (Ollama, vLLM, LM Studio) |
 * | `OPENAI_COMPATIBLE_MODELS` | comma list, required with the base URL |
 * | `OPENAI_COMPATIBLE_API_KEY` | optional |
 * | `OPENAI_COMPATIBLE_PROVIDER` | the provider part of its model ids. @default `local` |
 * | `DEFAULT_MODEL` | a configured model id. @default the first model of OpenAI, Anthropic, the compatible server, in that order, else `echo` |
 * | `FALLBACK_MODEL` | optional; a configured model id answering when another fails before its first token |
 * | `MODEL_TIMEOUT_MS` | first-token and between-token timeout. @default 30000 |
 * | `MODEL_PRICES` | JSON price overrides (see `parseModelPrices`) |
 * | `ECHO_TOKEN_DELAY_MS` | pause between the echo model's tokens. @default 0 |
 */
import { DEFAULT_PRICE_TABLE, type Logger } from '@zekka/core';
import { ECHO_MODEL_ID } from './echo-model.ts';
import { createModelRegistry, type ZekkaModelRegistry } from './model-registry.ts';
import { parseModelPrices } from './price-config.ts';
import { configuredModels, type ProviderConfig } from './provider-config.ts';

type Env = Record<string, string | undefined>;

export const DEFAULT_OPENAI_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'gpt-5-mini'];
export const DEFAULT_ANTHROPIC_MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5'];

const PROVIDER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const MAX_TIMEOUT_MS = 3_600_000;

export interface ModelRegistryFromEnv {
  registry: ZekkaModelRegistry;
  /** One line per bad value, e.g. `DEFAULT_MODEL: "openai/gpt-9" is not a configured model (…)`. */
  problems: string[];
}

/**
 * Reads the model configuration from `env` (see the module table).
 * @param env - the variables to read. @default process.env
 * @example
 * const { registry, problems } = modelRegistryFromEnv();
 * if (problems.length > 0) throw new ConfigError(problems);
 */
export function modelRegistryFromEnv(
  env: Env = process.env,
  options: { logger?: Logger } = {},
): ModelRegistryFromEnv {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const providers: ProviderConfig[] = [];

  const openaiKey = read('OPENAI_API_KEY');
  if (openaiKey !== undefined) {
    providers.push({
      kind: 'openai',
      apiKey: openaiKey,
      baseURL: readUrl(read, 'OPENAI_BASE_URL', problems),
      models: readModelList(read, 'OPENAI_MODELS', problems) ?? DEFAULT_OPENAI_MODELS,
    });
  } else {
    requireWith(read, ['OPENAI_MODELS', 'OPENAI_BASE_URL'], 'OPENAI_API_KEY', problems);
  }

  const anthropicKey = read('ANTHROPIC_API_KEY');
  if (anthropicKey !== undefined) {
    providers.push({
      kind: 'anthropic',
      apiKey: anthropicKey,
      models: readModelList(read, 'ANTHROPIC_MODELS', problems) ?? DEFAULT_ANTHROPIC_MODELS,
    });
  } else {
    requireWith(read, ['ANTHROPIC_MODELS'], 'ANTHROPIC_API_KEY', problems);
  }

  const compatibleUrl = readUrl(read, 'OPENAI_COMPATIBLE_BASE_URL', problems);
  if (compatibleUrl !== undefined) {
    const id = readProviderId(read, providers, problems);
    const models = readModelList(read, 'OPENAI_COMPATIBLE_MODELS', problems);
    if (models === undefined) {
      problems.push(
        'OPENAI_COMPATIBLE_MODELS: required with OPENAI_COMPATIBLE_BASE_URL (a comma list of model names)',
      );
    } else if (id !== undefined) {
      providers.push({
        kind: 'openai-compatible',
        id,
        baseURL: compatibleUrl,
        apiKey: read('OPENAI_COMPATIBLE_API_KEY'),
        models,
      });
    }
  } else if (read('OPENAI_COMPATIBLE_BASE_URL') === undefined) {
    requireWith(
      read,
      ['OPENAI_COMPATIBLE_MODELS', 'OPENAI_COMPATIBLE_API_KEY', 'OPENAI_COMPATIBLE_PROVIDER'],
      'OPENAI_COMPATIBLE_BASE_URL',
      problems,
    );
  }

  const ids = [
    ...providers.flatMap((provider) => configuredModels(provider).map((model) => model.id)),
    ECHO_MODEL_ID,
  ];
  const defaultModel = readModelId(read, 'DEFAULT_MODEL', ids, problems) ?? ids[0];
  const fallbackModel = readModelId(read, 'FALLBACK_MODEL', ids, problems);
  const timeoutMs = readInteger(read, 'MODEL_TIMEOUT_MS', 1, MAX_TIMEOUT_MS, problems);
  const tokenDelayMs = readInteger(read, 'ECHO_TOKEN_DELAY_MS', 0, 60_000, problems);
  const rawPrices = read('MODEL_PRICES');
  let priceTable = DEFAULT_PRICE_TABLE;
  if (rawPrices !== undefined) {
    const parsed = parseModelPrices(rawPrices, DEFAULT_PRICE_TABLE, 'MODEL_PRICES');
    priceTable = parsed.table;
    problems.push(...parsed.problems);
  }

  const registry = createModelRegistry({
    providers,
    defaultModel,
    fallbackModel,
    priceTable,
    echo: { tokenDelayMs: tokenDelayMs ?? 0 },
    timeouts: timeoutMs === undefined ? {} : { firstChunkMs: timeoutMs, chunkMs: timeoutMs },
    logger: options.logger,
  });
  return { registry, problems };
}

type Read = (name: string) => string | undefined;

function requireWith(read: Read, names: string[], required: string, problems: string[]): void {
  for (const name of names) {
    if (read(name) !== undefined)
      problems.push(`${name}: only used together with ${required}, which is not set`);
  }
}

function readUrl(read: Read, name: string, problems: string[]): string | undefined {
  const raw = read(name);
  if (raw === undefined) return undefined;
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    problems.push(`${name}: must be an http(s) URL (got "${raw}")`);
    return undefined;
  }
  return raw.replace(/\/+$/, '');
}

function readModelList(read: Read, name: string, problems: string[]): string[] | undefined {
  const raw = read(name);
  if (raw === undefined) return undefined;
  const names = [
    ...new Set(
      raw
        .split(',')
        .map((model) => model.trim())
        .filter((model) => model !== ''),
    ),
  ];
  const bad = names.filter((model) => /\s/.test(model));
  if (names.length === 0 || bad.length > 0) {
    problems.push(`${name}: must be a comma list of model names without spaces (got "${raw}")`);
    return undefined;
  }
  return names;
}

function readProviderId(read: Read, providers: ProviderConfig[], problems: string[]): string | undefined {
  const id = read('OPENAI_COMPATIBLE_PROVIDER') ?? 'local';
  const taken = providers.some(
    (provider) => provider.kind !== 'custom' && (provider.id ?? provider.kind) === id,
  );
  if (!PROVIDER_ID.test(id) || id === ECHO_MODEL_ID || taken) {
    problems.push(
      `OPENAI_COMPATIBLE_PROVIDER: must be letters, digits, "_", "." or "-", and not echo, openai or anthropic when those are configured (got "${id}")`,
    );
    return undefined;
  }
  return id;
}

function readModelId(read: Read, name: string, ids: string[], problems: string[]): string | undefined {
  const raw = read(name);
  if (raw === undefined || ids.includes(raw)) return raw;
  problems.push(`${name}: "${raw}" is not a configured model (configured: ${ids.join(', ')})`);
  return undefined;
}

function readInteger(
  read: Read,
  name: string,
  min: number,
  max: number,
  problems: string[],
): number | undefined {
  const raw = read(name);
  if (raw === undefined) return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    problems.push(`${name}: must be an integer from ${min} to ${max} (got "${raw}")`);
    return undefined;
  }
  return value;
}
