/**
 * @module app
 * `createServer(zekka, options)`: the Zekka HTTP API as an Elysia app, ready to `listen()` or to be
 * mounted in a host Elysia app. Plugins are registered once, in the order the lifecycle needs them:
 * request id first (so every answer has one), then headers, CORS, the error envelope, body rules (JSON
 * only, no NUL characters), and the routes.
 */
import { createMemoryCache } from '@zekka/adapters/memory';
import type { Cache, Logger, Zekka } from '@zekka/core';
import { Elysia } from 'elysia';
import packageJson from '../package.json' with { type: 'json' };
import { createClientIpResolver } from './client-ip.ts';
import { authPlugin } from './plugins/auth.ts';
import { corsPlugin } from './plugins/cors.ts';
import { errorEnvelopePlugin } from './plugins/error-envelope.ts';
import { jsonBodyPlugin } from './plugins/json-body.ts';
import { noNulPlugin } from './plugins/no-nul.ts';
import { openApiPlugin } from './plugins/openapi.ts';
import { createRateLimits, type RateLimitOptions, rateLimitPlugin } from './plugins/rate-limit.ts';
import { requestIdPlugin } from './plugins/request-id.ts';
import { securityHeadersPlugin } from './plugins/security-headers.ts';
import { swaggerUiPlugin } from './plugins/swagger-ui.ts';
import { createReadiness, type Readiness } from './readiness.ts';
import { type RealtimeOptions, realtimeRoutes, realtimeSocketConfig } from './realtime/index.ts';
import { accountRoutes } from './routes/account.ts';
import { authRoutes } from './routes/auth.ts';
import { budgetRoutes } from './routes/budgets.ts';
import { conversationRoutes } from './routes/conversations.ts';
import { messageStreamRoutes } from './routes/message-stream.ts';
import { messageRoutes } from './routes/messages.ts';
import { modelRoutes } from './routes/models.ts';
import { operationRoutes } from './routes/operations.ts';
import { projectMemberRoutes } from './routes/project-members.ts';
import { projectRoutes } from './routes/projects.ts';
import { resumeStreamRoutes } from './routes/resume-stream.ts';
import { type RouteDeps, responseSchemas } from './routes/route-deps.ts';
import { userRoutes } from './routes/users.ts';
import { createServerMetrics, type ServerMetrics } from './telemetry/metrics.ts';
import { metricsRoute } from './telemetry/metrics-route.ts';
import { requestObserverPlugin } from './telemetry/request-observer.ts';

export interface ServerOptions {
  /** Origins a browser may call the API from; `['*']` allows any. @default [] (no cross-origin access) */
  corsOrigins?: readonly string[];
  /**
   * Rate limits, or `false` for none (a host that limits in front of Zekka).
   * @default { enabled: true, authPerMinute: 20, apiPerMinute: 600 } in memory
   */
  rateLimit?: RateLimitOptions | false;
  /** Believe `X-Forwarded-For`'s first hop as the client IP. Only behind a proxy that sets it. @default false */
  trustProxy?: boolean;
  /** Where request failures are logged. @default zekka.logger */
  logger?: Logger;
  /** Reported by `/health` and in the OpenAPI document. @default the `@zekka/server` package version */
  version?: string;
  /** Send `Strict-Transport-Security` (when served over HTTPS, as in production). @default false */
  hsts?: boolean;
  /** Shared with whoever shuts the server down, so `/ready` fails while draining. @default a new one */
  readiness?: Readiness;
  /** `/ready` answers 503 when the store and cache checks take longer than this. @default 2000 */
  readyTimeoutMs?: number;
  /**
   * Where `Idempotency-Key` answers are kept for 24 h; several instances must share one (e.g. Redis).
   * @default an in-memory cache
   */
  idempotencyCache?: Cache;
  /**
   * Check every response against its declared schema at run time. Tests and development keep it on so a
   * response that drifts from the contract fails loudly; production turns it off for speed (responses are
   * built by core's typed views from the same schemas, and undeclared fields are still stripped).
   * @default true
   */
  validateResponses?: boolean;
  /**
   * Where request, generation, token, cost and error metrics are counted (`GET /metrics`). Pass the one
   * `buildZekka` counted store and model metrics into, so one registry holds everything.
   * @default a new registry
   */
  metrics?: ServerMetrics;
  /** Log one line per request at `info`. @default true */
  logRequests?: boolean;
  /** `/ws` limits and timings (docs/realtime.md). @default see `REALTIME_DEFAULTS` */
  realtime?: RealtimeOptions;
}

/**
 * Builds the HTTP API over a `Zekka` instance.
 * @example
 * const app = createServer(zekka, { corsOrigins: ['https://app.example.com'] }).listen(3000);
 */
export function createServer(zekka: Zekka, options: ServerOptions = {}) {
  const logger = options.logger ?? zekka.logger;
  const version = options.version ?? packageJson.version;
  const clientIp = createClientIpResolver(options.trustProxy ?? false);
  const limits = createRateLimits(options.rateLimit ?? {});
  const metrics = options.metrics ?? createServerMetrics();
  const readiness = options.readiness ?? createReadiness();
  const deps: RouteDeps = {
    zekka,
    clientIp,
    auth: authPlugin({ zekka, limits, clientIp }),
    rateLimit: rateLimitPlugin(limits, clientIp),
    idempotencyCache: options.idempotencyCache ?? createMemoryCache(),
    logger,
    responses: responseSchemas(options.validateResponses ?? true),
  };

  return new Elysia({ websocket: realtimeSocketConfig(options.realtime) })
    .use(requestIdPlugin)
    .use(requestObserverPlugin({ metrics, logger, logRequests: options.logRequests ?? true }))
    .use(securityHeadersPlugin({ hsts: options.hsts ?? false }))
    .use(corsPlugin({ origins: options.corsOrigins ?? [] }))
    .use(errorEnvelopePlugin(logger))
    .use(jsonBodyPlugin)
    .use(noNulPlugin)
    .use(openApiPlugin({ version }))
    .use(swaggerUiPlugin())
    .use(
      operationRoutes({
        zekka,
        readiness,
        version,
        readyTimeoutMs: options.readyTimeoutMs,
      }),
    )
    .use(
      metricsRoute(metrics, async () => {
        if (readiness.shuttingDown) return false;
        const health = await zekka.health();
        return health.store && health.cache;
      }),
    )
    .use(authRoutes(deps))
    .use(accountRoutes(deps))
    .use(userRoutes(deps))
    .use(projectRoutes(deps))
    .use(projectMemberRoutes(deps))
    .use(budgetRoutes(deps))
    .use(conversationRoutes(deps))
    .use(messageRoutes(deps))
    .use(messageStreamRoutes(deps))
    .use(resumeStreamRoutes(deps))
    .use(modelRoutes(deps))
    .use(realtimeRoutes({ zekka, logger, metrics, readiness, options: options.realtime }));
}

/** The app's type, for Eden: `treaty<App>('http://localhost:3000')`. */
export type App = ReturnType<typeof createServer>;
