/**
 * @module
 * The preferred load generator: wrk (Debian's `wrk` package), driven by `wrk.lua`. It is C with an epoll
 * loop, so on a 2-core machine it leaves the server far more CPU than a JavaScript generator would.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratchDir, removeScratchDir, track } from '../processes.ts';
import type { LoadGenerator, LoadOptions, LoadRequest, LoadResult } from './types.ts';

const LUA_SCRIPT = join(import.meta.dir, 'wrk.lua');
const RESULT_MARKER = 'ZEKKA_BENCH_RESULT ';

/** wrk if it is on the PATH, otherwise `undefined` (the runner then falls back to autocannon). */
export async function findWrkGenerator(): Promise<LoadGenerator | undefined> {
  const binary = Bun.which('wrk');
  if (binary === null) return undefined;
  // `wrk --version` prints "wrk debian/4.1.0-3+b2 [epoll] Copyright ..." and exits 1.
  const probe = Bun.spawnSync([binary, '--version'], { stdout: 'pipe', stderr: 'pipe' });
  const banner = `${probe.stdout.toString()}${probe.stderr.toString()}`.split('\n')[0] ?? '';
  const version = /^wrk (\S+)/.exec(banner)?.[1] ?? 'unknown';
  return { name: `wrk ${version}`, run: (options) => runWrk(binary, options) };
}

async function runWrk(binary: string, options: LoadOptions): Promise<LoadResult> {
  if (options.exclusive !== undefined) {
    // One entry per connection, plus the one wrk.lua loses per thread to wrk's own check of request().
    const needed = options.connections + options.threads;
    if (options.requests.length < needed || options.requests.some((r) => r.key === undefined)) {
      throw new Error(
        `wrk pooled mode needs at least ${needed} requests (connections + threads), each with a key; ` +
          `got ${options.requests.length}`,
      );
    }
  }
  const dir = makeScratchDir('zekka-wrk-');
  try {
    const specPath = join(dir, 'requests.lua');
    writeFileSync(specPath, toLuaSpec(options.requests));
    const proc = Bun.spawn(
      [
        binary,
        `--threads=${options.threads}`,
        `--connections=${options.connections}`,
        `--duration=${options.durationSeconds}s`,
        `--timeout=${options.timeoutSeconds}s`,
        `--script=${LUA_SCRIPT}`,
        `${options.baseUrl}/`,
        '--',
        specPath,
        String(options.threads),
        ...(options.exclusive === undefined ? [] : [options.exclusive.keyField]),
      ],
      { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' },
    );
    track(proc);
    const [stdout, stderr, exitCode] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
    if (exitCode !== 0 || line === undefined) {
      throw new Error(`wrk failed (exit ${exitCode}):\n${stderr}${stdout}`);
    }
    return toLoadResult(JSON.parse(line.slice(RESULT_MARKER.length)) as WrkSummary);
  } finally {
    removeScratchDir(dir);
  }
}

/** What `done()` in wrk.lua prints; times in microseconds. */
interface WrkSummary {
  requests: number;
  durationUs: number;
  bytes: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  /** Pooled mode only (all 0 otherwise); see wrk.lua. */
  pool: { starved: number; unmatched: number; odd: number };
  latencyUs: { min: number; max: number; mean: number; p50: number; p90: number; p99: number };
}

function toLoadResult(summary: WrkSummary): LoadResult {
  const durationSeconds = summary.durationUs / 1e6;
  const { errors, latencyUs, pool } = summary;
  const problems: string[] = [];
  if (pool.starved > 0) {
    problems.push(`${pool.starved} requests found every pooled request in flight (sent a 404 instead)`);
  }
  if (pool.unmatched > 0) {
    problems.push(`${pool.unmatched} responses named no pooled request (error bodies, or a wrong key field)`);
  }
  return {
    requests: summary.requests,
    durationSeconds,
    requestsPerSecond: summary.requests / durationSeconds,
    latencyMs: {
      p50: latencyUs.p50 / 1000,
      p90: latencyUs.p90 / 1000,
      p99: latencyUs.p99 / 1000,
      max: latencyUs.max / 1000,
      mean: latencyUs.mean / 1000,
    },
    // wrk counts only statuses above 399; in pooled mode wrk.lua counts 1xx and 3xx too, otherwise the
    // runner's pre-flight check catches them.
    non2xx: errors.status + pool.odd,
    errors: errors.connect + errors.read + errors.write + errors.timeout,
    ...(problems.length > 0 ? { problems } : {}),
  };
}

/** The requests as a Lua chunk for `dofile()`: `return { { method = "GET", ... }, ... }`. */
export function toLuaSpec(requests: LoadRequest[]): string {
  const entries = requests.map((request) => {
    const headers = Object.entries(request.headers)
      .map(([name, value]) => `[${luaString(name)}] = ${luaString(value)}`)
      .join(', ');
    const body = request.body === undefined ? 'nil' : luaString(request.body);
    const key = request.key === undefined ? 'nil' : luaString(request.key);
    return `  { method = ${luaString(request.method)}, path = ${luaString(request.path)}, headers = { ${headers} }, body = ${body}, key = ${key} },`;
  });
  return `return {\n${entries.join('\n')}\n}\n`;
}

/** A Lua string literal; every byte outside a plain set is written as a `\ddd` escape, valid in LuaJIT. */
function luaString(value: string): string {
  let out = '"';
  for (const byte of new TextEncoder().encode(value)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9 _.,:;/?=&+*%@!~()-]/.test(char) ? char : `\\${byte.toString().padStart(3, '0')}`;
  }
  return `${out}"`;
}
