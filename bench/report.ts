/**
 * @module
 * Turning measurements into verdicts, the printed table and `bench/results/latest.json`.
 */
import type { LoadResult } from './load/types.ts';
import { describeTarget, type HttpScenario, type Scenario, type WsFanoutScenario } from './scenarios.ts';
import type { WsFanoutDetails } from './ws-fanout.ts';

export interface ScenarioOutcome {
  name: string;
  description: string;
  server: Scenario['server'];
  /** What the rate counts: `req` responses, `msg` messages sent and answered, `stream` SSE streams. */
  unit: NonNullable<Scenario['unit']>;
  /**
   * What the latencies time: the whole response, (SSE driver) the first body byte, or (`ws.fanout`) an
   * event's delivery, from its `ts` to its receipt.
   */
  latency: 'response' | 'first byte' | 'delivery';
  /** The rounds combined: medians of req/s and latencies, sums of counts (see {@link combineRounds}). */
  result: LoadResult;
  /**
   * Median over rounds of req/s divided by that round's `ref` req/s; null when `ref` was not measured, or
   * for a scenario measured by the SSE driver (streams per second are not comparable with requests).
   */
  ratioToRef: number | null;
  /** The same against the scenario's `compareWith` (e.g. SQLite for a Postgres scenario); null if none. */
  compared: { name: string; ratio: number } | null;
  target: string;
  /** null for a scenario without a target. */
  pass: boolean | null;
  /** Why it failed, one entry per missed bound. */
  misses: string[];
  /** Each round's measurement, in order. */
  rounds: LoadResult[];
  /** `ws.fanout` only: sockets, RSS and event counts at this client count. */
  ws?: WsFanoutDetails;
}

/**
 * Judges one scenario. With several rounds, each round's ratio is taken against the `ref` measured in the
 * same round, then the median is kept, so load from other processes that comes and goes during a run
 * shifts both sides of most ratios alike.
 */
export function evaluate(
  scenario: HttpScenario,
  rounds: LoadResult[],
  refRounds: LoadResult[] | undefined,
  comparedRounds?: LoadResult[],
): ScenarioOutcome {
  const result = combineRounds(rounds);
  const sse = scenario.server !== 'reference' && scenario.driver === 'sse';
  const ratioTo = (other: LoadResult[]): number =>
    median(rounds.map((round, i) => round.requestsPerSecond / (other[i]?.requestsPerSecond ?? Number.NaN)));
  const ratioToRef = refRounds === undefined || sse ? null : ratioTo(refRounds);
  const compared =
    scenario.compareWith === undefined || comparedRounds === undefined
      ? null
      : { name: scenario.compareWith, ratio: ratioTo(comparedRounds) };
  const misses: string[] = [];
  const { target } = scenario;
  if (target?.minRatioToRef !== undefined) {
    if (ratioToRef === null) misses.push('no ref measurement to compare with');
    else if (!(ratioToRef >= target.minRatioToRef)) {
      misses.push(`${formatRatio(ratioToRef)} ref is below ${formatRatio(target.minRatioToRef)}`);
    }
  }
  if (target?.maxP99Ms !== undefined && !(result.latencyMs.p99 < target.maxP99Ms)) {
    misses.push(`p99 ${result.latencyMs.p99.toFixed(2)} ms is not below ${target.maxP99Ms} ms`);
  }
  return {
    name: scenario.name,
    description: scenario.description,
    server: scenario.server,
    unit: scenario.unit ?? 'req',
    latency: sse ? 'first byte' : 'response',
    result,
    ratioToRef,
    compared,
    target: describeTarget(scenario),
    pass: target === undefined ? null : misses.length === 0,
    misses,
    rounds,
  };
}

/**
 * Judges one `ws.fanout` client count. Latency and RSS bounds apply at every count. Every socket asked for
 * must connect and subscribe; and at the `largest` count of the run, that count must reach `minClients`
 * (so a run with only `--ws-clients 1000` cannot pass the 5,000-client target).
 */
export function evaluateWs(
  scenario: WsFanoutScenario,
  result: LoadResult,
  details: WsFanoutDetails,
  largest: boolean,
): ScenarioOutcome {
  const { target } = scenario;
  const misses: string[] = [];
  const count = (n: number): string => n.toLocaleString('en-US');
  if (details.connected < details.clients) {
    misses.push(`${count(details.connected)} of ${count(details.clients)} sockets connected and subscribed`);
  }
  if (largest && details.clients < target.minClients) {
    misses.push(
      `the largest --ws-clients count is ${count(details.clients)}; the target is ${count(target.minClients)}`,
    );
  }
  if (!(result.latencyMs.p99 < target.maxP99Ms)) {
    misses.push(`p99 delivery ${result.latencyMs.p99.toFixed(2)} ms is not below ${target.maxP99Ms} ms`);
  }
  if (!(details.rssPerIdleKb < target.maxRssPerIdleKb)) {
    misses.push(
      `RSS grew ${details.rssPerIdleKb.toFixed(1)} KB per idle socket, not below ${target.maxRssPerIdleKb} KB`,
    );
  }
  if (details.socketsShort > 0) {
    misses.push(`${details.socketsShort} sockets received fewer than ${details.deltasPerSocket} deltas`);
  }
  if (details.completed < details.connected) {
    misses.push(`${details.connected - details.completed} sockets did not receive the whole generation`);
  }
  return {
    name: `${scenario.name}@${details.clients}`,
    description: `${scenario.description}; N = ${details.clients}`,
    server: scenario.server,
    unit: scenario.unit,
    latency: 'delivery',
    result,
    ratioToRef: null,
    compared: null,
    target: describeTarget(scenario),
    pass: misses.length === 0,
    misses,
    rounds: [result],
    ws: details,
  };
}

