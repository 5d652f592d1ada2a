/**
 * @module @zekka/server
 * The Zekka HTTP server: `createServer` (the Elysia app, to listen on or mount), `loadConfig` (settings
 * from the environment), `buildZekka` (the default adapters wired from that config) and `startServer`
 * (all of it, listening, with graceful shutdown).
 */
export { type App, createServer, type ServerOptions } from './app.ts';
export { buildZekka } from './bootstrap.ts';
export { createClientIpResolver } from './client-ip.ts';
export { ConfigError, type LogLevel, loadConfig, type ServerConfig } from './config.ts';
export { createLogger } from './logger.ts';
export type { ErrorEnvelope } from './plugins/error-envelope.ts';
export type { RateLimitOptions } from './plugins/rate-limit.ts';
export { createMemoryRateLimiter, fromRateLimiterFlexible, type RateLimiter } from './rate-limiter.ts';
export { createReadiness, type Readiness } from './readiness.ts';
export { type RunningServer, startServer } from './serve.ts';
