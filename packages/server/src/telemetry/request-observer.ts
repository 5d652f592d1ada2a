/**
 * @module telemetry/request-observer
 * One place that watches every request: the in-flight gauge, the duration histogram by route pattern and
 * status, and one log line per request (request id, method, route pattern, status, duration, user id).
 * It logs no bodies, headers or query strings, so no password, token or key can reach the log through it.
 */
import type { Logger, UserActor } from '@zekka/core';
import { Elysia } from 'elysia';
import { REQUEST_ID_HEADER } from '../plugins/request-id.ts';
import type { ServerMetrics } from './metrics.ts';

export interface RequestObserverOptions {
  metrics: ServerMetrics;
  logger: Logger;
  /** Log a line per request at `info`. @default true */
  logRequests?: boolean;
}

/** Requests that matched no route share one label, so scanners cannot grow the label set. */
const UNMATCHED = 'unmatched';

export function requestObserverPlugin(options: RequestObserverOptions) {
  const { metrics, logger } = options;
  const logRequests = options.logRequests !== false;
  const started = new WeakMap<Request, number>();

  return (
    new Elysia()
      // `onRequest` hooks are global by nature: they run before routing, for every request.
      .onRequest(function startTimer({ request }) {
        started.set(request, performance.now());
        metrics.httpInFlight.inc();
      })
      .onAfterResponse({ as: 'global' }, function observe(context) {
        const { request, set } = context;
        const start = started.get(request);
        if (start === undefined) return;
        started.delete(request);
        metrics.httpInFlight.dec();
        const seconds = (performance.now() - start) / 1000;
        const route = typeof context.route === 'string' && context.route !== '' ? context.route : UNMATCHED;
        const status = typeof set.status === 'number' ? set.status : 200;
        metrics.httpDuration.observe({ method: request.method, route, status: String(status) }, seconds);
        if (!logRequests) return;
        const actor = (context as { actor?: UserActor }).actor;
        logger.info('request', {
          requestId: set.headers[REQUEST_ID_HEADER],
          method: request.method,
          route,
          status,
          durationMs: Math.round(seconds * 100_000) / 100,
          ...(actor ? { userId: actor.userId } : {}),
        });
      })
  );
}
