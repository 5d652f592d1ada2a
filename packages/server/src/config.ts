/**
 * @module config
 * The server's configuration, read from environment variables and validated at start. A bad or missing
 * value never becomes a silent default: `loadConfig` collects every problem and throws one `ConfigError`
 * with one line per problem, so an operator fixes them all in one go.
 */
import { resolve } from 'node:path';
import { modelRegistryFromEnv } from '@zekka/adapters/models';
import type { ModelRegistry } from '@zekka/core';
import { type DatabaseConfig, readDatabaseConfig } from './database-config.ts';
import { readBoolean, readInteger } from './env-values.ts';
import { resolveJwtSecret } from './jwt-secret.ts';

export { isPostgresDatabaseUrl, isSupportedDatabaseUrl, redactDatabaseUrl } from './database-config.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The validated configuration `startServer` and the CLI run with. */
export interface ServerConfig extends DatabaseConfig {
  /** TCP port to listen on; `0` picks a free one. @default 3000 */
  port: number;
  /** @default '0.0.0.0' */
  host: string;
  /** Absolute path of the data folder (SQLite file, generated JWT secret). @default './data' */
  dataDir: string;
  /** HMAC key for access tokens. Generated once and kept in `<dataDir>/jwt-secret` outside production. */
  jwtSecret: string;
  /** @default 'development' */
  nodeEnv: string;
  /** `nodeEnv === 'production'`: stricter secrets and CORS, HSTS. */
  production: boolean;
  /** @default 'info' */
  logLevel: LogLevel;
  /** Origins allowed to call the API from a browser; `['*']` (any) is refused in production. @default [] */
  corsOrigins: string[];
  /** Requests per minute per IP on the anonymous auth routes. @default 20 */
  authRateLimitPerMinute: number;
  /** Requests per minute per user (or IP) on the other `/api/v1` routes. @default 600 */
  apiRateLimitPerMinute: number;
  /** @default false */
  requireEmailVerification: boolean;
  /** Base URL for links in e-mails, without a trailing slash. @default `http://localhost:<port>` */
  publicUrl: string;
  /** Take the client IP from the first hop of `X-Forwarded-For`. @default false */
  trustProxy: boolean;
  /** Check every response against its schema at run time. @default true, except in production */
  validateResponses: boolean;
  /** `/ws` limits an operator may tune (the rest keep their defaults; see docs/realtime.md). */
  realtime: {
    /** `WS_MAX_SOCKETS_PER_USER`. @default 20 */
    maxSocketsPerUser: number;
    /** `WS_MAX_SUBSCRIPTIONS`. @default 100 */
    maxSubscriptions: number;
    /** `WS_MAX_BUFFERED_BYTES`: a slower client is dropped (`1013`). @default 1048576 */
    maxBufferedBytes: number;
    /** `WS_IDLE_TIMEOUT_SECONDS`. @default 120 */
    idleTimeoutSeconds: number;
  };
  /**
   * The models conversations can use, from `OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, `OPENAI_COMPATIBLE_*`,
   * `DEFAULT_MODEL`, `FALLBACK_MODEL`, `MODEL_TIMEOUT_MS`, `MODEL_PRICES` (see `@zekka/adapters/models`).
   * With none configured, the built-in `echo` model.
   */
  models: ModelRegistry;
  /**
   * `REDIS_URL` (`redis://…`, `rediss://…` for TLS): the cache, the event bus, the rate limits, the
   * `Idempotency-Key` answers and the generation stream buffers move to Redis, so several instances act as
   * one. `null`: all of them in this process's memory.
   */
  redisUrl: string | null;
  /**
   * `REDIS_KEY_PREFIX`: prefix of every key and channel this server uses in Redis (deployments sharing one
   * Redis database need different ones). @default 'zekka:'
   */
  redisKeyPrefix: string;
  /** Things worth telling the operator that do not stop the start (e.g. a generated JWT secret). */
  warnings: string[];
}

/** Thrown by `loadConfig`; `problems` holds one line per bad value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((line) => `  ${line}`).join('\n')}`);
    this.problems = problems;
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const RATE_LIMIT_MAX = 1_000_000_000;

type Env = Record<string, string | undefined>;

/**
 * Reads and validates the server configuration.
 *
 * Outside production, when `JWT_SECRET` is unset, a secret is generated once and kept in
 * `<DATA_DIR>/jwt-secret` (mode 0600), and a warning is added to `warnings`.
 *
 * @param env - the variables to read. @default process.env
 * @throws ConfigError listing every problem, one per line.
 * @example
 * const config = loadConfig({ PORT: '8080', JWT_SECRET: process.env.JWT_SECRET });
 */
