/**
 * @module telemetry/metrics-route
 * `GET /metrics`: the Prometheus text format. Keep it off the public internet (the reverse proxy in
 * deploy/ refuses it); it reveals traffic, models and costs.
 */
import { Elysia } from 'elysia';
import type { ServerMetrics } from './metrics.ts';

export function metricsRoute(metrics: ServerMetrics, isReady: () => Promise<boolean>) {
  return new Elysia().get(
    '/metrics',
    async ({ set }) => {
      metrics.ready.set((await isReady()) ? 1 : 0);
      set.headers['content-type'] = metrics.registry.contentType;
      return metrics.registry.metrics();
    },
    { detail: { summary: 'Prometheus metrics', tags: ['operations'], hide: true } },
  );
}
