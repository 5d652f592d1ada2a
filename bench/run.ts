/**
 * @module
 * `bun run bench`: starts the bare-Elysia reference and the Zekka servers (SQLite, and Postgres when
 * `BENCH_POSTGRES_URL` or the local default answers), seeds them over HTTP, measures
 * every scenario in `scenarios.ts` with one load generator and one set of settings, prints a table of
 * req/s, p50, p99 and the ratio to the reference, and writes `bench/results/latest.json`.
 *
 * Exits non-zero on errors (a server that does not start, a non-2xx response under load), not on a missed
 * target: targets are reported as PASS/FAIL, since absolute figures on a shared 2-core machine are noise.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, availableParallelism, cpus, platform } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createAutocannonGenerator } from './load/autocannon.ts';
import { readOneStream, runSse } from './load/sse.ts';
import type { LoadGenerator, LoadOptions, LoadRequest, LoadResult } from './load/types.ts';
import { findWrkGenerator } from './load/wrk.ts';
import { parseSettings, type Settings, selectScenarios, USAGE } from './options.ts';
import {
  benchPostgresUrl,
  createBenchSchema,
  dropBenchSchemas,
  postgresProblem,
  redact,
} from './postgres.ts';
import { cleanUpNow, makeScratchDir, removeScratchDir, stopAll } from './processes.ts';
import { type BenchReport, evaluate, evaluateWs, formatTable, type ScenarioOutcome } from './report.ts';
import { type HttpScenario, REFERENCE_SCENARIO, type Scenario, type WsFanoutScenario } from './scenarios.ts';
import {
  type RunPaths,
  type StartedServer,
  seedConversations,
  startReference,
  startZekkaPostgres,
  startZekkaSqlite,
  type ZekkaSeed,
} from './servers.ts';
import { measureWsFanout } from './ws-fanout.ts';

const repoRoot = resolve(import.meta.dir, '..');

async function pickGenerator(choice: Settings['generator']): Promise<LoadGenerator> {
  if (choice !== 'autocannon') {
    const wrk = await findWrkGenerator();
    if (wrk !== undefined) return wrk;
    if (choice === 'wrk')
      throw new Error('--generator wrk: wrk is not on the PATH (Debian: apt-get install wrk)');
  }
  return createAutocannonGenerator();
}

/**
 * Each distinct request once, before any load: a wrong path or token fails here with the server's answer.
 * An SSE scenario's requests are read to their end and must be a whole stream (`userMessage` … `done`).
 *
 * For a pooled scenario this also waits out the previous run: wrk and autocannon stop with a request in
 * flight on every connection, and the server finishes those generations after the client has gone, so a
 * conversation can still be busy (`409`) for a moment. Here, and only here, a `409` is retried until the
 * conversation answers; once every request has answered in turn, no generation is left running, and the
 * next window starts on an idle server. Under load a `409` is never retried: it fails the run.
 */