export function loadConfig(env: Env = process.env): ServerConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const read = (name: string): string | undefined => {
    // An empty value (`PORT=` in an env file) means "unset", as most tooling treats it.
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };

  const nodeEnv = read('NODE_ENV') ?? 'development';
  const production = nodeEnv === 'production';
  const port = readInteger(read, 'PORT', 3000, 0, 65535, problems);
  const host = read('HOST') ?? '0.0.0.0';
  const dataDir = resolve(read('DATA_DIR') ?? './data');
  const database = readDatabaseConfig(read, dataDir, problems, warnings);

  const logLevelRaw = read('LOG_LEVEL') ?? 'info';
  const logLevel = LOG_LEVELS.find((level) => level === logLevelRaw) ?? 'info';
  if (logLevel !== logLevelRaw) problems.push(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}`);

  const corsOrigins = readCorsOrigins(read('CORS_ORIGINS'), production, problems);
  const authRateLimitPerMinute = readInteger(
    read,
    'AUTH_RATE_LIMIT_PER_MINUTE',
    20,
    1,
    RATE_LIMIT_MAX,
    problems,
  );
  const apiRateLimitPerMinute = readInteger(
    read,
    'API_RATE_LIMIT_PER_MINUTE',
    600,
    1,
    RATE_LIMIT_MAX,
    problems,
  );
  const requireEmailVerification = readBoolean(read, 'REQUIRE_EMAIL_VERIFICATION', false, problems);
  const trustProxy = readBoolean(read, 'TRUST_PROXY', false, problems);
  const validateResponses = readBoolean(read, 'VALIDATE_RESPONSES', !production, problems);
  const realtime = {
    maxSocketsPerUser: readInteger(read, 'WS_MAX_SOCKETS_PER_USER', 20, 1, 100_000, problems),
    maxSubscriptions: readInteger(read, 'WS_MAX_SUBSCRIPTIONS', 100, 1, 10_000, problems),
    maxBufferedBytes: readInteger(
      read,
      'WS_MAX_BUFFERED_BYTES',
      1024 * 1024,
      1024,
      1024 * 1024 * 1024,
      problems,
    ),
    idleTimeoutSeconds: readInteger(read, 'WS_IDLE_TIMEOUT_SECONDS', 120, 10, 960, problems),
  };
  const publicUrl = readPublicUrl(read('PUBLIC_URL'), port, problems);
  const redisUrl = readRedisUrl(read('REDIS_URL'), problems);
  const redisKeyPrefix = read('REDIS_KEY_PREFIX') ?? 'zekka:';
  if (!/^[\w:.-]{1,64}$/.test(redisKeyPrefix)) {
    problems.push('REDIS_KEY_PREFIX: use 1–64 letters, digits, "_", "-", "." or ":"');
  }
  const models = modelRegistryFromEnv(env);
  problems.push(...models.problems);

  // Resolved last: a secret file is only generated when everything else is valid, so a typo elsewhere
  // never leaves one behind in a folder the operator did not mean.
  const secret = resolveJwtSecret({
    value: read('JWT_SECRET'),
    production,
    dataDir,
    mayGenerate: problems.length === 0,
  });
  if (secret.problem !== undefined) problems.push(secret.problem);
  if (secret.warning !== undefined) warnings.push(secret.warning);
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port,
    host,
    ...database,
    dataDir,
    jwtSecret: secret.secret,
    nodeEnv,
    production,
    logLevel,
    corsOrigins,
    authRateLimitPerMinute,
    apiRateLimitPerMinute,
    requireEmailVerification,
    publicUrl,
    trustProxy,
    validateResponses,
    realtime,
    redisUrl,
    redisKeyPrefix,
    models: models.registry,
    warnings,
  };
}

function readCorsOrigins(value: string | undefined, production: boolean, problems: string[]): string[] {
  if (value === undefined) return [];
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    if (origin === '*') {
      if (production) problems.push('CORS_ORIGINS: "*" is not allowed in production; list the origins');
      continue;
    }
    if (!isOrigin(origin)) {
      problems.push(`CORS_ORIGINS: "${origin}" is not an origin like https://app.example.com`);
    }
  }
  return origins;
}

/** True for `scheme://host[:port]` with nothing after it, which is what browsers send in `Origin`. */
function isOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
}

function readRedisUrl(value: string | undefined, problems: string[]): string | null {
  if (value === undefined) return null;
  // The same test as `isRedisUrl` in `@zekka/adapters/redis`, without loading ioredis for a memory server.
  if (!/^rediss?:\/\//i.test(value) || !URL.canParse(value) || new URL(value).hostname === '') {
    // The value may hold a password: never echo it.
    problems.push('REDIS_URL: must be a redis:// or rediss:// URL with a host');
    return null;
  }
  return value;
}

function readPublicUrl(value: string | undefined, port: number, problems: string[]): string {
  if (value === undefined) return `http://localhost:${port}`;
  const url = URL.canParse(value) ? new URL(value) : null;
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    problems.push(`PUBLIC_URL: must be an http(s) URL (got "${value}")`);
    return value;
  }
  return value.replace(/\/+$/, '');
}
