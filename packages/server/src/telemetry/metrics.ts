/**
 * @module telemetry/metrics
 * The server's Prometheus metrics, on a registry of its own (so several servers in one process — tests,
 * an embedding host — never share counters). Names and labels are the contract `deploy/prometheus/alerts.yml`
 * and docs/monitoring.md rely on. Route labels are patterns (`/api/v1/projects/:projectId`), never raw
 * paths, so cardinality stays bounded.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface ServerMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  httpInFlight: Gauge;
  /** Sources of `http_requests_in_flight`, summed when it is collected (counted in plain numbers). */
  inFlightReaders: Set<() => number>;
  ready: Gauge;
  wsConnections: Gauge;
  wsEventsDelivered: Counter;
  /**
   * Called before `zekka_ws_events_delivered_total` is read: the WebSocket layer counts deliveries in a
   * plain number (a delta fanned out to 5,000 sockets would otherwise cost 5,000 counter updates) and adds
   * them here when the metric is collected.
   */
  wsDeliveryFlushers: Set<() => void>;
  generations: Counter<'model' | 'outcome'>;
  tokens: Counter<'model' | 'kind'>;
  costUsd: Counter<'model'>;
  storeErrors: Counter;
  cacheErrors: Counter;
  budgetExceeded: Counter;
}

export interface MetricsOptions {
  /** Also collect prom-client's process metrics (CPU, memory, event-loop lag, GC). @default true */
  processMetrics?: boolean;
}

export function createServerMetrics(options: MetricsOptions = {}): ServerMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const wsDeliveryFlushers = new Set<() => void>();
  const inFlightReaders = new Set<() => number>();
  return {
    inFlightReaders,
    wsDeliveryFlushers,
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    httpInFlight: new Gauge({
      name: 'http_requests_in_flight',
      help: 'Requests being handled',
      registers,
      collect() {
        let total = 0;
        for (const read of inFlightReaders) total += read();
        this.set(total);
      },
    }),
    ready: new Gauge({
      name: 'zekka_ready',
      help: '1 when the store and cache answer and the server is not draining',
      registers,
    }),
    wsConnections: new Gauge({ name: 'zekka_ws_connections', help: 'Open WebSocket connections', registers }),
    wsEventsDelivered: new Counter({
      name: 'zekka_ws_events_delivered_total',
      help: 'Events sent to WebSocket clients',
      registers,
      collect() {
        for (const flush of wsDeliveryFlushers) flush();
      },
    }),
    generations: new Counter({
      name: 'zekka_generations_total',
      help: 'Model calls by model and outcome (complete, stopped, failed)',
      labelNames: ['model', 'outcome'],
      registers,
    }),
    tokens: new Counter({
      name: 'zekka_tokens_total',
      help: 'Tokens by model and kind (input, output)',
      labelNames: ['model', 'kind'],
      registers,
    }),
    costUsd: new Counter({
      name: 'zekka_cost_usd_total',
      help: 'Cost of priced model calls in USD',
      labelNames: ['model'],
      registers,
    }),
    storeErrors: new Counter({
      name: 'zekka_store_errors_total',
      help: 'Store calls that failed',
      registers,
    }),
    cacheErrors: new Counter({
      name: 'zekka_cache_errors_total',
      help: 'Cache calls that failed',
      registers,
    }),
    budgetExceeded: new Counter({
      name: 'zekka_budget_exceeded_total',
      help: 'Model calls refused because a project budget was spent',
      registers,
    }),
  };
}