async function preflight(scenario: HttpScenario, baseUrl: string, requests: LoadRequest[]): Promise<void> {
  const pooled = scenario.server !== 'reference' && scenario.exclusive !== undefined;
  for (const request of requests) {
    if (driverOf(scenario) === 'sse') {
      await readOneStream(baseUrl, request, 10_000).catch((error: unknown) => {
        throw new Error(
          `${scenario.name}: before the run: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
      continue;
    }
    const expected = request.status ?? 200;
    const deadline = Date.now() + LEFTOVER_WAIT_MS;
    while (true) {
      const response = await fetch(`${baseUrl}${request.path}`, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
      });
      const text = await response.text();
      if (response.status === expected) break;
      if (pooled && response.status === 409 && Date.now() < deadline) {
        await Bun.sleep(20);
        continue;
      }
      throw new Error(
        `${scenario.name}: ${request.method} ${request.path} answered ${response.status} before the run, ` +
          `not ${expected}: ${text.slice(0, 500)}`,
      );
    }
  }
}

/** How long {@link preflight} waits for a generation left over from the previous run. */
const LEFTOVER_WAIT_MS = 15_000;

function assertClean(scenario: HttpScenario, phase: string, result: LoadResult): void {
  const problems = result.problems ?? [];
  if (result.non2xx > 0 || result.errors > 0 || result.requests === 0 || problems.length > 0) {
    throw new Error(
      `${scenario.name} (${phase}): ${result.non2xx} non-2xx responses and ${result.errors} socket errors or ` +
        `timeouts out of ${result.requests} responses; the figures would be meaningless. See the server logs.` +
        problems
          .slice(0, 5)
          .map((p) => `\n  ${p}`)
          .join(''),
    );
  }
}

const driverOf = (scenario: HttpScenario): 'http' | 'sse' =>
  scenario.server === 'reference' ? 'http' : (scenario.driver ?? 'http');

/** The scenario's concurrency: its own `connections` if it fixes one, else `--connections`. */
const connectionsOf = (scenario: HttpScenario, settings: Settings): number =>
  scenario.server === 'reference' ? settings.connections : (scenario.connections ?? settings.connections);

/**
 * How many conversations a scenario needs: one per connection or stream, so that no two requests in flight
 * share one; a pooled scenario adds one per wrk thread, which wrk keeps for its own check (see wrk.lua).
 */
const conversationsNeeded = (scenario: HttpScenario, settings: Settings): number =>
  connectionsOf(scenario, settings) +
  (scenario.server !== 'reference' && scenario.exclusive !== undefined ? settings.threads : 0);

/** Seeds every conversation set the selected scenarios name on `server`, as large as the largest needs. */
async function seedScenarioData(
  selected: HttpScenario[],
  server: 'zekka-sqlite' | 'zekka-postgres',
  seed: ZekkaSeed,
  settings: Settings,
): Promise<void> {
  const sets = new Map<string, number>();
  for (const scenario of selected) {
    if (scenario.server === 'reference' || scenario.server !== server) continue;
    const set = scenario.conversations;
    if (set === undefined) continue;
    sets.set(set, Math.max(sets.get(set) ?? 0, conversationsNeeded(scenario, settings)));
  }
  for (const [set, count] of sets) await seedConversations(seed, set, count);
}

async function measure(
  scenario: HttpScenario,
  baseUrl: string,
  requests: LoadRequest[],
  settings: Settings,
  generator: LoadGenerator,
  firstRound: boolean,
): Promise<LoadResult> {
  await preflight(scenario, baseUrl, requests);
  const connections = connectionsOf(scenario, settings);
  const run = (durationSeconds: number): Promise<LoadResult> =>
    driverOf(scenario) === 'sse'
      ? runSse({ baseUrl, requests, streams: connections, durationSeconds, timeoutSeconds: 5 })
      : generator.run({
          baseUrl,
          requests,
          connections,
          threads: settings.threads,
          timeoutSeconds: 5,
          durationSeconds,
          ...(scenario.server !== 'reference' && scenario.exclusive !== undefined
            ? { exclusive: scenario.exclusive }
            : {}),
        } satisfies LoadOptions);
  // A pooled run's last requests may still be running on the server when it ends (see preflight): wait
  // them out before the window, and after it, so that the next scenario starts on an idle server.
  const pooled = scenario.server !== 'reference' && scenario.exclusive !== undefined;
  const settle = async (): Promise<void> => {
    if (pooled) await preflight(scenario, baseUrl, requests);
  };
  if (firstRound && settings.warmupSeconds > 0) {
    assertClean(scenario, 'warm-up', await run(settings.warmupSeconds));
    await settle();
  }
  const result = await run(settings.durationSeconds);
  assertClean(scenario, 'measured window', result);
  await settle();
  return result;
}

/**
 * The selected scenarios minus the Postgres ones when Postgres does not answer: those are skipped with a
 * line saying why, since a machine without Postgres can still measure everything else.
 */
async function withoutUnreachablePostgres(selected: Scenario[], postgresUrl: string): Promise<Scenario[]> {
  const onPostgres = selected.filter((s) => s.server === 'zekka-postgres');
  if (onPostgres.length === 0) return selected;
  const problem = await postgresProblem(postgresUrl);
  if (problem === undefined) return selected;
  console.log(
    `skipping ${onPostgres.map((s) => s.name).join(', ')}: Postgres at ${redact(postgresUrl)} does not ` +
      `answer (${problem}); set BENCH_POSTGRES_URL to measure them`,
  );
  return selected.filter((s) => s.server !== 'zekka-postgres');
}

async function main(settings: Settings): Promise<void> {
  const startedAt = new Date();
  const postgresUrl = benchPostgresUrl();
  const chosen = await withoutUnreachablePostgres(selectScenarios(settings.only), postgresUrl);
  const selected = chosen.filter((s): s is HttpScenario => s.server !== 'zekka-ws');
  const wsScenarios = chosen.filter((s): s is WsFanoutScenario => s.server === 'zekka-ws');
  const generator = await pickGenerator(settings.generator);
  const tmpDir = makeScratchDir('zekka-bench-');
  const logDir = join(import.meta.dir, 'results', 'logs');
  mkdirSync(logDir, { recursive: true });
  const paths: RunPaths = { repoRoot, tmpDir, logDir, zekkaCli: settings.zekkaCli };
  console.log(
    `zekka bench: ${generator.name}, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ` +
      `${settings.durationSeconds} s per scenario${settings.rounds > 1 ? ` × ${settings.rounds} rounds` : ''}, ` +
      `${availableParallelism()} CPUs, Bun ${Bun.version}`,
  );
  try {
    // Every server runs for the whole run (an idle one costs nothing), so every scenario sees the same machine.
    let reference: StartedServer<undefined> | undefined;
    const zekkas = new Map<Scenario['server'], StartedServer<ZekkaSeed>>();
    if (selected.some((s) => s.server === 'reference')) {
      reference = await startReference(paths);
      console.log(`reference server on ${reference.baseUrl}`);
    }
    if (selected.some((s) => s.server === 'zekka-sqlite')) {
      const zekka = await startZekkaSqlite(paths);
      zekkas.set('zekka-sqlite', zekka);
      await seedScenarioData(selected, 'zekka-sqlite', zekka.seed, settings);
      console.log(`zekka server on ${zekka.baseUrl}, seeded with ${describeSeed(zekka.seed)}`);
    }
    if (selected.some((s) => s.server === 'zekka-postgres')) {
      const schema = await createBenchSchema(postgresUrl);
      const zekka = await startZekkaPostgres(paths, postgresUrl, schema);
      zekkas.set('zekka-postgres', zekka);
      await seedScenarioData(selected, 'zekka-postgres', zekka.seed, settings);
      console.log(
        `zekka server on Postgres (${redact(postgresUrl)}, schema ${schema}) on ${zekka.baseUrl}, ` +
          `seeded with ${describeSeed(zekka.seed)}`,
      );
    }

    // Rounds interleave the scenarios, so each round's ratios compare measurements taken close together.
    const results = new Map<string, LoadResult[]>(selected.map((s) => [s.name, []]));
    for (let round = 1; round <= settings.rounds; round++) {
      for (const scenario of selected) {
        const server = scenario.server === 'reference' ? reference : zekkas.get(scenario.server);
        if (server === undefined) throw new Error(`${scenario.name}: its server was not started`);
        const requests =
          scenario.server === 'reference'
            ? scenario.requests()
            : scenario.requests(need(zekkas.get(scenario.server)).seed);
        const label =
          settings.rounds > 1 ? `${scenario.name} (round ${round}/${settings.rounds})` : scenario.name;
        process.stdout.write(`measuring ${label} ... `);
        const result = await measure(scenario, server.baseUrl, requests, settings, generator, round === 1);
        need(results.get(scenario.name)).push(result);
        console.log(`${Math.round(result.requestsPerSecond)} ${scenario.unit ?? 'req'}/s`);
      }
    }

    // ws.fanout: a fresh server per client count, measured once whatever --rounds says (see ws-fanout.ts).
    const wsOutcomes: ScenarioOutcome[] = [];
    for (const scenario of wsScenarios) {
      const counts = [...settings.wsClients].sort((a, b) => a - b);
      for (const clients of counts) {
        process.stdout.write(`measuring ${scenario.name} with ${clients} sockets ... `);
        const { result, details } = await measureWsFanout(scenario, clients, paths);
        console.log(`${Math.round(result.requestsPerSecond)} ${scenario.unit}/s`);
        for (const problem of result.problems ?? []) console.log(`  ${problem}`);
        wsOutcomes.push(evaluateWs(scenario, result, details, clients === counts[counts.length - 1]));
      }
    }

    const refRounds = results.get(REFERENCE_SCENARIO);
    const httpOutcomes: ScenarioOutcome[] = selected.map((s) =>
      evaluate(
        s,
        need(results.get(s.name)),
        refRounds,
        s.compareWith === undefined ? undefined : results.get(s.compareWith),
      ),
    );
    const outcomes = [...httpOutcomes, ...wsOutcomes];
    const report: BenchReport = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      settings: {
        generator: generator.name,
        connections: settings.connections,
        threads: settings.threads,
        warmupSeconds: settings.warmupSeconds,
        durationSeconds: settings.durationSeconds,
        rounds: settings.rounds,
        wsClients: settings.wsClients,
      },
      environment: {
        bun: Bun.version,
        platform: platform(),
        arch: arch(),
        cpus: availableParallelism(),
        cpuModel: cpus()[0]?.model ?? 'unknown',
      },
      pass: outcomes.every((o) => o.pass !== false),
      scenarios: outcomes,
    };
    mkdirSync(resolve(settings.out, '..'), { recursive: true });
    writeFileSync(settings.out, `${JSON.stringify(report, null, 2)}\n`);

    console.log(`\n${formatTable(outcomes)}\n`);
    console.log(report.pass ? 'All targets met.' : 'FAIL: some targets were missed (see above).');
    console.log(`Results: ${relative(process.cwd(), settings.out) || settings.out}`);
  } finally {
    await stopAll();
    await dropBenchSchemas();
    removeScratchDir(tmpDir);
  }
}

/** "20 projects, 52 conversations (send) and 20 (stream)". */
function describeSeed(seed: ZekkaSeed): string {
  const sets = Object.entries(seed.conversations).map(([set, ids]) => `${ids.length} (${set})`);
  const conversations = sets.length === 0 ? '' : `, conversations: ${sets.join(', ')}`;
  return `${seed.projectIds.length} projects${conversations}`;
}

function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('internal: a value the run depends on is missing');
  return value;
}

// Children and scratch folders must not outlive the runner, however it ends.
process.on('exit', cleanUpNow);
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the servers`);
    void stopAll(1000)
      .then(dropBenchSchemas)
      .finally(() => process.exit(code));
  });
}

try {
  const settings = parseSettings(Bun.argv.slice(2));
  if (settings === undefined) {
    console.log(USAGE);
  } else {
    await main(settings);
  }
} catch (error) {
  console.error(`\nbench: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1000);
  process.exit(1);
}
