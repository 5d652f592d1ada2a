/**
 * @module realtime-server (test support)
 * The acceptance stack listening on a real port, so `/ws` is reached by real sockets, while REST calls go
 * through `app.handle` on the same app (same core, same bus).
 */
import type { EventBus, ModelRegistry } from '@zekka/core';
import { createReadiness, type Readiness } from '../../../src/readiness.ts';
import type { RealtimeOptions } from '../../../src/realtime/index.ts';
import { createServerMetrics, type ServerMetrics } from '../../../src/telemetry/metrics.ts';
import { createTestServer, type TestServer } from '../../http/support/test-server.ts';

export interface RealtimeTestServer extends TestServer {
  /** `ws://127.0.0.1:<port>` */
  wsUrl: string;
  readiness: Readiness;
  metrics: ServerMetrics;
  stop(): Promise<void>;
}

export async function startRealtimeServer(
  options: { realtime?: RealtimeOptions; models?: ModelRegistry; bus?: EventBus } = {},
): Promise<RealtimeTestServer> {
  const readiness = createReadiness();
  const metrics = createServerMetrics({ processMetrics: false });
  const server = await createTestServer({
    models: options.models,
    bus: options.bus,
    server: { realtime: options.realtime, readiness, metrics, logRequests: false },
  });
  server.app.listen({ port: 0, hostname: '127.0.0.1', reusePort: false });
  const port = server.app.server?.port;
  if (port === undefined) throw new Error('the test server did not listen');
  return {
    ...server,
    readiness,
    metrics,
    wsUrl: `ws://127.0.0.1:${port}`,
    stop: async () => {
      await server.app.stop(true);
      await server.close();
    },
  };
}

/** The current value of a gauge or counter without labels. */
export async function metricValue(metrics: ServerMetrics, name: string): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  const value = (await metric?.get())?.values[0]?.value;
  return value ?? 0;
}
