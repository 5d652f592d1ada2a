/**
 * @module
 * The fallback load generator: autocannon, run in this process. It is JavaScript, so it costs the server
 * more CPU than wrk on a 2-core machine; the ratios stay comparable because every scenario pays the same.
 */
import autocannon from 'autocannon';
import type { LoadGenerator, LoadOptions, LoadResult } from './types.ts';

/** autocannon's own version, read from its package so the results name what actually ran. */
async function autocannonVersion(): Promise<string> {
  const pkg = (await import('autocannon/package.json', { with: { type: 'json' } })) as {
    default: { version: string };
  };
  return pkg.default.version;
}

export async function createAutocannonGenerator(): Promise<LoadGenerator> {
  const version = await autocannonVersion();
  return { name: `autocannon ${version}`, run: runAutocannon };
}

async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: options.timeoutSeconds,
    requests: options.requests.map((request) => ({
      method: request.method,
      path: request.path,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    })),
  });
  const durationSeconds = result.duration;
  return {
    requests: result.requests.total,
    durationSeconds,
    requestsPerSecond: result.requests.total / durationSeconds,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
