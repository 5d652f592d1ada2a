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

type ObservedContext = { startedAt?: number };

/** Requests that matched no route share one label, so scanners cannot grow the label set. */
const UNMATCHED = 'unmatched';

export function requestObserverPlugin(options: RequestObserverOptions) {
  const { metrics, logger } = options;
  const logRequests = options.logRequests !== false;
  // This runs on every request, so prom-client's per-call label hashing is paid once per label set (the
  // children are cached; routes are patterns, so the set is bounded) and the in-flight gauge is read from a
  // plain number when scraped.
  const durations = new Map<string, { observe(value: number): void }>();
  const durationFor = (method: string, route: string, status: number) => {
    const key = `${method} ${status} ${route}`;
    let child = durations.get(key);
    if (child === undefined) {
      child = metrics.httpDuration.labels({ method, route, status: String(status) });
      durations.set(key, child);
    }
    return child;
  };
  let inFlight = 0;
  metrics.inFlightReaders.add(() => inFlight);

  return (
    new Elysia()
      // `onRequest` hooks are global by nature: they run before routing, for every request.
      .onRequest(function startTimer(context) {
        // Kept on the request's own context (which afterResponse receives) rather than in a WeakMap keyed
        // by the request: the WeakMap cost more than everything else this plugin does.
        (context as ObservedContext).startedAt = performance.now();
        inFlight++;
      })
      .onAfterResponse({ as: 'global' }, function observe(context) {
        const { request, set } = context;
        const start = (context as ObservedContext).startedAt;
        if (start === undefined) return;
        inFlight--;
        const seconds = (performance.now() - start) / 1000;
        const route = typeof context.route === 'string' && context.route !== '' ? context.route : UNMATCHED;
        const status = typeof set.status === 'number' ? set.status : 200;
        durationFor(request.method, route, status).observe(seconds);
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
