/**
 * @module
 * The benchmark's scenarios, as data. To measure something new, add an entry: name it, say which server it
 * runs against, build its requests from the seed, and give it a target. The runner measures the entries in
 * this order, all with the same load generator and settings, and divides each one's req/s by `ref`'s.
 */
import type { LoadRequest } from './load/types.ts';
import type { ZekkaSeed } from './servers.ts';

/** What a scenario must reach to PASS. Both bounds apply when both are given. */
export interface Target {
  /** Minimum req/s as a fraction of the `ref` scenario's req/s measured in the same run. */
  minRatioToRef?: number;
  /** The 99th-percentile latency must be strictly below this, in milliseconds. */
  maxP99Ms?: number;
}

interface ScenarioBase {
  /** Unique; what `--only` selects and the table shows. */
  name: string;
  description: string;
  /** Omitted for the baseline itself, which has nothing to pass, and for scenarios only reported. */
  target?: Target;
  /**
   * Another scenario of the same run whose req/s this one is also divided by (e.g. the same request on
   * SQLite), shown in the `compared` column. Selecting this scenario selects that one too.
   */
  compareWith?: string;
}

/** A scenario against the bare-Elysia reference server (`bench/reference-server.ts`). */
export interface ReferenceScenario extends ScenarioBase {
  server: 'reference';
  requests(): LoadRequest[];
}

/**
 * A scenario against a Zekka server started from its CLI, seeded over HTTP (see `servers.ts`): on SQLite,
 * or on Postgres (`BENCH_POSTGRES_URL`; these scenarios are skipped with a line when it does not answer).
 */
export interface ZekkaScenario extends ScenarioBase {
  server: 'zekka-sqlite' | 'zekka-postgres';
  /** Sent round-robin by the load generator; each is also sent once beforehand and must answer 200. */
  requests(seed: ZekkaSeed): LoadRequest[];
}

export type Scenario = ReferenceScenario | ZekkaScenario;

/** The baseline's name: every ratio is to this scenario's req/s. */
export const REFERENCE_SCENARIO = 'ref';

const bearer = (seed: ZekkaSeed): Record<string, string> => ({ Authorization: `Bearer ${seed.accessToken}` });

export const scenarios: Scenario[] = [
  {
    name: REFERENCE_SCENARIO,
    description: 'bare Elysia, GET /ref returning a small JSON envelope',
    server: 'reference',
    requests: () => [{ method: 'GET', path: '/ref', headers: {} }],
  },
  {
    name: 'project.get',
    description: 'authenticated GET /api/v1/projects/:id, round-robin over the seeded projects',
    server: 'zekka-sqlite',
    requests: (seed) =>
      seed.projectIds.map((id) => ({ method: 'GET', path: `/api/v1/projects/${id}`, headers: bearer(seed) })),
    target: { minRatioToRef: 0.4, maxP99Ms: 20 },
  },
  {
    name: 'project.list',
    description: 'authenticated GET /api/v1/projects?limit=20 (a full page of the seeded projects)',
    server: 'zekka-sqlite',
    requests: (seed) => [{ method: 'GET', path: '/api/v1/projects?limit=20', headers: bearer(seed) }],
    target: { minRatioToRef: 0.25, maxP99Ms: 20 },
  },
  // The same two requests on Postgres. No target yet: the figures are reported beside SQLite's.
  {
    name: 'project.get.pg',
    description: 'project.get on a Zekka server on Postgres',
    server: 'zekka-postgres',
    requests: (seed) =>
      seed.projectIds.map((id) => ({ method: 'GET', path: `/api/v1/projects/${id}`, headers: bearer(seed) })),
    compareWith: 'project.get',
  },
  {
    name: 'project.list.pg',
    description: 'project.list on a Zekka server on Postgres',
    server: 'zekka-postgres',
    requests: (seed) => [{ method: 'GET', path: '/api/v1/projects?limit=20', headers: bearer(seed) }],
    compareWith: 'project.list',
  },
];

/** "≥ 0.40× ref, p99 < 20 ms"; "baseline" for `ref`, "none yet" for a scenario that is only reported. */
export function describeTarget(scenario: Pick<Scenario, 'name' | 'target'>): string {
  const { target } = scenario;
  if (target === undefined) return scenario.name === REFERENCE_SCENARIO ? 'baseline' : 'none yet';
  const parts: string[] = [];
  if (target.minRatioToRef !== undefined) parts.push(`≥ ${target.minRatioToRef.toFixed(2)}× ref`);
  if (target.maxP99Ms !== undefined) parts.push(`p99 < ${target.maxP99Ms} ms`);
  return parts.join(', ');
}