const formatMb = (kb: number): string => `${(kb / 1024).toFixed(1)} MB`;

/** One line per `ws.fanout` row: sockets, connect time, RSS before / idle / after, deltas delivered. */
function wsLine(o: ScenarioOutcome): string | undefined {
  const ws = o.ws;
  if (ws === undefined) return undefined;
  return (
    `${o.name}: ${ws.connected.toLocaleString('en-US')}/${ws.clients.toLocaleString('en-US')} sockets ` +
    `(${ws.users} users) in ${ws.connectSeconds.toFixed(2)} s; server RSS ${formatMb(ws.rssKb.before)} → ` +
    `${formatMb(ws.rssKb.idle)} idle (${ws.rssPerIdleKb.toFixed(1)} KB/socket) → ${formatMb(ws.rssKb.after)} ` +
    `after the generation; ${ws.deltas.toLocaleString('en-US')} deltas (${ws.deltasPerSocket}/socket), ` +
    `${ws.completed.toLocaleString('en-US')} sockets complete`
  );
}

/** Medians of the rates and latencies, sums of the counts; one round is returned as it is. */
export function combineRounds(rounds: LoadResult[]): LoadResult {
  const [only] = rounds;
  if (only === undefined) throw new Error('combineRounds: no rounds');
  if (rounds.length === 1) return only;
  const sum = (pick: (r: LoadResult) => number): number => rounds.reduce((total, r) => total + pick(r), 0);
  const med = (pick: (r: LoadResult) => number): number => median(rounds.map(pick));
  return {
    requests: sum((r) => r.requests),
    durationSeconds: sum((r) => r.durationSeconds),
    requestsPerSecond: med((r) => r.requestsPerSecond),
    latencyMs: {
      p50: med((r) => r.latencyMs.p50),
      p90: med((r) => r.latencyMs.p90),
      p99: med((r) => r.latencyMs.p99),
      max: Math.max(...rounds.map((r) => r.latencyMs.max)),
      mean: med((r) => r.latencyMs.mean),
    },
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? Number.NaN) + upper) / 2;
}

/** Two decimals; two significant digits below 0.1, so that a small ratio does not print as `0.00×`. */
const formatRatio = (ratio: number): string =>
  `${ratio > 0 && ratio < 0.1 ? ratio.toPrecision(2) : ratio.toFixed(2)}×`;
const formatRate = (rate: number): string => Math.round(rate).toLocaleString('en-US');
const formatMs = (ms: number): string => ms.toFixed(2);

/**
 * A plain-text table, one row per scenario, followed by the reason for each FAIL. `per s` counts the
 * scenario's `unit` (`req`, `msg`, `stream`); the latencies are time to the first byte for the SSE driver's
 * scenarios (marked `*`). `ratio` is to `ref`; `compared` is to the scenario's `compareWith` (e.g.
 * `0.62× project.get`: 62 % of SQLite's req/s).
 */
export function formatTable(outcomes: ScenarioOutcome[]): string {
  const header = ['scenario', 'per s', 'unit', 'p50 ms', 'p99 ms', 'ratio', 'compared', 'target', 'result'];
  const firstByte = (o: ScenarioOutcome, ms: number): string =>
    `${formatMs(ms)}${o.latency === 'first byte' ? '*' : ''}`;
  const rows = outcomes.map((o) => [
    o.name,
    formatRate(o.result.requestsPerSecond),
    o.unit,
    firstByte(o, o.result.latencyMs.p50),
    firstByte(o, o.result.latencyMs.p99),
    o.ratioToRef === null ? (o.latency === 'response' ? 'n/a' : '-') : formatRatio(o.ratioToRef),
    o.compared === null ? '-' : `${formatRatio(o.compared.ratio)} ${o.compared.name}`,
    o.target,
    o.pass === null ? '-' : o.pass ? 'PASS' : 'FAIL',
  ]);
  const rightAligned = new Set([1, 3, 4, 5]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  if (outcomes.some((o) => o.latency === 'first byte')) {
    out.push('* time to the first SSE byte, not the whole response');
  }
  if (outcomes.some((o) => o.ws !== undefined)) {
    out.push(
      'ws.fanout@N: events delivered to all N sockets per s; latency from the event ts to its receipt',
    );
    for (const o of outcomes) {
      const line = wsLine(o);
      if (line !== undefined) out.push(line);
    }
  }
  for (const o of outcomes) {
    if (o.pass === false) out.push(`FAIL ${o.name}: ${o.misses.join('; ')}`);
  }
  return out.join('\n');
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  settings: {
    generator: string;
    connections: number;
    threads: number;
    warmupSeconds: number;
    durationSeconds: number;
    rounds: number;
    /** `--ws-clients`: the client counts `ws.fanout` runs at. */
    wsClients: number[];
  };
  environment: { bun: string; platform: string; arch: string; cpus: number; cpuModel: string };
  /** True when every scenario with a target met it. */
  pass: boolean;
  scenarios: ScenarioOutcome[];
}
