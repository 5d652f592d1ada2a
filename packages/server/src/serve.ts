/**
 * @module serve
 * `startServer(config)`: the standalone server. It listens, logs one line with its URL, and on SIGTERM or
 * SIGINT shuts down in the order a load balancer needs: `/ready` fails first, then the listener closes
 * while in-flight requests finish, then the services close, and the process exits 0.
 */
import type { Logger, Zekka } from '@zekka/core';
import { type App, createServer } from './app.ts';
import { buildZekka, openSharedState } from './bootstrap.ts';
import type { ServerConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createReadiness } from './readiness.ts';
import { createServerMetrics } from './telemetry/metrics.ts';

export interface StartServerOptions {
  /** @default a JSON logger at `config.logLevel` */
  logger?: Logger;
  /** Install SIGTERM/SIGINT handlers that shut down and exit the process. @default true */
  handleSignals?: boolean;
  /**
   * Time between failing `/ready` and closing the listener, so a load balancer notices first.
   * @default 0
   */
  drainDelayMs?: number;
  /** In-flight requests still running after this are cut off. @default 30000 */
  shutdownTimeoutMs?: number;
}

export interface RunningServer {
  app: App;
  zekka: Zekka;
  /** The base URL, e.g. `http://localhost:3000`. */
  url: string;
  /** The bound port (useful with `PORT=0`). */
  port: number;
  /** Shuts down as on SIGTERM, without exiting the process. Safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Builds Zekka from `config`, listens on `config.host:config.port`, and returns the running server.
 * @example
 * await startServer(loadConfig());
 */
export async function startServer(
  config: ServerConfig,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  // Human-readable lines when a person watches a development server; JSON everywhere else.
  const logger =
    options.logger ??
    createLogger(config.logLevel, { pretty: !config.production && process.stdout.isTTY === true });
  for (const warning of config.warnings) logger.warn(warning);

  const metrics = createServerMetrics();
  // With REDIS_URL: the cache, bus, stream buffers, rate limits and Idempotency-Key answers are shared
  // with every other instance on the same Redis (docs/scaling.md).
  const shared = await openSharedState(config, logger);
  const zekka = await buildZekka(config, { logger, metrics, shared }).catch(async (error: unknown) => {
    await Promise.allSettled([shared.cache.close(), shared.bus.close(), shared.streamBuffer.close()]);
    await shared.close();
    throw error;
  });
  if (shared.kind === 'redis') logger.info('shared state on redis', { keyPrefix: config.redisKeyPrefix });
  const readiness = createReadiness();
  const app = createServer(zekka, {
    corsOrigins: config.corsOrigins,
    rateLimit: {
      authPerMinute: config.authRateLimitPerMinute,
      apiPerMinute: config.apiRateLimitPerMinute,
      ...(shared.createLimiter ? { createLimiter: shared.createLimiter } : {}),
    },
    idempotencyCache: shared.cache,
    trustProxy: config.trustProxy,
    hsts: config.production,
    validateResponses: config.validateResponses,
    realtime: config.realtime,
    // The request line is logged at `info`; above that level, skip building it at all.
    logRequests: config.logLevel === 'debug' || config.logLevel === 'info',
    logger,
    readiness,
    metrics,
  });
  try {
    // Elysia asks for SO_REUSEPORT by default, which lets a second server start silently on a port that
    // is already taken (and share its traffic); a standalone server must own its port.
    app.listen({ hostname: config.host, port: config.port, reusePort: false });
  } catch (error) {
    await zekka.close();
    await shared.close();
    throw error;
  }
  const server = app.server;
  if (server === null) throw new Error('The server did not start listening');
  const port = server.port ?? config.port;
  const url = `http://${displayHost(config.host)}:${port}`;
  logger.info(`listening on ${url}`, { url, host: config.host, port });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      readiness.beginShutdown();
      if ((options.drainDelayMs ?? 0) > 0) await Bun.sleep(options.drainDelayMs ?? 0);
      const timeoutMs = options.shutdownTimeoutMs ?? 30_000;
      const drained = app.stop().then(() => true);
      const finished = await Promise.race([drained, Bun.sleep(timeoutMs).then(() => false)]);
      if (!finished) {
        logger.warn('in-flight requests did not finish in time; closing their connections', { timeoutMs });
        await server.stop(true);
      }
      await zekka.close();
      await shared.close();
    })();
    return stopping;
  };

  if (options.handleSignals !== false) {
    const onSignal = (signal: NodeJS.Signals): void => {
      logger.info('shutting down', { signal });
      stop().then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error('shutdown failed', { error });
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }

  return { app, zekka, url, port, stop };
}

/** `0.0.0.0` and `::` listen everywhere; a URL someone can open says `localhost`. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
