/**
 * @module
 * The fallback load generator: autocannon, run in this process. It is JavaScript, so it costs the server
 * more CPU than wrk on a 2-core machine; the ratios stay comparable because every scenario pays the same.
 */
import autocannon from 'autocannon';
import type { LoadGenerator, LoadOptions, LoadRequest, LoadResult } from './types.ts';

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

const asAutocannonRequest = (request: LoadRequest): autocannon.Request => ({
  method: request.method,
  path: request.path,
  headers: request.headers,
  ...(request.body === undefined ? {} : { body: request.body }),
});

/**
 * Pooled mode (`LoadOptions.exclusive`): one dynamic request that takes a pooled entry not in flight each
 * time a connection sends, and puts back the entry named by each response. autocannon handles a response
 * (`onResponse`) before that connection builds its next request (`setupRequest`), so with at least as many
 * entries as connections the pool is never empty.
 */
function pooled(
  options: LoadOptions,
  problems: { starved: number; unmatched: number },
): autocannon.Request[] {
  const field = options.exclusive?.keyField ?? '';
  const pattern = new RegExp(`"${field.replace(/[^A-Za-z0-9_]/g, '\\$&')}":"([^"]*)"`);
  const byKey = new Map(options.requests.map((r) => [r.key ?? '', r]));
  const free = [...byKey.keys()];
  return [
    {
      setupRequest: (request) => {
        const key = free.shift();
        const entry = key === undefined ? undefined : byKey.get(key);
        if (entry === undefined) {
          problems.starved++;
          return { ...request, method: 'GET', path: '/__zekka_bench_pool_empty__', body: undefined };
        }
        return { ...request, ...asAutocannonRequest(entry) };
      },
      onResponse: (_status, body) => {
        const key = pattern.exec(body)?.[1];
        if (key !== undefined && byKey.has(key)) free.push(key);
        else problems.unmatched++;
      },
    },
  ];
}

async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const pool = { starved: 0, unmatched: 0 };
  if (options.exclusive !== undefined) {
    if (options.requests.length < options.connections || options.requests.some((r) => r.key === undefined)) {
      throw new Error(
        `autocannon pooled mode needs at least ${options.connections} requests (one per connection), ` +
          `each with a key; got ${options.requests.length}`,
      );
    }
  }
  const result = await autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: options.timeoutSeconds,
    requests:
      options.exclusive === undefined ? options.requests.map(asAutocannonRequest) : pooled(options, pool),
  });
  const durationSeconds = result.duration;
  const problems: string[] = [];
  if (pool.starved > 0) {
    problems.push(`${pool.starved} requests found every pooled request in flight (sent a 404 instead)`);
  }
  if (pool.unmatched > 0) {
    problems.push(`${pool.unmatched} responses named no pooled request (error bodies, or a wrong key field)`);
  }
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
    ...(problems.length > 0 ? { problems } : {}),
  };
}
