/**
 * @module
 * The runner's command-line options: parsing, validation and the help text.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_BENCH_POSTGRES_URL } from './postgres.ts';
import { REFERENCE_SCENARIO, type Scenario, scenarios } from './scenarios.ts';

export const USAGE = `Usage: bun run bench [options]

  --duration <s>      measured window per scenario, in seconds (default 10)
  --warmup <s>        warm-up per scenario before its first window, in seconds (default 2; 0 skips it)
  --rounds <n>        measure every scenario n times, interleaved; report medians (default 1)
  --connections <n>   concurrent connections (default 50; sse.first-byte always runs 20 streams)
  --threads <n>       wrk threads (default 1; autocannon ignores it)
  --only <names>      comma-separated scenarios to run (repeatable); ref and compared scenarios also run
  --generator <name>  wrk or autocannon (default: wrk when it is on the PATH, else autocannon)
  --ws-clients <n,…>  ws.fanout client counts (default 1000,5000), a fresh server for each
  --zekka-cli <path>  Zekka's CLI entry (default packages/server/src/cli.ts)
  --out <path>        JSON results (default bench/results/latest.json)
  --help              this text

Scenarios: ${scenarios.map((s) => s.name).join(', ')}

Environment: BENCH_POSTGRES_URL, the Postgres for the .pg scenarios (default ${DEFAULT_BENCH_POSTGRES_URL});
they are skipped with a line when it does not answer.`;

export interface Settings {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  threads: number;
  rounds: number;
  only: string[];
  generator: 'wrk' | 'autocannon' | undefined;
  zekkaCli: string;
  out: string;
  /** `ws.fanout` client counts. */
  wsClients: number[];
}

/** The settings, or `undefined` when `--help` asked for the usage text. Throws on a bad value. */
export function parseSettings(argv: string[]): Settings | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '50' },
      threads: { type: 'string', default: '1' },
      rounds: { type: 'string', default: '1' },
      only: { type: 'string', multiple: true },
      generator: { type: 'string' },
      'ws-clients': { type: 'string', default: '1000,5000' },
      'zekka-cli': { type: 'string', default: 'packages/server/src/cli.ts' },
      out: { type: 'string', default: join(import.meta.dir, 'results', 'latest.json') },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const generator = values.generator;
  if (generator !== undefined && generator !== 'wrk' && generator !== 'autocannon') {
    throw new Error(`--generator must be wrk or autocannon, not ${generator}`);
  }
  const only = (values.only ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  const unknown = only.filter((name) => !scenarios.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown scenario(s): ${unknown.join(', ')}. Known: ${scenarios.map((s) => s.name).join(', ')}`,
    );
  }
  return {
    durationSeconds: positiveNumber('--duration', values.duration),
    warmupSeconds: positiveNumber('--warmup', values.warmup, true),
    connections: positiveInteger('--connections', values.connections),
    threads: positiveInteger('--threads', values.threads),
    rounds: positiveInteger('--rounds', values.rounds),
    only,
    generator,
    zekkaCli: values['zekka-cli'],
    wsClients: values['ws-clients'].split(',').map((n) => positiveInteger('--ws-clients', n.trim())),
    out: resolve(values.out),
  };
}

function positiveNumber(flag: string, raw: string, zeroAllowed = false): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!zeroAllowed && value === 0)) {
    throw new Error(
      `${flag} must be a ${zeroAllowed ? 'non-negative' : 'positive'} number of seconds, not ${raw}`,
    );
  }
  return value;
}

function positiveInteger(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${flag} must be a positive integer, not ${raw}`);
  return value;
}

/**
 * The scenarios to run, in declaration order: those named, plus `ref` whenever a Zekka scenario runs
 * (every ratio is to it) and each named scenario's `compareWith`.
 */
export function selectScenarios(only: string[]): Scenario[] {
  if (only.length === 0) return scenarios;
  const wanted = new Set(only);
  for (const scenario of scenarios) {
    if (!wanted.has(scenario.name)) continue;
    if (scenario.server === 'zekka-ws') continue; // no ratio to ref, nothing to compare with
    if (scenario.server !== 'reference') wanted.add(REFERENCE_SCENARIO);
    if (scenario.compareWith !== undefined) wanted.add(scenario.compareWith);
  }
  return scenarios.filter((s) => wanted.has(s.name));
}
